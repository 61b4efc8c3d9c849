"""Reading purchase-invoice files: recognising the format, the encoding, the delimiter, the
sheet and the header row, then yielding the data as batches of text columns.

CSV is read with pyarrow's streaming reader (fast, bounded memory). Row numbers are the
file's records as a spreadsheet shows them (row 1 is the first line). If a file has irregular
rows (blank lines, too few or too many cells), the fast reader cannot say where they were, so
the file is read again with Python's csv module, which locates every row exactly.
XLSX (and XLS, ODS) is read with calamine after checking the archive's uncompressed size.
"""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineWorkbook

from keino.invoices.importers.layouts import header_score

HEADER_SEARCH_ROWS = 20
SNIFF_BYTES = 256 * 1024
DELIMITERS = [";", ",", "\t", "|"]
BATCH_ROWS = 65_536


class UnusableFile(Exception):
    """The file cannot be imported at all; the message says why, for the person who has it."""

    def __init__(self, message: str, **params) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class SheetChoiceNeeded(UnusableFile):
    def __init__(self, sheets: list[str]) -> None:
        super().__init__(
            _("The workbook has several sheets with invoice data (%(sheets)s): choose one."),
            sheets=", ".join(sheets),
        )
        self.sheets = sheets


class IrregularRows(Exception):
    """The fast CSV reader met rows it cannot locate; read the file with the exact reader."""


@dataclass
class SourceInfo:
    kind: str  # csv or spreadsheet
    header: list[str]
    header_row: int  # 1-based row number of the header
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    sample_rows: list[list[str]] = field(default_factory=list)
    estimated_rows: int = 0
    warnings: list[tuple[str, dict]] = field(default_factory=list)  # codes in messages.py

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "header": self.header,
        }


