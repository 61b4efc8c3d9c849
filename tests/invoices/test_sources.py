"""Recognising a file (format, encoding, delimiter, sheet, header row) and reading its rows
with the spreadsheet's row numbers; and refusing files that cannot be imported."""

import datetime as dt
import random
import zipfile

import pytest

from keino.invoices.importers.sources import (
    SNIFF_BYTES,
    IrregularRows,
    SheetChoiceNeeded,
    UnusableFile,
    detect_delimiter,
    read_batches,
    sniff,
)
from tests.invoices.fixtures import FIXTURES, Text, csv_text, write, write_workbook

HEADER = ["Tositepäivämäärä", "Toimittajan nimi", "Toimittajan Y-tunnus", "Summa"]
ROWS = [
    HEADER,
    ["02.01.2024", "Kivijalka Rakennus Oy", "1234567-1", "1 250,00"],
    ["15.01.2024", "Pohjolan Paperi Oy", "2345678-0", "89,90"],
    ["31.01.2024", "Lumivaara Siivous Oy", "0123456-2", "-45,50"],
]


def batches_of(path, info, *, exact):
    """Every row the reader yields, as (row number, cells), and the blank rows it skipped."""
    rows, blank = [], 0
    for batch in read_batches(path, info, exact=exact):
        blank += batch.blank_rows
        cells = list(zip(*[column.to_pylist() for column in batch.columns], strict=True))
        rows.extend(zip(batch.numbers().to_pylist(), cells, strict=True))
    return rows, blank


# Encodings and delimiters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom", "detected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16", b"", "utf-16"),  # Python writes a byte-order mark
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
        ("cp1252", b"", "cp1252"),
    ],
)
def test_encodings(tmp_path, encoding, bom, detected):
    path = tmp_path / "ostolaskut.csv"
    path.write_bytes(
        bom + csv_text([*ROWS, ["1.2.2024", "Ääniaalto Oy", "", "5 €"]]).encode(encoding)
    )
    info = sniff(path)
    assert info.encoding == detected
    assert info.header == HEADER  # no byte-order mark left in the first name
    assert info.sample_rows[3] == ["1.2.2024", "Ääniaalto Oy", "", "5 €"]
    rows, _blank = batches_of(path, info, exact=False)
    assert rows == batches_of(path, info, exact=True)[0]
    assert rows[3] == (5, ("1.2.2024", "Ääniaalto Oy", "", "5 €"))


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters(tmp_path, delimiter):
    # In a comma-separated file the decimal commas are inside quotes.
    path = write(tmp_path / "ostolaskut.csv", csv_text(ROWS, delimiter=delimiter))
    info = sniff(path)
    assert info.delimiter == delimiter
    assert info.header == HEADER
    assert info.sample_rows[0][3] == "1 250,00"


def test_detect_delimiter_prefers_the_consistent_split():
    text = "Raportti, tammikuu\nPäivä;Toimittaja;Summa\n1.1.2024;Aa Oy, Tampere;1,00\n"
    assert detect_delimiter(text) == ";"


# The header row and row numbers ----------------------------------------------------------------

TITLED = [
    ["Ostolaskut 1.1.–31.3.2024"],
    ["Esimerkkilän kunta"],
    [],
    ["Tulostettu 2.4.2024"],
    [],
    ["", "", "", ""],
    HEADER,  # row 7
    ["02.01.2024", "Kivijalka Rakennus Oy", "1234567-1", "1 250,00"],
    ["15.01.2024", "Pohjolan Paperi; Oy", "2345678-0", "89,90"],
    [],  # row 10: a blank line in the middle
    ["31.01.2024", "Lumivaara\nSiivous Oy", "0123456-2", "-45,50"],  # a quoted line break
    ["05.02.2024", "Revontuli IT Oy", "2222222-9", "123,45-"],  # row 12
]
TITLED_ROWS = [
    (8, ("02.01.2024", "Kivijalka Rakennus Oy", "1234567-1", "1 250,00")),
    (9, ("15.01.2024", "Pohjolan Paperi; Oy", "2345678-0", "89,90")),
    (11, ("31.01.2024", "Lumivaara\nSiivous Oy", "0123456-2", "-45,50")),
    (12, ("05.02.2024", "Revontuli IT Oy", "2222222-9", "123,45-")),
]


@pytest.mark.parametrize(
    "newlines", [("\n",), ("\r\n",), ("\r\n", "\n"), ("\n", "\n", "\r\n"), ("\r",)]
)
@pytest.mark.parametrize("exact", [False, True])
def test_header_on_row_7_and_spreadsheet_row_numbers(tmp_path, newlines, exact):
    path = write(tmp_path / "raportti.csv", csv_text(TITLED, newlines=newlines))
    info = sniff(path)
    assert info.header_row == 7
    assert info.header == HEADER
    assert info.estimated_rows == 4
    assert batches_of(path, info, exact=exact) == (TITLED_ROWS, 1)


