"""The import pipeline: raw text columns in, canonical invoice lines out, nothing lost.

Every row read ends up either accepted (written to `lines.parquet`) or rejected (written to
`rejected.parquet` with its original cells); every problem, of rejected and of flagged rows,
is written to `problems.parquet` with its row, column, value and reason code. The pipeline
streams batch by batch, so memory does not grow with the file.
"""

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.utils.translation import gettext_lazy as _

from keino.invoices.importers.canonical import EXTRA_PREFIX, FIELDS, LINE_SCHEMA, TEXT_FIELDS
from keino.invoices.importers.layouts import mapping_notes
from keino.invoices.importers.messages import FLAG, PROBLEMS, REJECT
from keino.invoices.importers.sources import (
    Batch,
    IrregularRows,
    NoRows,
    SourceInfo,
    UnusableFile,
    read_batches,
)
from keino.invoices.importers.values import (
    AMOUNT_TYPE,
    blank_to_null,
    detect_date_formats,
    detect_decimal_comma,
    parse_amounts,
    parse_business_ids,
    parse_dates,
)

LINES_FILE = "lines.parquet"
REJECTED_FILE = "rejected.parquet"
PROBLEMS_FILE = "problems.parquet"
SAMPLE_SIZE = 20
TOTAL_ROW_PATTERN = (
    r"(?i)(^|\s)(yhteensä|kaikki yhteensä|välisumma|loppusumma|summa yhteensä|"
    r"total|totalt|summa totalt|subtotal|grand total)(\s|:|$)"
)

PROBLEM_SCHEMA = pa.schema(
    [
        pa.field("row_number", pa.int64(), nullable=False),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("code", pa.string(), nullable=False),
        pa.field("column", pa.string()),
        pa.field("value", pa.string()),
    ]
)


@dataclass
class ImportOutcome:
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    sum_accepted: Decimal = Decimal("0.00")
    by_year: dict[str, dict] = field(default_factory=dict)
    problem_counts: dict[str, int] = field(default_factory=dict)
    problems_sample: list[dict] = field(default_factory=list)
    warnings: list[tuple[str, dict]] = field(default_factory=list)
    date_formats: list[str] = field(default_factory=list)
    decimal_comma: bool = False
    read_exactly: bool = False


def required_fields_missing(mapping: list[str | None]) -> list[str]:
    return [name for name in ("amount", "voucher_date") if name not in mapping]


def check_mapping(mapping: list[str | None]) -> None:
    missing = required_fields_missing(mapping)
    if missing:
        raise UnusableFile(
            _("No column is mapped to %(fields)s; these are needed to import invoice lines."),
            fields=", ".join(str(FIELDS[name].label) for name in missing),
        )
    duplicates = {name for name in mapping if name and mapping.count(name) > 1}
    if duplicates:
        raise UnusableFile(
            _("Several columns are mapped to %(fields)s; map each field to one column only."),
            fields=", ".join(str(FIELDS[name].label) for name in sorted(duplicates)),
        )


