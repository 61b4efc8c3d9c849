"""Whole imports of small files: every row read is accepted or rejected with a located reason,
and the sums reconcile with the input. Figures are computed by hand from the rows below."""

import datetime as dt
import time
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from keino.invoices.importers import sources
from keino.invoices.importers.pipeline import LINES_FILE, import_to_parquet
from keino.invoices.importers.sources import IrregularRows, UnusableFile, sniff
from tests.invoices.fixtures import (
    FIXTURES,
    FOREIGN_VAT_NUMBER,
    INVALID_BUSINESS_ID,
    Text,
    csv_text,
    import_file,
    write,
    write_workbook,
)

D = Decimal
HEADER = ["Tositepäivämäärä", "Toimittajan nimi", "Toimittajan Y-tunnus", "Summa", "Selite"]

# A report as an accounting system prints it: a title and blank lines above the header on
# row 7, a blank line in the middle, a quoted value with a line break and a delimiter, text
# that a spreadsheet would take for a formula, credit notes, and a total row at the end.
REPORT = [
    ["Ostolaskut 1.1.–31.3.2024"],
    ["Esimerkkilän kunta"],
    [],
    ["Tulostettu 2.4.2024"],
    [],
    ["", "", "", "", ""],
    HEADER,
    ["02.01.2024", "Kivijalka Rakennus Oy", "1234567-1", "1 250,00", "Perustus"],
    ["15.01.2024", "Pohjolan Paperi; Oy", "2345678-0", "89,90", "Kaksi\nriviä; yksi solu"],
    [],
    ["31.01.2024", "=SUM(A1)", "0123456-2", "-45,50", "@foo"],
    ["05.02.2024", "@foo", "2222222-9", "123,45-", "+lisä"],
    ["29.02.2024", "-Alennus Oy", "1010101-6", "1.000,00", "-huom"],
    ["Yhteensä", "", "", "2 170,95", ""],
]


