"""The spend summary as plain data: what `keino spend_summary` prints and the dashboard shows."""

from dataclasses import asdict
from decimal import Decimal

from keino.analytics.engine import SpendScope
from keino.analytics.filters import NO_FILTERS, SpendFilters
from keino.analytics.selectors import (
    key_figures,
    spend_by_account_group,
    spend_by_year,
    top_suppliers,
)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def spend_summary(scope: SpendScope, filters: SpendFilters = NO_FILTERS, *, top: int = 20) -> dict:
    return {
        "datasets": [dataset_id for dataset_id, _file, _year in scope.files],
        "key_figures": _plain(asdict(key_figures(scope, filters))),
        "by_year": [_plain(asdict(row)) for row in spend_by_year(scope, filters)],
        "by_account_group": [_plain(asdict(row)) for row in spend_by_account_group(scope, filters)],
        "top_suppliers": [_plain(asdict(row)) for row in top_suppliers(scope, filters, limit=top)],
    }
