"""Reading purchase-invoice files: recognising the format, the encoding, the delimiter, the
sheet and the header row, then yielding the data as batches of text columns.

CSV is read with pyarrow's streaming reader (fast, bounded memory). Row numbers are the
file's records as a spreadsheet shows them (row 1 is the first line). If a file has irregular
rows (blank lines, too few or too many cells), the fast reader cannot say where they were, so
the file is read again with Python's csv module, which locates every row exactly.
XLSX (and XLS, ODS) is read with calamine after checking the archive's uncompressed size.
"""

import array
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
import pyarrow.compute as pc
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


class NoRows(UnusableFile):
    def __init__(self, header_row: int) -> None:
        super().__init__(
            _(
                "The file has no rows below its header row (row %(row)s): there are no invoice "
                "lines to import."
            ),
            row=header_row,
        )


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
        # Built as a buffer: a Python list of a million ints would cost more than the parsing.
        consecutive = array.array("q", range(self.first_row, self.first_row + self.num_rows))
        return pa.Array.from_buffers(pa.int64(), self.num_rows, [None, pa.py_buffer(consecutive)])


# Recognising the file --------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls


TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}


def sniff(path: Path, *, sheet: str = "", filename: str = "") -> SourceInfo:
    """Recognise the file at path; filename is the name it was uploaded with, if different."""
    suffix = Path(filename or path.name).suffix
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    if not head.strip():
        raise UnusableFile(_("The file is empty."))
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        info = _sniff_spreadsheet(path, sheet=sheet)
        if suffix.lower() in TEXT_SUFFIXES:
            kind = "XLS" if head.startswith(OLE_MAGIC) else "XLSX"
            info.warnings.append(("file_suffix", {"suffix": suffix, "kind": kind}))
        return info
    encoding = detect_encoding(path, head)
    text = _decode_head(head, encoding)
    if not text.strip():  # nothing but a byte-order mark and white space
        raise UnusableFile(_("The file is empty."))
    if "\x00" in text or _looks_binary(text):
        raise UnusableFile(
            _(
                "The file is neither a CSV text file nor an Excel workbook "
                "(it looks like binary data)."
            )
        )
    delimiter = detect_delimiter(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    complete = len(head) < SNIFF_BYTES
    if not complete and records:
        records = records[:-1]  # the last record of a cut sample may be incomplete
    header_index = find_header(records)
    header = [cell.strip() for cell in records[header_index]]
    data = [record for record in records[header_index + 1 :] if any(c.strip() for c in record)]
    if complete and not data:
        raise NoRows(header_index + 1)
    info = SourceInfo(
        kind="csv",
        header=dedupe(header),
        header_row=header_index + 1,
        encoding=encoding,
        delimiter=delimiter,
        sample_rows=data[:10],
    )
    if complete:
        info.estimated_rows = len(data)
    else:
        # Records per byte in the sample, scaled to the file's size (the same encoding).
        info.estimated_rows = max(
            len(data), round(path.stat().st_size * len(records) / len(head)) - header_index - 1
        )
    if suffix.lower() not in TEXT_SUFFIXES | {""}:
        info.warnings.append(("file_suffix", {"suffix": suffix, "kind": "CSV"}))
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
            size=-(-uncompressed // 1_000_000),  # rounded up: never "1 MB, more than 1 MB"
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


def _numbered_rows(workbook: CalamineWorkbook, name: str) -> Iterator[tuple[int, list]]:
    """The sheet's rows with their row numbers as the spreadsheet shows them (1-based).

    python-calamine 0.9 starts iter_rows at the sheet's first row even when the used range
    starts lower (dimastbk/python-calamine#177); an iterator that starts at the used range
    instead begins with a row that has a value. Telling the two apart keeps the numbers right
    with either behaviour.
    """
    sheet = workbook.get_sheet_by_name(name)
    start = sheet.start[0] if sheet.start else 0
    rows = iter(sheet.iter_rows())
    first = next(rows, None)
    if first is None:
        return
    offset = start if start and any(value not in (None, "") for value in first) else 0
    yield offset + 1, first
    yield from enumerate(rows, start=offset + 2)


def _sheet_rows(workbook: CalamineWorkbook, name: str, limit: int) -> list[tuple[int, list[str]]]:
    rows = []
    for number, values in _numbered_rows(workbook, name):
        rows.append((number, [cell_text(value) for value in values]))
        if len(rows) >= limit:
            break
    return rows


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


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
        non_empty = []
        for name in sheets:
            rows = [cells for _number, cells in _sheet_rows(workbook, name, HEADER_SEARCH_ROWS)]
            scored.append((max((header_score(row) for row in rows), default=0), name))
            if not all(_is_blank(row) for row in rows):
                non_empty.append(name)
        candidates = [name for score, name in scored if score >= 2]
        if not candidates:
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
    numbered = _sheet_rows(workbook, chosen, HEADER_SEARCH_ROWS + 10)
    if all(_is_blank(cells) for _number, cells in numbered):
        raise UnusableFile(_("The sheet %(sheet)s is empty."), sheet=chosen)
    rows = [cells for _number, cells in numbered]
    header_index = find_header(rows)
    header_row = numbered[header_index][0]
    data = [cells for cells in rows[header_index + 1 :] if not _is_blank(cells)]
    end = workbook.get_sheet_by_name(chosen).end
    last_row = end[0] + 1 if end else header_row
    if not data and last_row <= numbered[-1][0]:
        raise NoRows(header_row)
    return SourceInfo(
        kind="spreadsheet",
        header=dedupe(rows[header_index]),
        header_row=header_row,
        sheet=chosen,
        sheets=sheets,
        sample_rows=data[:10],
        estimated_rows=max(len(data), last_row - header_row),
    )


# Reading batches -------------------------------------------------------------------------------


def read_batches(path: Path, info: SourceInfo, *, exact: bool = False) -> Iterator[Batch]:
    if info.kind == "spreadsheet":
        yield from _spreadsheet_batches(path, info)
    elif exact:
        yield from _exact_csv_batches(path, info)
    else:
        yield from _fast_csv_batches(path, info)


def _lines_through_header(path: Path, info: SourceInfo) -> int:
    """How many physical lines the records up to the header take.

    Row numbers count records, as a spreadsheet does, but pyarrow's skip_rows counts lines
    and ignores quotes: a quoted line break above the header makes the two differ.
    """
    with path.open("rb") as file:
        text = _decode_head(file.read(SNIFF_BYTES), info.encoding)
    lines = iter(io.StringIO(text, newline=""))  # split at \r\n, \n and \r, as pyarrow does
    reader = csv.reader(lines, delimiter=info.delimiter)
    for _record in range(info.header_row):
        next(reader, None)
    return reader.line_num


def _blank_rows(columns: list[pa.Array]) -> pa.Array | None:
    """Which rows have no text in any cell, or None when no row is blank (the usual case)."""
    blank = None
    for column in columns:
        empty = pc.or_(pc.equal(pc.binary_length(column), 0), pc.utf8_is_space(column))
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            return None
    return blank


def _joined(batches: list[pa.RecordBatch]) -> list[pa.Array]:
    table = pa.Table.from_batches(batches).combine_chunks()
    return [
        column.chunk(0) if column.num_chunks else pa.array([], pa.string())
        for column in table.columns
    ]


def _gathered(reader, irregular: list[str]) -> Iterator[list[pa.Array]]:
    """The reader's small blocks joined into batches of about BATCH_ROWS rows.

    Small blocks bound the reader's read-ahead memory; larger batches keep the per-batch
    work and the Parquet row groups efficient.
    """
    pending: list[pa.RecordBatch] = []
    rows = 0
    for record_batch in reader:
        if irregular:
            raise IrregularRows
        pending.append(record_batch)
        rows += record_batch.num_rows
        if rows >= BATCH_ROWS:
            yield _joined(pending)
            pending, rows = [], 0
    if irregular:
        raise IrregularRows
    if pending:
        yield _joined(pending)


def _fast_csv_batches(path: Path, info: SourceInfo) -> Iterator[Batch]:
    irregular: list[str] = []

    def on_invalid_row(row) -> str:
        irregular.append(row.text)
        return "skip"

    names = [f"c{index}" for index in range(len(info.header))]
    # The streaming reader reads up to 32 blocks ahead on a background thread, so the block
    # size bounds an import's memory: 1 MB blocks hold about 40 MB, and are as fast as 4 MB.
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            encoding=info.encoding.replace("utf-8-sig", "utf-8"),
            skip_rows=_lines_through_header(path, info),
            column_names=names,
            block_size=1 << 20,
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
    for columns in _gathered(reader, irregular):
        count = len(columns[0])
        blank = _blank_rows(columns)
        if blank is None:
            yield Batch(next_row, None, columns)
        else:
            # pyarrow reads an empty line as a row of empty cells; skip it as the exact reader does.
            keep = pc.invert(blank)
            numbers = pc.filter(pa.array(range(next_row, next_row + count), pa.int64()), keep)
            yield Batch(
                next_row,
                numbers,
                [pc.filter(column, keep) for column in columns],
                blank_rows=count - len(numbers),
            )
        next_row += count
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
    width = len(info.header)
    numbers: list[int] = []
    rows: list[list[str]] = []
    blank = 0
    for row_number, values in _numbered_rows(workbook, info.sheet):
        if row_number <= info.header_row:
            continue
        cells = [cell_text(value) for value in values]
        if _is_blank(cells):
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
