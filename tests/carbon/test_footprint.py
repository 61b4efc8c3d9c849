"""The spend-based footprint on the tiny spend fixture, with small rules and a small factor set.

Categories by the small rules of tests/categories (see there): expert.consulting 1 490,
office.supplies 560, other.other_services 400, other.materials 90, unclassified 350 (2 890).
Factors: expert.consulting 0.1, office.supplies 0.5, other.materials 1.2 kg CO2e per euro; the
set has none for other.other_services.
  kg = 1 490 × 0.1 + 560 × 0.5 + 90 × 1.2 = 149 + 280 + 108 = 537
  spend with a factor 1 490 + 560 + 90 = 2 140 of 2 890: coverage 0.7405
  intensity 537 / 2 140 = 0.2509 kg per euro
"""

import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from keino.analytics.filters import NO_FILTERS, SpendFilters
from keino.analytics.footprint import footprint, footprint_breakdown, footprint_lines, hotspots
from keino.carbon.models import FactorSet
from keino.carbon.selectors import default_factor_set, factor_set_in_use, factors_of
from keino.carbon.services import UnusableFactorFile, factor_set_choose, factor_set_import
from keino.categories.models import RuleKind
from keino.categories.services import category_rule_set
from tests.analytics.conftest import register, spend  # noqa: F401 - the shared tiny fixture
from tests.categories.test_classification import small_rules  # noqa: F401 - the small rules

pytestmark = pytest.mark.django_db

FACTORS = (
    "category;kg_co2e_per_eur;note\n"
    "expert.consulting;0,1;invented for the test\n"
    "office.supplies;0.5;\n"
    "other.materials;1.2;\n"
)
SET = {
    "name": "Test factors",
    "source": "invented for a test",
    "licence": "CC0",
    "data_year": 2022,
    "price_basis": "EUR of 2022",
}


def test_the_footprint_multiplies_spend_by_factors_and_shows_what_has_none(spend):  # noqa: F811
    factor_set = factor_set_import(organisation=spend.buyer, data=FACTORS.encode(), **SET)
    result = footprint(spend.scope, NO_FILTERS, factors_of(factor_set))
    assert (result.kg_co2e, result.spend, result.spend_with_factor) == (
        D("537.000"),
        D("2890.00"),
        D("2140.00"),
    )
    assert (result.coverage, result.intensity) == (D("0.7405"), D("0.2509"))
    assert [(row.category, row.kg_co2e) for row in result.by_category] == [
        ("office.supplies", D("280.000")),
        ("expert.consulting", D("149.000")),
        ("other.materials", D("108.000")),
        ("other.other_services", None),
        ("unclassified", None),
    ]

    # A rule changes the footprint at once: 4500 → other.materials moves 560 € to 1.2 kg/€.
    category_rule_set(
        organisation=spend.buyer, kind=RuleKind.ACCOUNT, value="4500", category="other.materials"
    )
    changed = footprint(spend.scope, NO_FILTERS, factors_of(factor_set))
    # 149 + 650 × 1.2 = 929; intensity 929 / 2 140 = 0.4341.
    assert (changed.kg_co2e, changed.intensity) == (D("929.000"), D("0.4341"))


def test_the_command_prints_the_footprint_of_the_set_in_use(spend, capsys):  # noqa: F811
    call_command("footprint", "--org", spend.buyer.slug, "--json")
    default = json.loads(capsys.readouterr().out)["factor_set"]
    assert default["name"] == default_factor_set().name  # the platform's, until one is chosen
    factor_set = factor_set_import(organisation=spend.buyer, data=FACTORS.encode(), **SET)
    factor_set_choose(organisation=spend.buyer, factor_set=factor_set)
    call_command("footprint", "--org", spend.buyer.slug, "--json")
    printed = json.loads(capsys.readouterr().out)
    assert (printed["kg_co2e"], printed["intensity"], printed["coverage"]) == (
        "537.000",
        "0.2509",
        "0.7405",
    )
    assert printed["factor_set"]["source"] == "invented for a test"
    # 2023 only: 1 000 - 50 (consulting) × 0.1 + 500 (office) × 0.5 = 95 + 250 = 345.
    call_command("footprint", "--org", spend.buyer.slug, "--year", "2023", "--json")
    assert json.loads(capsys.readouterr().out)["kg_co2e"] == "345.000"


