"""The dimensions spend can be broken down by, and where a click on one of their rows leads.

A dimension's name is also its filter's URL parameter: a row of the breakdown by `account`
drills down by adding `account=<key>` to the filters and opening the breakdown by `supplier`.
"""

from dataclasses import dataclass

from keino.analytics.filters import FIELD_OF_PARAM, FILTER_COLUMNS


@dataclass(frozen=True)
class Dimension:
    name: str
    drill: str | None  # the dimension a row opens next
    label_sql: str | None = None  # an aggregate over the dimension table naming a code
    chronological: bool = False  # ordered by key (time), not by spend

    @property
    def filter_field(self) -> str:
        return FIELD_OF_PARAM[self.name]

    @property
    def filter(self):
        return FILTER_COLUMNS[self.filter_field]

    @property
    def fact_column(self) -> str:
        """The column of `facts` the lines are first grouped by."""
        return self.filter.id_column or self.filter.column


DIMENSIONS = {
    dimension.name: dimension
    for dimension in [
        Dimension("year", "period", chronological=True),
        Dimension("period", "account_group", chronological=True),
        Dimension("account_group", "account"),
        Dimension("account", "supplier", "MIN(account_name)"),
        Dimension("board", "result_unit"),
        Dimension("result_unit", "cost_centre"),
        Dimension("cost_centre", "account"),
        Dimension("supplier", "account", "COALESCE(MIN(register_name), MIN(name))"),
        Dimension("supplier_type", "supplier"),
        Dimension("locality", "supplier"),
        Dimension("region", "municipality"),
        Dimension("municipality", "supplier", "MIN(municipality)"),
        Dimension("industry_section", "industry"),
        Dimension("industry", "supplier", "MIN(tol_name)"),
    ]
}
