"""The City of Paimio's published purchase invoices import to their published totals.

The files live in ../shared/data/real/paimio (not part of a clone: the test skips without
them). Each year is checked against the README's figures and against a computation with
the csv module and Decimal that shares no code with the importer.
"""

import csv
from decimal import Decimal

import pytest

from tests.invoices.fixtures import import_file

PUBLISHED = {
    2020: (15_331, Decimal("42147443.24")),
    2021: (16_528, Decimal("46682619.39")),
    2022: (13_268, Decimal("47077909.91")),
    2023: (11_613, Decimal("16887773.59")),
    2024: (11_611, Decimal("25297653.95")),
    2025: (11_989, Decimal("20936542.51")),
}


def independent_totals(path) -> tuple[int, Decimal, dict[str, dict]]:
    rows, total, by_year = 0, Decimal(0), {}
    with path.open(encoding="utf-8", newline="") as file:
        for record in csv.DictReader(file):
            amount = Decimal(record["Summa (alv 0 %)"])
            year = by_year.setdefault(record["Tositekuukausi"][:4], {"rows": 0, "sum": 0})
            year["rows"] += 1
            year["sum"] += amount
            rows += 1
            total += amount
    return (
        rows,
        total,
        {y: {"rows": v["rows"], "sum": f"{v['sum']:.2f}"} for y, v in by_year.items()},
    )


@pytest.mark.shared_data
@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_paimio_year_imports_to_its_published_totals(shared_data, tmp_path, year):
    path = shared_data / "real" / "paimio" / f"ostolaskut_{year}.csv"
    rows, total = PUBLISHED[year]
    result = import_file(path, tmp_path / "out")
    outcome = result.outcome
    assert result.layout.code == "paimio"
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (rows, rows, 0)
    assert outcome.sum_accepted == total
    assert sum(result.column("amount")) == total  # what was written to Parquet

    assert independent_totals(path) == (rows, total, outcome.by_year)
    # The fiscal year's own months hold most of its lines.
    assert max(outcome.by_year, key=lambda y: outcome.by_year[y]["rows"]) == str(year)
    # Nothing but months and flagged business ids to report.
    assert set(outcome.problem_counts) <= {"business_id_invalid"}
    assert set(result.warning_codes()) <= {"dates_are_months", "business_ids_invalid"}
