import io
from decimal import Decimal as D

import pytest

from keino.analytics.engine import spend_scope
from keino.analytics.filters import SpendFilters
from keino.analytics.selectors import (
    Concentration,
    concentration,
    key_figures,
    spend_by_account_group,
    spend_by_month,
    spend_by_year,
    top_suppliers,
)
from keino.invoices.models import DatasetStatus, InvoiceDataset
from keino.invoices.services import invoice_dataset_import, invoice_file_store

HEADER = "Tositenumero;Tositepäivämäärä;Toimittajan nimi;Toimittajan Y-tunnus;Tilinumero;Summa\n"
# Fiscal year 2023: Alfa 100 + 50 (voucher 1), Beta 30 on a materials account, and a credit
# note of -20 from Alfa. Fiscal year 2024: Alfa 200, and Gamma (no business id) 60 on an
# account outside the chart whose prefix 43 is services.
FILE_2023 = (
    HEADER + "1;15.01.2023;Alfa Oy;0136169-2;4340;100,00\n"
    "1;15.01.2023;Alfa Oy;0136169-2;4340;50,00\n"
    "2;03.02.2023;Beta Oy;0828255-9;4500;30,00\n"
    "3;20.02.2023;Alfa Oy;0136169-2;4340;-20,00\n"
)
FILE_2024 = (
    HEADER + "7;10.01.2024;Alfa Oy;0136169-2;4340;200,00\n8;11.03.2024;Gamma Tmi;;439900;60,00\n"
)


def imported(organisation, content: str, name: str) -> InvoiceDataset:
    dataset = invoice_file_store(
        organisation=organisation, file=io.BytesIO(content.encode()), filename=name
    )
    return invoice_dataset_import(dataset=dataset)


@pytest.fixture
def scope(org_a, org_b):
    imported(org_a, FILE_2023, "2023.csv")
    imported(org_a, FILE_2024, "2024.csv")
    # Another organisation's data and an unfinished import must never be counted.
    imported(org_b, FILE_2024, "other.csv")
    unfinished = imported(org_a, FILE_2024.replace("200,00", "9999,00"), "unfinished.csv")
    InvoiceDataset.objects.filter(pk=unfinished.pk).update(status=DatasetStatus.IMPORTING)
    return spend_scope(org_a)


@pytest.mark.django_db
def test_key_figures(scope):
    figures = key_figures(scope)
    assert figures.total == D("420.00")  # 100 + 50 + 30 - 20 + 200 + 60
    assert figures.lines == 6
    assert figures.vouchers == 5  # voucher 1 has two lines
    assert figures.suppliers == 3  # Alfa, Beta and Gamma (by name: it has no business id)
    assert figures.average_line == D("70.00")
    assert (figures.credit_note_lines, figures.credit_note_sum) == (1, D("-20.00"))
    assert figures.credit_note_line_share == D("0.1667")


@pytest.mark.django_db
def test_spend_by_fiscal_year_with_change(scope):
    years = spend_by_year(scope)
    assert [(y.year, y.lines, y.total) for y in years] == [
        (2023, 4, D("160.00")),
        (2024, 2, D("260.00")),
    ]
    assert years[0].change is None
    assert years[1].change == D("0.6250")  # (260 - 160) / 160


@pytest.mark.django_db
def test_spend_by_month(scope):
    assert [(m.year, m.month, m.total) for m in spend_by_month(scope)] == [
        (2023, 1, D("150.00")),
        (2023, 2, D("10.00")),
        (2024, 1, D("200.00")),
        (2024, 3, D("60.00")),
    ]


@pytest.mark.django_db
def test_spend_by_account_group_uses_the_chart_and_prefixes(scope):
    groups = spend_by_account_group(scope)
    assert [(g.group, g.lines, g.total, g.share) for g in groups] == [
        ("Palvelujen ostot", 5, D("390.00"), D("0.9286")),
        ("Aineet, tarvikkeet ja tavarat", 1, D("30.00"), D("0.0714")),
    ]


@pytest.mark.django_db
def test_top_suppliers_with_shares_and_pareto(scope):
    suppliers = top_suppliers(scope, limit=2)
    assert [(s.name, s.business_id, s.total, s.share, s.cumulative_share) for s in suppliers] == [
        ("Alfa Oy", "0136169-2", D("330.00"), D("0.7857"), D("0.7857")),
        ("Gamma Tmi", None, D("60.00"), D("0.1429"), D("0.9286")),
    ]


@pytest.mark.django_db
def test_filters_combine(scope):
    filters = SpendFilters(years=(2023,), suppliers=("0136169-2",))
    figures = key_figures(scope, filters)
    assert (figures.total, figures.lines) == (D("130.00"), 3)
    assert key_figures(scope, SpendFilters(months=(2,))).total == D("10.00")
    assert key_figures(
        scope, SpendFilters(account_groups=("Aineet, tarvikkeet ja tavarat",))
    ).total == D("30.00")


@pytest.mark.django_db
def test_an_organisation_without_data_gets_zeros(org_b):
    from tests.conftest import make_organisation

    empty = spend_scope(make_organisation("tyhja"))
    figures = key_figures(empty)
    assert (figures.total, figures.lines, figures.average_line) == (D("0.00"), 0, None)
    assert spend_by_year(empty) == []
    assert top_suppliers(empty) == []


@pytest.mark.django_db
def test_concentration_top10_share_and_hhi(scope):
    # Positive net spend: Alfa 330, Gamma 60, Beta 30 = 420. All three are in the top ten.
    # HHI = (100·330/420)² + (100·60/420)² + (100·30/420)² = 6173.47 + 204.08 + 51.02 = 6428.6
    result = concentration(scope)
    assert (result.suppliers, result.top10_share, result.hhi) == (3, D("1.0000"), D("6428.6"))
    only_2024 = concentration(scope, SpendFilters(years=(2024,)))
    # 2024: Alfa 200, Gamma 60 → (100·200/260)² + (100·60/260)² = 5917.16 + 532.54 = 6449.7
    assert (only_2024.suppliers, only_2024.hhi) == (2, D("6449.7"))
    assert concentration(scope, SpendFilters(years=(1999,))) == Concentration(0, None, None)