def import_to_parquet(
    path: Path,
    info: SourceInfo,
    mapping: list[str | None],
    out_dir: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Read the file and write the dataset's Parquet files into out_dir (which must exist)."""
    check_mapping(mapping)
    try:
        try:
            outcome = _Run(path, info, mapping, out_dir, progress).execute(exact=False)
        except IrregularRows:
            outcome = _Run(path, info, mapping, out_dir, progress).execute(exact=True)
            outcome.read_exactly = True
            outcome.warnings.insert(0, ("read_exactly", {}))
    except UnicodeDecodeError as error:
        raise UnusableFile(
            _("The file's characters cannot be read as %(encoding)s: %(reason)s"),
            encoding=info.encoding,
            reason=str(error)[:120],
        ) from None
    except pa.ArrowInvalid as error:
        raise UnusableFile(
            _("The CSV file cannot be read: %(reason)s"), reason=str(error)[:300]
        ) from None
    if not outcome.rows_read:
        raise NoRows(info.header_row)
    return outcome


class _BackgroundWriter:
    """Writes Parquet tables on a second thread while the next batch is parsed.

    Arrow releases the GIL while it compresses and writes, so parsing and writing overlap.
    At most a few tables wait, which bounds the memory; the first error is raised here.
    """

    MAX_PENDING = 3

    def __init__(self, *writers: pq.ParquetWriter) -> None:
        self._writers = writers
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet")
        self._pending: deque[Future] = deque()

    def __getitem__(self, index: int) -> "_Target":
        return _Target(self, self._writers[index])

    def submit(self, writer: pq.ParquetWriter, table: pa.Table) -> None:
        while len(self._pending) >= self.MAX_PENDING:
            self._pending.popleft().result()
        self._pending.append(self._executor.submit(writer.write_table, table))

    def __enter__(self) -> "_BackgroundWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._executor.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Target:
    background: _BackgroundWriter
    writer: pq.ParquetWriter

    def write_table(self, table: pa.Table) -> None:
        self.background.submit(self.writer, table)


class _Run:
    def __init__(self, path, info, mapping, out_dir, progress) -> None:
        self.path = path
        self.info = info
        self.mapping = mapping
        self.out_dir = out_dir
        self.progress = progress
        self.outcome = ImportOutcome(
            warnings=[*info.warnings, *mapping_notes(info.header, mapping)]
        )
        self.column_of = {name: index for index, name in enumerate(mapping) if name}
        self.extra_columns = [index for index, name in enumerate(mapping) if not name]
        extra_fields = [
            pa.field(EXTRA_PREFIX + info.header[i], pa.string()) for i in self.extra_columns
        ]
        self.lines_schema = pa.schema([*LINE_SCHEMA, *extra_fields])
        self.rejected_schema = pa.schema(
            [pa.field("row_number", pa.int64(), nullable=False)]
            + [pa.field(name, pa.string()) for name in info.header]
        )
        self.year_rows: dict[str, int] = {}
        self.year_sums: dict[str, Decimal] = {}
        self.total_rows: list[int] = []
        self.blank_rows = 0
        self.rounded = 0
        self.month_precision = False

    def execute(self, *, exact: bool) -> ImportOutcome:
        for name in (LINES_FILE, REJECTED_FILE, PROBLEMS_FILE):
            (self.out_dir / name).unlink(missing_ok=True)
        with (
            pq.ParquetWriter(
                self.out_dir / LINES_FILE, self.lines_schema, compression="zstd"
            ) as lines,
            pq.ParquetWriter(
                self.out_dir / REJECTED_FILE, self.rejected_schema, compression="zstd"
            ) as rejected,
            pq.ParquetWriter(
                self.out_dir / PROBLEMS_FILE, PROBLEM_SCHEMA, compression="zstd"
            ) as problems,
            _BackgroundWriter(lines, rejected, problems) as writers,
        ):
            self.writers = writers
            for batch in read_batches(self.path, self.info, exact=exact):
                self.blank_rows += batch.blank_rows
                if batch.num_rows:
                    self._process(batch)
                if self.progress:
                    self.progress(
                        self.outcome.rows_read,
                        max(self.info.estimated_rows, self.outcome.rows_read),
                    )
        return self._finish()

    def column(self, batch: Batch, name: str) -> pa.Array | None:
        index = self.column_of.get(name)
        return None if index is None else batch.columns[index]

    def _process(self, batch: Batch) -> None:
        outcome = self.outcome
        n = batch.num_rows
        numbers = batch.numbers()
        if not outcome.date_formats:
            outcome.date_formats = detect_date_formats(self.column(batch, "voucher_date"))
            outcome.decimal_comma = detect_decimal_comma(self.column(batch, "amount"))
            if outcome.date_formats and outcome.date_formats[0] == "yyyymm":
                self.month_precision = True
        found: list[tuple[str, str, pa.Array]] = []  # (code, column name, mask)

        raw_amount = self.column(batch, "amount")
        amounts = parse_amounts(raw_amount, decimal_comma=outcome.decimal_comma)
        self.rounded += amounts.rounded
        raw_date = self.column(batch, "voucher_date")
        dates = parse_dates(raw_date, formats=outcome.date_formats)
        amount_missing = amounts.missing
        date_missing = dates.missing

        # A total row has an amount but no date: its label is often where the date would be.
        # Only such rows are searched for a total word, so clean files pay nothing for it.
        total_row = pc.and_(pc.is_null(dates.values), pc.invert(amount_missing))
        if pc.any(total_row).as_py():
            looks_total = pa.array([False] * n)
            for column in batch.columns:
                looks_total = pc.or_(
                    looks_total,
                    pc.fill_null(pc.match_substring_regex(column, TOTAL_ROW_PATTERN), False),
                )
            total_row = pc.and_(total_row, looks_total)
        if batch.overflow is not None:
            found.append(("too_many_cells", self.info.header[-1], batch.overflow))
        found.append(("total_row", "", total_row))
        not_total = pc.invert(total_row)
        found.append(("amount_missing", self._name("amount"), pc.and_(amount_missing, not_total)))
        found.append(("amount_invalid", self._name("amount"), amounts.invalid))
        found.append(("date_missing", self._name("voucher_date"), pc.and_(date_missing, not_total)))
        found.append(
            ("date_invalid", self._name("voucher_date"), pc.and_(dates.invalid, not_total))
        )

        business_ids = None
        if "supplier_business_id" in self.column_of:
            business_ids = parse_business_ids(self.column(batch, "supplier_business_id"))
            found.append(
                ("business_id_invalid", self._name("supplier_business_id"), business_ids.invalid)
            )
        optional_amounts = {}
        for name in ("amount_with_vat", "vat_amount"):
            if name in self.column_of:
                parsed = parse_amounts(
                    self.column(batch, name), decimal_comma=outcome.decimal_comma
                )
                optional_amounts[name] = parsed.values
                found.append(("optional_amount_invalid", self._name(name), parsed.invalid))

        rejected = pa.array([False] * n)
        for code, _column, mask in found:
            if PROBLEMS[code][0] == REJECT:
                rejected = pc.or_(rejected, mask)
        accepted = pc.invert(rejected)
        self._write_problems(batch, numbers, found)

        outcome.rows_read += n
        n_rejected = pc.sum(rejected).as_py() or 0
        outcome.rows_rejected += n_rejected
        outcome.rows_accepted += n - n_rejected
        if n_rejected:
            self.total_rows.extend(pc.filter(numbers, total_row).to_pylist()[:SAMPLE_SIZE])
            rejected_table = pa.Table.from_arrays(
                [numbers, *batch.columns], schema=self.rejected_schema
            ).filter(rejected)
            self.writers[1].write_table(rejected_table)
        if n - n_rejected:
            self._write_lines(
                batch, numbers, accepted, amounts, dates, business_ids, optional_amounts
            )

    def _name(self, field_name: str) -> str:
        return self.info.header[self.column_of[field_name]]

    def _write_problems(self, batch: Batch, numbers: pa.Array, found) -> None:
        tables = []
        for code, column_name, mask in found:
            count = pc.sum(mask).as_py() or 0
            if not count:
                continue
            self.outcome.problem_counts[code] = self.outcome.problem_counts.get(code, 0) + count
            index = self.info.header.index(column_name) if column_name in self.info.header else None
            values = (
                pc.filter(batch.columns[index], mask)
                if index is not None
                else pa.nulls(count, pa.string())
            )
            table = pa.table(
                {
                    "row_number": pc.filter(numbers, mask),
                    "severity": pa.array([PROBLEMS[code][0]] * count, pa.string()),
                    "code": pa.array([code] * count, pa.string()),
                    "column": pa.array([column_name or None] * count, pa.string()),
                    "value": values,
                },
                schema=PROBLEM_SCHEMA,
            )
            tables.append(table)
        if tables:
            problems = pa.concat_tables(tables).sort_by("row_number")
            self.writers[2].write_table(problems)
            room = SAMPLE_SIZE - len(self.outcome.problems_sample)
            if room > 0:
                rejected_first = pa.concat_tables(
                    [t for t in tables if t["severity"][0].as_py() == REJECT]
                    + [t for t in tables if t["severity"][0].as_py() == FLAG]
                ).sort_by("row_number")
                self.outcome.problems_sample.extend(rejected_first.slice(0, room).to_pylist())

    def _write_lines(
        self, batch, numbers, accepted, amounts, dates, business_ids, optional_amounts
    ):
        keep = lambda array: pc.filter(array, accepted)  # noqa: E731
        columns = {
            "row_number": keep(numbers),
            "voucher_date": keep(dates.values),
            "voucher_date_precision": keep(dates.precision),
            "amount": keep(amounts.values),
        }
        for name in ("amount_with_vat", "vat_amount"):
            columns[name] = (
                keep(optional_amounts[name])
                if name in optional_amounts
                else pa.nulls(len(columns["amount"]), AMOUNT_TYPE)
            )
        count = len(columns["amount"])
        if business_ids is not None:
            columns["supplier_business_id"] = keep(business_ids.values)
            # True: a valid Finnish business id; False: invalid; null: none, or a foreign VAT id.
            # The parsed values are null exactly where the cell was empty.
            present = pc.is_valid(business_ids.values)
            known = pc.and_(present, pc.invert(business_ids.foreign))
            valid = pc.if_else(known, pc.invert(business_ids.invalid), pa.scalar(None, pa.bool_()))
            columns["supplier_business_id_valid"] = keep(valid)
        else:
            columns["supplier_business_id"] = pa.nulls(count, pa.string())
            columns["supplier_business_id_valid"] = pa.nulls(count, pa.bool_())
        for name in TEXT_FIELDS:
            raw = self.column(batch, name)
            columns[name] = (
                keep(blank_to_null(raw)) if raw is not None else pa.nulls(count, pa.string())
            )
        for index in self.extra_columns:
            columns[EXTRA_PREFIX + self.info.header[index]] = keep(batch.columns[index])
        table = pa.table(columns, schema=self.lines_schema)
        self.writers[0].write_table(table)
        self.outcome.sum_accepted += pc.sum(table["amount"]).as_py() or Decimal("0.00")
        years = pc.cast(pc.year(table["voucher_date"]), pa.string())
        grouped = (
            pa.table({"year": years, "amount": table["amount"]})
            .group_by("year")
            .aggregate([("amount", "sum"), ("amount", "count")])
        )
        for year, total, rows in zip(
            grouped["year"].to_pylist(),
            grouped["amount_sum"].to_pylist(),
            grouped["amount_count"].to_pylist(),
            strict=True,
        ):
            self.year_rows[year] = self.year_rows.get(year, 0) + rows
            self.year_sums[year] = self.year_sums.get(year, Decimal("0")) + total

    def _finish(self) -> ImportOutcome:
        outcome = self.outcome
        outcome.sum_accepted = Decimal(outcome.sum_accepted).quantize(Decimal("0.01"))
        outcome.by_year = {
            year: {
                "rows": self.year_rows[year],
                "sum": str(self.year_sums[year].quantize(Decimal("0.01"))),
            }
            for year in sorted(self.year_rows)
        }
        total_count = outcome.problem_counts.get("total_row", 0)
        if total_count:
            rows = ", ".join(str(r) for r in self.total_rows[:10]) + (
                " …" if total_count > 10 else ""
            )
            outcome.warnings.append(("total_rows_excluded", {"count": total_count, "rows": rows}))
        if self.blank_rows:
            outcome.warnings.append(("blank_rows_skipped", {"count": self.blank_rows}))
        if self.rounded:
            outcome.warnings.append(("amounts_rounded", {"count": self.rounded}))
        if self.month_precision:
            outcome.warnings.append(("dates_are_months", {}))
        invalid_ids = outcome.problem_counts.get("business_id_invalid", 0)
        if invalid_ids:
            outcome.warnings.append(("business_ids_invalid", {"count": invalid_ids}))
        assert outcome.rows_read == outcome.rows_accepted + outcome.rows_rejected
        return outcome
