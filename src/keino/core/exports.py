"""Exports that are safe to open in a spreadsheet."""

import csv
import re
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[-+]?\d[\d\s.,\u00a0]*$")


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
