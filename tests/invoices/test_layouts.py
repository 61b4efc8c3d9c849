"""The layout registry: recognising each published layout, mapping its columns, finding its
header row; and a whole import of one small file per layout, with figures computed by hand."""

import datetime as dt
import shutil
from decimal import Decimal

import pytest

from keino.invoices.importers.canonical import FIELDS
from keino.invoices.importers.layouts import (
    GENERIC,
    LAYOUTS,
    header_score,
    mapping_notes,
    propose_mapping,
    recognise_layout,
    synonyms,
)
from keino.invoices.importers.sources import UnusableFile, find_header
from tests.invoices.fixtures import FIXTURES, import_file, write

D = Decimal


def header_of(name: str, delimiter: str = ";") -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()[0].split(delimiter)


# The registry ---------------------------------------------------------------------------------


def test_every_mapped_column_names_a_canonical_field():
    for layout in LAYOUTS:
        assert set(layout.columns.values()) <= set(FIELDS), layout.code
        assert set(layout.signature) <= set(layout.columns) | set(synonyms()), layout.code
    assert set(synonyms().values()) <= set(FIELDS)


def test_layout_codes_are_unique():
    codes = [layout.code for layout in LAYOUTS]
    assert len(codes) == len(set(codes))
    assert GENERIC.code not in codes


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (header_of("kuntaliitto_2021.csv"), "kuntaliitto_2021"),
        (header_of("six_cities_2015.csv"), "six_cities_2015"),
        (header_of("state_open_data.tsv", "\t"), "state_open_data"),
        (header_of("oulu.csv", ","), "oulu"),
        (header_of("paimio_like.csv", ","), "paimio"),
        (["Kunta", "Tapaht.pvm", "Toimittajan nimi", "Laskun summa ilman ALV"], "kaarina"),
        (["Päivä", "Toimittajan nimi", "Summa"], "generic"),
    ],
)
def test_recognise_layout(header, code):
    assert recognise_layout(header).code == code


def test_header_matching_ignores_case_bom_spacing_and_no_break_spaces():
    header = ["\ufeffKUNTANRO", " Tosite  numero ", "Tili", "Summa\u00a0(alv 0 %)"]
    assert recognise_layout(header).code == "oulu"
    assert propose_mapping(header, recognise_layout(header)) == [
        "buyer_municipality_code",
        "voucher_number",
        "account_number",
        "amount",
    ]


def test_the_most_specific_layout_wins():
    # Kaarina's two signature columns are also in this file, but the Kuntaliitto signature
    # (four columns) is the more specific match.
    header = [
        "Kuntanumero",
        "Tositenumero",
        "Toimittajan Y-tunnus",
        "Kirjanpidon tilinumero",
        "Tapaht.pvm",
        "Laskun summa ilman ALV",
    ]
    assert recognise_layout(header).code == "kuntaliitto_2021"


def test_a_second_column_with_the_same_meaning_is_kept_as_an_extra_column():
    header = ["Tositepäivämäärä", "Summa", "Laskun summa ilman ALV", "Toimittaja"]
    assert propose_mapping(header, GENERIC) == ["voucher_date", "amount", None, "supplier_name"]


# Finding the header row -----------------------------------------------------------------------


def test_header_score_counts_known_column_names_only():
    assert header_score(["Tositepäivämäärä", "Summa", "Toimittajan nimi", "Oma sarake"]) == 3
    assert header_score(["Kirjanpitoyksikön nimi", "", "  "]) == 1  # a layout-only column
    assert header_score(["Ostolaskut 2024", "", ""]) == 0
    assert header_score([]) == 0


def test_find_header_skips_a_title_and_blank_rows():
    records = [
        ["Ostolaskut 2024 (Summa ja tositepäivämäärä)"],
        [],
        ["", ""],
        ["Tulostettu", "2.4.2024"],
        ["Tositepäivämäärä", "Toimittajan nimi", "Summa"],
        ["02.01.2024", "Kivijalka Rakennus Oy", "100,00"],
    ]
    assert find_header(records) == 4


def test_find_header_falls_back_to_the_first_row_with_two_cells():
    # No row has two known names: the first row with two filled cells is taken.
    records = [["Raportti"], [], ["Päivä", "Kuvaus", "Euroa"], ["1.1.2024", "x", "5"]]
    assert find_header(records) == 2


def test_find_header_without_any_candidate():
    with pytest.raises(UnusableFile, match="No header row"):
        find_header([["Raportti"], [], ["vain yksi solu"]])


# One import per layout --------------------------------------------------------------------------


