"""Acceptance on the real data: Paimio's six yearly files and its business-register extract.

The dashboard's yearly sums must equal the published ones, and the local share (suppliers in
Paimio, 577) and the regional share (Varsinais-Suomi) must appear.
"""

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from keino.invoices.services import invoice_dataset_import, invoice_file_store
from keino.organisations.models import Role
from keino.organisations.services import membership_set
from keino.suppliers.services import supplier_register_import
from tests.analytics.test_spend_summary import PUBLISHED
from tests.conftest import make_organisation, make_user
from tests.dashboard.conftest import csv_rows


@pytest.mark.django_db
def test_paimio_dashboard_years_equal_the_published_sums_with_local_and_regional_shares(
    shared_data,
):
    folder = shared_data / "real" / "paimio"
    paimio = make_organisation("paimio", name="Paimion kaupunki", municipality_code="577")
    for year in PUBLISHED:
        with (folder / f"ostolaskut_{year}.csv").open("rb") as file:
            dataset = invoice_file_store(
                organisation=paimio, file=file, filename=f"ostolaskut_{year}.csv"
            )
        invoice_dataset_import(dataset=dataset, fiscal_year=year)
    supplier_register_import(path=folder / "suppliers_business_register.json")
    user = make_user("paimio-analyst")
    membership_set(organisation=paimio, user=user, role=Role.ANALYST)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)

    years = reverse("dashboard:breakdown", kwargs={"org_slug": "paimio", "dimension": "year"})
    rows = csv_rows(client.get(years + "?export=csv"))
    assert {int(row[1]): (int(row[3]), row[4]) for row in rows[1:]} == PUBLISHED

    overview = reverse("dashboard:overview", kwargs={"org_slug": "paimio"})
    figures = dict(csv_rows(client.get(overview + "?export=csv"))[1:])
    local = D(figures["Local share (our municipality)"])
    regional = D(figures["Regional share (our region)"])
    assert 0 < local < regional < 1
    page = client.get(overview).content.decode()
    assert "Local share" in page and "Regional share" in page

    # Drilling into the local suppliers: their spend is the local share of the total.
    localities = reverse(
        "dashboard:breakdown", kwargs={"org_slug": "paimio", "dimension": "locality"}
    )
    by_locality = {
        row[1]: D(row[4]) for row in csv_rows(client.get(localities + "?export=csv"))[1:]
    }
    total = sum(by_locality.values())
    assert (by_locality["local"] / total).quantize(D("0.0001")) == local
    assert ((by_locality["local"] + by_locality["regional"]) / total).quantize(
        D("0.0001")
    ) == regional
