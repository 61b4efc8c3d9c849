"""The spend-based carbon footprint: each line's euros × its category's emission factor.

A line's category comes from the classification (engine.with_categories); its factor from the
factor set in use, for the line's fiscal year (carbon.selectors.Factors.of). A line whose
category has no factor, or that has no category, is never given a number: it is left out of
the kg and counted in the spend without a factor (the coverage shows how much).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa

from keino.analytics.dimensions import DIMENSIONS
from keino.analytics.engine import SpendScope, opened, with_categories
from keino.analytics.filters import SpendFilters
from keino.analytics.selectors import ZERO, _condition, _share
from keino.carbon.selectors import Factors

KG = Decimal("0.001")
INTENSITY = Decimal("0.0001")
# A hotspot by intensity needs at least this share of the spend that has a factor.
MATERIAL_SHARE = Decimal("0.01")

# The lines under the filters, each with its category, the rule that decided it, its factor
# (kg CO2e per euro) and the factor's own year, and its kg CO2e (NULL without a factor).
_VALUED = """
    WITH chosen AS (SELECT * FROM facts WHERE {where}),
    classified AS (
        SELECT f.*, COALESCE(o.category, c.category, 'unclassified') AS category,
               CASE WHEN o.category IS NOT NULL THEN 'line' ELSE c.rule END AS rule
        FROM chosen AS f
        LEFT JOIN line_categories AS o
            ON o.dataset_id = f.dataset_id AND o.row_number = f.row_number
        LEFT JOIN category_pairs AS c
            ON c.supplier_id = f.supplier_id AND c.account_id = f.account_id
    ),
    valued AS (
        SELECT l.*, k.kg_co2e_per_eur, k.factor_year, l.amount * k.kg_co2e_per_eur AS kg
        FROM classified AS l
        LEFT JOIN line_factors AS k
            ON k.category = l.category AND k.fiscal_year IS NOT DISTINCT FROM l.fiscal_year
    )
