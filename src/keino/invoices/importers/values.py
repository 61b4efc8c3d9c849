"""Vectorised parsers for the values of purchase-invoice files.

Each parser takes a column of raw strings (a pyarrow array) and returns the parsed values and
a boolean mask of the values that were present but could not be parsed. Empty strings and
nulls are "missing", which is not an error here; the pipeline decides what missing means.
"""

from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc
from stdnum.fi import ytunnus

from keino.organisations.validators import business_id_candidate

AMOUNT_TYPE = pa.decimal128(18, 2)
_WIDE_DECIMAL = pa.decimal128(38, 12)


_NULL_STRING = pa.scalar(None, pa.string())


def _any(mask: pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


def blank_to_null(values: pa.Array) -> pa.Array:
    """Trim whitespace; empty strings become nulls (a costly step skipped when none is empty)."""
    trimmed = pc.utf8_trim_whitespace(values)
    empty = pc.equal(pc.binary_length(trimmed), 0)
    return pc.if_else(empty, _NULL_STRING, trimmed) if _any(empty) else trimmed


# Amounts ------------------------------------------------------------------------------------

_COMMA_DECIMAL = r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"
_POINT_DECIMAL = r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$"


@dataclass(frozen=True)
class ParsedAmounts:
    values: pa.Array  # decimal128(18, 2), null where missing or invalid
    invalid: pa.Array  # bool: present but not a number
    rounded: int  # how many values had more than two decimals and were rounded to cents
    missing: pa.Array  # bool: empty or null


def _strip_amount_noise(values: pa.Array) -> pa.Array:
    # Spaces, no-break spaces and apostrophes group thousands; currency marks are decoration.
    # Each costly regex runs only when a cheap check finds something for it to do.
    cleaned = values
    if _any(pc.match_substring_regex(cleaned, r"[\s\x{00a0}\x{202f}'’€]|EUR|eur")):
        cleaned = pc.replace_substring_regex(cleaned, r"[\s\x{00a0}\x{202f}'’€]|EUR|eur", "")
    if _any(pc.match_substring(cleaned, "\u2212")):
        cleaned = pc.replace_substring(cleaned, "\u2212", "-")  # the typographic minus sign
    if _any(pc.starts_with(cleaned, "+")):
        cleaned = pc.replace_substring_regex(cleaned, r"^\+", "")
    # Some ledgers write credit amounts with the minus after the number: 123,45-
    if _any(pc.ends_with(cleaned, "-")):
        cleaned = pc.replace_substring_regex(cleaned, r"^([^-].*)-$", r"-\1")
    return cleaned


def detect_decimal_comma(values: pa.Array) -> bool:
    """Whether a column writes decimals with a comma (1 234,56) rather than a point."""
    cleaned = _strip_amount_noise(blank_to_null(values))
    commas = pc.sum(pc.match_substring_regex(cleaned, r",\d{1,2}$")).as_py() or 0
    points = pc.sum(pc.match_substring_regex(cleaned, r"\.\d{1,2}$")).as_py() or 0
    return commas > points


def parse_amounts(values: pa.Array, *, decimal_comma: bool) -> ParsedAmounts:
    present = blank_to_null(values)
    cleaned = _strip_amount_noise(present)
    if decimal_comma:
        valid = pc.match_substring_regex(cleaned, _COMMA_DECIMAL)
        normal = pc.replace_substring(pc.replace_substring(cleaned, ".", ""), ",", ".")
    else:
        valid = pc.match_substring_regex(cleaned, _POINT_DECIMAL)
        normal = pc.replace_substring(cleaned, ",", "")
    valid = pc.fill_null(valid, False)
    # After validation the text is digits with at most one point: its length and the point's
    # position tell the integer digits and the decimals without another regex.
    length = pc.binary_length(normal)
    point = pc.find_substring(normal, ".")
    integer_digits = pc.if_else(pc.equal(point, -1), length, point)
    decimals = pc.if_else(pc.equal(point, -1), 0, pc.subtract(pc.subtract(length, point), 1))
    valid = pc.and_(valid, pc.fill_null(pc.less_equal(integer_digits, 16), False))
    normal = pc.if_else(valid, normal, _NULL_STRING)
    decimals = pc.if_else(valid, decimals, 0)
    rounded_count = pc.sum(pc.greater(decimals, 2)).as_py() or 0
    if rounded_count:
        # Float-like text from spreadsheets can carry 17 digits; 12 decimals are ample before
        # rounding to cents, and bound the width of the intermediate decimal.
        normal = pc.replace_substring_regex(normal, r"(\.\d{12})\d+$", r"\1")
        wide = pc.cast(normal, _WIDE_DECIMAL)
        cents = pc.cast(pc.round(wide, ndigits=2, round_mode="half_towards_infinity"), AMOUNT_TYPE)
    else:
        cents = pc.cast(normal, AMOUNT_TYPE)
    invalid = pc.and_(pc.is_valid(present), pc.invert(valid))
    return ParsedAmounts(cents, invalid, rounded_count, pc.is_null(present))


# Dates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateFormat:
    """One way of writing a date: a pattern to recognise it and how to read it."""

    code: str
    label: str
    pattern: str  # RE2 with named groups y, m and optionally d
    precision: str = "day"


DATE_FORMATS = {
    fmt.code: fmt
    for fmt in [
        DateFormat("dmy", "dd.mm.yyyy", r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
        DateFormat("iso", "yyyy-mm-dd", r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T].*)?$"),
        DateFormat("dmy_slash", "dd/mm/yyyy", r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
        DateFormat("yyyymmdd", "yyyymmdd", r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
        DateFormat("yymmdd", "YYMMDD", r"^(?P<y>\d{2})(?P<m>\d{2})(?P<d>\d{2})$"),
        DateFormat("yyyymm", "yyyymm", r"^(?P<y>\d{4})(?P<m>\d{2})$", precision="month"),
        DateFormat("dmy_short", "dd.mm.yy", r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2})$"),
        DateFormat("excel", "Excel serial", r"^(?P<serial>\d{5})(?:\.0+)?$"),
    ]
}
EXCEL_EPOCH = pa.scalar(-25569, pa.int32())  # 1899-12-30 as days since 1970-01-01
MIN_PLAUSIBLE_YEAR, MAX_PLAUSIBLE_YEAR = 1990, 2100


@dataclass(frozen=True)
class ParsedDates:
    values: pa.Array  # date32, null where missing or invalid
    precision: pa.Array  # "day" or "month" where parsed
    invalid: pa.Array  # bool: present but not a date in any accepted format
    missing: pa.Array  # bool: empty or null


def _parse_with(values: pa.Array, fmt: DateFormat) -> pa.Array:
    """Dates in one format; null where the value is not in it or is no real date."""
    if fmt.code == "excel":
        serial = pc.struct_field(pc.extract_regex(values, fmt.pattern), "serial")
        days = pc.cast(serial, pa.int32())
        in_range = pc.and_(pc.greater_equal(days, 32874), pc.less_equal(days, 73415))  # 1990–2100
        days = pc.if_else(in_range, pc.add(days, EXCEL_EPOCH), pa.scalar(None, pa.int32()))
        return pc.cast(days, pa.date32())
    parts = pc.extract_regex(values, fmt.pattern)
    year = pc.cast(pc.struct_field(parts, "y"), pa.int32())
    if fmt.code in {"yymmdd", "dmy_short"}:
        # Two-digit years are this century: invoice data starts well after 2000.
        year = pc.add(year, 2000)
    month = pc.cast(pc.struct_field(parts, "m"), pa.int32())
    day = (
        pc.cast(pc.struct_field(parts, "d"), pa.int32())
        if fmt.precision == "day"
        else pa.scalar(1, pa.int32())
    )
    if isinstance(day, pa.Scalar):
        day = pc.if_else(pc.is_valid(year), day, pa.scalar(None, pa.int32()))
    iso = pc.binary_join_element_wise(
        pc.utf8_lpad(pc.cast(year, pa.string()), 4, "0"),
        pc.utf8_lpad(pc.cast(month, pa.string()), 2, "0"),
        pc.utf8_lpad(pc.cast(day, pa.string()), 2, "0"),
        "-",
    )
    parsed = pc.strptime(iso, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls 31.02. over into March; a real date keeps its day and month.
    real = pc.and_(pc.equal(pc.day(parsed), day), pc.equal(pc.month(parsed), month))
    plausible = pc.and_(
        pc.greater_equal(year, MIN_PLAUSIBLE_YEAR), pc.less_equal(year, MAX_PLAUSIBLE_YEAR)
    )
    keep = pc.fill_null(pc.and_(real, plausible), False)
    return pc.if_else(keep, pc.cast(parsed, pa.date32()), pa.scalar(None, pa.date32()))


def detect_date_formats(values: pa.Array) -> list[str]:
    """The date formats of a column, most common first, judged on a sample of its values.

    The order settles ambiguous values: 202308 is August 2023 in a column of yyyymm months,
    while 240105 is 5 January 2024 in a column of YYMMDD dates.
    """
    present = pc.drop_null(blank_to_null(values))
    counts = []
    for code, fmt in DATE_FORMATS.items():
        parsed = pc.sum(pc.is_valid(_parse_with(present, fmt))).as_py() or 0
        if parsed:
            counts.append((parsed, -list(DATE_FORMATS).index(code), code))
    return [code for *_, code in sorted(counts, reverse=True)]


def parse_dates(values: pa.Array, *, formats: list[str]) -> ParsedDates:
    # Invoice files repeat the same dates many times: parse each distinct value once.
    distinct = pc.unique(values)
    if len(distinct) * 4 < len(values):
        parsed = _parse_dates(distinct, formats=formats)
        index = pc.index_in(values, value_set=distinct, skip_nulls=False)
        return ParsedDates(
            values=pc.take(parsed.values, index),
            precision=pc.take(parsed.precision, index),
            invalid=pc.take(parsed.invalid, index),
            missing=pc.take(parsed.missing, index),
        )
    return _parse_dates(values, formats=formats)


def _parse_dates(values: pa.Array, *, formats: list[str]) -> ParsedDates:
    present = blank_to_null(values)
    result = pa.nulls(len(values), pa.date32())
    precision = pa.nulls(len(values), pa.string())
    unparsed = pc.is_valid(present)
    for code in formats or list(DATE_FORMATS):
        if not _any(unparsed):
            break  # the usual case: the column's main format read every value
        fmt = DATE_FORMATS[code]
        parsed = _parse_with(present, fmt)
        fresh = pc.and_(unparsed, pc.is_valid(parsed))
        result = pc.if_else(fresh, parsed, result)
        precision = pc.if_else(fresh, pa.scalar(fmt.precision), precision)
        unparsed = pc.and_(unparsed, pc.invert(fresh))
    return ParsedDates(result, precision, unparsed, pc.is_null(present))


# Business ids --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedBusinessIds:
    values: pa.Array  # normalised 1234567-8 where valid, else the trimmed original
    invalid: pa.Array  # bool: present but neither a valid business id nor a foreign VAT number
    foreign: pa.Array  # bool: a foreign VAT number such as SE556709197901


# The country prefixes of European VAT numbers (EU, United Kingdom, Norway, Switzerland).
FOREIGN_VAT = (
    r"^(?:A[T]|B[EG]|C[HYZ]|D[EK]|E[ELS]|F[R]|G[BR]|H[RU]|I[ET]|L[TUV]|M[T]|N[LO]|P[LT]|R[O]"
    r"|S[EIK]|XI)[0-9A-Z]{6,14}$"
)


@lru_cache(maxsize=200_000)
def _normalise_business_id(value: str) -> str | None:
    try:
        return ytunnus.format(ytunnus.validate(business_id_candidate(value)))
    except Exception:  # noqa: BLE001 - stdnum raises several kinds; any means invalid
        return None


def parse_business_ids(values: pa.Array) -> ParsedBusinessIds:
    present = blank_to_null(values)
    # Suppliers repeat: examine each distinct value once and map the results back.
    distinct = pc.unique(pc.drop_null(present))
    index = pc.index_in(present, value_set=distinct)
    normalised = pa.array([_normalise_business_id(v) for v in distinct.to_pylist()], pa.string())
    compact = pc.utf8_upper(pc.replace_substring_regex(distinct, r"[\s.\-]", ""))
    # A country prefix and at least six digits: "SEPPOSOY" is a name, not a VAT number.
    foreign_distinct = pc.and_(
        pc.match_substring_regex(compact, FOREIGN_VAT),
        pc.match_substring_regex(compact, r"(\d\D*){6}"),
    )
    looked_up = pc.take(normalised, index)
    foreign = pc.fill_null(pc.take(foreign_distinct, index), False)
    invalid = pc.fill_null(pc.and_(pc.is_valid(present), pc.is_null(looked_up)), False)
    invalid = pc.and_(invalid, pc.invert(foreign))
    return ParsedBusinessIds(pc.coalesce(looked_up, present), invalid, foreign)
