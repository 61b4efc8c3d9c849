"""How the dashboard names things and where its links lead: titles, value labels, drill URLs.

No figures are computed here; the numbers come from keino.analytics' selectors as they are.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from keino.analytics.dimensions import DIMENSIONS
from keino.analytics.filters import FILTER_COLUMNS, NONE_KEY, SpendFilters, period_text
from keino.analytics.selectors import Breakdown, BreakdownRow, is_business_id
from keino.categories.taxonomy import categories
from keino.suppliers.models import SupplierType
from keino.suppliers.tol import SECTION_NAMES

# What one value of each dimension is called (column headers, filter chips).
DIMENSION_NAMES = {
    "year": _("Fiscal year"),
    "period": _("Month"),
    "account_group": _("Account group"),
    "account": _("Account"),
    "board": _("Board or committee"),
    "result_unit": _("Result area"),
    "cost_centre": _("Cost centre"),
    "supplier": _("Supplier"),
    "supplier_type": _("Supplier type"),
    "locality": _("Supplier's location"),
    "region": _("Supplier's region"),
    "municipality": _("Supplier's municipality"),
    "industry_section": _("Industry (TOL section)"),
    "industry": _("Industry (TOL class)"),
}

# The heading of each breakdown.
BREAKDOWN_TITLES = {
    "year": _("Spend by fiscal year"),
    "period": _("Spend by month"),
    "account_group": _("Spend by account group"),
    "account": _("Spend by account"),
    "board": _("Spend by board or committee"),
    "result_unit": _("Spend by result area"),
    "cost_centre": _("Spend by cost centre"),
    "supplier": _("Spend by supplier"),
    "supplier_type": _("Spend by supplier type"),
    "locality": _("Spend by supplier's location"),
    "region": _("Spend by supplier's region"),
    "municipality": _("Spend by supplier's municipality"),
    "industry_section": _("Spend by industry (TOL section)"),
    "industry": _("Spend by industry (TOL class)"),
}

# Filters that are not a dimension of their own.
FILTER_NAMES = {
    "dataset": _("Dataset"),
    "month": _("Month of the year"),
    "category": _("Procurement category"),
    **DIMENSION_NAMES,
}

LOCALITY_NAMES = {
    "local": _("Local: in our municipality"),
    "regional": _("Regional: elsewhere in our region"),
    "elsewhere": _("Elsewhere in Finland or abroad"),
    "unknown": _("Location not known"),
}

NOT_GIVEN = _("(not given)")
UNCLASSIFIED_NAME = _("Unclassified")


def value_label(name: str, value, label: str | None = None, datasets: dict | None = None) -> str:
    """A value of a dimension or filter (named by its URL parameter) as a reader sees it."""
    if value is None or value == NONE_KEY:
        return str(NOT_GIVEN)
    if name == "supplier_type" and value in SupplierType.values:
        return str(SupplierType(value).label)
    if name == "locality" and value in LOCALITY_NAMES:
        return str(LOCALITY_NAMES[value])
    if name == "industry_section" and value in SECTION_NAMES:
        return f"{value} {SECTION_NAMES[value]}"
    if name == "period":
        return period_text(value)
    if name == "month" and value in MONTHS:
        return str(MONTHS[value])
    if name == "category":
        category = categories().get(value)
        return category.name if category else str(UNCLASSIFIED_NAME)
    if name == "dataset" and datasets and value in datasets:
        return datasets[value]
    if label and name == "supplier":
        return label
    if label:
        return f"{value} {label}"
    return str(value)


def query_string(filters: SpendFilters, **page) -> str:
    """'?…' with the filters and the page's own parameters (search, order, page), or ''."""
    pairs = filters.to_query() + [(k, str(v)) for k, v in page.items() if v not in (None, "")]
    return "?" + urlencode(pairs) if pairs else ""


@dataclass(frozen=True)
class Links:
    """The dashboard's addresses for one organisation."""

    overview: str
    breakdown: dict[str, str]  # dimension → address without a query
    lines: str
    categories: str

    def drill(self, dimension: str, filters: SpendFilters, key) -> str:
        """The next breakdown of a row, with the row's value added to the filters."""
        target = DIMENSIONS[dimension].drill
        base = self.breakdown[target] if target else self.lines
        return base + query_string(_narrowed(dimension, filters, key))

    def lines_of(self, dimension: str, filters: SpendFilters, key) -> str:
        return self.lines + query_string(_narrowed(dimension, filters, key))


def _narrowed(dimension: str, filters: SpendFilters, key) -> SpendFilters:
    """The filters restricted to one row of a breakdown (None: the row without a value)."""
    return filters.with_value(DIMENSIONS[dimension].filter_field, NONE_KEY if key is None else key)


@dataclass(frozen=True)
class Row:
    """A breakdown row as the table and the chart show it."""

    row: BreakdownRow
    label: str
    business_id: str | None
    drill_url: str
    lines_url: str

    @property
    def negative(self) -> bool:
        return self.row.total < 0


def rows_of(breakdown: Breakdown, filters: SpendFilters, links: Links) -> list[Row]:
    name = breakdown.dimension
    return [
        Row(
            row,
            value_label(name, row.key, row.label),
            row.key if name == "supplier" and is_business_id(row.key) else None,
            links.drill(name, filters, row.key),
            links.lines_of(name, filters, row.key),
        )
        for row in breakdown.rows
    ]


def chart_spec(name: str, rows: list[Row], *, kind: str, title: str) -> dict:
    """What dashboard.js draws: one series of euros, each point linking to its drill-down."""
    return {
        "kind": kind,
        "labels": [row.label for row in rows],
        "values": [str(row.row.total) for row in rows],
        "hrefs": [row.drill_url for row in rows],
        "series_label": str(_("Spend (EUR, VAT 0 %)")),
        "value_format": "eur",
        "aria_label": str(
            _("Chart: %(title)s. The same figures are in the table beside it.") % {"title": title}
        ),
    }


def chart_kind(name: str) -> str:
    if name == "period":
        return "line"
    if name == "year":
        return "bar"
    return "hbar"


@dataclass(frozen=True)
class Chip:
    """An active filter, with the address of the same page without it."""

    name: str
    value: str
    remove_url: str


def chips(filters: SpendFilters, base_url: str, labels: dict, **page) -> list[Chip]:
    """The active filters; `labels` maps (param, value) to a name where one is known."""
    result = []
    for field, value in filters.active():
        param = FILTER_COLUMNS[field].param
        shown = labels.get((param, value)) or value_label(param, value)
        result.append(
            Chip(
                str(FILTER_NAMES.get(param, param)),
                shown,
                base_url + query_string(filters.without(field, value), **page),
            )
        )
    return result