def test_kuntaliitto_2021(tmp_path):
    result = import_file(FIXTURES / "kuntaliitto_2021.csv", tmp_path / "out")
    assert result.layout.code == "kuntaliitto_2021"
    assert (result.info.encoding, result.info.delimiter, result.info.header_row) == (
        "utf-8",
        ";",
        1,
    )
    assert result.field_of() == {
        "Kuntanumero": "buyer_municipality_code",
        "Kunnan nimi": "buyer_name",
        "Kunnan Y-tunnus": "buyer_business_id",
        "Tositenumero": "voucher_number",
        "Tositepäivämäärä": "voucher_date",
        "Toimittajan nimi": "supplier_name",
        "Toimittajan Y-tunnus": "supplier_business_id",
        "Toimittajan maakoodi": "supplier_country",
        "Kirjanpidon tilinumero": "account_number",
        "Tilin nimi": "account_name",
        "Palveluluokka": "service_class_code",
        "Palveluluokan nimi": "service_class_name",
        "Laskun summa ilman ALV": "amount",
        "Hankinnan kuvaus": None,
    }
    outcome = result.outcome
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (10, 10, 0)
    assert outcome.sum_accepted == D("26122.43")
    assert outcome.by_year == {"2024": {"rows": 10, "sum": "26122.43"}}
    assert outcome.decimal_comma is True
    assert outcome.date_formats[0] == "dmy"
    assert outcome.warnings == []
    assert result.column("row_number") == list(range(2, 12))
    assert result.column("amount") == [
        D("1250.00"),
        D("89.90"),
        D("3400.50"),
        D("12000.00"),
        D("456.78"),
        D("-89.90"),
        D("720.00"),
        D("2315.15"),
        D("980.00"),
        D("5000.00"),
    ]
    assert result.column("voucher_date")[:5] == [
        dt.date(2024, 1, 2),
        dt.date(2024, 1, 15),
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 5),
        dt.date(2024, 2, 29),
    ]
    assert set(result.column("voucher_date_precision")) == {"day"}
    assert result.column("account_name")[1] == "Aineet, tarvikkeet ja tavarat"
    assert set(result.column("buyer_business_id")) == {"0101010-4"}
    assert all(result.column("supplier_business_id_valid"))
    assert result.column("extra:Hankinnan kuvaus")[:3] == [
        "Rakennuttajakonsultointi",
        "Kopiopaperi",
        "Koulujen siivous",
    ]
    assert result.rejected.num_rows == 0
    assert result.problems.num_rows == 0


def test_six_cities_2015(tmp_path):
    result = import_file(FIXTURES / "six_cities_2015.csv", tmp_path / "out")
    assert result.layout.code == "six_cities_2015"
    assert result.field_of() == {
        "Kuntakoodi": "buyer_municipality_code",
        "Ostajan nimi": "buyer_name",
        "Ostajan Y-tunnus": "buyer_business_id",
        "Tulosyksikön ID": "result_unit_code",
        "Tulosyksikön nimi": "result_unit_name",
        "Kustannuspaikan ID": "cost_centre_code",
        "Kustannuspaikan nimi": "cost_centre_name",
        "Tiliryhmän numero": "account_group_number",
        "Tiliryhmän nimi": "account_group_name",
        "Toimittajan Y-tunnus": "supplier_business_id",
        "Toimittajan nimi": "supplier_name",
        "Tositenumero": "voucher_number",
        "Tositepäivämäärä": "voucher_date",
        "Summa ALV0 euroina": "amount",
        "Summa ALV euroina": "amount_with_vat",
        "Maksuehto": None,
    }
    outcome = result.outcome
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (6, 6, 0)
    # Dots group thousands: 1.234,56 is 1234.56.
    assert result.column("amount") == [
        D("1234.56"),
        D("10000.00"),
        D("845.10"),
        D("23456.78"),
        D("-1000.00"),
        D("99.99"),
    ]
    assert outcome.sum_accepted == D("34636.43")
    assert sum(result.column("amount_with_vat")) == D("42949.17")
    assert outcome.by_year == {"2015": {"rows": 6, "sum": "34636.43"}}
    # d.m.yyyy without leading zeros
    assert result.column("voucher_date") == [
        dt.date(2015, 1, 7),
        dt.date(2015, 1, 20),
        dt.date(2015, 2, 3),
        dt.date(2015, 2, 28),
        dt.date(2015, 3, 16),
        dt.date(2015, 3, 31),
    ]
    assert result.column("cost_centre_name")[2] == "Päiväkodit"
    assert result.column("result_unit_code")[3] == "T300"
    # Unknown columns are kept exactly, empty cells as empty strings.
    assert result.column("extra:Maksuehto") == [
        "14 pv netto",
        "30 pv netto",
        "14 pv netto",
        "21 pv netto",
        "",
        "14 pv netto",
    ]


