"""Acceptance on the real data: at least 95 % of Paimio's spend gets a category."""

import csv
from decimal import Decimal as D

import pytest

from keino.analytics.engine import spend_scope
from keino.analytics.selectors import classification_coverage, largest_unclassified
from keino.categories.taxonomy import account_rules
from keino.invoices.services import invoice_dataset_import, invoice_file_store
from tests.analytics.test_spend_summary import PUBLISHED
from tests.conftest import make_organisation


@pytest.mark.django_db
def test_paimio_spend_is_classified_and_the_rest_is_listed(shared_data):
    folder = shared_data / "real" / "paimio"
    paimio = make_organisation("paimio", name="Paimion kaupunki", municipality_code="577")
    without_rule = D(0)
    for year in PUBLISHED:
        path = folder / f"ostolaskut_{year}.csv"
        with path.open("rb") as file:
            dataset = invoice_file_store(organisation=paimio, file=file, filename=path.name)
        invoice_dataset_import(dataset=dataset, fiscal_year=year)
        # Independently: the lines whose account has no platform rule (no register loaded,
        # so no industry rule applies either).
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                if row["Tilinumero"].strip() not in account_rules():
                    without_rule += D(row["Summa (alv 0 %)"])
    coverage = classification_coverage(spend_scope(paimio))
    assert coverage.whole == sum(D(total) for _rows, total in PUBLISHED.values())
    assert coverage.whole - coverage.classified == without_rule
    assert coverage.classified_share >= D("0.95")
    unclassified = largest_unclassified(spend_scope(paimio), by="account")
    assert sum(row.total for row in unclassified) == without_rule
