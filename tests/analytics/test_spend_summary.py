import csv
import json
from collections import defaultdict
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from stdnum.fi import ytunnus

from keino.analytics.engine import spend_scope
from keino.analytics.summary import spend_summary
from keino.invoices.services import invoice_dataset_import, invoice_file_store

# The published sums of Paimio's files, one per fiscal year (../shared/data/real/paimio/README.md).
PUBLISHED = {
    2020: (15331, "42147443.24"),
    2021: (16528, "46682619.39"),
    2022: (13268, "47077909.91"),
    2023: (11613, "16887773.59"),
    2024: (11611, "25297653.95"),
    2025: (11989, "20936542.51"),
}


def independent_top_suppliers(folder, count: int) -> list[tuple[str, D]]:
    """Sum the files with the csv module: a valid business id is the supplier, else its text."""
    totals: dict[str, D] = defaultdict(D)
    for year in PUBLISHED:
        with (folder / f"ostolaskut_{year}.csv").open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                bid = row["Toimittajan Y-tunnus"].strip()
                key = ytunnus.format(bid) if bid and ytunnus.is_valid(bid) else bid or None
                key = key or row["Toimittajan nimi"].strip()
                totals[key] += D(row["Summa (alv 0 %)"])
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:count]


@pytest.mark.django_db
def test_paimio_summary_matches_the_published_years_and_an_independent_count(
    org_a, shared_data, capsys
):
    folder = shared_data / "real" / "paimio"
    for year in PUBLISHED:
        with (folder / f"ostolaskut_{year}.csv").open("rb") as file:
            dataset = invoice_file_store(
                organisation=org_a, file=file, filename=f"ostolaskut_{year}.csv"
            )
        invoice_dataset_import(dataset=dataset, fiscal_year=year)

    call_command("spend_summary", "--org", org_a.slug, "--json")
    printed = json.loads(capsys.readouterr().out)

    assert {row["year"]: (row["lines"], row["total"]) for row in printed["by_year"]} == PUBLISHED
    assert printed["key_figures"]["lines"] == 80340
    assert D(printed["key_figures"]["total"]) == sum(D(total) for _, total in PUBLISHED.values())
    expected = independent_top_suppliers(folder, 20)
    assert [(row["key"], D(row["total"])) for row in printed["top_suppliers"]] == expected
    # What the command prints is what the dashboard's selectors compute.
    assert printed == {
        "organisation": org_a.slug,
        **json.loads(json.dumps(spend_summary(spend_scope(org_a)))),
    }
