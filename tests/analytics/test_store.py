"""The spend store: built once per set of visible datasets, scoped to one organisation, and
joined per connection with the supplier register, whose changes need no rebuild."""

from decimal import Decimal as D

import duckdb
import pytest
from django.conf import settings

from keino.analytics import engine
from keino.analytics.engine import spend_scope, spend_store_prepare, store_path
from keino.analytics.filters import NO_FILTERS, SpendFilters
from keino.analytics.selectors import (
    Concentration,
    KeyFigures,
    Locality,
    concentration,
    filter_options,
    key_figures,
    spend_breakdown,
    spend_by_month,
    spend_line_rows,
    spend_lines,
    supplier_locality,
)
from keino.analytics.summary import dashboard_overview
from keino.invoices.models import DatasetStatus, InvoiceDataset
from keino.invoices.services import invoice_dataset_delete
from keino.suppliers.models import Municipality, Supplier, SupplierType
from tests.analytics.conftest import ELSEWHERE_ID, REGIONAL_ID, TESTI_ID
from tests.conftest import make_organisation


def totals(breakdown) -> list[tuple]:
    return [(row.key, row.total) for row in breakdown.rows]


# Built once ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_store_is_built_once_and_then_reused(spend, monkeypatch):
    path = spend_store_prepare(spend.scope)
    assert path.parent == settings.DATA_DIR / "analytics" / str(spend.buyer.pk)
    assert path.suffix == ".duckdb"
    built = path.stat().st_mtime_ns

    def no_rebuild(connection, scope):
        raise AssertionError("the store was built again")

    monkeypatch.setattr(engine, "_build_store", no_rebuild)
    assert spend_store_prepare(spend.scope) == path
    # Asking questions opens the store read-only: it is neither rebuilt nor changed.
    assert key_figures(spend.scope).total == D("2890.00")
    assert path.stat().st_mtime_ns == built
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no partial files


@pytest.mark.django_db
def test_the_store_holds_the_star_schema(spend):
    connection = duckdb.connect(str(spend_store_prepare(spend.scope)), read_only=True)
    try:

        def count(sql: str) -> int:
            return connection.execute(sql).fetchone()[0]

        assert count("SELECT COUNT(*) FROM facts") == 12
        assert count("SELECT COUNT(DISTINCT voucher_id) FROM facts") == 11
        # A row per value, the empty one too: accounts 4340, 4470, 4500, 489999 and none
        assert count("SELECT COUNT(*) FROM accounts") == 5
        assert count("SELECT COUNT(*) FROM boards") == 3  # two boards and none
        assert count("SELECT COUNT(*) FROM result_units") == 4
        assert count("SELECT COUNT(*) FROM cost_centres") == 5
        assert count("SELECT COUNT(*) FROM supplier_keys") == 8  # seven suppliers and none
        assert connection.execute(
            "SELECT period, month FROM facts WHERE fiscal_year = 2024 AND row_number = 7"
        ).fetchone() == (202404, 4)
    finally:
        connection.close()


# The set of visible datasets ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_deleted_dataset_changes_the_store_and_its_lines_disappear(spend):
    before = spend_store_prepare(spend.scope)
    assert key_figures(spend.scope).lines == 12
    invoice_dataset_delete(dataset=spend.dataset_2024)
    after = store_path(spend.scope)
    assert after != before
    # Only 2023: 2000 in six lines and five vouchers from Paikallinen, Turun Tukku,
    # Helsingin Yhdistys and Testi Oy
    assert key_figures(spend.scope) == KeyFigures(
        D("2000.00"), 6, 5, 4, D("333.33"), 1, D("-50.00"), D("0.1667")
    )
    assert totals(spend_breakdown(spend.scope, NO_FILTERS, "year")) == [(2023, D("2000.00"))]
    # The store of the earlier set is removed when the new one is built.
    assert after.exists() and not before.exists()


@pytest.mark.django_db
def test_a_dataset_being_imported_again_is_not_counted(spend):
    InvoiceDataset.objects.filter(pk=spend.dataset_2023.pk).update(status=DatasetStatus.IMPORTING)
    assert [dataset_id for dataset_id, _f, _y in spend.scope.files] == [spend.dataset_2024.pk]
    assert (key_figures(spend.scope).total, key_figures(spend.scope).lines) == (D("890.00"), 6)


@pytest.mark.django_db
def test_chosen_datasets_have_their_own_store_beside_the_whole(spend):
    whole = spend_store_prepare(spend.scope)
    chosen = spend_scope(spend.buyer, dataset_ids=[spend.dataset_2024.pk])
    assert not chosen.whole
    assert spend_store_prepare(chosen) != whole
    assert key_figures(chosen).total == D("890.00")
    assert whole.exists()  # a chosen few do not replace the organisation's store


# Organisations -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_organisation_without_datasets_gets_zeros_and_empty_results(spend):
    empty = spend_scope(make_organisation("tyhja", municipality_code="577"))
    assert empty.files == ()
    assert key_figures(empty) == KeyFigures(D("0.00"), 0, 0, 0, None, 0, D("0.00"), None)
    for name in ("year", "period", "board", "supplier", "locality", "industry"):
        breakdown = spend_breakdown(empty, NO_FILTERS, name)
        assert (breakdown.rows, breakdown.row_count, breakdown.whole) == ([], 0, D("0.00"))
    assert supplier_locality(empty) == Locality(
        D("0.00"), D("0.00"), D("0.00"), D("0.00"), None, None, None
    )
    assert concentration(empty) == Concentration(0, None, None)
    assert spend_lines(empty) == ([], 0)
    assert list(spend_line_rows(empty)) == []
    assert spend_by_month(empty) == []
    assert filter_options(empty) == {
        "year": [],
        "board": [],
        "account_group": [],
        "supplier_type": [],
        "locality": [],
        "region": [],
        "industry_section": [],
    }
    overview = dashboard_overview(empty)
    assert overview.key_figures.lines == 0
    assert all(panel.rows == [] for panel in overview.panels.values())


