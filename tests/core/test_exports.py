import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from keino.core import exports
from keino.core.exports import (
    XLSX_CONTENT_TYPE,
    ExportTooLargeError,
    csv_response,
    export_response,
    safe_sheet_title,
    xlsx_response,
)

HEADER = ["Supplier", "Note", "Amount", "Date", "Business ID", "Paid"]
ROWS = [
    ["=SUM(A1)", "-12,50", Decimal("1234.50"), datetime.date(2024, 3, 5), "0136169-2", True],
    ['@HYPERLINK("x")', None, 7, None, "00123", False],
]


def content(response) -> bytes:
    """Read and close a response, as the server would, without touching the database.

    Closing sends request_finished, whose connection clean-up Django's test client also
    switches off; closing is what releases the XLSX temporary file.
    """
    request_finished.disconnect(close_old_connections)
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()
        request_finished.connect(close_old_connections)


def read_sheet(response):
    workbook = openpyxl.load_workbook(io.BytesIO(content(response)))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def test_xlsx_response_stores_formula_like_text_as_apostrophed_text():
    sheet = read_sheet(xlsx_response("spend.xlsx", HEADER, ROWS))

    assert sheet["A2"].value == "'=SUM(A1)"
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == '\'@HYPERLINK("x")'
    assert sheet["A3"].data_type == "s"


def test_xlsx_response_leaves_credit_note_and_number_like_text_as_text():
    sheet = read_sheet(xlsx_response("spend.xlsx", HEADER, ROWS))

    assert sheet["B2"].value == "-12,50"
    assert sheet["B2"].data_type == "s"
    # Leading zeros and a business ID's hyphen survive: text is never turned into a number.
    assert sheet["E2"].value == "0136169-2"
    assert sheet["E3"].value == "00123"
    assert sheet["E3"].data_type == "s"


def test_xlsx_response_writes_typed_cells():
    sheet = read_sheet(xlsx_response("spend.xlsx", HEADER, ROWS))

    assert sheet["C2"].value == 1234.5
    assert sheet["C2"].data_type == "n"
    assert sheet["C2"].number_format == "#,##0.00"
    assert sheet["C3"].value == 7
    assert sheet["C3"].number_format == "General"
    assert sheet["D2"].is_date
    assert sheet["D2"].value == datetime.datetime(2024, 3, 5)
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["F2"].value is True
    assert sheet["F3"].value is False


def test_xlsx_response_leaves_none_empty():
    sheet = read_sheet(xlsx_response("spend.xlsx", HEADER, ROWS))

    assert sheet["B3"].value is None
    assert sheet["D3"].value is None
    assert sheet.max_row == 3


def test_xlsx_response_shows_aware_datetime_in_local_time():
    noon_utc = datetime.datetime(2024, 6, 1, 12, 0, tzinfo=ZoneInfo("UTC"))

    sheet = read_sheet(xlsx_response("times.xlsx", ["Imported"], [[noon_utc]]))

    # Europe/Helsinki is UTC+3 in summer.
    assert sheet["A2"].value == datetime.datetime(2024, 6, 1, 15, 0)
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm"


def test_xlsx_response_header_is_bold_frozen_and_columns_sized():
    sheet = read_sheet(
        xlsx_response("spend.xlsx", ["Supplier", "€"], [["Oy " + "x" * 37, 1], ["=" * 80, 2]])
    )

    assert [cell.value for cell in sheet[1]] == ["Supplier", "€"]
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    # The longest text ("'" + 80 "=") is capped at 60; a one-character column gets the minimum.
    assert sheet.column_dimensions["A"].width == pytest.approx(60, abs=1)
    assert sheet.column_dimensions["B"].width == pytest.approx(8, abs=1)


def test_xlsx_response_applies_number_formats_by_column():
    rows = [[Decimal("0.125"), 3]]

    sheet = read_sheet(
        xlsx_response("shares.xlsx", ["Share", "Count"], rows, number_formats={0: "0.0%"})
    )

    assert sheet["A2"].value == 0.125
    assert sheet["A2"].number_format == "0.0%"
    assert sheet["B2"].number_format == "General"


def test_xlsx_response_headers():
    response = xlsx_response("spend 2024.xlsx", HEADER, ROWS)
    body = content(response)

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="spend 2024.xlsx"'
    assert body.startswith(b"PK")
    assert int(response["Content-Length"]) == len(body)


def test_xlsx_response_names_the_sheet_safely():
    sheet = read_sheet(
        xlsx_response("spend.xlsx", HEADER, ROWS, sheet_title="Hankinnat [2024]: a/b*c?")
    )

    assert sheet.title == "Hankinnat -2024-- a-b-c-"


def test_safe_sheet_title():
    assert safe_sheet_title("Espoo") == "Espoo"
    assert safe_sheet_title("Kuntien yhteishankintojen ostolaskut 2024") == (
        "Kuntien yhteishankintojen ostol"
    )
    assert len(safe_sheet_title("x" * 40)) == 31
    assert safe_sheet_title("'quoted'") == "quoted"
    assert safe_sheet_title("   ") == "Keino"
    # Characters outside the BMP count twice in Excel's limit.
    assert safe_sheet_title("😀" * 20) == "😀" * 15


def test_xlsx_response_refuses_more_rows_than_a_sheet_holds(monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 4)
    read = []

    def rows():
        for number in range(10):
            read.append(number)
            yield [number]

    with pytest.raises(ExportTooLargeError, match="more than 3 rows"):
        xlsx_response("big.xlsx", ["Row"], rows())
    # It stopped at the first row that did not fit instead of reading everything.
    assert read == [0, 1, 2, 3]


def test_xlsx_response_takes_exactly_as_many_rows_as_a_sheet_holds(monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 4)

    sheet = read_sheet(xlsx_response("full.xlsx", ["Row"], [[1], [2], [3]]))

    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Row", 1, 2, 3]


def test_csv_response_is_unchanged():
    response = csv_response("spend.csv", ["Supplier", "Amount"], [["=SUM(A1)", "-12,50"]])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="spend.csv"'
    assert content(response) == ("\ufeffSupplier;Amount\r\n'=SUM(A1);-12,50\r\n".encode())


def test_export_response_dispatches_by_format():
    csv = export_response("csv", "spend", ["Supplier"], [["Alfa Oy"]])
    xlsx = export_response("xlsx", "spend", ["Supplier"], [["Alfa Oy"]], sheet_title="Espoo")

    assert csv["Content-Disposition"] == 'attachment; filename="spend.csv"'
    assert content(csv) == "\ufeffSupplier\r\nAlfa Oy\r\n".encode()
    assert xlsx["Content-Disposition"] == 'attachment; filename="spend.xlsx"'
    sheet = read_sheet(xlsx)
    assert sheet.title == "Espoo"
    assert sheet["A2"].value == "Alfa Oy"


def test_export_response_rejects_unknown_format():
    with pytest.raises(ValueError, match="Unknown export format 'pdf'; expected one of csv, xlsx"):
        export_response("pdf", "spend", ["Supplier"], [["Alfa Oy"]])