def assert_report_imported(result):
    outcome = result.outcome
    assert result.info.header_row == 7
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (6, 5, 1)
    assert outcome.sum_accepted == D("2170.95")  # 1250.00 + 89.90 - 45.50 - 123.45 + 1000.00
    assert outcome.by_year == {"2024": {"rows": 5, "sum": "2170.95"}}
    assert result.column("row_number") == [8, 9, 11, 12, 13]
    assert result.column("amount") == [
        D("1250.00"),
        D("89.90"),
        D("-45.50"),
        D("-123.45"),
        D("1000.00"),
    ]
    # Text is stored as it was written: never evaluated, escaped or trimmed of its first sign.
    assert result.column("supplier_name") == [
        "Kivijalka Rakennus Oy",
        "Pohjolan Paperi; Oy",
        "=SUM(A1)",
        "@foo",
        "-Alennus Oy",
    ]
    assert result.column("extra:Selite") == [
        "Perustus",
        "Kaksi\nriviä; yksi solu",
        "@foo",
        "+lisä",
        "-huom",
    ]
    assert result.problem_list() == [(14, "total_row", None, None)]
    assert result.rejected.to_pylist() == [
        {
            "row_number": 14,
            "Tositepäivämäärä": "Yhteensä",
            "Toimittajan nimi": "",
            "Toimittajan Y-tunnus": "",
            "Summa": "2 170,95",
            "Selite": "",
        }
    ]
    assert outcome.warnings[-2:] == [
        ("total_rows_excluded", {"count": 1, "rows": "14"}),
        ("blank_rows_skipped", {"count": 1}),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("newlines", [("\n",), ("\r\n",), ("\r\n", "\n", "\n")])
def test_a_printed_report(tmp_path, encoding, newlines):
    text = csv_text(REPORT, newlines=newlines)
    path = write(tmp_path / "raportti.csv", text, encoding=encoding)
    result = import_file(path, tmp_path / "out")
    assert_report_imported(result)
    assert result.outcome.read_exactly is False
    assert result.warning_codes() == ["total_rows_excluded", "blank_rows_skipped"]


@pytest.mark.parametrize("delimiter", ["\t", ",", "|"])
def test_a_printed_report_with_other_delimiters(tmp_path, delimiter):
    path = write(tmp_path / "raportti.txt", csv_text(REPORT, delimiter=delimiter))
    result = import_file(path, tmp_path / "out")
    assert result.info.delimiter == delimiter
    assert_report_imported(result)


def test_the_exact_reader_gives_the_same_dataset(tmp_path, monkeypatch):
    path = write(tmp_path / "raportti.csv", csv_text(REPORT, newlines=("\r\n", "\n")))
    fast = import_file(path, tmp_path / "fast")

    def irregular(path, info):
        raise IrregularRows
        yield

    monkeypatch.setattr(sources, "_fast_csv_batches", irregular)
    exact = import_file(path, tmp_path / "exact")
    assert exact.outcome.read_exactly is True
    assert exact.outcome.warnings == [("read_exactly", {}), *fast.outcome.warnings]
    assert_report_imported(exact)
    assert exact.lines.equals(fast.lines)
    assert exact.rejected.equals(fast.rejected)
    assert exact.problems.equals(fast.problems)


def test_undecodable_text_found_by_the_exact_reader_is_a_located_error(tmp_path, monkeypatch):
    # UTF-16 is not validated in advance: a lone surrogate surfaces only while reading.
    text = csv_text([HEADER, ["02.01.2024", "Aa Oy", "", "1,00", ""]]).encode("utf-16")
    path = tmp_path / "x.csv"
    path.write_bytes(text + "03.01.2024;Bb Oy;;2,00;".encode("utf-16-le") + b"\x00\xd8\n\x00")
    info = sniff(path)

    def irregular(path, info):
        raise IrregularRows
        yield

    monkeypatch.setattr(sources, "_fast_csv_batches", irregular)
    (tmp_path / "out").mkdir()
    mapping = ["voucher_date", "supplier_name", "supplier_business_id", "amount", None]
    with pytest.raises(UnusableFile, match=r"^The file's characters cannot be read as utf-16: "):
        import_to_parquet(path, info, mapping, tmp_path / "out")


# Rejected and flagged rows ----------------------------------------------------------------------

PROBLEM_ROWS = [
    HEADER,
    ["02.01.2024", "Kivijalka Rakennus Oy", "1234567-1", "100,00", "kunnossa"],  # 2
    ["03.01.2024", "Pohjolan Paperi Oy", "2345678-0", "", "puuttuva summa"],  # 3
    ["04.01.2024", "Pohjolan Paperi Oy", "2345678-0", "sata euroa", ""],  # 4
    ["", "Lumivaara Siivous Oy", "0123456-2", "50,00", "puuttuva päivä"],  # 5
    ["31.02.2024", "Lumivaara Siivous Oy", "0123456-2", "60,00", ""],  # 6
    ["05.01.2024", "Revontuli IT Oy", INVALID_BUSINESS_ID, "70,00", "väärä tarkiste"],  # 7
    ["06.01.2024", "Svensk Ventil AB", FOREIGN_VAT_NUMBER, "80,00", "ulkomainen"],  # 8
    ["07.01.2024", "Tunturi Kuljetus Oy", "2020202-1", "90,00", "liikaa", "soluja"],  # 9
    ["08.01.2024", "Saaristo Catering Ab", "1010101-6", "10,00"],  # 10: a cell short
    ["09.01.2024", "Järvilinna Energia Oy", "3030303-7", "20,00", "", ""],  # 11: empty surplus
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_rejected_and_flagged_rows_are_located(tmp_path, encoding):
    path = write(tmp_path / "virheet.csv", csv_text(PROBLEM_ROWS), encoding=encoding)
    result = import_file(path, tmp_path / "out")
    outcome = result.outcome
    # Rows with a different number of cells can only be located by the exact reader.
    assert outcome.read_exactly is True
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (10, 5, 5)
    assert outcome.sum_accepted == D("280.00")  # 100 + 70 + 80 + 10 + 20
    assert result.column("row_number") == [2, 7, 8, 10, 11]
    assert result.problem_list() == [
        (3, "amount_missing", "Summa", ""),
        (4, "amount_invalid", "Summa", "sata euroa"),
        (5, "date_missing", "Tositepäivämäärä", ""),
        (6, "date_invalid", "Tositepäivämäärä", "31.02.2024"),
        (7, "business_id_invalid", "Toimittajan Y-tunnus", INVALID_BUSINESS_ID),
        (9, "too_many_cells", "Selite", "liikaa;soluja"),
    ]
    assert result.problems["severity"].to_pylist() == ["reject"] * 4 + ["flag", "reject"]
    assert outcome.problem_counts == {
        "amount_missing": 1,
        "amount_invalid": 1,
        "date_missing": 1,
        "date_invalid": 1,
        "business_id_invalid": 1,
        "too_many_cells": 1,
    }
    assert outcome.warnings == [("read_exactly", {}), ("business_ids_invalid", {"count": 1})]
    # An invalid business id is kept as written and flagged; a foreign VAT number is not.
    assert result.column("supplier_business_id") == [
        "1234567-1",
        INVALID_BUSINESS_ID,
        FOREIGN_VAT_NUMBER,
        "1010101-6",
        "3030303-7",
    ]
    assert result.column("supplier_business_id_valid") == [True, False, None, True, True]
    assert result.column("extra:Selite") == ["kunnossa", "väärä tarkiste", "ulkomainen", "", ""]
    # Rejected rows keep their original cells.
    assert result.rejected["row_number"].to_pylist() == [3, 4, 5, 6, 9]
    assert result.rejected["Summa"].to_pylist() == ["", "sata euroa", "50,00", "60,00", "90,00"]
    assert result.rejected["Selite"].to_pylist()[-1] == "liikaa;soluja"
    # The first problems, for the report, are the same as in problems.parquet.
    assert [
        (p["row_number"], p["code"]) for p in sorted(outcome.problems_sample, key=str)
    ] == sorted([(row, code) for row, code, _c, _v in result.problem_list()], key=str)


def test_total_rows_wherever_their_label_is(tmp_path):
    rows = [
        HEADER,
        ["02.01.2024", "Kivijalka Rakennus Oy", "1234567-1", "10,00", ""],
        ["", "Välisumma", "", "10,00", ""],
        ["03.01.2024", "Total Oy", "2345678-0", "5,00", ""],  # a supplier, with a date
        ["YHTEENSÄ:", "", "", "15,00", ""],
    ]
    result = import_file(write(tmp_path / "x.csv", csv_text(rows)), tmp_path / "out")
    outcome = result.outcome
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (4, 2, 2)
    assert outcome.sum_accepted == D("15.00")
    assert result.problem_list() == [(3, "total_row", None, None), (5, "total_row", None, None)]
    assert outcome.warnings == [("total_rows_excluded", {"count": 2, "rows": "3, 5"})]


# Values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "expected", "warnings"),
    [
        (["02.01.2024", "31.12.2024"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], []),
        (["2.1.2024", "31.12.2024"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], []),
        (["2024-01-02", "2024-12-31"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], []),
        (["240102", "241231"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], []),
        (["45293", "45657"], [dt.date(2024, 1, 2), dt.date(2024, 12, 31)], []),  # Excel serials
        (["202401", "202412"], [dt.date(2024, 1, 1), dt.date(2024, 12, 1)], ["dates_are_months"]),
    ],
)
def test_date_formats(tmp_path, dates, expected, warnings):
    rows = [HEADER] + [[d, "Kivijalka Rakennus Oy", "1234567-1", "10,00", ""] for d in dates]
    result = import_file(write(tmp_path / "x.csv", csv_text(rows)), tmp_path / "out")
    assert result.column("voucher_date") == expected
    assert result.outcome.rows_rejected == 0
    assert result.warning_codes() == warnings


def test_thousands_separators(tmp_path):
    amounts = ["1 234,56", "1\u00a0234,56", "1\u202f234,56", "1.234,56", "1'234,56"]
    rows = [HEADER] + [["02.01.2024", "Aa Oy", "1234567-1", a, ""] for a in amounts]
    result = import_file(write(tmp_path / "x.csv", csv_text(rows)), tmp_path / "out")
    assert result.column("amount") == [D("1234.56")] * 5
    assert result.outcome.sum_accepted == D("6172.80")


def test_decimal_points_with_comma_thousands(tmp_path):
    rows = [HEADER] + [
        ["02.01.2024", "Aa Oy", "1234567-1", a, ""] for a in ["1,234.56", "2,000.00", "-0.56"]
    ]
    result = import_file(write(tmp_path / "x.csv", csv_text(rows)), tmp_path / "out")
    assert result.outcome.decimal_comma is False
    assert result.outcome.sum_accepted == D("3234.00")


def test_amounts_with_more_than_two_decimals_are_rounded_with_a_warning(tmp_path):
    rows = [HEADER] + [
        ["02.01.2024", "Aa Oy", "1234567-1", a, ""] for a in ["0,125", "-0,125", "1,10", "2,004"]
    ]
    result = import_file(write(tmp_path / "x.csv", csv_text(rows)), tmp_path / "out")
    assert result.column("amount") == [D("0.13"), D("-0.13"), D("1.10"), D("2.00")]
    assert result.outcome.warnings == [("amounts_rounded", {"count": 3})]


# Files the pipeline refuses ------------------------------------------------------------------


def test_a_file_without_rows_is_refused_even_after_sniffing(tmp_path):
    path = write(tmp_path / "x.csv", csv_text([HEADER, ["02.01.2024", "Aa Oy", "", "1,00", ""]]))
    info = sniff(path)
    write(path, csv_text([HEADER, [], ["", "", "", "", ""]]))  # the file changed since
    mapping = ["voucher_date", "supplier_name", "supplier_business_id", "amount", None]
    (tmp_path / "out").mkdir()
    with pytest.raises(UnusableFile) as raised:
        import_to_parquet(path, info, mapping, tmp_path / "out")
    assert str(raised.value) == (
        "The file has no rows below its header row (row 1): there are no invoice lines to import."
    )


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            [None, "supplier_name", None, None, None],
            "No column is mapped to Amount without VAT (EUR), Voucher date; "
            "these are needed to import invoice lines.",
        ),
        (
            ["voucher_date", "supplier_name", None, "amount", "amount"],
            "Several columns are mapped to Amount without VAT (EUR); "
            "map each field to one column only.",
        ),
    ],
)
def test_a_mapping_without_the_required_fields(tmp_path, mapping, message):
    path = write(tmp_path / "x.csv", csv_text([HEADER, ["02.01.2024", "Aa Oy", "", "1,00", ""]]))
    with pytest.raises(UnusableFile) as raised:
        import_to_parquet(path, sniff(path), mapping, tmp_path)
    assert str(raised.value) == message
    assert not (tmp_path / LINES_FILE).exists()