@pytest.mark.parametrize(
    ("content", "row", "column"),
    [
        ("category;kg_co2e_per_eur\nenergy;0.5\n", 2, "category"),  # a top-level category
        ("category;kg_co2e_per_eur\nnonsense;0.5\n", 2, "category"),
        ("category;kg_co2e_per_eur\noffice.supplies;-1\n", 2, "kg_co2e_per_eur"),
        ("category;kg_co2e_per_eur\noffice.supplies;lots\n", 2, "kg_co2e_per_eur"),
        ("category;kg_co2e_per_eur\noffice.supplies;1\noffice.supplies;2\n", 3, "category"),
        ("category;factor\noffice.supplies;1\n", 1, "kg_co2e_per_eur"),
        ("category;kg_co2e_per_eur\n", 2, ""),
        ("", 1, "category"),  # an empty file
        ("category\noffice.supplies\n", 1, "kg_co2e_per_eur"),
    ],
)
def test_a_bad_factor_file_is_refused_with_its_place_and_nothing_stored(
    spend,  # noqa: F811
    content,
    row,
    column,
):
    with pytest.raises(UnusableFactorFile) as error:
        factor_set_import(organisation=spend.buyer, data=content.encode(), **SET)
    assert (error.value.problems[0].row, error.value.problems[0].column) == (row, column)
    assert not FactorSet.objects.filter(organisation__isnull=False).exists()


def test_an_organisation_cannot_use_another_organisations_set(spend):  # noqa: F811
    others = factor_set_import(organisation=spend.other, data=FACTORS.encode(), **SET)
    with pytest.raises(ValueError):
        factor_set_choose(organisation=spend.buyer, factor_set=others)
    assert factor_set_in_use(spend.buyer.pk) == default_factor_set()


YEARLY = (
    "category,year,kg_co2e_per_eur,note\n"
    "expert.consulting,2023,0.1,\n"
    "expert.consulting,2024,0.2,\n"
    "office.supplies,,0.5,every year\n"
    "other.materials,2023,1.2,only 2023\n"
)


def test_a_line_uses_the_factor_of_its_fiscal_year(spend):  # noqa: F811
    """consulting 0.1 (2023) and 0.2 (2024); office 0.5 every year; materials 1.2 of 2023 only.

    2023: consulting (1 000 - 50) × 0.1 = 95, office (200 + 300) × 0.5 = 250: 345
    2024: consulting (500 + 40) × 0.2 = 108, office 60 × 0.5 = 30, materials 90 × 1.2 (the
          nearest year's factor, 2023's) = 108: 246
    all: 591 kg on the 2 140 € with a factor: 0.2762 kg per euro
    """
    factors = factors_of(factor_set_import(organisation=spend.buyer, data=YEARLY.encode(), **SET))
    result = footprint(spend.scope, NO_FILTERS, factors)
    assert (result.kg_co2e, result.spend_with_factor, result.intensity) == (
        D("591.000"),
        D("2140.00"),
        D("0.2762"),
    )
    by_year = footprint_breakdown(spend.scope, NO_FILTERS, factors, "year")
    assert [(row.key, row.kg_co2e, row.spend, row.spend_with_factor) for row in by_year.rows] == [
        (2023, D("345.000"), D("2000.00"), D("1450.00")),
        (2024, D("246.000"), D("890.00"), D("690.00")),
    ]
    # Paikallinen 1 000 × 0.1 + 200 × 0.5 - 50 × 0.1 + 500 × 0.2 = 295; Turun Tukku 300 × 0.5
    # + 90 × 1.2 = 258; Nimetön 60 × 0.5 = 30; the line without a supplier 40 × 0.2 = 8;
    # Helsingin Yhdistys 400 € of other services, which have no factor: 0 kg, 0 % covered.
    by_supplier = footprint_breakdown(spend.scope, NO_FILTERS, factors, "supplier")
    assert [(row.key, row.kg_co2e, row.share) for row in by_supplier.rows][:4] == [
        ("1234567-1", D("295.000"), D("0.4992")),
        ("2345678-0", D("258.000"), D("0.4365")),
        ("Nimetön Toimittaja", D("30.000"), D("0.0508")),
        (None, D("8.000"), D("0.0135")),
    ]
    helsinki = next(row for row in by_supplier.rows if row.key == "4567890-7")
    assert (helsinki.kg_co2e, helsinki.spend, helsinki.coverage) == (D("0.000"), D("400.00"), 0)
    # Sivistys 2023: 100 + 100 + 150 - 5 = 345, 2024: 100 + 8 = 108: 453; Tekninen: 108 (the
    # materials line); the line without a board: 30.
    by_board = footprint_breakdown(spend.scope, NO_FILTERS, factors, "board")
    assert {row.key: row.kg_co2e for row in by_board.rows} == {
        "Sivistyslautakunta": D("453.000"),
        "Tekninen lautakunta": D("108.000"),
        None: D("30.000"),
    }

    # By the month of the voucher date, which only the lines themselves know: January is
    # 1 000 × 0.1 + 200 × 0.5 (2023) + 500 × 0.2 (2024) = 300.
    january = footprint(spend.scope, SpendFilters(months=(1,)), factors)
    assert (january.kg_co2e, january.spend) == (D("300.000"), D("1700.00"))

    # Line overrides: Jokin ry's 120 € (unclassified) becomes office supplies, + 120 × 0.5 =
    # 60; Paikallinen's 1 000 € of 2023 becomes other materials: - 100 + 1 000 × 1.2 = + 1 100.
    # 591 + 60 + 1 100 = 1 751 kg on 2 140 + 120 = 2 260 € with a factor.
    for dataset, row, category in (
        (spend.dataset_2024, 3, "office.supplies"),
        (spend.dataset_2023, 2, "other.materials"),
    ):
        category_rule_set(
            organisation=spend.buyer,
            kind=RuleKind.LINE,
            value=f"{dataset.pk}:{row}",
            category=category,
        )
    overridden = footprint(spend.scope, NO_FILTERS, factors)
    assert (overridden.kg_co2e, overridden.spend_with_factor) == (D("1751.000"), D("2260.00"))
    by_supplier = footprint_breakdown(spend.scope, NO_FILTERS, factors, "supplier")
    assert {row.key: row.kg_co2e for row in by_supplier.rows}["6789012-4"] == D("60.000")
    # Paikallinen: 295 - 100 + 1 200 = 1 395
    assert by_supplier.rows[0].key == "1234567-1"
    assert by_supplier.rows[0].kg_co2e == D("1395.000")


