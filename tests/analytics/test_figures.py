"""Key figures, locality, concentration, the lines behind a figure, options and the overview.

Figures of the tiny fixture of conftest.py, summed by hand; concentration and the order of
lines also use their own small files below.
"""

from dataclasses import astuple
from datetime import date
from decimal import Decimal as D

import pytest

from keino.analytics.dimensions import DIMENSIONS
from keino.analytics.engine import spend_scope
from keino.analytics.filters import NO_FILTERS, NONE_KEY, SpendFilters
from keino.analytics.selectors import (
    LINE_COLUMNS,
    Concentration,
    KeyFigures,
    Locality,
    SpendLine,
    concentration,
    filter_options,
    key_figures,
    spend_breakdown,
    spend_by_year,
    spend_line_rows,
    spend_lines,
    supplier_locality,
)
from keino.analytics.summary import OVERVIEW_PANELS, PANEL_ROWS, dashboard_overview
from tests.analytics.conftest import HEADER, REGIONAL_ID, imported
from tests.conftest import make_organisation


def line(voucher: str, day: str, supplier: str, amount: str) -> str:
    """A line of the conftest layout with only a voucher, a date, a supplier's name and a sum."""
    return f"{voucher};{day};{supplier};;4340;;Sivistyslautakunta;Opetus;100;Koulu;{amount}\n"


# Twelve suppliers with a positive net spend, 1000 in all: S01 300, S02 200, S03–S12 50 each.
# Hyvitys Oy's credit note (-30) exceeds its invoice (10): net -20, so it has no share.
MANY_SUPPLIERS = (
    HEADER
    + line("1", "01.02.2024", "S01 Oy", "300,00")
    + line("2", "01.02.2024", "S02 Oy", "200,00")
    + "".join(line(str(n), "01.02.2024", f"S{n:02d} Oy", "50,00") for n in range(3, 13))
    + line("13", "02.02.2024", "Hyvitys Oy", "10,00")
    + line("14", "03.02.2024", "Hyvitys Oy", "-30,00")
)


# Key figures -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_key_figures(spend):
    assert key_figures(spend.scope) == KeyFigures(
        total=D("2890.00"),
        lines=12,
        # Per dataset: V1–V5 in 2023 and V1–V6 in 2024. By number alone it would be 6.
        vouchers=11,
        # Eight supplier keys, less the line without a name or a business id
        suppliers=7,
        average_line=D("240.83"),  # 2890 / 12 = 240.833
        credit_note_lines=1,
        credit_note_sum=D("-50.00"),
        credit_note_line_share=D("0.0833"),  # 1 / 12
    )


@pytest.mark.django_db
def test_key_figures_under_filters(spend):
    assert key_figures(spend.scope, SpendFilters(years=(2024,))) == KeyFigures(
        total=D("890.00"),
        lines=6,
        vouchers=6,
        # Paikallinen, Jokin, Esimerkin, Nimetön, Turun Tukku; row 7 has no supplier
        suppliers=5,
        average_line=D("148.33"),  # 890 / 6 = 148.333
        credit_note_lines=0,
        credit_note_sum=D("0.00"),
        credit_note_line_share=D("0.0000"),
    )
    only_without = key_figures(spend.scope, SpendFilters(suppliers=(NONE_KEY,)))
    assert (only_without.total, only_without.lines, only_without.suppliers) == (D("40.00"), 1, 0)
    nothing = key_figures(spend.scope, SpendFilters(years=(1999,)))
    assert nothing == KeyFigures(D("0.00"), 0, 0, 0, None, 0, D("0.00"), None)


# Locality ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_supplier_locality(spend):
    assert supplier_locality(spend.scope) == Locality(
        whole=D("2890.00"),
        local=D("1650.00"),  # Paimio, the buyer's municipality
        regional=D("2040.00"),  # the region includes the municipality: 1650 + Turku 390
        unknown=D("450.00"),  # not in the register: 150 + 120 + 80 + 60 + 40
        local_share=D("0.5709"),  # 1650 / 2890 = 0.57093
        regional_share=D("0.7059"),  # 2040 / 2890 = 0.70588
        unknown_share=D("0.1557"),  # 450 / 2890 = 0.15571
    )
    # 2024: local 500; regional 500 + 90; unknown 120 + 80 + 60 + 40
    assert supplier_locality(spend.scope, SpendFilters(years=(2024,))) == Locality(
        D("890.00"), D("500.00"), D("590.00"), D("300.00"), D("0.5618"), D("0.6629"), D("0.3371")
    )
    assert supplier_locality(spend.scope, SpendFilters(years=(1999,))) == Locality(
        D("0.00"), D("0.00"), D("0.00"), D("0.00"), None, None, None
    )


