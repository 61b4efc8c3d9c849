"""Typed filters of spend questions, turned into a portable SQL condition with parameters.

Each filter field restricts one column of the `spend` relation to a set of values. NONE_KEY
stands for "no value" (a line without a unit, a supplier without a region), so that every row
of a breakdown, the empty one too, can be drilled into.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import NamedTuple

NONE_KEY = "__none__"


class FilterColumn(NamedTuple):
    param: str  # the name in URLs and on the command line
    kind: str  # "int", "text" or "period" (2024-03 in URLs, 202403 in the facts)
    column: str  # a column of the facts, or of `table`
    table: str | None = None  # the dimension table holding the column, keyed by `id_column`
    id_column: str | None = None


def _of_suppliers(param: str, column: str) -> FilterColumn:
    return FilterColumn(param, "text", column, "suppliers", "supplier_id")


# Field of SpendFilters → how it appears in a URL and which column it restricts.
FILTER_COLUMNS = {
    "datasets": FilterColumn("dataset", "int", "dataset_id"),
    "years": FilterColumn("year", "int", "fiscal_year"),
    "months": FilterColumn("month", "int", "month"),
    "periods": FilterColumn("period", "period", "period"),
    "boards": FilterColumn("board", "text", "board", "boards", "board_id"),
    "result_units": FilterColumn(
        "result_unit", "text", "result_unit", "result_units", "result_unit_id"
    ),
    "cost_centres": FilterColumn(
        "cost_centre", "text", "cost_centre", "cost_centres", "cost_centre_id"
    ),
    "account_groups": FilterColumn(
        "account_group", "text", "account_group", "account_groups", "account_id"
    ),
    "accounts": FilterColumn("account", "text", "account_number", "account_groups", "account_id"),
    "suppliers": _of_suppliers("supplier", "supplier_key"),
    "supplier_types": _of_suppliers("supplier_type", "supplier_type"),
    "localities": _of_suppliers("locality", "locality"),
    "regions": _of_suppliers("region", "region"),
    "municipalities": _of_suppliers("municipality", "municipality_code"),
    "industry_sections": _of_suppliers("industry_section", "tol_section"),
    "industries": _of_suppliers("industry", "tol_code"),
    # Decided per (supplier, account) pair and per line: see CATEGORY_CONDITION.
    "categories": FilterColumn("category", "text", "category", "category_pairs"),
}

UNCLASSIFIED = "unclassified"
CATEGORY_PAIRS = """(supplier_id, account_id) IN (
    SELECT supplier_id, account_id FROM category_pairs WHERE category IN ({marks}))"""

# A line is in a category when its own override says so, or when it has no override and its
# (supplier, account) pair is in the category; "unclassified" is a pair without a category.
CATEGORY_CONDITION = """(
    ((dataset_id, row_number) NOT IN (SELECT dataset_id, row_number FROM line_categories)
     AND {pairs})
    OR (dataset_id, row_number) IN (
        SELECT dataset_id, row_number FROM line_categories WHERE category IN ({marks})))"""
FIELD_OF_PARAM = {column.param: name for name, column in FILTER_COLUMNS.items()}


def _category_condition(categories: tuple[str, ...]) -> tuple[str, list]:
    named = [category for category in categories if category != UNCLASSIFIED]
    marks = ", ".join("?" for _ in named) or "NULL"
    pairs = []
    if named:
        pairs.append(CATEGORY_PAIRS.format(marks=marks))
    if UNCLASSIFIED in categories:
        pairs.append(
            "(supplier_id, account_id) NOT IN (SELECT supplier_id, account_id FROM category_pairs)"
        )
    condition = CATEGORY_CONDITION.format(pairs="(" + " OR ".join(pairs) + ")", marks=marks)
    return condition, [*named, *named]


def period_text(period: int) -> str:
    """202403 → "2024-03"."""
    return f"{period // 100:04d}-{period % 100:02d}"


@dataclass(frozen=True)
class SpendFilters:
    """Which lines a question is about. An empty field means no restriction; fields combine."""

    datasets: tuple[int, ...] = ()  # dataset ids; empty: all in the scope
    years: tuple[int, ...] = ()  # fiscal years (the year of the dataset's file)
    months: tuple[int, ...] = ()  # 1–12, by voucher date
    periods: tuple[int, ...] = ()  # 202403 for March 2024, by voucher date
    boards: tuple[str, ...] = ()
    result_units: tuple[str, ...] = ()
    cost_centres: tuple[str, ...] = ()
    account_groups: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()  # supplier keys: business id, or name where none is valid
    supplier_types: tuple[str, ...] = ()
    localities: tuple[str, ...] = ()  # local, regional, elsewhere, unknown
    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()  # supplier's municipality code
    industry_sections: tuple[str, ...] = ()  # TOL 2008 section letters
    industries: tuple[str, ...] = ()  # TOL 2008 codes
    categories: tuple[str, ...] = ()  # procurement sub-category codes, or "unclassified"

    def where(self) -> tuple[str, list]:
        """A WHERE clause over `facts` ("TRUE" when empty) and its positional parameters.

        A restriction on a dimension's column becomes a semi-join through the dimension table.
        """
        conditions, parameters = [], []
        for name, (_param, _kind, column, table, id_column) in FILTER_COLUMNS.items():
            values = getattr(self, name)
            if not values:
                continue
            if name == "categories":
                condition, values_used = _category_condition(values)
                conditions.append(condition)
                parameters.extend(values_used)
                continue
            present = [value for value in values if value != NONE_KEY]
            alternatives = []
            if present:
                alternatives.append(f"{column} IN ({', '.join('?' for _ in present)})")
                parameters.extend(present)
            if len(present) < len(values):
                alternatives.append(f"{column} IS NULL")
            condition = " OR ".join(alternatives)
            if table:
                # Names from FILTER_COLUMNS; the values are parameters.
                condition = f"{id_column} IN (SELECT {id_column} FROM {table} WHERE {condition})"  # noqa: S608
            conditions.append(f"({condition})")
        return (" AND ".join(conditions) or "TRUE"), parameters

    def is_empty(self) -> bool:
        return self == NO_FILTERS

    def with_value(self, name: str, value) -> "SpendFilters":
        """These filters with `name` restricted to this one value (a drill-down)."""
        return replace(self, **{name: (value,)})

    def without(self, name: str, value=None) -> "SpendFilters":
        """These filters without one value of `name`, or without `name` at all."""
        kept = () if value is None else tuple(v for v in getattr(self, name) if v != value)
        return replace(self, **{name: kept})

    def active(self) -> list[tuple[str, object]]:
        """(field, value) of every restriction, in field order."""
        return [(f.name, value) for f in fields(self) for value in getattr(self, f.name)]

    def to_query(self) -> list[tuple[str, str]]:
        """URL parameters that `filters_from_query` reads back to the same filters."""
        return [
            (FILTER_COLUMNS[name].param, param_text(name, value)) for name, value in self.active()
        ]


def param_text(name: str, value) -> str:
    """A filter value as it appears in a URL."""
    if value != NONE_KEY and FILTER_COLUMNS[name].kind == "period":
        return period_text(value)
    return str(value)


class InvalidFilter(ValueError):
    def __init__(self, param: str, value: str):
        super().__init__(f"{param}={value!r} is not a valid filter value")
        self.param, self.value = param, value


def filters_from_query(query: Mapping[str, list[str]]) -> SpendFilters:
    """Filters from URL parameters (a mapping of name → list of values, like a QueryDict).

    Unknown parameters are ignored (they belong to the page: sort, page, search). A value of the
    wrong kind (year=abc) raises InvalidFilter.
    """
    values = {}
    for param, name in FIELD_OF_PARAM.items():
        given = query.getlist(param) if hasattr(query, "getlist") else query.get(param, [])
        raw = [value.strip() for value in given if value.strip()]
        if not raw:
            continue
        kind = FILTER_COLUMNS[name].kind
        parsed = []
        for value in dict.fromkeys(raw):
            if value == NONE_KEY:
                parsed.append(value)
            elif kind == "int":
                if not value.isdigit() or len(value) > 9:
                    raise InvalidFilter(param, value)
                parsed.append(int(value))
            elif kind == "period":
                year, _, month = value.partition("-")
                if not (len(year) == 4 and year.isdigit() and month.isdigit()):
                    raise InvalidFilter(param, value)
                if not 1 <= int(month) <= 12:
                    raise InvalidFilter(param, value)
                parsed.append(int(year) * 100 + int(month))
            else:
                if len(value) > 200:
                    raise InvalidFilter(param, value)
                parsed.append(value)
        values[name] = tuple(dict.fromkeys(parsed))
    filters = SpendFilters(**values)
    if any(not 1 <= month <= 12 for month in filters.months):
        raise InvalidFilter("month", ",".join(map(str, filters.months)))
    return filters


NO_FILTERS = SpendFilters()
