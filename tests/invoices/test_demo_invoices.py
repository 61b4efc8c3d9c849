from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from keino.invoices.demo import default_years
from keino.invoices.management.commands.demo_invoices import DEMO_ROWS
from keino.invoices.models import InvoiceDataset
from keino.suppliers.models import Supplier


@pytest.mark.django_db
def test_demo_organisations_get_one_dataset_a_year_and_a_rerun_adds_none():
    call_command("demo_data", "--json")
    call_command("demo_invoices")
    call_command("demo_invoices")
    first, last = default_years()
    years = last - first + 1
    datasets = InvoiceDataset.objects.visible().select_related("organisation")
    rows = defaultdict(int)
    fiscal_years = defaultdict(list)
    for dataset in datasets:
        rows[dataset.organisation.slug] += dataset.rows_read
        fiscal_years[dataset.organisation.slug].append(dataset.fiscal_year)
        assert dataset.rows_read == dataset.rows_accepted + dataset.rows_rejected
        assert 0 < dataset.rows_rejected < dataset.rows_read // 1000
        assert dataset.layout == "kuntaliitto_2021"
        # Every voucher date of a yearly file is in its year.
        assert list(dataset.by_year) == [str(dataset.fiscal_year)]
    assert dict(rows) == {slug: total // years * years for slug, total in DEMO_ROWS.items()}
    for slug in DEMO_ROWS:
        assert sorted(fiscal_years[slug]) == list(range(first, last + 1))


@pytest.mark.django_db
def test_demo_suppliers_are_in_the_register_around_the_buyer():
    call_command("demo_data", "--json")
    call_command("demo_invoices")
    regions = Counter(
        Supplier.objects.filter(municipality__isnull=False).values_list(
            "municipality__region", flat=True
        )
    )
    # Demokaupunki is in Paimio (577), Varsinais-Suomi: its invented register puts about a
    # quarter of the suppliers elsewhere in that region and some in Paimio itself.
    assert Supplier.objects.filter(municipality_code="577").exists()
    assert regions["Varsinais-Suomi"] > Supplier.objects.filter(municipality_code="577").count()
    assert Supplier.objects.exclude(tol_code="").count() > 0.8 * Supplier.objects.count()