@pytest.mark.django_db
def test_another_organisations_lines_never_appear(spend):
    # The other organisation bought 7000 from the same local supplier and 3000 from Vieras Oy.
    assert key_figures(spend.scope).total == D("2890.00")
    suppliers = spend_breakdown(spend.scope, NO_FILTERS, "supplier")
    assert "Vieras Oy" not in [row.key for row in suppliers.rows]
    assert suppliers.rows[0].total == D("1650.00")  # not 1650 + 7000
    assert "Vieras lautakunta" not in [
        row.key for row in spend_breakdown(spend.scope, NO_FILTERS, "board").rows
    ]
    # Naming its dataset does not reach it: as a filter, or as a chosen dataset.
    other_id = spend.other_dataset.pk
    assert key_figures(spend.scope, SpendFilters(datasets=(other_id,))).lines == 0
    assert spend_scope(spend.buyer, dataset_ids=[other_id]).files == ()
    assert key_figures(spend_scope(spend.buyer, dataset_ids=[other_id])).total == D("0.00")
    # Each organisation's own figures, and its own locality: the other one is in Turku, so
    # the Paimio supplier is regional to it.
    other = spend_scope(spend.other)
    assert key_figures(other).total == D("10000.00")
    assert totals(spend_breakdown(other, NO_FILTERS, "locality")) == [
        ("regional", D("7000.00")),
        ("unknown", D("3000.00")),
    ]
    assert store_path(other).parent != store_path(spend.scope).parent


# Changes that need no rebuild --------------------------------------------------------------


@pytest.mark.django_db
def test_register_changes_are_seen_without_a_rebuild(spend, register):
    path = spend_store_prepare(spend.scope)
    built = path.stat().st_mtime_ns
    assert supplier_locality(spend.scope).regional == D("2040.00")  # 1650 + 390

    # Turun Tukku moves to Helsinki; Testi Oy enters the register in Turku.
    moved = register[REGIONAL_ID]
    moved.municipality_code, moved.municipality = "091", Municipality.objects.get(code="091")
    moved.save()
    Supplier.objects.create(
        business_id=TESTI_ID,
        name="Testi Osakeyhtiö",
        municipality_code="853",
        municipality=Municipality.objects.get(code="853"),
        supplier_type=SupplierType.COMPANY,
        tol_code="43210",
        tol_name="Sähköasennus",
    )

    # Local 1650; regional 1650 + Testi 150; unknown 450 - 150
    assert supplier_locality(spend.scope) == Locality(
        D("2890.00"),
        D("1650.00"),
        D("1800.00"),
        D("300.00"),
        D("0.5709"),
        D("0.6228"),  # 1800 / 2890 = 0.62284
        D("0.1038"),  # 300 / 2890 = 0.10381
    )
    assert totals(spend_breakdown(spend.scope, NO_FILTERS, "region")) == [
        ("Varsinais-Suomi", D("1800.00")),
        ("Uusimaa", D("790.00")),  # Helsingin 400 + Turun Tukku 390
        (None, D("300.00")),
    ]
    testi = spend_breakdown(spend.scope, NO_FILTERS, "supplier", search=TESTI_ID).rows[0]
    assert testi.label == "Testi Osakeyhtiö"  # the register's name now
    assert totals(spend_breakdown(spend.scope, NO_FILTERS, "industry_section")) == [
        ("J", D("1650.00")),
        ("S", D("400.00")),
        ("G", D("390.00")),
        (None, D("300.00")),  # 450 - 150
        ("F", D("150.00")),  # Testi Oy's 43210
    ]

    # Helsingin Yhdistys leaves the register: its place is unknown, its type from its name.
    Supplier.objects.filter(business_id=ELSEWHERE_ID).delete()
    assert supplier_locality(spend.scope).unknown == D("700.00")  # 300 + 400
    assert ("association_foundation", D("520.00")) in totals(
        spend_breakdown(spend.scope, NO_FILTERS, "supplier_type")
    )
    assert path.stat().st_mtime_ns == built
    assert store_path(spend.scope) == path


@pytest.mark.django_db
def test_a_change_of_the_buyers_municipality_is_seen_without_a_rebuild(spend):
    path = spend_store_prepare(spend.scope)
    spend.buyer.municipality_code = "853"
    spend.buyer.save()
    # From Turku: Turun Tukku is local (390); Paimio is in the same region (1650 + 390)
    assert totals(spend_breakdown(spend.scope, NO_FILTERS, "locality")) == [
        ("regional", D("1650.00")),
        ("unknown", D("450.00")),
        ("elsewhere", D("400.00")),
        ("local", D("390.00")),
    ]
    assert store_path(spend.scope) == path


@pytest.mark.django_db
def test_a_change_of_a_municipalitys_region_is_seen(spend):
    assert ("Varsinais-Suomi", D("2040.00")) in totals(
        spend_breakdown(spend.scope, NO_FILTERS, "region")
    )
    turku = Municipality.objects.get(code="853")
    turku.region = "Satakunta"
    turku.save()
    # Turun Tukku (390) is now in Satakunta: elsewhere to a buyer in Varsinais-Suomi.
    assert totals(spend_breakdown(spend.scope, NO_FILTERS, "region")) == [
        ("Varsinais-Suomi", D("1650.00")),
        (None, D("450.00")),
        ("Uusimaa", D("400.00")),
        ("Satakunta", D("390.00")),
    ]