@pytest.mark.parametrize("exact", [False, True])
def test_a_quoted_line_break_above_the_header(tmp_path, exact):
    # The title takes two lines of the file but one row of the spreadsheet, so the header is
    # on row 6 while it is the 7th line: the fast reader must skip 7 lines, not 6.
    rows = [["Ostolaskut\n1.1.–31.3.2024"], *TITLED[1:]]
    path = write(tmp_path / "raportti.csv", csv_text(rows, newlines=("\r\n",)))
    info = sniff(path)
    assert info.header_row == 7
    assert batches_of(path, info, exact=exact) == (TITLED_ROWS, 1)


def test_too_many_cells_send_the_fast_reader_to_the_exact_one(tmp_path):
    rows = [*ROWS, ["1.2.2024", "Aa Oy", "", "5,00", "ylimääräinen"], ["2.2.2024", "Bb Oy"]]
    path = write(tmp_path / "x.csv", csv_text(rows))
    info = sniff(path)
    with pytest.raises(IrregularRows):
        batches_of(path, info, exact=False)
    [batch] = read_batches(path, info, exact=True)
    assert batch.numbers().to_pylist() == [2, 3, 4, 5, 6]
    assert batch.overflow.to_pylist() == [False, False, False, True, False]
    # The surplus stays in the last column so that the rejected row keeps all its text;
    # a short row is padded with empty cells.
    assert batch.columns[3].to_pylist()[3:] == ["5,00;ylimääräinen", ""]


def test_estimated_rows_of_a_file_longer_than_the_sample(tmp_path):
    rows = [HEADER] + [
        ["02.01.2024", f"Toimittaja {n:05d} Oy", "1234567-1", f"{n % 1000:03d},{n % 100:02d}"]
        for n in range(30_000)
    ]
    path = write(tmp_path / "iso.csv", csv_text(rows))
    assert path.stat().st_size > 3 * SNIFF_BYTES
    info = sniff(path)
    assert abs(info.estimated_rows - 30_000) <= 30
    assert len(info.sample_rows) == 10


def test_the_sample_rows_skip_blank_lines(tmp_path):
    path = write(tmp_path / "x.csv", csv_text([ROWS[0], [], ROWS[1], ["", "", "", ""], ROWS[2]]))
    assert sniff(path).sample_rows == [ROWS[1], ROWS[2]]


# Files that cannot be imported -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"\n\r\n   \n", b"\xef\xbb\xbf", b"\xff\xfe", "\r\n \r\n".encode("utf-16")],
)
def test_empty_files(tmp_path, content):
    path = tmp_path / "tyhja.csv"
    path.write_bytes(content)
    with pytest.raises(UnusableFile, match=r"^The file is empty\.$"):
        sniff(path)


def test_binary_garbage(tmp_path):
    path = tmp_path / "ostolaskut.csv"
    path.write_bytes(random.Random(20240101).randbytes(5000))
    with pytest.raises(UnusableFile) as raised:
        sniff(path)
    assert str(raised.value) == (
        "The file is neither a CSV text file nor an Excel workbook (it looks like binary data)."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tositepäivämäärä;Toimittajan nimi;Summa\n",
        "Tositepäivämäärä;Toimittajan nimi;Summa",  # without a final line break
        "Tositepäivämäärä;Toimittajan nimi;Summa\n\n;;\n\n",  # only blank rows below it
    ],
)
def test_a_header_without_rows(tmp_path, text):
    path = write(tmp_path / "otsikko.csv", text)
    with pytest.raises(UnusableFile) as raised:
        sniff(path)
    assert str(raised.value) == (
        "The file has no rows below its header row (row 1): there are no invoice lines to import."
    )


def test_no_header_row(tmp_path):
    path = write(tmp_path / "muistio.csv", "Muistiinpanoja\nvain yksi sarake\n")
    with pytest.raises(UnusableFile, match="No header row with column names"):
        sniff(path)


def test_a_csv_with_a_workbook_name_is_read_as_csv_with_a_warning(tmp_path):
    path = write(tmp_path / "upload", csv_text(ROWS))
    info = sniff(path, filename="ostolaskut.XLSX")
    assert info.kind == "csv"
    assert info.warnings == [("file_suffix", {"suffix": ".XLSX", "kind": "CSV"})]
    assert sniff(path, filename="ostolaskut.txt").warnings == []


# Workbooks -------------------------------------------------------------------------------------

DATA_SHEET = [
    ["Esimerkkilän kunta: ostolaskut 2024"],
    [],
    HEADER + ["Selite"],  # row 3
    [dt.date(2024, 1, 2), "Kivijalka Rakennus Oy", "1234567-1", 1250, "Perustus"],
    [dt.datetime(2024, 1, 15), "Pohjolan Paperi Oy", "2345678-0", 89.9, None],
    [],
    [dt.date(2024, 2, 29), Text("=SUM(A1)"), "0123456-2", -45.5, "@foo"],
]
NOTES_SHEET = [["Aineisto on poimittu ostoreskontrasta."], ["Summat ilman arvonlisäveroa."]]