def test_state_open_data(tmp_path):
    result = import_file(FIXTURES / "state_open_data.tsv", tmp_path / "out")
    assert result.layout.code == "state_open_data"
    assert result.info.delimiter == "\t"
    assert result.field_of() == {
        "Hallinnonala": "administrative_branch",
        "Kirjanpitoyksikkö": "accounting_unit",
        "Toimittaja": "supplier_name",
        "Toimittajan Y-tunnus": "supplier_business_id",
        "Tili": "account_number",
        "Tilin nimi": "account_name",
        "Hankintakategoria": "procurement_category",
        "Tositepäivämäärä": "voucher_date",
        "Tiliöintisumma": "amount",
        "Tositenumero": "voucher_number",
        "Hankinnan tunniste": None,
    }
    outcome = result.outcome
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (7, 7, 0)
    assert outcome.decimal_comma is False
    assert outcome.date_formats[0] == "iso"
    assert outcome.sum_accepted == D("24450.24")
    assert outcome.by_year == {
        "2023": {"rows": 6, "sum": "23750.24"},
        "2024": {"rows": 1, "sum": "700.00"},
    }
    assert result.column("amount")[2] == D("-150.25")
    assert result.column("amount")[6] == D("1234.50")
    assert result.column("voucher_date")[4] == dt.date(2023, 12, 29)
    # A foreign VAT number is kept as written and not flagged.
    assert result.column("supplier_business_id")[1] == "SE556709197901"
    assert result.column("supplier_business_id_valid")[1] is None
    assert "business_id_invalid" not in outcome.problem_counts
    assert outcome.warnings == []
    assert result.column("procurement_category")[1] == "Kiinteistöjen ylläpito"
    assert result.column("extra:Hankinnan tunniste") == [f"H-{n}" for n in range(1, 8)]


def test_oulu(tmp_path):
    result = import_file(FIXTURES / "oulu.csv", tmp_path / "out")
    assert result.layout.code == "oulu"
    assert result.info.delimiter == ","
    assert result.field_of() == {
        "Kuntanro": "buyer_municipality_code",
        "Kunta": "buyer_name",
        "Tosite numero": "voucher_number",
        "Tositepäivämäärä": "voucher_date",
        "Toimittajan nimi": "supplier_name",
        "Toimittajan y-tunnus": "supplier_business_id",
        "TILI": "account_number",
        "TILIN NIMI": "account_name",
        "Palvelun numero": "service_class_code",
        "Palvelun nimi": "service_class_name",
        "Summa": "amount",
        "Kustannuspaikka": "cost_centre_code",
    }
    outcome = result.outcome
    assert outcome.date_formats == ["yymmdd"]
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (8, 8, 0)
    # YYMMDD: 240229 is the leap day of 2024, 250102 is in the next year.
    assert result.column("voucher_date") == [
        dt.date(2024, 1, 5),
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 15),
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 1),
        dt.date(2024, 6, 30),
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 2),
    ]
    # "2,500.00" is quoted in the comma-separated file: a comma groups thousands.
    assert result.column("amount")[1] == D("2500.00")
    assert outcome.sum_accepted == D("17378.91")
    assert outcome.by_year == {
        "2024": {"rows": 7, "sum": "16738.91"},
        "2025": {"rows": 1, "sum": "640.00"},
    }
    assert result.column("account_name")[6] == "Aineet ja tarvikkeet"
    assert not [name for name in result.lines.schema.names if name.startswith("extra:")]


# Kaarina's export: semicolons, Windows line breaks, cp1252 bytes, no-break spaces (\u00a0)
# grouping thousands and a credit written as 2 000,00- (the minus after the number).
KAARINA = (
    "Kunta;Tosite;Tapaht.pvm;Toimittajan nimi;Toimittajan y-tunnus;Tili;Tilin nimi;"
    "Laskun summa ilman ALV;Kustannuspaikan nimi;Lisätieto\r\n"
    "Kaarina;5001;03.01.2022;Sähkö-Öljy Kärki Oy;4545454-0;4530;Lämmitys;"
    "1\u00a0234,56;Kirjasto;\r\n"
    "Kaarina;5002;17.01.2022;Ääniaalto Oy;2323232-2;4340;Asiantuntijapalvelut;"
    "12 500,00;Kulttuuri;\r\n"
    "Kaarina;5003;28.02.2022;Pohjolan Paperi Oy;2345678-0;4500;Toimistotarvikkeet;"
    "45,90;Hallinto;\r\n"
    "Kaarina;5004;01.03.2022;Kivijalka Rakennus Oy;1234567-1;4340;Asiantuntijapalvelut;"
    "2\u00a0000,00-;Hallinto;hyvitys\r\n"
    "Kaarina;5005;30.06.2022;Saaristo Catering Ab;1010101-6;4410;Ruokapalvelut;"
    "3\u00a0456\u00a0789,01;Koulut;\r\n"
    "Kaarina;5006;31.12.2022;Tunturi Kuljetus Oy;2020202-1;4370;Kuljetukset;"
    "99,00 €;Koulut;hinta 99 € / kk\r\n"
)


