"""Exports that are safe to open in a spreadsheet: CSV and XLSX."""

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[-+]?\d[\d\s.,\u00a0]*$")

EXPORT_FORMATS = ("csv", "xlsx")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows in one Excel sheet, the header row included.
XLSX_MAX_ROWS = 1_048_576
XLSX_DECIMAL_FORMAT = "#,##0.00"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Small exports are built in memory, larger ones spill to a temporary file on disk.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024
SHEET_TITLE_MAX_LENGTH = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
COLUMN_WIDTH_MIN = 8
COLUMN_WIDTH_MAX = 60


class ExportTooLargeError(ValueError):
    """The rows do not fit in one Excel sheet; CSV has no such limit."""


def safe_cell(value) -> object:
    """Neutralise text that a spreadsheet would run as a formula (CSV/formula injection).

    A leading apostrophe makes Excel and LibreOffice show the text as it is. Plain numbers,
    such as a credit note's -12,50, are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: list[str], rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """Stream rows as a UTF-8 CSV (with BOM, so Excel reads ä and ö) with safe cells."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def safe_sheet_title(title: str) -> str:
    """Make a title Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    title = SHEET_TITLE_FORBIDDEN.sub("-", title).strip().strip("'")
    # Excel counts UTF-16 code units, so a character outside the BMP takes two.
    while len(title.encode("utf-16-le")) // 2 > SHEET_TITLE_MAX_LENGTH:
        title = title[:-1]
    return title.rstrip().rstrip("'") or "Keino"


def xlsx_response(
    filename: str,
    header: list[str],
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Keino",
    number_formats: dict[int, str] | None = None,
) -> FileResponse:
    """Write rows to one XLSX sheet with typed, formula-safe cells, and send it as a download.

    Text is always stored as text (after `safe_cell`), never as a formula, link or number.
    Decimals are numbers shown as #,##0.00, dates as yyyy-mm-dd, None as an empty cell.
    `number_formats` maps a column index to an Excel number format for that column's numbers
    and dates, replacing the defaults.

    The rows are read once, in constant memory, into a temporary file. More rows than one sheet
    holds raise ExportTooLargeError instead of sending a silently cut file; CSV has no limit.
    """
    # Not a context manager: the response closes the file once it has been sent.
    output = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    try:
        _write_xlsx(output, header, rows, sheet_title, number_formats or {})
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def _write_xlsx(output, header, rows, title, number_formats: dict[int, str]) -> None:
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            # NaN and infinity become Excel's #NUM! and #DIV/0! rather than failing the export.
            "nan_inf_to_errors": True,
        },
    )
    worksheet = workbook.add_worksheet(safe_sheet_title(title))
    bold = workbook.add_format({"bold": True})
    default_formats = {
        Decimal: workbook.add_format({"num_format": XLSX_DECIMAL_FORMAT}),
        datetime.date: workbook.add_format({"num_format": XLSX_DATE_FORMAT}),
        datetime.datetime: workbook.add_format({"num_format": XLSX_DATETIME_FORMAT}),
    }
    column_formats = {
        column: workbook.add_format({"num_format": num_format})
        for column, num_format in number_formats.items()
    }
    widths: dict[int, int] = {}

    def note_width(column: int, length: int) -> None:
        widths[column] = max(widths.get(column, 0), length)

    # Closing always, even on failure, is what removes XlsxWriter's temporary row data file.
    try:
        for column, label in enumerate(header):
            text = str(safe_cell(str(label)))
            worksheet.write_string(0, column, text, bold)
            note_width(column, len(text))
        worksheet.freeze_panes(1, 0)

        for row_number, row in enumerate(rows, start=1):
            if row_number >= XLSX_MAX_ROWS:
                raise ExportTooLargeError(
                    f"The export has more than {XLSX_MAX_ROWS - 1:,} rows, the most one Excel "
                    "sheet holds; export it as CSV instead."
                )
            for column, value in enumerate(row):
                length = _write_cell(
                    worksheet,
                    row_number,
                    column,
                    value,
                    column_formats.get(column),
                    default_formats,
                )
                note_width(column, length)

        for column, longest in widths.items():
            width = min(max(longest + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX)
            worksheet.set_column(column, column, width)
    finally:
        workbook.close()


def _write_cell(worksheet, row: int, column: int, value, column_format, default_formats) -> int:
    """Write one typed cell and return roughly how many characters it shows."""
    if value is None:
        return 0
    # bool before int and datetime before date: each is a subclass of the other.
    if isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
        return 5
    if isinstance(value, Decimal):
        worksheet.write_number(row, column, float(value), column_format or default_formats[Decimal])
        return len(f"{value:,.2f}")
    if isinstance(value, int | float):
        worksheet.write_number(row, column, value, column_format)
        return len(str(value))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            # Excel has no time zones: show the time as the reader's clock shows it.
            value = timezone.make_naive(value)
        cell_format = column_format or default_formats[datetime.datetime]
        worksheet.write_datetime(row, column, value, cell_format)
        return 16
    if isinstance(value, datetime.date):
        worksheet.write_datetime(
            row, column, value, column_format or default_formats[datetime.date]
        )
        return 10
    text = str(safe_cell(str(value)))
    worksheet.write_string(row, column, text)
    return len(text)


def export_response(
    export_format: str,
    filename_stem: str,
    header: list[str],
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Keino",
) -> StreamingHttpResponse:
    """Send rows as a download in one of EXPORT_FORMATS, named filename_stem plus its suffix."""
    if export_format == "csv":
        return csv_response(f"{filename_stem}.csv", header, rows)
    if export_format == "xlsx":
        return xlsx_response(f"{filename_stem}.xlsx", header, rows, sheet_title=sheet_title)
    raise ValueError(
        f"Unknown export format {export_format!r}; expected one of {', '.join(EXPORT_FORMATS)}."
    )
