"""Named spend questions, each plain SQL over the star schema of engine.py (facts + dimensions).

Every function takes a SpendScope (an organisation's visible datasets) and SpendFilters, and
returns plain Python values: Decimal euros, ints, and shares as Decimal fractions.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from stdnum.fi import ytunnus

from keino.analytics.dimensions import DIMENSIONS, Dimension
from keino.analytics.engine import SpendScope, opened, with_categories
from keino.analytics.filters import NO_FILTERS, SpendFilters

ZERO = Decimal("0.00")


def _rows(scope: SpendScope, sql: str, filters: SpendFilters, extra: list | None = None):
    with opened(scope) as scope:
        where, parameters = _condition(scope, filters)
        return scope.connection.execute(
            sql.format(where=where), [*parameters, *(extra or [])]
        ).fetchall()


def _condition(scope: SpendScope, filters: SpendFilters) -> tuple[str, list]:
    """The filters' WHERE clause, with the relations it needs added to the open connection."""
    if filters.categories:
        with_categories(scope)
    return filters.where()


def _grouped(scope: SpendScope, filters: SpendFilters, column: str) -> str:
    """A table of the facts under `filters` grouped by `column` (id, lines, total).

    Made once per connection and shared by the questions that need the same grouping (the
    supplier, type, region and industry breakdowns, the locality, the concentration).
    """
    where, parameters = _condition(scope, filters)
    key = (column, where, tuple(parameters))
    if key not in scope.grouped:
        name = f"grouped_{len(scope.grouped)}"
        scope.connection.execute(
            f"CREATE TEMP TABLE {name} AS SELECT {column} AS id, COUNT(*) AS lines, "  # noqa: S608
            f"SUM(amount) AS total FROM facts WHERE {where} GROUP BY {column}",
            parameters,
        )
        scope.grouped[key] = name
    return scope.grouped[key]


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(Decimal("0.0001")) if whole else None


@dataclass(frozen=True)
class KeyFigures:
    total: Decimal
    lines: int
    vouchers: int
    suppliers: int
    average_line: Decimal | None
    credit_note_lines: int
    credit_note_sum: Decimal
    credit_note_line_share: Decimal | None


