"""spend_breakdown by every dimension on the tiny fixture of conftest.py, and filters combined.

Shares are of the whole, 2890, rounded to four places: 1650 / 2890 = 0.57093… → 0.5709.
Ranks and cumulative shares are by spend, largest first, whatever order the rows come in.
"""

from decimal import Decimal as D

import pytest

from keino.analytics.dimensions import DIMENSIONS
from keino.analytics.filters import NO_FILTERS, NONE_KEY, SpendFilters
from keino.analytics.selectors import key_figures, spend_breakdown, spend_lines
from tests.analytics.conftest import (
    ELSEWHERE_ID,
    JOKIN_ID,
    KAUPUNKI_ID,
    LOCAL_ID,
    NAMELESS,
    REGIONAL_ID,
    TESTI_ID,
)

# (key, label, rank, lines, total, share, cumulative share), in the default order: by spend,
# largest first, but by time (the key) for years and periods.
EXPECTED = {
    "year": [
        # 2023: 1000 + 200 + 300 + 400 + 150 - 50; 2024: 500 + 120 + 80 + 60 + 90 + 40
        (2023, None, 1, 6, "2000.00", "0.6920", "0.6920"),  # 2000 / 2890 = 0.69204
        (2024, None, 2, 6, "890.00", "0.3080", "1.0000"),  # 890 / 2890 = 0.30796
    ],
    "period": [
        # by key; ranks by spend: 1200 > 700 > 500 > 200 > 150 > 100 > 40
        (202301, None, 1, 2, "1200.00", "0.4152", "0.4152"),  # 1000 + 200
        (202302, None, 2, 2, "700.00", "0.2422", "0.6574"),  # 300 + 400; (1200 + 700) / 2890
        (202303, None, 6, 2, "100.00", "0.0346", "0.9862"),  # 150 - 50; 2850 / 2890
        (202401, None, 3, 1, "500.00", "0.1730", "0.8304"),  # 2400 / 2890 = 0.83045
        (202402, None, 4, 2, "200.00", "0.0692", "0.8997"),  # 120 + 80; 2600 / 2890
        (202403, None, 5, 2, "150.00", "0.0519", "0.9516"),  # 60 + 90; 2750 / 2890
        (202404, None, 7, 1, "40.00", "0.0138", "1.0000"),
    ],
    "account_group": [
        # 4340: 1000 - 50 + 500 + 40 = 1490; 4470: 400 + 120 + 80 = 600 → 2090 in 7 lines
        ("Palvelujen ostot", None, 1, 7, "2090.00", "0.7232", "0.7232"),
        # 4500: 200 + 300 + 60
        ("Aineet, tarvikkeet ja tavarat", None, 2, 3, "560.00", "0.1938", "0.9170"),
        # 489999, outside the chart: the group of prefix 48
        ("Muut toimintakulut", None, 3, 1, "150.00", "0.0519", "0.9689"),
        (None, None, 4, 1, "90.00", "0.0311", "1.0000"),  # the line without an account
    ],
    "account": [
        ("4340", "Asiantuntijapalvelut", 1, 4, "1490.00", "0.5156", "0.5156"),
        ("4470", "Muut palvelut", 2, 3, "600.00", "0.2076", "0.7232"),  # 2090 / 2890
        ("4500", "Toimisto- ja koulutarvikkeet", 3, 3, "560.00", "0.1938", "0.9170"),
        ("489999", "Muut kulut", 4, 1, "150.00", "0.0519", "0.9689"),  # 2800 / 2890
        (None, None, 5, 1, "90.00", "0.0311", "1.0000"),
    ],
    "board": [
        # 1000 + 200 + 300 - 50 + 500 + 120 + 40 = 2110
        ("Sivistyslautakunta", None, 1, 7, "2110.00", "0.7301", "0.7301"),
        # 400 + 150 + 80 + 90 = 720; (2110 + 720) / 2890 = 0.97924
        ("Tekninen lautakunta", None, 2, 4, "720.00", "0.2491", "0.9792"),
        (None, None, 3, 1, "60.00", "0.0208", "1.0000"),  # Nimetön Toimittaja's line
    ],
    "result_unit": [
        ("Opetus", None, 1, 5, "1690.00", "0.5848", "0.5848"),  # 1000 + 200 - 50 + 500 + 40
        ("Kadut", None, 2, 4, "720.00", "0.2491", "0.8339"),  # 2410 / 2890 = 0.83391
        ("Kirjasto", None, 3, 2, "420.00", "0.1453", "0.9792"),  # 300 + 120
        ("Yleishallinto", None, 4, 1, "60.00", "0.0208", "1.0000"),
    ],
    "cost_centre": [
        ("Koulu", None, 1, 5, "1690.00", "0.5848", "0.5848"),
        ("Katualueet", None, 2, 3, "630.00", "0.2180", "0.8028"),  # 400 + 150 + 80; 2320 / 2890
        ("Kirjasto", None, 3, 2, "420.00", "0.1453", "0.9481"),  # 2740 / 2890 = 0.94810
        ("9000", None, 4, 1, "90.00", "0.0311", "0.9792"),  # no name: the code
        ("Hallinto", None, 5, 1, "60.00", "0.0208", "1.0000"),
    ],
    "supplier": [
        # The register's name labels a registered supplier; 1000 + 200 - 50 + 500 = 1650
        (LOCAL_ID, "Paikallinen Osakeyhtiö", 1, 4, "1650.00", "0.5709", "0.5709"),
        (ELSEWHERE_ID, "Helsingin Yhdistys ry", 2, 1, "400.00", "0.1384", "0.7093"),
        (REGIONAL_ID, "Turun Tukku Oy", 3, 2, "390.00", "0.1349", "0.8443"),  # 300 + 90
        (TESTI_ID, "Testi Oy", 4, 1, "150.00", "0.0519", "0.8962"),  # 2590 / 2890
        (JOKIN_ID, "Jokin ry", 5, 1, "120.00", "0.0415", "0.9377"),
        (KAUPUNKI_ID, "Esimerkin kaupunki", 6, 1, "80.00", "0.0277", "0.9654"),
        (NAMELESS, NAMELESS, 7, 1, "60.00", "0.0208", "0.9862"),  # keyed by its name
        (None, None, 8, 1, "40.00", "0.0138", "1.0000"),  # no supplier at all
    ],
    "supplier_type": [
        # Register: Paikallinen 1650 + Turun Tukku 390; by name: Testi Oy 150
        ("company", None, 1, 7, "2190.00", "0.7578", "0.7578"),
        # Register: Helsingin Yhdistys 400; by name: Jokin ry 120
        ("association_foundation", None, 2, 2, "520.00", "0.1799", "0.9377"),
        # Nimetön Toimittaja 60 (no rule matches) + the line without a supplier 40
        ("unknown", None, 3, 2, "100.00", "0.0346", "0.9723"),
        ("public_sector", None, 4, 1, "80.00", "0.0277", "1.0000"),  # Esimerkin kaupunki
    ],
    "locality": [
        ("local", None, 1, 4, "1650.00", "0.5709", "0.5709"),  # Paimio 577, as the buyer
        # Not in the register: 150 + 120 + 80 + 60 + 40
        ("unknown", None, 2, 5, "450.00", "0.1557", "0.7266"),
        ("elsewhere", None, 3, 1, "400.00", "0.1384", "0.8651"),  # Helsinki, Uusimaa
        ("regional", None, 4, 2, "390.00", "0.1349", "1.0000"),  # Turku, Varsinais-Suomi
    ],
    "region": [
        ("Varsinais-Suomi", None, 1, 6, "2040.00", "0.7059", "0.7059"),  # 1650 + 390
        (None, None, 2, 5, "450.00", "0.1557", "0.8616"),  # 2490 / 2890 = 0.86159
        ("Uusimaa", None, 3, 1, "400.00", "0.1384", "1.0000"),
    ],
    "municipality": [
        ("577", "Paimio", 1, 4, "1650.00", "0.5709", "0.5709"),
        (None, None, 2, 5, "450.00", "0.1557", "0.7266"),
        ("091", "Helsinki", 3, 1, "400.00", "0.1384", "0.8651"),
        ("853", "Turku", 4, 2, "390.00", "0.1349", "1.0000"),
    ],
    "industry_section": [
        ("J", None, 1, 4, "1650.00", "0.5709", "0.5709"),  # 62010
        (None, None, 2, 5, "450.00", "0.1557", "0.7266"),
        ("S", None, 3, 1, "400.00", "0.1384", "0.8651"),  # 94990
        ("G", None, 4, 2, "390.00", "0.1349", "1.0000"),  # 46900
    ],
    "industry": [
        ("62010", "Ohjelmistojen suunnittelu ja valmistus", 1, 4, "1650.00", "0.5709", "0.5709"),
        (None, None, 2, 5, "450.00", "0.1557", "0.7266"),
        ("94990", "Muualla luokittelematon järjestötoiminta", 3, 1, "400.00", "0.1384", "0.8651"),
        ("46900", "Muu kuin erikoistunut tukkukauppa", 4, 2, "390.00", "0.1349", "1.0000"),
    ],
}


