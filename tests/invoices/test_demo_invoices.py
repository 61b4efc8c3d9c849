import pytest
from django.core.management import call_command

from keino.invoices.management.commands.demo_invoices import DEMO_ROWS
from keino.invoices.models import InvoiceDataset


@pytest.mark.django_db
def test_demo_organisations_get_one_imported_dataset_each_and_a_rerun_adds_none():
    call_command("demo_data", "--json")
    call_command("demo_invoices")
    call_command("demo_invoices")
    datasets = InvoiceDataset.objects.visible().select_related("organisation")
    assert {d.organisation.slug: d.rows_read for d in datasets} == DEMO_ROWS
    for dataset in datasets:
        assert dataset.rows_read == dataset.rows_accepted + dataset.rows_rejected
        assert 0 < dataset.rows_rejected < dataset.rows_read // 1000
        assert dataset.layout == "kuntaliitto_2021"