@dataclass
class Batch:
    first_row: int  # row number of the first row in this batch
    row_numbers: pa.Array | None  # explicit row numbers when rows are not consecutive
    columns: list[pa.Array]  # one string array per header column
    blank_rows: int = 0
    overflow: pa.Array | None = None  # rows with more cells than the header has columns

    @property
    def num_rows(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def numbers(self) -> pa.Array:
        if self.row_numbers is not None:
            return self.row_numbers
        return pa.array(range(self.first_row, self.first_row + self.num_rows), pa.int64())


# Recognising the file --------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls


def sniff(path: Path, *, sheet: str = "") -> SourceInfo:
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    if not head.strip():
        raise UnusableFile(_("The file is empty."))
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return _sniff_spreadsheet(path, sheet=sheet)
    encoding = detect_encoding(path, head)
    text = _decode_head(head, encoding)
    if "\x00" in text or _looks_binary(text):
        raise UnusableFile(
            _(
                "The file is neither a CSV text file nor an Excel workbook (it looks like binary data)."
            )
        )
    delimiter = detect_delimiter(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if len(head) == SNIFF_BYTES and records:
        records = records[:-1]  # the last record of a cut sample may be incomplete
    header_index = find_header(records)
    header = [cell.strip() for cell in records[header_index]]
    info = SourceInfo(
        kind="csv",
        header=dedupe(header),
        header_row=header_index + 1,
        encoding=encoding,
        delimiter=delimiter,
        sample_rows=records[header_index + 1 : header_index + 11],
    )
    data_records = max(1, len(records) - header_index - 1)
    data_bytes = max(
        1,
        len(head)
        - len(("\n".join(delimiter.join(r) for r in records[: header_index + 1])).encode()),
    )
    info.estimated_rows = int(path.stat().st_size / (data_bytes / data_records))
    if path.suffix.lower() not in {".csv", ".txt", ".tsv", ""}:
        info.warnings.append(("file_suffix", {"suffix": path.suffix, "kind": "CSV"}))
    return info


def detect_encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or zero bytes), else Windows-1252 or Latin-1."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if sample and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if sample and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 is Latin-1 plus printable characters in 0x80–0x9F, except five bytes.
    undefined = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            if undefined.intersection(chunk):
                return "latin-1"
    return "cp1252"


def _decode_head(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > len(sample) * 0.05 or sample.count("\ufffd") > len(sample) * 0.05


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first rows most consistently into the most columns."""
    lines = text.splitlines()[:50]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not counts:
            continue
        modal, frequency = Counter(counts).most_common(1)[0]
        score = (frequency if modal > 1 else 0, modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def find_header(records: list[list[str]]) -> int:
    """Index of the header row among the first rows: the one with the most known column names."""
    candidates = records[:HEADER_SEARCH_ROWS]
    scores = [header_score(record) for record in candidates]
    if scores and max(scores) >= 2:
        return scores.index(max(scores))
    for index, record in enumerate(candidates):
        if sum(1 for cell in record if cell.strip()) >= 2:
            return index
    raise UnusableFile(_("No header row with column names was found in the first 20 rows."))


def dedupe(header: list[str]) -> list[str]:
    """Column names made unique and non-empty, so that every column can be kept."""
    seen: Counter[str] = Counter()
    names = []
    for position, name in enumerate(header, start=1):
        name = name.replace("\ufeff", "").strip() or f"column {position}"
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


# Spreadsheets ----------------------------------------------------------------------------------


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UnusableFile(
            _("The workbook is damaged or incomplete (for example cut short while uploading).")
        ) from None
    if not any(name.startswith("xl/") for name in names) and "content.xml" not in names:
        raise UnusableFile(_("The file is a zip archive, not an Excel workbook."))
    limit = settings.KEINO_MAX_SPREADSHEET_UNCOMPRESSED_BYTES
    if uncompressed > limit:
        raise UnusableFile(
            _(
                "The workbook unpacks to %(size)s MB, more than the limit of %(limit)s MB. "
                "Save it as CSV and import that."
            ),
            size=uncompressed // 1_000_000,
            limit=limit // 1_000_000,
        )


def _open_workbook(path: Path) -> CalamineWorkbook:
    with path.open("rb") as file:
        is_zip = file.read(4) == ZIP_MAGIC
    if is_zip:
        _check_archive(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # noqa: BLE001 - calamine raises its own error types
        raise UnusableFile(
            _("The workbook cannot be read: %(reason)s"), reason=str(error)[:200]
        ) from None


def cell_text(value) -> str:
    """A spreadsheet cell as the text it would be in a CSV export."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _sheet_rows(workbook: CalamineWorkbook, name: str, limit: int | None = None) -> list[list[str]]:
    sheet = workbook.get_sheet_by_name(name)
    rows = []
    for row in sheet.iter_rows():
        rows.append([cell_text(value) for value in row])
        if limit is not None and len(rows) >= limit:
            break
    return rows


def _sheet_offset(workbook: CalamineWorkbook, name: str) -> int:
    start = workbook.get_sheet_by_name(name).start
    return start[0] if start else 0


def _sniff_spreadsheet(path: Path, *, sheet: str) -> SourceInfo:
    workbook = _open_workbook(path)
    sheets = list(workbook.sheet_names)
    if sheet:
        if sheet not in sheets:
            raise UnusableFile(
                _("The workbook has no sheet %(sheet)s; its sheets are %(sheets)s."),
                sheet=sheet,
                sheets=", ".join(sheets),
            )
        chosen = sheet
    else:
        scored = []
        for name in sheets:
            rows = _sheet_rows(workbook, name, limit=HEADER_SEARCH_ROWS)
            scored.append((max((header_score(row) for row in rows), default=0), name))
        candidates = [name for score, name in scored if score >= 2]
        if not candidates:
            non_empty = [name for name in sheets if _sheet_rows(workbook, name, limit=2)]
            if len(non_empty) == 1:
                candidates = non_empty
            elif not non_empty:
                raise UnusableFile(_("The workbook has no data."))
            else:
                raise SheetChoiceNeeded(non_empty)
        if len(candidates) > 1:
            best = max(score for score, _name in scored)
            top = [name for score, name in scored if score == best]
            if len(top) > 1:
                raise SheetChoiceNeeded(top)
            candidates = top
        chosen = candidates[0]
    rows = _sheet_rows(workbook, chosen, limit=HEADER_SEARCH_ROWS + 10)
    if not rows:
        raise UnusableFile(_("The sheet %(sheet)s is empty."), sheet=chosen)
    header_index = find_header(rows)
    offset = _sheet_offset(workbook, chosen)
    height = workbook.get_sheet_by_name(chosen).height
    return SourceInfo(
        kind="spreadsheet",
        header=dedupe(rows[header_index]),
        header_row=offset + header_index + 1,
        sheet=chosen,
        sheets=sheets,
        sample_rows=rows[header_index + 1 : header_index + 11],
        estimated_rows=max(0, height - header_index - 1),
    )


# Reading batches -------------------------------------------------------------------------------


def read_batches(path: Path, info: SourceInfo, *, exact: bool = False) -> Iterator[Batch]:
    if info.kind == "spreadsheet":
        yield from _spreadsheet_batches(path, info)
    elif exact:
        yield from _exact_csv_batches(path, info)
    else:
        yield from _fast_csv_batches(path, info)


def _fast_csv_batches(path: Path, info: SourceInfo) -> Iterator[Batch]:
    irregular: list[str] = []

    def on_invalid_row(row) -> str:
        irregular.append(row.text)
        return "skip"

    names = [f"c{index}" for index in range(len(info.header))]
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            encoding=info.encoding.replace("utf-8-sig", "utf-8"),
            skip_rows=info.header_row,
            column_names=names,
            block_size=4 << 20,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=info.delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid_row,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    next_row = info.header_row + 1
    for record_batch in reader:
        if irregular:
            raise IrregularRows
        batch = Batch(next_row, None, list(record_batch.columns))
        next_row += batch.num_rows
        yield batch
    if irregular:
        raise IrregularRows


def _exact_csv_batches(path: Path, info: SourceInfo) -> Iterator[Batch]:
    width = len(info.header)
    with path.open(encoding=info.encoding, newline="", errors="strict") as file:
        reader = csv.reader(file, delimiter=info.delimiter)
        for _row in range(info.header_row):
            next(reader, None)
        numbers: list[int] = []
        rows: list[list[str]] = []
        overflow: list[bool] = []
        blank = 0
        record_number = info.header_row
        for record in reader:
            record_number += 1
            if not any(cell.strip() for cell in record):
                blank += 1
                continue
            too_many = False
            if len(record) < width:
                # Spreadsheet exports often drop trailing empty cells.
                record = record + [""] * (width - len(record))
            elif len(record) > width:
                too_many = any(cell.strip() for cell in record[width:])
                # The surplus stays in the last column, so the rejected row keeps all its text.
                tail = info.delimiter.join(record[width - 1 :]) if too_many else record[width - 1]
                record = [*record[: width - 1], tail]
            numbers.append(record_number)
            rows.append(record)
            overflow.append(too_many)
            if len(rows) >= BATCH_ROWS:
                yield _rows_to_batch(numbers, rows, width, blank, overflow)
                numbers, rows, overflow, blank = [], [], [], 0
        if rows or blank:
            yield _rows_to_batch(numbers, rows, width, blank, overflow)


def _rows_to_batch(
    numbers: list[int],
    rows: list[list[str]],
    width: int,
    blank: int,
    overflow: list[bool] | None = None,
) -> Batch:
    if rows:
        columns = [pa.array(column, pa.string()) for column in zip(*rows, strict=True)]
    else:
        columns = [pa.array([], pa.string()) for _ in range(width)]
    return Batch(
        numbers[0] if numbers else 0,
        pa.array(numbers, pa.int64()),
        columns,
        blank,
        pa.array(overflow, pa.bool_()) if overflow else None,
    )


def _spreadsheet_batches(path: Path, info: SourceInfo) -> Iterator[Batch]:
    workbook = _open_workbook(path)
    sheet = workbook.get_sheet_by_name(info.sheet)
    offset = _sheet_offset(workbook, info.sheet)
    width = len(info.header)
    numbers: list[int] = []
    rows: list[list[str]] = []
    blank = 0
    for index, values in enumerate(sheet.iter_rows()):
        row_number = offset + index + 1
        if row_number <= info.header_row:
            continue
        cells = [cell_text(value) for value in values]
        if not any(cell.strip() for cell in cells):
            blank += 1
            continue
        cells = (cells + [""] * width)[:width] if len(cells) != width else cells
        numbers.append(row_number)
        rows.append(cells)
        if len(rows) >= BATCH_ROWS:
            yield _rows_to_batch(numbers, rows, width, blank)
            numbers, rows, blank = [], [], 0
    if rows or blank:
        yield _rows_to_batch(numbers, rows, width, blank)