def rows(breakdown) -> list[tuple]:
    return [
        (r.key, r.label, r.rank, r.lines, r.total, r.share, r.cumulative_share)
        for r in breakdown.rows
    ]


def expected(name: str) -> list[tuple]:
    return [(*row[:4], *(D(value) for value in row[4:])) for row in EXPECTED[name]]


def test_every_dimension_is_tested():
    assert set(EXPECTED) == set(DIMENSIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(DIMENSIONS))
def test_breakdown_by_each_dimension(spend, name):
    breakdown = spend_breakdown(spend.scope, NO_FILTERS, name)
    assert breakdown.dimension == name
    assert rows(breakdown) == expected(name)
    assert (breakdown.row_count, breakdown.whole) == (len(EXPECTED[name]), D("2890.00"))
    assert sum(row.lines for row in breakdown.rows) == 12
    assert sum(row.total for row in breakdown.rows) == D("2890.00")


# Search, order and paging, on the breakdown by supplier --------------------------------------


def keys(breakdown) -> list:
    return [row.key for row in breakdown.rows]


@pytest.mark.django_db
def test_search_is_case_insensitive_in_the_label_and_keeps_ranks_and_the_whole(spend):
    found = spend_breakdown(spend.scope, NO_FILTERS, "supplier", search="OY")
    # "Turun Tukku Oy" and "Testi Oy"; not "Paikallinen Osakeyhtiö": its label is the
    # register's name, and the invoices' "Paikallinen Oy" is not searched.
    assert rows(found) == [
        (REGIONAL_ID, "Turun Tukku Oy", 3, 2, D("390.00"), D("0.1349"), D("0.8443")),
        (TESTI_ID, "Testi Oy", 4, 1, D("150.00"), D("0.0519"), D("0.8962")),
    ]
    assert (found.row_count, found.whole) == (2, D("2890.00"))


