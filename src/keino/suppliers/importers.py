"""Readers of business-register files: one class per format, each able to recognise its file.

A reader turns a file into RegisterRecords (raw text, located by row or key); normalising,
validating and storing them is the import service's work. Fields are found by name, and the
names real files use, in Finnish, Swedish and English, are in FIELD_SYNONYMS.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELDS = ["business_id", "name", "tol_code", "tol_name", "municipality", "company_form"]
FIELD_SYNONYMS = {
    "business_id": [
        "business id",
        "business_id",
        "businessid",
        "y-tunnus",
        "ytunnus",
        "y tunnus",
        "toimittajan y-tunnus",
        "toimittajan ytunnus",
        "fo-nummer",
        "fo nummer",
    ],
    "name": ["name", "nimi", "toimittajan nimi", "toimittaja", "yrityksen nimi", "namn"],
    "tol_code": [
        "tol",
        "tol code",
        "tol_code",
        "tol 2008",
        "tol-koodi",
        "toimialakoodi",
        "toimialan koodi",
        "industry code",
        "näringsgrenskod",
    ],
    "tol_name": [
        "tol name",
        "tol_name",
        "toimiala",
        "toimialan nimi",
        "industry",
        "industry name",
        "näringsgren",
    ],
    "municipality": [
        "municipality code",
        "municipality_code",
        "municipality",
        "kuntakoodi",
        "kotikunta",
        "kotikuntakoodi",
        "kotikunnan koodi",
        "kunta",
        "kommunkod",
        "hemkommun",
        "kommun",
    ],
    "company_form": [
        "company form",
        "company_form",
        "yhtiömuoto",
        "yhtiomuoto",
        "yritysmuoto",
        "oikeudellinen muoto",
        "legal form",
        "bolagsform",
    ],
}
SNIFF_BYTES = 64 * 1024
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


def normalise_column(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


FIELD_OF_COLUMN = {
    normalise_column(name): field for field, names in FIELD_SYNONYMS.items() for name in names
}


class UnusableFile(Exception):
    """The file cannot be read as register data at all; nothing is imported."""


@dataclass
class RegisterRecord:
    location: str  # "row 3" or "key 0100130-4", in the reader's language
    values: dict[str, str]  # field → raw text; a missing field is ""
    problem: str = ""  # why the record cannot be used at all, found while reading


@dataclass
class RegisterFile:
    format: str
    records: list[RegisterRecord]
    ignored_columns: list[str] = field(default_factory=list)


def field_of(column: str) -> str | None:
    return FIELD_OF_COLUMN.get(normalise_column(column))


class _Pairs(list):
    """A JSON object's (key, value) pairs in file order, so repeated keys are not lost."""


def _text(value) -> str:
    if value is None or isinstance(value, bool):  # JSON true/false are not register values
        return ""
    return str(value).strip()


class JsonRegister:
    """The Paimio shape: an object mapping business ids to entries, `{}` where unknown.

    `{"0100130-4": {"kuntakoodi": "091", "tol": "82200", "toimiala": "…",
    "yhtiomuoto": "Osakeyhtiö", "nimi": "Dynava Oy"}, "0103166-9": {}}`
    """

    format = "json"
    label = gettext_lazy("JSON object of business ids")

    @staticmethod
    def recognises(path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        if suffix in CSV_SUFFIXES:
            return False
        return suffix == ".json" or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"

    def read(self, data: bytes) -> RegisterFile:
        try:
            document = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_Pairs)
        except UnicodeDecodeError:
            raise UnusableFile(_("The JSON file is not UTF-8 text.")) from None
        except json.JSONDecodeError as error:
            raise UnusableFile(
                _("The file is not valid JSON: %(error)s at line %(line)s, column %(column)s.")
                % {"error": error.msg, "line": error.lineno, "column": error.colno}
            ) from None
        if not isinstance(document, _Pairs):
            raise UnusableFile(
                _(
                    "Expected a JSON object that maps business ids to register entries, "
                    "found a %(kind)s."
                )
                % {"kind": "list" if isinstance(document, list) else type(document).__name__}
            )
        records, ignored = [], set()
        for key, entry in document:
            record = RegisterRecord(
                _("key %(key)s") % {"key": key}, {**dict.fromkeys(FIELDS, ""), "business_id": key}
            )
            if not isinstance(entry, _Pairs):
                record.problem = _("Expected an object of register fields, found %(value)s.") % {
                    "value": json.dumps(entry, ensure_ascii=False)[:80]
                }
            else:
                for name, value in entry:
                    field_name = field_of(name)
                    if field_name in {None, "business_id"} or isinstance(value, list):
                        ignored.add(name)
                    else:
                        record.values[field_name] = _text(value)
            records.append(record)
        return RegisterFile(self.format, records, sorted(ignored))


class CsvRegister:
    """A table with a header row: business id, name, TOL code and name, municipality, form.

    Comma, semicolon or tab separated; UTF-8 (with or without BOM) or Windows-1252.
    """

    format = "csv"
    label = gettext_lazy("CSV table")

    @staticmethod
    def recognises(path: Path, head: bytes) -> bool:
        return not JsonRegister.recognises(path, head)

    def read(self, data: bytes) -> RegisterFile:
        if b"\x00" in data[:SNIFF_BYTES]:
            raise UnusableFile(_("The file is not a CSV text file (it looks like binary data)."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        lines = text.splitlines()
        header_line = next((line for line in lines if line.strip()), "")
        delimiter = max([";", ",", "\t"], key=header_line.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header: list[str] = []
        for header in reader:
            if any(cell.strip() for cell in header):
                break
        columns = {}
        ignored = []
        for index, column in enumerate(header):
            field_name = field_of(column)
            if field_name is None or field_name in columns:
                if column.strip():
                    ignored.append(column.strip())
            else:
                columns[field_name] = index
        if "business_id" not in columns:
            raise UnusableFile(
                _("No business id column: the header (%(header)s) has none of the names %(names)s.")
                % {
                    "header": ", ".join(header) or "-",
                    "names": ", ".join(("Y-tunnus", "business_id", "FO-nummer")),
                }
            )
        return RegisterFile(self.format, list(self._records(reader, columns)), ignored)

    @staticmethod
    def _records(reader, columns: dict[str, int]) -> Iterator[RegisterRecord]:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            values = dict.fromkeys(FIELDS, "")
            for field_name, index in columns.items():
                if index < len(cells):
                    values[field_name] = cells[index].strip()
            yield RegisterRecord(_("row %(row)s") % {"row": reader.line_num}, values)


READERS = [JsonRegister(), CsvRegister()]


def read_register_file(path: Path, data: bytes) -> RegisterFile:
    """Recognise the file's format and read its records; raises UnusableFile."""
    if not data.strip():
        raise UnusableFile(_("The file is empty."))
    head = data[:SNIFF_BYTES]
    reader = next(reader for reader in READERS if reader.recognises(path, head))
    return reader.read(data)