@pytest.mark.django_db
def test_a_buyer_without_a_municipality_knows_no_locality(spend):
    nowhere = make_organisation("nowhere", municipality_code="")
    imported(nowhere, spend.dataset_2023.original_path.read_text(), "2023.csv")
    locality = supplier_locality(spend_scope(nowhere))
    assert (locality.whole, locality.local, locality.regional, locality.unknown) == (
        D("2000.00"),
        D("0.00"),
        D("0.00"),
        D("2000.00"),
    )
    assert locality.unknown_share == D("1.0000")
    # The register's regions are still known; only the relation to the buyer is not.
    assert [r.key for r in spend_breakdown(spend_scope(nowhere), NO_FILTERS, "region").rows] == [
        "Varsinais-Suomi",  # 1150 + 300
        "Uusimaa",  # 400
        None,  # 150
    ]


# Concentration -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_concentration_of_the_top_ten_among_more_suppliers(org_b):
    imported(org_b, MANY_SUPPLIERS, "many.csv")
    # Top ten: 300 + 200 + 8 · 50 = 900 of 1000.
    # HHI: 30² + 20² + 10 · 5² = 900 + 400 + 250 = 1550.
    assert concentration(spend_scope(org_b)) == Concentration(12, D("0.9000"), D("1550.0"))
    # Without S01: 200 + 10 · 50 = 700; top ten 200 + 9 · 50 = 650 → 0.9286;
    # HHI (100·200/700)² + 10 · (100·50/700)² = 816.33 + 10 · 51.02 = 1326.5
    without_s01 = concentration(
        spend_scope(org_b),
        SpendFilters(suppliers=tuple(f"S{n:02d} Oy" for n in range(2, 13))),
    )
    assert without_s01 == Concentration(11, D("0.9286"), D("1326.5"))


@pytest.mark.django_db
def test_concentration_of_one_year(spend):
    # 2023: Paikallinen 1000 + 200 - 50 = 1150, Helsingin 400, Turun Tukku 300, Testi 150 = 2000
    # HHI: 57.5² + 20² + 15² + 7.5² = 3306.25 + 400 + 225 + 56.25 = 3987.5
    assert concentration(spend.scope, SpendFilters(years=(2023,))) == Concentration(
        4, D("1.0000"), D("3987.5")
    )
    assert concentration(spend.scope, SpendFilters(years=(1999,))) == Concentration(0, None, None)


@pytest.mark.django_db
def test_concentration_leaves_out_lines_without_a_supplier(spend):
    # As key_figures: the 40 of the line without a name or business id is nobody's.
    # Seven suppliers, 2850: HHI = 10⁴ · (1650² + 400² + 390² + 150² + 120² + 80² + 60²) / 2850²
    # = 10⁴ · 3 081 500 / 8 122 500 = 3793.8
    assert key_figures(spend.scope).suppliers == 7
    assert concentration(spend.scope) == Concentration(7, D("1.0000"), D("3793.8"))


# The lines behind a figure -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_of_lines_with_every_column(spend):
    lines, count = spend_lines(spend.scope, limit=2, offset=10)
    assert count == 12
    assert lines == [
        SpendLine(
            spend.dataset_2024.pk,
            6,
            date(2024, 3, 5),
            "V5",
            "Turun Tukku Oy",
            REGIONAL_ID,
            None,  # no account
            None,
            "Tekninen lautakunta",
            "Kadut",
            "9000",
            D("90.00"),
        ),
        SpendLine(
            spend.dataset_2024.pk,
            7,
            date(2024, 4, 20),
            "V6",
            None,  # no supplier
            None,
            "4340",
            "Asiantuntijapalvelut",
            "Sivistyslautakunta",
            "Opetus",
            "Koulu",
            D("40.00"),
        ),
    ]
    first, _count = spend_lines(spend.scope, limit=3)
    assert [(x.row_number, x.amount) for x in first] == [
        (2, D("1000.00")),
        (3, D("200.00")),
        (4, D("300.00")),
    ]
    filtered, filtered_count = spend_lines(spend.scope, SpendFilters(months=(3,)), limit=50)
    assert filtered_count == 4
    assert [x.amount for x in filtered] == [D("150.00"), D("-50.00"), D("60.00"), D("90.00")]