def key_figures(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> KeyFigures:
    """Total spend, lines, vouchers, suppliers, the average line and the credit notes.

    Vouchers are counted per dataset (the same number in two files is two vouchers); lines
    without a supplier's name or business id count as no supplier.
    """
    with opened(scope) as scope:
        ((total, lines, vouchers, credit_lines, credit_sum),) = _rows(
            scope,
            """
            SELECT COALESCE(SUM(amount), 0), COUNT(*), COUNT(DISTINCT voucher_id),
                   COUNT(CASE WHEN amount < 0 THEN 1 END),
                   COALESCE(SUM(CASE WHEN amount < 0 THEN amount END), 0)
            FROM facts WHERE {where}
            """,
            filters,
        )
        ((suppliers,),) = _rows(
            scope,
            """
            SELECT COUNT(*)
            FROM (SELECT supplier_id FROM facts WHERE {where} GROUP BY supplier_id) AS chosen
            JOIN suppliers AS s USING (supplier_id)
            WHERE s.supplier_key IS NOT NULL
            """,
            filters,
        )
    total = Decimal(total).quantize(ZERO)
    return KeyFigures(
        total=total,
        lines=lines,
        vouchers=vouchers,
        suppliers=suppliers,
        average_line=(total / lines).quantize(ZERO) if lines else None,
        credit_note_lines=credit_lines,
        credit_note_sum=Decimal(credit_sum).quantize(ZERO),
        credit_note_line_share=_share(Decimal(credit_lines), Decimal(lines)),
    )


@dataclass(frozen=True)
class YearSpend:
    year: int | None
    lines: int
    total: Decimal
    change: Decimal | None  # against the previous year, as a fraction


def spend_by_year(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> list[YearSpend]:
    """Spend by fiscal year (the year of the dataset's file), with year-over-year change."""
    rows = _rows(
        scope,
        "SELECT fiscal_year, COUNT(*), SUM(amount) FROM facts WHERE {where} "
        "GROUP BY fiscal_year ORDER BY fiscal_year",
        filters,
    )
    result, previous = [], None
    for year, lines, total in rows:
        total = Decimal(total).quantize(ZERO)
        change = None
        if previous is not None and previous[0] == (year or 0) - 1 and previous[1]:
            change = ((total - previous[1]) / abs(previous[1])).quantize(Decimal("0.0001"))
        result.append(YearSpend(year, lines, total, change))
        previous = (year, total)
    return result


@dataclass(frozen=True)
class MonthSpend:
    year: int | None
    month: int | None
    lines: int
    total: Decimal


def spend_by_month(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> list[MonthSpend]:
    """Spend by month of the voucher date."""
    rows = _rows(
        scope,
        "SELECT period, COUNT(*), SUM(amount) FROM facts WHERE {where} "
        "GROUP BY period ORDER BY period",
        filters,
    )
    return [
        MonthSpend(p // 100 if p else None, p % 100 if p else None, n, Decimal(t).quantize(ZERO))
        for p, n, t in rows
    ]


@dataclass(frozen=True)
class GroupSpend:
    group: str | None  # None: an account outside the chart of accounts, or no account
    lines: int
    total: Decimal
    share: Decimal | None


def spend_by_account_group(
    scope: SpendScope, filters: SpendFilters = NO_FILTERS
) -> list[GroupSpend]:
    """Spend by account group of the municipal chart of accounts, largest first."""
    return [
        GroupSpend(row.key, row.lines, row.total, row.share)
        for row in spend_breakdown(scope, filters, "account_group").rows
    ]


@dataclass(frozen=True)
class BreakdownRow:
    key: object  # the value of the dimension; None for lines without one
    label: str | None  # a name for a code (account name, supplier name), where there is one
    rank: int  # place by spend, 1 = largest
    lines: int
    total: Decimal
    share: Decimal | None
    cumulative_share: Decimal | None  # of this row and all larger ones (Pareto)


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    rows: list[BreakdownRow]
    row_count: int  # rows matching the search, before paging
    whole: Decimal  # the total of all rows, whatever the search and page


ORDERS = {"total": "total", "lines": "lines", "key": "key", "label": "sort_label"}


def spend_breakdown(
    scope: SpendScope,
    filters: SpendFilters,
    dimension: str | Dimension,
    *,
    search: str = "",
    order: str = "",
    descending: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Breakdown:
    """Spend by one dimension, with each row's share and cumulative share of the whole.

    Ranks and cumulative shares are by spend over all rows; `search` (case-insensitive, in the
    key or the label) and paging only choose which rows to return. The default order is by
    spend, largest first, or by time for years and months.
    """
    dimension = DIMENSIONS[dimension] if isinstance(dimension, str) else dimension
    order = order or ("key" if dimension.chronological else "total")
    if descending is None:
        descending = not dimension.chronological and order in ("total", "lines")
    direction = "DESC" if descending else "ASC"
    table = dimension.filter.table
    if table:
        # Group the facts by the dimension table's id first (fast, integer keys), then by the
        # table's column: several ids may share a value (suppliers of one region).
        grouped = f"""
            SELECT d.{dimension.filter.column} AS key, {dimension.label_sql or "NULL"} AS label,
                   SUM(by_id.lines) AS lines, SUM(by_id.total) AS total
            FROM by_id JOIN {table} AS d ON d.{dimension.filter.id_column} = by_id.id
            GROUP BY d.{dimension.filter.column}
        """  # noqa: S608 - names from the DIMENSIONS registry
    else:
        grouped = "SELECT id AS key, NULL AS label, lines, total FROM by_id"
    key_text = "LOWER(COALESCE(CAST(key AS VARCHAR), ''))"
    with opened(scope) as scope:
        by_id = _grouped(scope, filters, dimension.fact_column)
        rows = _rows(
            scope,
            f"""
            WITH grouped AS ({grouped.replace("FROM by_id", f"FROM {by_id} AS by_id")}
            ), ranked AS (
                SELECT key, label, lines, total,
                       ROW_NUMBER() OVER (ORDER BY total DESC, key) AS rank,
                       SUM(total) OVER () AS whole,
                       SUM(total) OVER (ORDER BY total DESC, key
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                           AS running,
                       LOWER(COALESCE(label, CAST(key AS VARCHAR))) AS sort_label
                FROM grouped
            ), found AS (
                SELECT *, COUNT(*) OVER () AS found_count FROM ranked
                WHERE ? = '' OR POSITION(? IN {key_text}) > 0
                      OR POSITION(? IN LOWER(COALESCE(label, ''))) > 0
            )
            SELECT key, label, rank, lines, total, whole, running, found_count,
                   (SELECT MAX(whole) FROM ranked)
            FROM found
            ORDER BY {ORDERS[order]} {direction} NULLS LAST, rank
            LIMIT ? OFFSET ?
            """,  # noqa: S608 - columns and order come from the DIMENSIONS and ORDERS registries
            NO_FILTERS,
            [search, search.lower(), search.lower(), limit if limit is not None else 2**62, offset],
        )
        if not rows:
            ((whole,),) = _rows(scope, f"SELECT COALESCE(SUM(total), 0) FROM {by_id}", NO_FILTERS)  # noqa: S608 - a table name made by _grouped
            return Breakdown(dimension.name, [], 0, Decimal(whole).quantize(ZERO))
    whole = Decimal(rows[0][8]).quantize(ZERO)
    return Breakdown(
        dimension.name,
        [
            BreakdownRow(
                key,
                label,
                rank,
                int(lines),
                Decimal(total).quantize(ZERO),
                _share(Decimal(total), whole),
                _share(Decimal(running), whole),
            )
            for key, label, rank, lines, total, _whole, running, _count, _ in rows
        ],
        rows[0][7],
        whole,
    )


@dataclass(frozen=True)
class SupplierSpend:
    key: str | None
    name: str | None
    business_id: str | None
    lines: int
    total: Decimal
    share: Decimal | None
    cumulative_share: Decimal | None


def top_suppliers(
    scope: SpendScope, filters: SpendFilters = NO_FILTERS, *, limit: int = 20
) -> list[SupplierSpend]:
    """The suppliers with the most spend, with their share and cumulative share (Pareto)."""
    breakdown = spend_breakdown(scope, filters, "supplier", limit=limit)
    return [
        SupplierSpend(
            row.key,
            row.label,
            row.key if is_business_id(row.key) else None,
            row.lines,
            row.total,
            row.share,
            row.cumulative_share,
        )
        for row in breakdown.rows
    ]


def is_business_id(key: str | None) -> bool:
    """Whether a supplier key is a valid business id (1234567-8) rather than a name."""
    return bool(key) and len(key) == 9 and key[7] == "-" and ytunnus.is_valid(key)


@dataclass(frozen=True)
class Concentration:
    suppliers: int
    top10_share: Decimal | None  # the ten largest suppliers' part of the total
    hhi: Decimal | None  # Herfindahl–Hirschman index: sum of squared percentage shares, 0–10 000


def concentration(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> Concentration:
    """How concentrated the spend is among suppliers.

    Shares are of the total of suppliers with a positive net spend: a supplier whose credit
    notes exceed its invoices has no share of what was bought. Lines without any supplier are
    left out, as in the supplier count of the key figures.
    """
    with opened(scope) as scope:
        by_supplier = _grouped(scope, filters, "supplier_id")
        ((suppliers, whole, top10, squares),) = _rows(
            scope,
            """
        WITH by_supplier AS (
            SELECT id AS supplier_id, total FROM {by_supplier}
            WHERE total > 0
              AND id IN (SELECT supplier_id FROM suppliers WHERE supplier_key IS NOT NULL)
        ), ranked AS (
            SELECT total, ROW_NUMBER() OVER (ORDER BY total DESC, supplier_id) AS place,
                   SUM(total) OVER () AS whole
            FROM by_supplier
        )
        SELECT COUNT(*), MAX(whole),
               SUM(CASE WHEN place <= 10 THEN total END),
               SUM((100 * total / whole) * (100 * total / whole))
        FROM ranked
        """.replace("{by_supplier}", by_supplier),
            NO_FILTERS,
        )
    if not suppliers:
        return Concentration(0, None, None)
    return Concentration(
        suppliers,
        _share(Decimal(top10), Decimal(whole)),
        Decimal(squares).quantize(Decimal("0.1")),
    )


@dataclass(frozen=True)
class Locality:
    whole: Decimal
    local: Decimal  # suppliers in the buyer's municipality
    regional: Decimal  # suppliers in the buyer's region, the municipality included
    unknown: Decimal  # suppliers whose municipality is not known (or a buyer without one)
    local_share: Decimal | None
    regional_share: Decimal | None
    unknown_share: Decimal | None


def supplier_locality(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> Locality:
    """How much was bought locally (same municipality) and regionally (same region)."""
    with opened(scope) as scope:
        by_supplier = _grouped(scope, filters, "supplier_id")
        ((whole, local, regional, unknown),) = _rows(
            scope,
            f"""
            SELECT COALESCE(SUM(g.total), 0),
                   COALESCE(SUM(CASE WHEN s.locality = 'local' THEN g.total END), 0),
                   COALESCE(SUM(CASE WHEN s.locality IN ('local', 'regional') THEN g.total END), 0),
                   COALESCE(SUM(CASE WHEN s.locality = 'unknown' THEN g.total END), 0)
            FROM {by_supplier} AS g JOIN suppliers AS s ON s.supplier_id = g.id
            """,  # noqa: S608 - a table name made by _grouped
            NO_FILTERS,
        )
    whole, local, regional, unknown = (
        Decimal(value).quantize(ZERO) for value in (whole, local, regional, unknown)
    )
    return Locality(
        whole,
        local,
        regional,
        unknown,
        _share(local, whole),
        _share(regional, whole),
        _share(unknown, whole),
    )


@dataclass(frozen=True)
class SpendLine:
    dataset_id: int
    row_number: int
    voucher_date: object
    voucher_number: str | None
    supplier_name: str | None
    supplier_business_id: str | None
    account_number: str | None
    account_name: str | None
    board: str | None
    result_unit: str | None
    cost_centre: str | None
    amount: Decimal


LINE_COLUMNS = list(SpendLine.__dataclass_fields__)


_LINES_OF_PAGE = """
    WITH chosen AS (
        SELECT * FROM facts WHERE {where}
        ORDER BY voucher_date NULLS LAST, dataset_id, row_number
        {page}
    )
    SELECT f.dataset_id, f.row_number, f.voucher_date, f.voucher_number, s.name, s.business_id,
           a.account_number, a.account_name, b.board, r.result_unit, c.cost_centre, f.amount
    FROM chosen AS f
    JOIN account_groups AS a USING (account_id)
    JOIN boards AS b USING (board_id)
    JOIN result_units AS r USING (result_unit_id)
    JOIN cost_centres AS c USING (cost_centre_id)
    JOIN suppliers AS s USING (supplier_id)
    ORDER BY f.voucher_date NULLS LAST, f.dataset_id, f.row_number
"""


def spend_lines(
    scope: SpendScope, filters: SpendFilters = NO_FILTERS, *, limit: int = 50, offset: int = 0
) -> tuple[list[SpendLine], int]:
    """One page of the invoice lines behind a figure, by date, and how many there are."""
    with opened(scope) as scope:
        ((count,),) = _rows(scope, "SELECT COUNT(*) FROM facts WHERE {where}", filters)
        rows = _rows(
            scope,
            _LINES_OF_PAGE.replace("{page}", "LIMIT ? OFFSET ?"),
            filters,
            [limit, offset],
        )
    return [SpendLine(*row) for row in rows], count


def spend_line_rows(
    scope: SpendScope, filters: SpendFilters = NO_FILTERS, *, batch_size: int = 10_000
) -> Iterator[tuple]:
    """All the lines behind a figure, as tuples in LINE_COLUMNS order, for exports."""
    with opened(scope) as scope:
        where, parameters = _condition(scope, filters)
        result = scope.connection.execute(
            _LINES_OF_PAGE.replace("{page}", "").format(where=where), parameters
        )
        while rows := result.fetchmany(batch_size):
            yield from rows


# The dimensions whose values are few enough to offer as choices in a filter form.
OPTION_DIMENSIONS = (
    "year",
    "board",
    "account_group",
    "supplier_type",
    "locality",
    "region",
    "industry_section",
)


def filter_options(scope: SpendScope) -> dict[str, list]:
    """The values each small dimension takes in the scope, whatever the filters.

    Read from the dimension tables, which hold only values that some line has.
    """
    options = {}
    for name in OPTION_DIMENSIONS:
        dimension = DIMENSIONS[name]
        column, table = dimension.filter.column, dimension.filter.table or "facts"
        options[name] = [
            value
            for (value,) in _rows(
                scope,
                f"SELECT DISTINCT {column} FROM {table} "  # noqa: S608 - names from DIMENSIONS
                f"WHERE {column} IS NOT NULL ORDER BY {column}",
                NO_FILTERS,
            )
        ]
    return options


def dimension_labels(scope: SpendScope, dimension: str, keys: list) -> dict:
    """The labels (account names, supplier names, …) of some keys of a dimension."""
    dimension = DIMENSIONS[dimension]
    present = [key for key in keys if key is not None]
    if not dimension.label_sql or not dimension.filter.table or not present:
        return {}
    column = dimension.filter.column
    rows = _rows(
        scope,
        f"SELECT {column}, {dimension.label_sql} FROM {dimension.filter.table} "  # noqa: S608
        f"WHERE {column} IN ({', '.join('?' for _ in present)}) GROUP BY {column}",
        NO_FILTERS,
        present,
    )
    return {key: label for key, label in rows if label}


# Procurement categories ------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySpend:
    category: str  # a sub-category code, or "unclassified"
    rule: str | None  # what decided: line, supplier, account, industry; None if unclassified
    lines: int
    total: Decimal


_CATEGORY_PARTS = """
    WITH pairs AS (
        SELECT supplier_id, account_id, COUNT(*) AS lines, SUM(amount) AS total
        FROM facts WHERE {where} GROUP BY supplier_id, account_id
    ), overridden AS (
        SELECT f.supplier_id, f.account_id, o.category, COUNT(*) AS lines, SUM(f.amount) AS total
        FROM facts AS f JOIN line_categories AS o USING (dataset_id, row_number)
        WHERE {where}
        GROUP BY f.supplier_id, f.account_id, o.category
    ), parts AS (
        SELECT COALESCE(c.category, 'unclassified') AS category, c.rule, p.lines, p.total
        FROM pairs AS p
        LEFT JOIN category_pairs AS c
            ON c.supplier_id = p.supplier_id AND c.account_id = p.account_id
        UNION ALL
        -- A line's own category replaces the one its supplier and account would give it.
        SELECT COALESCE(c.category, 'unclassified'), c.rule, -o.lines, -o.total
        FROM overridden AS o
        LEFT JOIN category_pairs AS c
            ON c.supplier_id = o.supplier_id AND c.account_id = o.account_id
        UNION ALL
        SELECT o.category, 'line', o.lines, o.total FROM overridden AS o
    )
"""


_CATEGORY_TOTALS = """
    SELECT category, rule, SUM(lines), SUM(total) FROM parts
    GROUP BY category, rule HAVING SUM(lines) <> 0
    ORDER BY SUM(total) DESC, category, rule
"""


def spend_by_category_rule(
    scope: SpendScope, filters: SpendFilters = NO_FILTERS
) -> list[CategorySpend]:
    """Spend by sub-category and by the kind of rule that decided it, largest first.

    Rules apply in precedence: a line's override, a supplier rule, an account rule, an
    industry rule; an organisation's rule replaces the platform's of the same kind.
    """
    where, parameters = filters.where()
    # The condition is SpendFilters.where(); its values are parameters.
    sql = _CATEGORY_PARTS.format(where=where) + _CATEGORY_TOTALS
    with opened(scope) as scope:
        with_categories(scope)
        rows = scope.connection.execute(sql, [*parameters, *parameters]).fetchall()
    return [CategorySpend(c, r, int(n), Decimal(t).quantize(ZERO)) for c, r, n, t in rows]


@dataclass(frozen=True)
class CategoryTotal:
    category: str  # a sub-category code, or "unclassified"
    lines: int
    total: Decimal
    share: Decimal | None  # of all spend under the filters
    by_rule: dict[str, Decimal]  # rule kind → the part of the total it decided


def spend_by_category(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> list[CategoryTotal]:
    """Spend by sub-category, largest first, each with the part every kind of rule decided."""
    parts = spend_by_category_rule(scope, filters)
    whole = sum((part.total for part in parts), ZERO)
    totals: dict[str, list] = {}
    for part in parts:
        lines, total, by_rule = totals.setdefault(part.category, [0, ZERO, {}])
        totals[part.category][0] = lines + part.lines
        totals[part.category][1] = total + part.total
        if part.rule:
            by_rule[part.rule] = part.total
    return sorted(
        (
            CategoryTotal(category, lines, total, _share(total, whole), by_rule)
            for category, (lines, total, by_rule) in totals.items()
        ),
        key=lambda row: (-row.total, row.category),
    )


@dataclass(frozen=True)
class Coverage:
    whole: Decimal
    classified: Decimal
    classified_share: Decimal | None
    by_rule: dict[str, Decimal]  # rule kind → spend it decided


def classification_coverage(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> Coverage:
    """How much of the spend has a category, and which kind of rule gave it."""
    return coverage_of(spend_by_category(scope, filters))


def coverage_of(totals: list[CategoryTotal]) -> Coverage:
    """The coverage of category totals already fetched (see spend_by_category)."""
    whole = sum((row.total for row in totals), ZERO)
    by_rule: dict[str, Decimal] = {}
    for row in totals:
        for rule, amount in row.by_rule.items():
            by_rule[rule] = by_rule.get(rule, ZERO) + amount
    classified = sum(by_rule.values(), ZERO)
    return Coverage(whole, classified, _share(classified, whole), by_rule)


@dataclass(frozen=True)
class Unclassified:
    key: str | None
    label: str | None
    lines: int
    total: Decimal


def largest_unclassified(
    scope: SpendScope, filters: SpendFilters = NO_FILTERS, *, by: str = "supplier", limit: int = 20
) -> list[Unclassified]:
    """The suppliers or accounts with the most spend that no rule classifies: fix these first.

    Lines with an override of their own are counted here too (overrides are few and shown
    on their own).
    """
    choices = {
        "supplier": ("supplier_key", "COALESCE(MIN(d.register_name), MIN(d.name))", "suppliers"),
        "account": ("account_number", "MIN(d.account_name)", "account_groups"),
    }
    if by not in choices:
        raise ValueError(f"largest_unclassified by {by!r}: by supplier or by account")
    key, label, table = choices[by]
    where, parameters = filters.where()
    with opened(scope) as scope:
        with_categories(scope)
        rows = scope.connection.execute(
            f"""
            WITH pairs AS (
                SELECT supplier_id, account_id, COUNT(*) AS lines, SUM(amount) AS total
                FROM facts WHERE {where} GROUP BY supplier_id, account_id
            )
            SELECT d.{key}, {label}, SUM(p.lines), SUM(p.total)
            FROM pairs AS p
            LEFT JOIN category_pairs AS c
                ON c.supplier_id = p.supplier_id AND c.account_id = p.account_id
            JOIN {table} AS d ON d.{by}_id = p.{by}_id
            WHERE c.category IS NULL
            GROUP BY d.{key}
            ORDER BY SUM(p.total) DESC, d.{key}
            LIMIT ?
            """,  # noqa: S608 - names from the mapping above
            [*parameters, limit],
        ).fetchall()
    return [Unclassified(k, n, int(c), Decimal(t).quantize(ZERO)) for k, n, c, t in rows]