@pytest.mark.django_db
def test_search_in_the_key(spend):
    found = spend_breakdown(spend.scope, NO_FILTERS, "supplier", search="4567890")
    assert keys(found) == [ELSEWHERE_ID]
    assert (found.row_count, found.whole) == (1, D("2890.00"))
    # A period's key is a number: searched as its text.
    assert keys(spend_breakdown(spend.scope, NO_FILTERS, "period", search="2024")) == [
        202401,
        202402,
        202403,
        202404,
    ]


@pytest.mark.django_db
def test_search_finding_nothing_keeps_the_whole(spend):
    found = spend_breakdown(spend.scope, NO_FILTERS, "supplier", search="zzz")
    assert (found.rows, found.row_count, found.whole) == ([], 0, D("2890.00"))


@pytest.mark.django_db
def test_search_then_page(spend):
    # "ry": Helsingin Yhdistys ry (rank 2) and Jokin ry (rank 5)
    page = spend_breakdown(spend.scope, NO_FILTERS, "supplier", search="Ry", limit=1, offset=1)
    assert keys(page) == [JOKIN_ID]
    assert page.rows[0].rank == 5
    assert (page.row_count, page.whole) == (2, D("2890.00"))


@pytest.mark.django_db
def test_limit_and_offset_choose_a_page_of_the_rows(spend):
    page = spend_breakdown(spend.scope, NO_FILTERS, "supplier", limit=3, offset=2)
    assert [(r.key, r.rank) for r in page.rows] == [(REGIONAL_ID, 3), (TESTI_ID, 4), (JOKIN_ID, 5)]
    assert (page.row_count, page.whole) == (8, D("2890.00"))
    past_the_end = spend_breakdown(spend.scope, NO_FILTERS, "supplier", limit=5, offset=8)
    assert past_the_end.rows == []
    assert past_the_end.whole == D("2890.00")


@pytest.mark.django_db
def test_order_by_total_ascending(spend):
    ordered = spend_breakdown(spend.scope, NO_FILTERS, "supplier", order="total", descending=False)
    assert [row.total for row in ordered.rows] == [
        D(total) for total in ("40", "60", "80", "120", "150", "390", "400", "1650")
    ]
    assert [row.rank for row in ordered.rows] == [8, 7, 6, 5, 4, 3, 2, 1]