@pytest.mark.django_db
def test_lines_are_ordered_by_date_then_dataset_and_row(org_b):
    first = imported(
        org_b,
        HEADER
        + line("1", "20.03.2024", "A Oy", "1,00")
        + line("2", "01.03.2024", "B Oy", "2,00")
        + line("3", "10.03.2024", "C Oy", "3,00"),
        "first.csv",
    )
    second = imported(org_b, HEADER + line("9", "05.03.2024", "D Oy", "4,00"), "second.csv")
    lines, count = spend_lines(spend_scope(org_b))
    assert count == 4
    assert [(x.dataset_id, x.row_number, x.voucher_date.day) for x in lines] == [
        (first.pk, 3, 1),
        (second.pk, 2, 5),
        (first.pk, 4, 10),
        (first.pk, 2, 20),
    ]


@pytest.mark.django_db
def test_all_line_rows_are_the_lines_as_tuples(spend):
    assert LINE_COLUMNS[:3] == ["dataset_id", "row_number", "voucher_date"]
    assert LINE_COLUMNS[-1] == "amount"
    lines, _count = spend_lines(spend.scope, limit=100)
    rows = list(spend_line_rows(spend.scope, batch_size=5))  # batches of 5, 5 and 2
    assert len(rows) == 12
    assert rows == [astuple(x) for x in lines]
    assert sum(row[-1] for row in rows) == D("2890.00")
    assert list(spend_line_rows(spend.scope, SpendFilters(boards=(NONE_KEY,)))) == [
        astuple(
            SpendLine(
                spend.dataset_2024.pk,
                5,
                date(2024, 3, 5),
                "V4",
                "Nimetön Toimittaja",
                None,
                "4500",
                "Toimisto- ja koulutarvikkeet",
                None,
                "Yleishallinto",
                "Hallinto",
                D("60.00"),
            )
        )
    ]


# Options and the overview ------------------------------------------------------------------


@pytest.mark.django_db
def test_filter_options_are_the_values_present(spend):
    assert filter_options(spend.scope) == {
        "year": [2023, 2024],
        "board": ["Sivistyslautakunta", "Tekninen lautakunta"],
        "account_group": [
            "Aineet, tarvikkeet ja tavarat",
            "Muut toimintakulut",
            "Palvelujen ostot",
        ],
        "supplier_type": ["association_foundation", "company", "public_sector", "unknown"],
        "locality": ["elsewhere", "local", "regional", "unknown"],
        "region": ["Uusimaa", "Varsinais-Suomi"],
        "industry_section": ["G", "J", "S"],
    }
    only_2023 = spend_scope(spend.buyer, dataset_ids=[spend.dataset_2023.pk])
    # 2023 has no public sector (Esimerkin kaupunki) and no unknown (Nimetön, no supplier)
    assert filter_options(only_2023)["supplier_type"] == ["association_foundation", "company"]
    assert filter_options(only_2023)["year"] == [2023]


@pytest.mark.django_db
@pytest.mark.parametrize("filters", [NO_FILTERS, SpendFilters(years=(2024,))])
def test_the_overview_is_the_individual_selectors(spend, filters):
    scope = spend.scope
    overview = dashboard_overview(scope, filters)
    assert overview.key_figures == key_figures(scope, filters)
    assert overview.by_year == spend_by_year(scope, filters)
    assert overview.locality == supplier_locality(scope, filters)
    assert overview.concentration == concentration(scope, filters)
    assert overview.options == filter_options(scope)
    assert list(overview.panels) == list(OVERVIEW_PANELS)
    for name, panel in overview.panels.items():
        limit = None if DIMENSIONS[name].chronological else PANEL_ROWS
        assert panel == spend_breakdown(scope, filters, name, limit=limit)


@pytest.mark.django_db
def test_the_overview_on_the_fixture(spend):
    overview = dashboard_overview(spend.scope, SpendFilters(years=(2024,)))
    assert overview.key_figures.total == D("890.00")
    assert [(r.key, r.total) for r in overview.panels["board"].rows] == [
        ("Sivistyslautakunta", D("660.00")),  # 500 + 120 + 40
        ("Tekninen lautakunta", D("170.00")),  # 80 + 90
        (None, D("60.00")),
    ]
    assert [r.key for r in overview.panels["period"].rows] == [202401, 202402, 202403, 202404]


@pytest.mark.django_db
def test_the_overview_panels_show_the_ten_largest(org_b):
    imported(org_b, MANY_SUPPLIERS, "many.csv")
    panel = dashboard_overview(spend_scope(org_b)).panels["supplier"]
    assert len(panel.rows) == PANEL_ROWS == 10
    assert panel.row_count == 13  # twelve suppliers and Hyvitys Oy (net -20)
    assert panel.whole == D("980.00")  # 1000 - 20
    assert [(r.key, r.rank) for r in panel.rows[:2]] == [("S01 Oy", 1), ("S02 Oy", 2)]
