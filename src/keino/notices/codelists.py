"""The eForms code lists this app ships in `data/codelists/` (see data/README.md).

Each file is a genericode (.gc) list of the EU Publications Office: one row per code, with a
label column per EU language. A list is known by its eForms name (the `LongName` of the file,
e.g. `strategic-procurement`, `nuts-fin-lvl3`) and read once per process.
"""

from functools import cache
from pathlib import Path

from lxml import etree

CODELIST_DIR = Path(__file__).resolve().parent / "data" / "codelists"
LABEL_COLUMNS = {"fi": "fin_label", "sv": "swe_label", "en": "eng_label"}


def _parser() -> etree.XMLParser:
    # The files are ours, but they are XML all the same: no entities, no network, no DTD.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


@cache
def _files() -> dict[str, Path]:
    """The list name (the file's LongName without an Identifier) of each file."""
    files = {}
    for path in sorted(CODELIST_DIR.glob("*.gc")):
        root = etree.parse(str(path), _parser()).getroot()
        names = root.xpath("Identification/LongName[not(@Identifier)]/text()")
        files[names[0].strip() if names else path.stem] = path
    return files


def list_names() -> list[str]:
    """The names of the code lists that `codes` and `label` know."""
    return sorted(_files())


@cache
def codes(list_name: str) -> dict[str, dict[str, str]]:
    """The rows of a code list: code → {column: value} (`Name`, `eng_label`, `fin_label`, …).

    Raises KeyError naming the known lists when the list is not shipped. The result is shared
    between callers: do not change it."""
    path = _files().get(list_name)
    if path is None:
        raise KeyError(
            f"No eForms code list named {list_name!r}; known lists: {', '.join(list_names())}"
        )
    root = etree.parse(str(path), _parser()).getroot()
    rows: dict[str, dict[str, str]] = {}
    for row in root.xpath("SimpleCodeList/Row"):
        values = {
            value.get("ColumnRef"): (value.findtext("SimpleValue") or "").strip()
            for value in row.findall("Value")
        }
        code = values.pop("code", "")
        if code:
            rows[code] = values
    return rows


def label(list_name: str, code: str, language: str) -> str:
    """The label of `code` in `language` (fi, sv or en); the English label when the list has
    none in that language, and the code itself when the list does not know the code."""
    column = LABEL_COLUMNS.get(language)
    if column is None:
        raise ValueError(
            f"No label language {language!r}; expected one of {', '.join(LABEL_COLUMNS)}"
        )
    row = codes(list_name).get(code)
    if row is None:
        return code
    return row.get(column) or row.get("eng_label") or row.get("Name") or code