def test_hotspots_and_the_lines_behind_a_figure(spend):  # noqa: F811
    factors = factors_of(factor_set_import(organisation=spend.buyer, data=YEARLY.encode(), **SET))
    spots = hotspots(spend.scope, NO_FILTERS, factors, "category")
    # office 250 + 30 = 280, consulting 95 + 108 = 203, materials 108; categories without a
    # factor are no hotspot.
    assert [(row.key, row.kg_co2e) for row in spots.largest] == [
        ("office.supplies", D("280.000")),
        ("expert.consulting", D("203.000")),
        ("other.materials", D("108.000")),
    ]
    # kg per euro: materials 108 / 90 = 1.2, office 280 / 560 = 0.5, consulting 203 / 1 490.
    assert [(row.key, row.intensity) for row in spots.most_intensive] == [
        ("other.materials", D("1.2000")),
        ("office.supplies", D("0.5000")),
        ("expert.consulting", D("0.1362")),
    ]
    # Turun Tukku's two lines, largest footprint first, each with its factor and its year.
    found, count = footprint_lines(
        spend.scope, SpendFilters(suppliers=("2345678-0",)), factors, limit=10
    )
    assert count == 2
    assert [
        (
            line.row_number,
            line.category,
            line.rule,
            line.kg_co2e_per_eur,
            line.factor_year,
            line.kg_co2e,
        )
        for line in found
    ] == [
        (4, "office.supplies", "account", D("0.500000"), None, D("150.000")),
        (6, "other.materials", "industry", D("1.200000"), 2023, D("108.000")),
    ]
    # The lines of a category without a factor carry no number.
    found, count = footprint_lines(
        spend.scope, SpendFilters(categories=("other.other_services",)), factors
    )
    assert (count, found[0].kg_co2e, found[0].kg_co2e_per_eur) == (1, None, None)


def test_a_bad_year_is_refused(spend):  # noqa: F811
    with pytest.raises(UnusableFactorFile) as error:
        factor_set_import(
            organisation=spend.buyer,
            data=b"category,year,kg_co2e_per_eur\noffice.supplies,20x4,1\n",
            **SET,
        )
    assert (error.value.problems[0].row, error.value.problems[0].column) == (2, "year")
