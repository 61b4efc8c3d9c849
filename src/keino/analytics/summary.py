"""Bundles of selectors: what `keino spend_summary` prints and what the dashboard shows.

Both read the same selectors on one DuckDB connection, so the command line and the web page
cannot disagree.
"""

from dataclasses import asdict, dataclass
from decimal import Decimal

from keino.analytics.dimensions import DIMENSIONS
from keino.analytics.engine import SpendScope, opened
from keino.analytics.filters import NO_FILTERS, SpendFilters
from keino.analytics.selectors import (
    Breakdown,
    Concentration,
    KeyFigures,
    Locality,
    YearSpend,
    concentration,
    filter_options,
    key_figures,
    spend_breakdown,
    spend_by_account_group,
    spend_by_year,
    supplier_locality,
    top_suppliers,
)

# How many rows each panel of the dashboard's overview shows; the breakdown pages show all.
PANEL_ROWS = 10


def plain(value):
    """Decimals as exact strings, in dicts and lists too: ready for JSON."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def spend_summary(scope: SpendScope, filters: SpendFilters = NO_FILTERS, *, top: int = 20) -> dict:
    with opened(scope) as scope:
        return {
            "datasets": [dataset_id for dataset_id, _file, _year in scope.files],
            "key_figures": plain(asdict(key_figures(scope, filters))),
            "by_year": [plain(asdict(row)) for row in spend_by_year(scope, filters)],
            "by_account_group": [
                plain(asdict(row)) for row in spend_by_account_group(scope, filters)
            ],
            "top_suppliers": [
                plain(asdict(row)) for row in top_suppliers(scope, filters, limit=top)
            ],
            "locality": plain(asdict(supplier_locality(scope, filters))),
            "concentration": plain(asdict(concentration(scope, filters))),
        }


@dataclass(frozen=True)
class Overview:
    key_figures: KeyFigures
    by_year: list[YearSpend]
    panels: dict[str, Breakdown]  # dimension name → its largest rows (all, for time)
    locality: Locality
    concentration: Concentration
    options: dict[str, list]


OVERVIEW_PANELS = (
    "year",
    "period",
    "account_group",
    "board",
    "supplier",
    "supplier_type",
    "region",
    "industry_section",
)


def dashboard_overview(scope: SpendScope, filters: SpendFilters = NO_FILTERS) -> Overview:
    """Everything the dashboard's first page shows, in one go."""
    with opened(scope) as scope:
        return Overview(
            key_figures=key_figures(scope, filters),
            by_year=spend_by_year(scope, filters),
            panels={
                name: spend_breakdown(
                    scope,
                    filters,
                    name,
                    limit=None if DIMENSIONS[name].chronological else PANEL_ROWS,
                )
                for name in OVERVIEW_PANELS
            },
            locality=supplier_locality(scope, filters),
            concentration=concentration(scope, filters),
            options=filter_options(scope),
        )