# Workbooks -------------------------------------------------------------------------------------

WORKBOOK = {
    "Ohje": [["Summat ilman arvonlisäveroa."]],
    "Ostolaskut 2024": [
        ["Esimerkkilän kunta: ostolaskut 2024"],
        [],
        HEADER,  # row 3
        [dt.date(2024, 1, 2), "Kivijalka Rakennus Oy", "1234567-1", 1250, "Perustus"],
        [dt.datetime(2024, 1, 15), "Pohjolan Paperi Oy", "2345678-0", 89.9, None],
        [],
        [dt.date(2024, 2, 29), Text("=SUM(A1)"), "0123456-2", -45.5, Text("@foo")],
        [dt.date(2024, 3, 1), "Revontuli IT Oy", "2222222-9", 12.345, "-huom"],
        ["Yhteensä", None, None, 1306.75, None],
    ],
}


@pytest.mark.parametrize("name", ["ostolaskut.xlsx", "ostolaskut.csv"])
def test_a_workbook(tmp_path, name):
    path = write_workbook(tmp_path / name, WORKBOOK)
    result = import_file(path, tmp_path / "out")
    outcome = result.outcome
    assert (result.info.sheet, result.info.header_row) == ("Ostolaskut 2024", 3)
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (5, 4, 1)
    assert result.column("row_number") == [4, 5, 7, 8]
    assert result.column("voucher_date") == [
        dt.date(2024, 1, 2),
        dt.date(2024, 1, 15),
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 1),
    ]
    assert result.column("amount") == [D("1250.00"), D("89.90"), D("-45.50"), D("12.35")]
    assert outcome.sum_accepted == D("1306.75")
    assert result.column("supplier_name")[2] == "=SUM(A1)"
    assert result.column("extra:Selite") == ["Perustus", "", "@foo", "-huom"]
    assert result.problem_list() == [(9, "total_row", None, None)]
    expected_warnings = [
        ("total_rows_excluded", {"count": 1, "rows": "9"}),
        ("blank_rows_skipped", {"count": 1}),
        ("amounts_rounded", {"count": 1}),
    ]
    if name.endswith(".csv"):
        expected_warnings.insert(0, ("file_suffix", {"suffix": ".csv", "kind": "XLSX"}))
    assert outcome.warnings == expected_warnings


