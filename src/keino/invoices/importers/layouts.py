"""The registry of purchase-invoice layouts that Keino recognises without manual mapping.

A layout names the columns that identify it and maps its column names to canonical fields.
Every layout also understands the common synonyms in `data/column_synonyms.csv` (from real
municipal files), so a local variant needs only the columns that differ. Adding a layout is
adding a class here and a fixture in the tests.
"""

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from keino.invoices.importers.canonical import FIELDS

SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "data" / "column_synonyms.csv"


# Column names that say "total" without saying whether VAT is included. Alone, such a column
# is taken as the amount (the Kuntaliitto 2021 guide names its VAT-free amount so), with a
# warning to check; beside an explicitly VAT-free column it is the amount with VAT.
TOTAL_AMOUNT_COLUMNS = {"kokonaissumma euroina", "kokonaissumma"}


def normalise_header(name: str) -> str:
    """A column name in the form used for matching: lower case, single spaces, no BOM."""
    name = name.replace("\ufeff", "").replace("\u00a0", " ").strip().strip('"').lower()
    return re.sub(r"\s+", " ", name)


@cache
def synonyms() -> dict[str, str]:
    with SYNONYMS_FILE.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(line for line in file if not line.startswith("#")))
    return {normalise_header(row["column"]): row["field"] for row in rows}


@dataclass(frozen=True)
class Layout:
    code: str
    label: str
    signature: tuple[str, ...]  # normalised column names that together identify the layout
    columns: dict[str, str] = field(default_factory=dict)  # normalised column → field

    def field_for(self, column: str) -> str | None:
        key = normalise_header(column)
        return self.columns.get(key) or synonyms().get(key)

    def matches(self, header: list[str]) -> bool:
        present = {normalise_header(column) for column in header}
        return all(column in present for column in self.signature)


LAYOUTS: list[Layout] = [
    Layout(
        "kuntaliitto_2021",
        _("Kuntaliitto 2021 guide"),
        ("kuntanumero", "tositenumero", "toimittajan y-tunnus", "kirjanpidon tilinumero"),
        {
            "kuntanumero": "buyer_municipality_code",
            "kunnan nimi": "buyer_name",
            "kunnan y-tunnus": "buyer_business_id",
            "toimittajan maakoodi": "supplier_country",
            "kirjanpidon tilinumero": "account_number",
            "palveluluokka": "service_class_code",
            "palveluluokan nimi": "service_class_name",
            "laskun summa ilman alv": "amount",
            "kokonaissumma euroina": "amount",
            "alv määrä euroina": "vat_amount",
        },
    ),
    Layout(
        "six_cities_2015",
        _("Six-cities guide 2015"),
        ("kuntakoodi", "ostajan y-tunnus", "summa alv0 euroina"),
        {
            "kuntakoodi": "buyer_municipality_code",
            "ostajan nimi": "buyer_name",
            "ostajan y-tunnus": "buyer_business_id",
            "tulosyksikön id": "result_unit_code",
            "tulosyksikön nimi": "result_unit_name",
            "kustannuspaikan id": "cost_centre_code",
            "kustannuspaikan nimi": "cost_centre_name",
            "tiliryhmän numero": "account_group_number",
            "tiliryhmän nimi": "account_group_name",
            "summa alv0 euroina": "amount",
            "summa alv euroina": "amount_with_vat",
        },
    ),
    Layout(
        "state_open_data",
        _("State's open purchase-invoice data"),
        ("kirjanpitoyksikkö", "tiliöintisumma"),
        {
            "kirjanpitoyksikkö": "accounting_unit",
            "kirjanpitoyksikön nimi": "accounting_unit",
            "hallinnonala": "administrative_branch",
            "toimittaja": "supplier_name",
            "toimittajan nimi": "supplier_name",
            "toimittajan y-tunnus": "supplier_business_id",
            "tili": "account_number",
            "tilin nimi": "account_name",
            "hankintakategoria": "procurement_category",
            "tiliöintisumma": "amount",
            "tositepäivämäärä": "voucher_date",
            "tositenumero": "voucher_number",
        },
    ),
    Layout(
        "oulu",
        _("Oulu's layout"),
        ("kuntanro", "tosite numero", "tili"),
        {
            "kuntanro": "buyer_municipality_code",
            "tosite numero": "voucher_number",
            "tili": "account_number",
            "tilin nimi": "account_name",
        },
    ),
    Layout(
        "kaarina",
        _("Kaarina's layout"),
        ("tapaht.pvm", "laskun summa ilman alv"),
        {"tapaht.pvm": "voucher_date", "laskun summa ilman alv": "amount"},
    ),
    Layout(
        "paimio",
        _("Paimio's open data"),
        ("tositekuukausi", "summa (alv 0 %)"),
        {
            "tositekuukausi": "voucher_date",
            "tilinumero": "account_number",
            "toimielin": "board_name",
            "tulosalue": "result_unit_name",
            "summa (alv 0 %)": "amount",
        },
    ),
]

GENERIC = Layout("generic", _("Recognised by column names"), ())


def recognise_layout(header: list[str]) -> Layout:
    """The most specific layout whose signature the header has, else the generic one."""
    matching = [layout for layout in LAYOUTS if layout.matches(header)]
    return max(matching, key=lambda layout: len(layout.signature), default=GENERIC)


def propose_mapping(header: list[str], layout: Layout) -> list[str | None]:
    """For each column, the canonical field it holds, or None to keep it as an extra column.

    A field is given to its first column only; a later column with the same meaning is kept
    as an extra column, so no data is silently overwritten.
    """
    fields = [layout.field_for(column) for column in header]
    explicit_amount = any(
        field == "amount" and normalise_header(column) not in TOTAL_AMOUNT_COLUMNS
        for column, field in zip(header, fields, strict=True)
    )
    taken: set[str] = set()
    mapping: list[str | None] = []
    for column, field_name in zip(header, fields, strict=True):
        if explicit_amount and normalise_header(column) in TOTAL_AMOUNT_COLUMNS:
            # A column named plainly "total" beside an explicit VAT-free amount holds the total
            # with VAT: the VAT-free column is the amount.
            field_name = "amount_with_vat"
        if field_name in FIELDS and field_name not in taken:
            taken.add(field_name)
            mapping.append(field_name)
        else:
            mapping.append(None)
    return mapping


def mapping_notes(header: list[str], mapping: list[str | None]) -> list[tuple[str, dict]]:
    """Warnings about a proposed mapping that the person importing should check."""
    return [
        ("amount_from_total", {"column": column})
        for column, field in zip(header, mapping, strict=True)
        if field == "amount" and normalise_header(column) in TOTAL_AMOUNT_COLUMNS
    ]


def header_score(cells: list[str]) -> int:
    """How many cells of a row are known column names: used to find the header row."""
    return sum(1 for cell in cells if cell and (GENERIC.field_for(cell) or _in_any_layout(cell)))


def _in_any_layout(cell: str) -> bool:
    key = normalise_header(cell)
    return any(key in layout.columns for layout in LAYOUTS)
