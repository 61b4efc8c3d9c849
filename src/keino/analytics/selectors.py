"""Named spend questions, each one SQL query over the `spend` relation (see engine.py).

Every function takes a SpendScope (an organisation's visible datasets) and SpendFilters, and
returns plain Python values: Decimal euros, ints, and shares as Decimal fractions.
"""

from dataclasses import dataclass
from decimal import Decimal

from keino.analytics.engine import SpendScope, spend_connection
from keino.analytics.filters import NO_FILTERS, SpendFilters

ZERO = Decimal("0.00")


def _rows(scope: SpendScope, sql: str, filters: SpendFilters, extra: list | None = None):
    where, parameters = filters.where()
    with spend_connection(scope) as connection:
        return connection.execute(sql.format(where=where), [*parameters, *(extra or [])]).fetchall()


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
    """Total spend, lines, vouchers, suppliers, the average line and the credit notes."""
    ((total, lines, vouchers, suppliers, credit_lines, credit_sum),) = _rows(
        scope,
        """
        SELECT
            COALESCE(SUM(amount), 0),
            COUNT(*),
            COUNT(DISTINCT CASE WHEN voucher_number IS NOT NULL
                  THEN CAST(dataset_id AS VARCHAR) || ':' || voucher_number END),
            COUNT(DISTINCT supplier_key),
            COUNT(CASE WHEN amount < 0 THEN 1 END),
            COALESCE(SUM(CASE WHEN amount < 0 THEN amount END), 0)
        FROM spend WHERE {where}
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
        "SELECT fiscal_year, COUNT(*), SUM(amount) FROM spend WHERE {where} "
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
        "SELECT voucher_year, voucher_month, COUNT(*), SUM(amount) FROM spend WHERE {where} "
        "GROUP BY voucher_year, voucher_month ORDER BY voucher_year, voucher_month",
        filters,
    )
    return [MonthSpend(y, m, n, Decimal(t).quantize(ZERO)) for y, m, n, t in rows]


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
    rows = _rows(
        scope,
        "SELECT account_group, COUNT(*), SUM(amount) FROM spend WHERE {where} "
        "GROUP BY account_group ORDER BY SUM(amount) DESC, account_group",
        filters,
    )
    whole = sum((Decimal(t) for *_, t in rows), Decimal(0))
    return [
        GroupSpend(g, n, Decimal(t).quantize(ZERO), _share(Decimal(t), whole)) for g, n, t in rows
    ]


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
    rows = _rows(
        scope,
        """
        WITH by_supplier AS (
            SELECT supplier_key,
                   MIN(supplier_name) AS name,
                   MAX(CASE WHEN supplier_business_id_valid THEN supplier_business_id END) AS bid,
                   COUNT(*) AS lines,
                   SUM(amount) AS total
            FROM spend WHERE {where}
            GROUP BY supplier_key
        )
        SELECT supplier_key, name, bid, lines, total,
               SUM(total) OVER () AS whole,
               SUM(total) OVER (ORDER BY total DESC, supplier_key
                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
        FROM by_supplier
        ORDER BY total DESC, supplier_key
        LIMIT ?
        """,
        filters,
        [limit],
    )
    return [
        SupplierSpend(
            key,
            name,
            bid,
            lines,
            Decimal(total).quantize(ZERO),
            _share(Decimal(total), Decimal(whole)),
            _share(Decimal(running), Decimal(whole)),
        )
        for key, name, bid, lines, total, whole, running in rows
    ]


@dataclass(frozen=True)
class Concentration:
    suppliers: int
    top10_share: Decimal | None  # the ten largest suppliers' part of the total
    hhi: Decimal | None  # Herfindahl–Hirschman index: sum of squared percentage shares, 0–10 000


def concentration(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> Concentration:
    """How concentrated the spend is among suppliers.

    Shares are of the total of suppliers with a positive net spend: a supplier whose credit
    notes exceed its invoices has no share of what was bought.
    """
    ((suppliers, whole, top10, squares),) = _rows(
        scope,
        """
        WITH by_supplier AS (
            SELECT supplier_key, SUM(amount) AS total
            FROM spend WHERE {where}
            GROUP BY supplier_key
            HAVING SUM(amount) > 0
        ), ranked AS (
            SELECT total, ROW_NUMBER() OVER (ORDER BY total DESC, supplier_key) AS place,
                   SUM(total) OVER () AS whole
            FROM by_supplier
        )
        SELECT COUNT(*), MAX(whole),
               SUM(CASE WHEN place <= 10 THEN total END),
               SUM((100 * total / whole) * (100 * total / whole))
        FROM ranked
        """,
        filters,
    )
    if not suppliers:
        return Concentration(0, None, None)
    return Concentration(
        suppliers,
        _share(Decimal(top10), Decimal(whole)),
        Decimal(squares).quantize(Decimal("0.1")),
    )