@pytest.mark.django_db
def test_order_by_lines_descending_with_ties_by_rank(spend):
    ordered = spend_breakdown(spend.scope, NO_FILTERS, "supplier", order="lines")
    # Paikallinen 4 lines, Turun Tukku 2, then the one-line suppliers by rank (2, 4, 5, 6, 7, 8)
    assert keys(ordered) == [
        LOCAL_ID,
        REGIONAL_ID,
        ELSEWHERE_ID,
        TESTI_ID,
        JOKIN_ID,
        KAUPUNKI_ID,
        NAMELESS,
        None,
    ]
    ascending = spend_breakdown(
        spend.scope, NO_FILTERS, "supplier", order="lines", descending=False
    )
    assert keys(ascending)[-2:] == [REGIONAL_ID, LOCAL_ID]


@pytest.mark.django_db
def test_order_by_key_puts_the_empty_key_last_both_ways(spend):
    ascending = spend_breakdown(spend.scope, NO_FILTERS, "supplier", order="key")
    assert keys(ascending) == [
        LOCAL_ID,
        REGIONAL_ID,
        ELSEWHERE_ID,
        TESTI_ID,
        JOKIN_ID,
        KAUPUNKI_ID,
        NAMELESS,
        None,
    ]
    descending = spend_breakdown(spend.scope, NO_FILTERS, "supplier", order="key", descending=True)
    assert keys(descending) == [
        NAMELESS,
        KAUPUNKI_ID,
        JOKIN_ID,
        TESTI_ID,
        ELSEWHERE_ID,
        REGIONAL_ID,
        LOCAL_ID,
        None,
    ]
    # Years are in time order by default, latest first when asked.
    assert keys(spend_breakdown(spend.scope, NO_FILTERS, "year", descending=True)) == [2024, 2023]


@pytest.mark.django_db
def test_order_by_label_ignores_case_and_falls_back_to_the_key(spend):
    ordered = spend_breakdown(spend.scope, NO_FILTERS, "supplier", order="label")
    # Lower-cased labels: esimerkin, helsingin, jokin, nimetön, paikallinen, testi, turun. The
    # row without a supplier has neither label nor key: last, as in every other order.
    assert [row.label for row in ordered.rows] == [
        "Esimerkin kaupunki",
        "Helsingin Yhdistys ry",
        "Jokin ry",
        NAMELESS,
        "Paikallinen Osakeyhtiö",
        "Testi Oy",
        "Turun Tukku Oy",
        None,
    ]
    # Cost centres have no label: their key is the label ("9000" sorts before letters).
    by_label = spend_breakdown(spend.scope, NO_FILTERS, "cost_centre", order="label")
    assert keys(by_label) == ["9000", "Hallinto", "Katualueet", "Kirjasto", "Koulu"]
    reverse = spend_breakdown(
        spend.scope, NO_FILTERS, "cost_centre", order="label", descending=True
    )
    assert keys(reverse) == ["Koulu", "Kirjasto", "Katualueet", "Hallinto", "9000"]


@pytest.mark.django_db
def test_an_unknown_dimension_or_order_is_refused(spend):
    with pytest.raises(KeyError):
        spend_breakdown(spend.scope, NO_FILTERS, "colour")
    with pytest.raises(KeyError):
        spend_breakdown(spend.scope, NO_FILTERS, "supplier", order="colour")


# Filters combined --------------------------------------------------------------------------


def figures(spend, **filters) -> tuple:
    result = key_figures(spend.scope, SpendFilters(**filters))
    return result.total, result.lines


@pytest.mark.django_db
def test_a_year_and_a_supplier_type(spend):
    # 2024 companies: Paikallinen 500 + Turun Tukku 90 (Testi Oy's line is of 2023)
    assert figures(spend, years=(2024,), supplier_types=("company",)) == (D("590.00"), 2)
    by_supplier = spend_breakdown(
        spend.scope, SpendFilters(years=(2024,), supplier_types=("company",)), "supplier"
    )
    assert [(r.key, r.total, r.share) for r in by_supplier.rows] == [
        (LOCAL_ID, D("500.00"), D("0.8475")),  # 500 / 590 = 0.84746
        (REGIONAL_ID, D("90.00"), D("0.1525")),
    ]
    assert by_supplier.whole == D("590.00")