"""


def _with_factors(scope: SpendScope, factors: Factors) -> None:
    """Register `line_factors` (category, fiscal_year, factor, factor_year) on the connection.

    One row for each category the set has a factor for and each fiscal year of the store,
    so the SQL joins on equality; the choice of a year's factor is Factors.of's alone.
    """
    with_categories(scope)
    years = sorted({year for _dataset, _file, year in scope.files}, key=lambda y: y or 0)
    rows = [
        (category, year, applied.kg_co2e_per_eur, applied.year)
        for category in factors.by_category
        for year in years
        if (applied := factors.of(category, year)) is not None
    ]
    scope.connection.register(
        "line_factors",
        pa.table(
            {
                "category": pa.array([r[0] for r in rows], pa.string()),
                "fiscal_year": pa.array([r[1] for r in rows], pa.int32()),
                "kg_co2e_per_eur": pa.array([r[2] for r in rows], pa.decimal128(12, 6)),
                "factor_year": pa.array([r[3] for r in rows], pa.int32()),
            }
        ),
    )


def _valued_rows(scope, factors, filters, sql, extra=()):
    with opened(scope) as scope:
        _with_factors(scope, factors)
        where, parameters = _condition(scope, filters)
        return scope.connection.execute(
            _VALUED.format(where=where) + sql, [*parameters, *extra]
        ).fetchall()


def _kg(value) -> Decimal:
    return Decimal(value or 0).quantize(KG)


def _intensity(kg: Decimal, spend: Decimal) -> Decimal | None:
    return (kg / spend).quantize(INTENSITY) if spend else None


@dataclass(frozen=True)
class FootprintRow:
    key: object
    label: str | None
    lines: int
    spend: Decimal
    spend_with_factor: Decimal
    kg_co2e: Decimal
    intensity: Decimal | None  # kg CO2e per euro of the spend that has a factor
    share: Decimal | None  # of the kg CO2e of all rows

    @property
    def coverage(self) -> Decimal | None:
        return _share(self.spend_with_factor, self.spend)


@dataclass(frozen=True)
class FootprintBreakdown:
    dimension: str
    rows: list[FootprintRow]
    row_count: int  # rows found (before paging)
    kg_co2e: Decimal  # of all rows
    spend: Decimal
    spend_with_factor: Decimal

    @property
    def coverage(self) -> Decimal | None:
        return _share(self.spend_with_factor, self.spend)

    @property
    def intensity(self) -> Decimal | None:
        return _intensity(self.kg_co2e, self.spend_with_factor)


FOOTPRINT_DIMENSIONS = ("category", *DIMENSIONS)
FOOTPRINT_ORDERS = {
    "kg": "kg",
    "spend": "spend",
    "intensity": "kg / NULLIF(covered, 0)",
    "label": "LOWER(COALESCE(label, CAST(key AS VARCHAR)))",
    "key": "key",
}


# The columns every footprint base table is grouped by: enough for the breakdowns by category,
# year, account (and group), board and supplier (and everything derived from the supplier).
_BASE_KEY = ("supplier_id", "account_id", "fiscal_year", "board_id")
# The filters that the store's `facts_rollup` (the lines summed by dataset and the base key)
# can answer: those on its columns, or on tables joined through them.
_ROLLUP_FILTERS = {
    "datasets",
    "years",
    "boards",
    "account_groups",
    "accounts",
    "suppliers",
    "supplier_types",
    "localities",
    "regions",
    "municipalities",
    "industry_sections",
    "industries",
}


def _footprint_base(scope: SpendScope, filters: SpendFilters, factors: Factors, extra: str) -> str:
    """A temp table of the lines under `filters`, grouped, each group with its kg CO2e.

    The lines are grouped first (integer keys, one pass over the facts), and only the groups
    are joined to their category and factor: the same figures as valuing every line (a sum of
    amount × factor is the factor × the sum, exactly, in decimals), at a fraction of the work.
    A line's own category (an override) is part of the grouping, so it stays exact too. Made
    once per connection, filters, factors and extra column, and shared by every breakdown.
    """
    _with_factors(scope, factors)
    where, parameters = _condition(scope, filters)
    key = ("footprint", where, tuple(parameters), extra, factors.key)
    if key in scope.grouped:
        return scope.grouped[key]
    name = f"footprint_{len(scope.grouped)}"
    columns = ", ".join(f"f.{column}" for column in (*_BASE_KEY, *([extra] if extra else [])))
    (overrides,) = scope.connection.execute("SELECT COUNT(*) FROM line_categories").fetchone()
    # Fewer rows to read (the rollup) when no line has its own category and the filters allow.
    rollup = (
        not overrides
        and not extra
        and all(field in _ROLLUP_FILTERS for field, _value in filters.active())
    )
    override, join = (
        (
            "o.category",
            "LEFT JOIN line_categories AS o "
            "ON o.dataset_id = f.dataset_id AND o.row_number = f.row_number",
        )
        if overrides
        else ("CAST(NULL AS VARCHAR)", "")
    )
    if rollup:
        # Already summed by dataset and the base key: read as it is.
        grouped = f"""
            SELECT {columns}, CAST(NULL AS VARCHAR) AS override, f.lines, f.amount AS spend
            FROM facts_rollup AS f WHERE {where}
        """  # noqa: S608 - columns from _BASE_KEY; values are parameters
    else:
        grouped = f"""
            SELECT {columns}, {override} AS override, COUNT(*) AS lines, SUM(f.amount) AS spend
            FROM (SELECT * FROM facts WHERE {where}) AS f {join}
            GROUP BY ALL
        """  # noqa: S608 - columns from _BASE_KEY and the DIMENSIONS registry
    scope.connection.execute(
        f"""
        CREATE TEMP TABLE {name} AS
        WITH grouped AS ({grouped}
        ), classified AS (
            SELECT g.*, COALESCE(g.override, c.category, 'unclassified') AS category
            FROM grouped AS g
            LEFT JOIN category_pairs AS c
                ON c.supplier_id = g.supplier_id AND c.account_id = g.account_id
        )
        SELECT l.*,
               CASE WHEN k.kg_co2e_per_eur IS NULL THEN 0 ELSE l.spend END AS covered,
               COALESCE(l.spend * k.kg_co2e_per_eur, 0) AS kg
        FROM classified AS l
        LEFT JOIN line_factors AS k
            ON k.category = l.category AND k.fiscal_year IS NOT DISTINCT FROM l.fiscal_year
        """,  # noqa: S608 - the parts above
        parameters,
    )
    scope.grouped[key] = name
    return name


def footprint_breakdown(
    scope: SpendScope,
    filters: SpendFilters,
    factors: Factors,
    dimension: str,
    *,
    order: str = "",
    descending: bool | None = None,
    search: str = "",
    min_covered_share: Decimal | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> FootprintBreakdown:
    """kg CO2e, spend, spend with a factor and intensity by a dimension or by category.

    The default order is by kg CO2e, largest first (by time for years and months).
    `min_covered_share` keeps only rows that have a factor for at least that share of all
    the spend that has one (0: any row with a factor; the hotspots ask for material spend).
    """
    chronological = dimension != "category" and DIMENSIONS[dimension].chronological
    order = order or ("key" if chronological else "kg")
    if descending is None:
        descending = order in ("kg", "spend", "intensity")
    sums = "SUM(lines) AS lines, SUM(spend) AS spend, SUM(covered) AS covered, SUM(kg) AS kg"
    with opened(scope) as scope:
        if dimension == "category":
            base = _footprint_base(scope, filters, factors, "")
            grouped = f"SELECT category AS key, NULL AS label, {sums} FROM {base} GROUP BY 1"  # noqa: S608
        else:
            column = DIMENSIONS[dimension]
            fact_column = column.fact_column
            base = _footprint_base(
                scope, filters, factors, "" if fact_column in _BASE_KEY else fact_column
            )
            by_id = f"SELECT {fact_column} AS id, {sums} FROM {base} GROUP BY 1"  # noqa: S608
            table = column.filter.table
            grouped = (
                f"""
                SELECT d.{column.filter.column} AS key, {column.label_sql or "NULL"} AS label,
                       SUM(b.lines) AS lines, SUM(b.spend) AS spend, SUM(b.covered) AS covered,
                       SUM(b.kg) AS kg
                FROM ({by_id}) AS b JOIN {table} AS d ON d.{column.filter.id_column} = b.id
                GROUP BY d.{column.filter.column}
                """  # noqa: S608 - names from the DIMENSIONS registry
                if table
                else f"SELECT id AS key, NULL AS label, lines, spend, covered, kg FROM ({by_id})"  # noqa: S608
            )
        rows = scope.connection.execute(
            f"""
            WITH grouped AS ({grouped}
            ), whole AS (
                SELECT *, SUM(kg) OVER () AS all_kg, SUM(spend) OVER () AS all_spend,
                       SUM(covered) OVER () AS all_covered
                FROM grouped
            ), found AS (
                SELECT *, COUNT(*) OVER () AS found_count FROM whole
                WHERE (? = '' OR POSITION(? IN LOWER(CAST(key AS VARCHAR))) > 0
                       OR POSITION(? IN LOWER(COALESCE(label, ''))) > 0)
                  AND (CAST(? AS DECIMAL(9, 4)) IS NULL
                       OR (covered > 0 AND covered >= all_covered * CAST(? AS DECIMAL(9, 4))))
            )
            SELECT key, label, lines, spend, covered, kg, all_kg, all_spend, all_covered,
                   found_count
            FROM found
            ORDER BY {FOOTPRINT_ORDERS[order]} {"DESC" if descending else "ASC"} NULLS LAST, key
            LIMIT ? OFFSET ?
            """,  # noqa: S608 - names from the registries above; values are parameters
            [
                search,
                search.lower(),
                search.lower(),
                min_covered_share,
                min_covered_share,
                limit if limit is not None else 2**62,
                offset,
            ],
        ).fetchall()
        if not rows:
            ((spend, covered, kg),) = scope.connection.execute(
                f"SELECT COALESCE(SUM(spend), 0), COALESCE(SUM(covered), 0), "  # noqa: S608
                f"COALESCE(SUM(kg), 0) FROM {base}"
            ).fetchall()
            return FootprintBreakdown(
                dimension,
                [],
                0,
                _kg(kg),
                Decimal(spend).quantize(ZERO),
                Decimal(covered).quantize(ZERO),
            )
    all_kg = _kg(rows[0][6])
    result = []
    for key, label, lines, spend, covered, kg, *_rest in rows:
        kg = _kg(kg)
        covered = Decimal(covered).quantize(ZERO)
        result.append(
            FootprintRow(
                key,
                label,
                int(lines),
                Decimal(spend).quantize(ZERO),
                covered,
                kg,
                _intensity(kg, covered),
                _share(kg, all_kg),
            )
        )
    return FootprintBreakdown(
        dimension,
        result,
        int(rows[0][9]),
        all_kg,
        Decimal(rows[0][7]).quantize(ZERO),
        Decimal(rows[0][8]).quantize(ZERO),
    )


@dataclass(frozen=True)
class CategoryFootprint:
    category: str
    spend: Decimal
    factor: Decimal | None  # kg CO2e per euro of the category's spend; None: no factor
    kg_co2e: Decimal | None  # None: the set has no factor for the category
    factor_note: str


@dataclass(frozen=True)
class Footprint:
    kg_co2e: Decimal
    spend: Decimal
    spend_with_factor: Decimal
    coverage: Decimal | None  # the share of spend that has a factor
    intensity: Decimal | None  # kg CO2e per euro of the spend that has a factor
    by_category: list[CategoryFootprint]


def footprint(
    scope: SpendScope, filters: SpendFilters, factors: Factors, *, by_category=None
) -> Footprint:
    """The whole footprint under the filters, and by category, largest first.

    A category's factor is its kg per euro over the years in view (the set may have one
    factor a year); its note is that of the latest year's factor.
    """
    by_category = by_category or footprint_breakdown(scope, filters, factors, "category")
    rows = []
    for row in by_category.rows:
        applied = factors.of(row.key, None)
        has_factor = applied is not None
        rows.append(
            CategoryFootprint(
                row.key,
                row.spend,
                row.intensity if has_factor else None,
                row.kg_co2e if has_factor else None,
                applied.note if applied and has_factor else "",
            )
        )
    return Footprint(
        kg_co2e=by_category.kg_co2e,
        spend=by_category.spend,
        spend_with_factor=by_category.spend_with_factor,
        coverage=by_category.coverage,
        intensity=by_category.intensity,
        by_category=rows,
    )


@dataclass(frozen=True)
class Hotspots:
    largest: list[FootprintRow]  # by kg CO2e
    most_intensive: list[FootprintRow]  # by kg per euro, among rows with material spend


def hotspots(
    scope: SpendScope,
    filters: SpendFilters,
    factors: Factors,
    dimension: str,
    limit: int = 5,
    *,
    breakdown: FootprintBreakdown | None = None,
) -> Hotspots:
    """Where to act first: the largest emitters, and the most intensive with material spend.

    `breakdown`, when it has every row of the dimension (by kg, as footprint_breakdown gives
    them), is used instead of asking again.
    """
    if breakdown is not None and breakdown.row_count == len(breakdown.rows):
        with_factor = [row for row in breakdown.rows if row.spend_with_factor > 0]
        material = [
            row
            for row in with_factor
            if row.spend_with_factor >= breakdown.spend_with_factor * MATERIAL_SHARE
        ]
        material.sort(key=lambda row: (-(row.kg_co2e / row.spend_with_factor), str(row.key)))
        return Hotspots(with_factor[:limit], material[:limit])
    return Hotspots(
        footprint_breakdown(
            scope, filters, factors, dimension, min_covered_share=Decimal(0), limit=limit
        ).rows,
        footprint_breakdown(
            scope,
            filters,
            factors,
            dimension,
            order="intensity",
            min_covered_share=MATERIAL_SHARE,
            limit=limit,
        ).rows,
    )


@dataclass(frozen=True)
class FootprintLine:
    dataset_id: int
    row_number: int
    voucher_date: object
    supplier: str | None
    business_id: str | None
    account_number: str | None
    account_name: str | None
    category: str
    rule: str | None  # line, supplier, account, industry; None when unclassified
    amount: Decimal
    kg_co2e_per_eur: Decimal | None
    factor_year: int | None
    kg_co2e: Decimal | None


FOOTPRINT_LINE_COLUMNS = list(FootprintLine.__dataclass_fields__)

_LINES = """
    SELECT v.dataset_id, v.row_number, v.voucher_date, s.name, s.business_id,
           a.account_number, a.account_name, v.category, v.rule, v.amount,
           v.kg_co2e_per_eur, v.factor_year, v.kg
    FROM valued AS v
    JOIN account_groups AS a USING (account_id)
    JOIN suppliers AS s USING (supplier_id)
    ORDER BY v.kg DESC NULLS LAST, ABS(v.amount) DESC, v.dataset_id, v.row_number