def test_the_chosen_sheet_of_a_workbook(tmp_path):
    sheets = {
        "2023": [HEADER, [dt.date(2023, 5, 1), "Aa Oy", "1234567-1", 100, ""]],
        "2024": [HEADER, [dt.date(2024, 5, 1), "Bb Oy", "2345678-0", 200, ""]],
    }
    path = write_workbook(tmp_path / "x.xlsx", sheets)
    result = import_file(path, tmp_path / "out", sheet="2024")
    assert result.column("supplier_name") == ["Bb Oy"]
    assert result.outcome.sum_accepted == D("200.00")


# Progress and size -------------------------------------------------------------------------------


def test_progress_reports_rows_read_and_the_estimate(tmp_path):
    calls = []
    result = import_file(
        FIXTURES / "kuntaliitto_2021.csv", tmp_path / "out", progress=lambda *a: calls.append(a)
    )
    assert calls == [(10, 10)]
    assert result.outcome.rows_read == 10


BIG_ROWS_PER_BLOCK = 10_000


def big_block() -> tuple[bytes, Decimal]:
    """10 000 rows of about 70 bytes, and the exact sum of their amounts."""
    lines, total = [], Decimal(0)
    for n in range(BIG_ROWS_PER_BLOCK):
        cents = (n * 7919) % 1_000_000 - 100_000  # some credit notes among them
        amount = Decimal(cents) / 100
        total += amount
        text = f"{abs(amount):,.2f}".replace(",", " ").replace(".", ",")
        text = "-" + text if amount < 0 else text
        lines.append(
            f"{n};{1 + n % 28:02d}.{1 + n % 12:02d}.2024;Toimittaja {n % 500:03d} Oy;"
            f"1234567-1;{text}\n"
        )
    return "".join(lines).encode(), total