@pytest.mark.django_db
def test_a_region_and_an_account_group(spend):
    # Varsinais-Suomi suppliers (Paikallinen, Turun Tukku) on 4500: 200 + 300
    assert figures(
        spend, regions=("Varsinais-Suomi",), account_groups=("Aineet, tarvikkeet ja tavarat",)
    ) == (D("500.00"), 2)
    # Suppliers without a region: 150 + 120 + 80 + 60 + 40; of them services: 120 + 80 + 40
    assert figures(spend, regions=(NONE_KEY,)) == (D("450.00"), 5)
    assert figures(spend, regions=(NONE_KEY,), account_groups=("Palvelujen ostot",)) == (
        D("240.00"),
        3,
    )


@pytest.mark.django_db
def test_no_board_is_the_line_without_a_board(spend):
    assert figures(spend, boards=(NONE_KEY,)) == (D("60.00"), 1)
    lines, count = spend_lines(spend.scope, SpendFilters(boards=(NONE_KEY,)))
    assert count == 1
    assert (lines[0].supplier_name, lines[0].board, lines[0].amount) == (
        NAMELESS,
        None,
        D("60.00"),
    )
    # With a board as well: 60 + 720
    assert figures(spend, boards=(NONE_KEY, "Tekninen lautakunta")) == (D("780.00"), 5)


@pytest.mark.django_db
def test_none_key_of_accounts_suppliers_and_groups(spend):
    assert figures(spend, accounts=(NONE_KEY,)) == (D("90.00"), 1)
    assert figures(spend, account_groups=(NONE_KEY,)) == (D("90.00"), 1)
    assert figures(spend, suppliers=(NONE_KEY,)) == (D("40.00"), 1)
    assert figures(spend, suppliers=(NAMELESS,)) == (D("60.00"), 1)


@pytest.mark.django_db
def test_datasets_months_and_periods(spend):
    assert figures(spend, datasets=(spend.dataset_2023.pk,)) == (D("2000.00"), 6)
    assert figures(spend, datasets=(spend.dataset_2023.pk, spend.dataset_2024.pk)) == (
        D("2890.00"),
        12,
    )
    # March of both years: 150 - 50 + 60 + 90
    assert figures(spend, months=(3,)) == (D("250.00"), 4)
    assert figures(spend, periods=(202402,)) == (D("200.00"), 2)
    assert figures(spend, periods=(202402,), localities=("unknown",)) == (D("200.00"), 2)
    assert figures(spend, periods=(202402,), localities=("local",)) == (D("0.00"), 0)


@pytest.mark.django_db
def test_a_breakdown_under_filters_drills_down(spend):
    # Tekninen lautakunta's suppliers: Helsingin 400, Testi 150, Turun Tukku 90, Esimerkin 80
    drilled = spend_breakdown(
        spend.scope, SpendFilters(boards=("Tekninen lautakunta",)), "supplier"
    )
    assert [(r.key, r.rank, r.total, r.cumulative_share) for r in drilled.rows] == [
        (ELSEWHERE_ID, 1, D("400.00"), D("0.5556")),  # 400 / 720 = 0.55556
        (TESTI_ID, 2, D("150.00"), D("0.7639")),  # 550 / 720 = 0.76389
        (REGIONAL_ID, 3, D("90.00"), D("0.8889")),  # 640 / 720
        (KAUPUNKI_ID, 4, D("80.00"), D("1.0000")),
    ]
    assert (drilled.row_count, drilled.whole) == (4, D("720.00"))
    # 2024 by locality: local 500; unknown 120 + 80 + 60 + 40 = 300; regional 90
    in_2024 = spend_breakdown(spend.scope, SpendFilters(years=(2024,)), "locality")
    assert [(r.key, r.total, r.share, r.cumulative_share) for r in in_2024.rows] == [
        ("local", D("500.00"), D("0.5618"), D("0.5618")),  # 500 / 890 = 0.56180
        ("unknown", D("300.00"), D("0.3371"), D("0.8989")),  # 800 / 890 = 0.89888
        ("regional", D("90.00"), D("0.1011"), D("1.0000")),
    ]


@pytest.mark.django_db
def test_filters_matching_nothing_give_an_empty_breakdown(spend):
    nothing = spend_breakdown(spend.scope, SpendFilters(years=(1999,)), "supplier")
    assert (nothing.rows, nothing.row_count, nothing.whole) == ([], 0, D("0.00"))