def test_a_workbook_with_a_data_sheet_and_a_notes_sheet(tmp_path):
    path = write_workbook(tmp_path / "ostolaskut.xlsx", {"Ohje": NOTES_SHEET, "2024": DATA_SHEET})
    info = sniff(path)
    assert (info.kind, info.sheet, info.sheets) == ("spreadsheet", "2024", ["Ohje", "2024"])
    assert info.header_row == 3
    assert info.header == [*HEADER, "Selite"]
    # Cells become the text a CSV export would have: ISO dates, numbers without ".0".
    assert info.sample_rows[0] == [
        "2024-01-02",
        "Kivijalka Rakennus Oy",
        "1234567-1",
        "1250",
        "Perustus",
    ]
    assert info.sample_rows[2] == ["2024-02-29", "=SUM(A1)", "0123456-2", "-45.5", "@foo"]
    assert info.estimated_rows == 4
    rows, blank = batches_of(path, info, exact=False)
    assert [number for number, _cells in rows] == [4, 5, 7]
    assert blank == 1


def test_leading_empty_rows_count_in_the_row_numbers(tmp_path):
    # The used range starts on row 3; python-calamine still yields rows 1 and 2 (as empty).
    sheet = [
        [],
        [],
        HEADER,
        ["02.01.2024", "Aa Oy", "1234567-1", 5],
        [],
        ["03.01.2024", "Bb Oy", "", 6],
    ]
    path = write_workbook(tmp_path / "x.xlsx", {"Data": sheet})
    info = sniff(path)
    assert info.header_row == 3
    rows, blank = batches_of(path, info, exact=False)
    assert rows == [
        (4, ("02.01.2024", "Aa Oy", "1234567-1", "5")),
        (6, ("03.01.2024", "Bb Oy", "", "6")),
    ]
    assert blank == 1


def test_two_data_sheets_need_a_choice(tmp_path):
    path = write_workbook(
        tmp_path / "x.xlsx", {"Ohje": NOTES_SHEET, "2023": DATA_SHEET, "2024": DATA_SHEET}
    )
    with pytest.raises(SheetChoiceNeeded) as raised:
        sniff(path)
    assert raised.value.sheets == ["2023", "2024"]
    assert str(raised.value) == (
        "The workbook has several sheets with invoice data (2023, 2024): choose one."
    )
    assert sniff(path, sheet="2023").sheet == "2023"
    with pytest.raises(UnusableFile) as raised:
        sniff(path, sheet="2025")
    assert str(raised.value) == "The workbook has no sheet 2025; its sheets are Ohje, 2023, 2024."


def test_a_workbook_without_data(tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", {"Sheet1": [], "Sheet2": [[]]})
    with pytest.raises(UnusableFile, match=r"^The workbook has no data\.$"):
        sniff(path)


def test_a_workbook_with_a_header_and_no_rows(tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", {"Data": [["Ostolaskut"], [], HEADER]})
    with pytest.raises(UnusableFile, match=r"no rows below its header row \(row 3\)"):
        sniff(path)


def test_a_workbook_with_a_csv_name(tmp_path):
    path = write_workbook(tmp_path / "ostolaskut.csv", {"Data": DATA_SHEET})
    info = sniff(path)
    assert (info.kind, info.header_row) == ("spreadsheet", 3)
    assert info.warnings == [("file_suffix", {"suffix": ".csv", "kind": "XLSX"})]


def test_a_truncated_workbook(tmp_path):
    whole = write_workbook(tmp_path / "whole.xlsx", {"Data": DATA_SHEET}).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnusableFile) as raised:
        sniff(path)
    assert str(raised.value) == (
        "The workbook is damaged or incomplete (for example cut short while uploading)."
    )


def test_a_zip_archive_that_is_no_workbook(tmp_path):
    path = tmp_path / "ostolaskut.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ostolaskut.csv", csv_text(ROWS))
    with pytest.raises(UnusableFile, match=r"^The file is a zip archive, not an Excel workbook\.$"):
        sniff(path)


def test_a_workbook_that_unpacks_beyond_the_limit(tmp_path, settings):
    settings.KEINO_MAX_SPREADSHEET_UNCOMPRESSED_BYTES = 1_000_000
    rows = [HEADER] + [
        [dt.date(2024, 1, 1 + n % 28), f"Toimittaja {n} Oy", "1234567-1", n] for n in range(12_000)
    ]
    path = write_workbook(tmp_path / "iso.xlsx", {"Data": rows})
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
    assert 1_000_000 < unpacked < path.stat().st_size * 20  # small packed, large unpacked
    with pytest.raises(UnusableFile) as raised:
        sniff(path)
    megabytes = -(-unpacked // 1_000_000)
    assert str(raised.value) == (
        f"The workbook unpacks to {megabytes} MB, more than the limit of 1 MB. "
        "Save it as CSV and import that."
    )
    settings.KEINO_MAX_SPREADSHEET_UNCOMPRESSED_BYTES = 100_000_000
    assert sniff(path).header == HEADER


def test_the_fixture_files_are_plain_utf8_with_one_header_row():
    for path in sorted(FIXTURES.glob("*.[ct]sv")):
        info = sniff(path)
        assert (info.encoding, info.header_row, info.warnings) == ("utf-8", 1, []), path.name