def test_a_200_mb_file_streams_in_bounded_memory(tmp_path):
    block, block_sum = big_block()
    blocks = -(-200 * 2**20 // len(block))
    path = tmp_path / "iso.csv"
    with path.open("wb") as file:
        file.write("Tositenumero;Tositepäivämäärä;Toimittajan nimi;Toimittajan Y-tunnus;".encode())
        file.write(b"Summa\n")
        for _ in range(blocks):
            file.write(block)
    assert path.stat().st_size >= 200 * 2**20
    rows = blocks * BIG_ROWS_PER_BLOCK

    peak = 0

    def progress(done, total):
        nonlocal peak
        peak = max(peak, pa.total_allocated_bytes())

    started = time.monotonic()
    result = import_to_parquet(
        path,
        sniff(path),
        ["voucher_number", "voucher_date", "supplier_name", "supplier_business_id", "amount"],
        tmp_path,
        progress=progress,
    )
    elapsed = time.monotonic() - started
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (rows, rows, 0)
    assert result.sum_accepted == blocks * block_sum
    assert result.by_year == {"2024": {"rows": rows, "sum": f"{blocks * block_sum:.2f}"}}
    assert pq.ParquetFile(tmp_path / LINES_FILE).metadata.num_rows == rows
    # Arrow memory held between batches is bounded by the reader's read-ahead (32 blocks of
    # 1 MB), not by the file's size.
    assert 0 < peak < 100 * 2**20, f"{peak / 2**20:.0f} MB after {elapsed:.0f} s"