"""


def footprint_lines(
    scope: SpendScope,
    filters: SpendFilters,
    factors: Factors,
    *,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[FootprintLine], int]:
    """One page of the lines behind a footprint figure, largest kg CO2e first, and the count."""
    with opened(scope) as scope:
        where, parameters = _condition(scope, filters)
        ((count,),) = scope.connection.execute(
            f"SELECT COUNT(*) FROM facts WHERE {where}",  # noqa: S608 - SpendFilters.where()
            parameters,
        ).fetchall()
        rows = _valued_rows(scope, factors, filters, _LINES + " LIMIT ? OFFSET ?", [limit, offset])
    return [_line(row) for row in rows], int(count)


def footprint_line_rows(
    scope: SpendScope, filters: SpendFilters, factors: Factors, *, batch_size: int = 10_000
) -> Iterator[FootprintLine]:
    """All the lines behind a footprint figure, for exports."""
    with opened(scope) as scope:
        _with_factors(scope, factors)
        where, parameters = _condition(scope, filters)
        result = scope.connection.execute(_VALUED.format(where=where) + _LINES, parameters)
        while rows := result.fetchmany(batch_size):
            yield from (_line(row) for row in rows)


def _line(row) -> FootprintLine:
    *head, amount, factor, factor_year, kg = row
    return FootprintLine(
        *head,
        Decimal(amount).quantize(ZERO),
        factor,
        factor_year,
        _kg(kg) if kg is not None else None,
    )
