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
from django.core.management import CommandError, call_command

from keino.analytics.filters import NO_FILTERS
from keino.analytics.selectors import footprint
from keino.carbon.models import FactorSet
from keino.carbon.selectors import factor_set_in_use, factors_of
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
    with pytest.raises(CommandError, match="uses no emission-factor set"):
        call_command("footprint", "--org", spend.buyer.slug, "--json")
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
    assert not FactorSet.objects.exists()


def test_an_organisation_cannot_use_another_organisations_set(spend):  # noqa: F811
    others = factor_set_import(organisation=spend.other, data=FACTORS.encode(), **SET)
    with pytest.raises(ValueError):
        factor_set_choose(organisation=spend.buyer, factor_set=others)
    assert factor_set_in_use(spend.buyer.pk) is None