def test_kaarina_cp1252_with_no_break_space_thousands(tmp_path):
    path = write(tmp_path / "kaarina.csv", KAARINA, encoding="cp1252")
    assert "ä".encode("cp1252") in path.read_bytes()  # really the one-byte encoding
    result = import_file(path, tmp_path / "out")
    assert result.layout.code == "kaarina"
    assert (result.info.encoding, result.info.delimiter) == ("cp1252", ";")
    assert result.field_of() == {
        "Kunta": "buyer_name",
        "Tosite": "voucher_number",
        "Tapaht.pvm": "voucher_date",
        "Toimittajan nimi": "supplier_name",
        "Toimittajan y-tunnus": "supplier_business_id",
        "Tili": "account_number",
        "Tilin nimi": "account_name",
        "Laskun summa ilman ALV": "amount",
        "Kustannuspaikan nimi": "cost_centre_name",
        "Lisätieto": None,
    }
    outcome = result.outcome
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (6, 6, 0)
    assert result.column("amount") == [
        D("1234.56"),
        D("12500.00"),
        D("45.90"),
        D("-2000.00"),  # 2 000,00- : a credit with the minus after the number
        D("3456789.01"),
        D("99.00"),
    ]
    assert outcome.sum_accepted == D("3468668.47")
    assert outcome.by_year == {"2022": {"rows": 6, "sum": "3468668.47"}}
    assert result.column("voucher_date")[3] == dt.date(2022, 3, 1)
    assert result.column("supplier_name")[:2] == ["Sähkö-Öljy Kärki Oy", "Ääniaalto Oy"]
    assert result.column("extra:Lisätieto")[5] == "hinta 99 € / kk"  # 0x80 is € in cp1252


def test_paimio_like_months(tmp_path):
    result = import_file(FIXTURES / "paimio_like.csv", tmp_path / "out")
    assert result.layout.code == "paimio"
    assert result.field_of() == {
        "Tositenumero": "voucher_number",
        "Tositekuukausi": "voucher_date",
        "Toimittajan nimi": "supplier_name",
        "Toimittajan Y-tunnus": "supplier_business_id",
        "Tilinumero": "account_number",
        "Tilin nimi": "account_name",
        "Toimielin": "board_name",
        "Tulosalue": "result_unit_name",
        "Summa (alv 0 %)": "amount",
    }
    outcome = result.outcome
    assert outcome.date_formats[0] == "yyyymm"
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (6, 6, 0)
    assert outcome.sum_accepted == D("2908.30")
    assert outcome.by_year == {
        "2020": {"rows": 1, "sum": "940.00"},
        "2021": {"rows": 4, "sum": "1910.10"},
        "2022": {"rows": 1, "sum": "58.20"},
    }
    assert result.column("voucher_date") == [
        dt.date(2021, 1, 1),
        dt.date(2021, 2, 1),
        dt.date(2021, 2, 1),
        dt.date(2021, 12, 1),
        dt.date(2022, 1, 1),
        dt.date(2020, 12, 1),
    ]
    assert set(result.column("voucher_date_precision")) == {"month"}
    assert result.warning_codes() == ["dates_are_months"]
    # Empty cells of text fields are nulls, and an empty business id is neither valid nor not.
    assert result.column("voucher_number")[2] is None
    assert result.column("supplier_business_id")[2] is None
    assert result.column("supplier_business_id_valid")[2] is None
    assert result.column("board_name")[0] == "Kaupunginhallitus"


def test_a_layout_file_with_an_xlsx_name_imports_with_a_warning(tmp_path):
    path = tmp_path / "ostolaskut.xlsx"
    shutil.copy(FIXTURES / "paimio_like.csv", path)
    result = import_file(path, tmp_path / "out")
    assert result.layout.code == "paimio"
    assert result.outcome.sum_accepted == D("2908.30")
    assert result.outcome.warnings[0] == ("file_suffix", {"suffix": ".xlsx", "kind": "CSV"})


def test_a_total_column_beside_a_vat_free_one_is_the_amount_with_vat():
    header = ["Tositepäivämäärä", "Kokonaissumma euroina", "Laskun summa ilman ALV"]
    mapping = propose_mapping(header, recognise_layout(header))
    assert mapping == ["voucher_date", "amount_with_vat", "amount"]
    assert mapping_notes(header, mapping) == []


def test_a_total_column_alone_is_the_amount_with_a_warning_to_check():
    header = ["Tositepäivämäärä", "Kokonaissumma euroina"]
    mapping = propose_mapping(header, recognise_layout(header))
    assert mapping == ["voucher_date", "amount"]
    assert mapping_notes(header, mapping) == [
        ("amount_from_total", {"column": "Kokonaissumma euroina"})
    ]
