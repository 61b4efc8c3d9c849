"""Classification on the tiny spend fixture of tests/analytics/conftest.py, with small rule sets.

The platform's rules are replaced by a handful, so every figure can be followed by hand:
accounts 4340 → expert.consulting and 4500 → office.supplies; industries (TOL prefixes)
62 → ict.software_services, 469 → other.materials, 94 → other.other_services.

Lines (see the fixture): 2023 rows 2–7, 2024 rows 2–7.
  expert.consulting by account 4340: 1000 - 50 + 500 + 40 = 1490 (4 lines)
  office.supplies by account 4500:  200 + 300 + 60       =  560 (3 lines)
  other.other_services by industry (Helsingin Yhdistys, 94990, account 4470 has no rule): 400
  other.materials by industry (Turun Tukku, 46900, the line without an account): 90
  unclassified: Testi Oy 150 (489999), Jokin ry 120 and Esimerkin kaupunki 80 (4470) = 350
Paikallinen Oy has TOL 62010, but its accounts decide first.
"""

import csv
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from keino.analytics.engine import spend_scope
from keino.analytics.filters import NO_FILTERS, SpendFilters, filters_from_query
from keino.analytics.selectors import (
    classification_coverage,
    key_figures,
    largest_unclassified,
    spend_breakdown,
    spend_by_category,
    spend_by_category_rule,
    spend_lines,
)
from keino.categories.models import RuleKind
from keino.categories.services import category_rule_set
from keino.categories.taxonomy import account_rules, categories, industry_rules
from tests.analytics.conftest import register, spend  # noqa: F401 - the shared tiny fixture
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

PURCHASE = {"43", "44", "45", "46", "47"}  # the operating-cost accounts that buy something
ACCOUNT_RULES = {"4340": "expert.consulting", "4500": "office.supplies"}
INDUSTRY_RULES = {
    "62": "ict.software_services",
    "469": "other.materials",
    "94": "other.other_services",
}


@pytest.fixture(autouse=True)
def small_rules(monkeypatch):
    monkeypatch.setattr("keino.categories.selectors.account_rules", lambda: ACCOUNT_RULES)
    monkeypatch.setattr("keino.categories.selectors.industry_rules", lambda: INDUSTRY_RULES)


def by_category(scope, filters=NO_FILTERS):
    return {
        (p.category, p.rule): (p.lines, p.total) for p in spend_by_category_rule(scope, filters)
    }


def test_account_rules_come_before_industry_rules(spend):  # noqa: F811
    assert by_category(spend.scope) == {
        ("expert.consulting", "account"): (4, D("1490.00")),
        ("office.supplies", "account"): (3, D("560.00")),
        ("other.other_services", "industry"): (1, D("400.00")),
        ("other.materials", "industry"): (1, D("90.00")),
        ("unclassified", None): (3, D("350.00")),
    }
    coverage = classification_coverage(spend.scope)
    # 2 540 of 2 890 classified: 0.8789.
    assert (coverage.whole, coverage.classified, coverage.classified_share) == (
        D("2890.00"),
        D("2540.00"),
        D("0.8789"),
    )
    assert coverage.by_rule == {"account": D("2050.00"), "industry": D("490.00")}


def test_the_largest_unclassified_suppliers_and_accounts(spend):  # noqa: F811
    suppliers = largest_unclassified(spend.scope, by="supplier")
    assert [(row.key, row.label, row.total) for row in suppliers] == [
        ("5678901-2", "Testi Oy", D("150.00")),
        ("6789012-4", "Jokin ry", D("120.00")),
        ("7654321-2", "Esimerkin kaupunki", D("80.00")),
    ]
    accounts = largest_unclassified(spend.scope, by="account")
    assert [(row.key, row.lines, row.total) for row in accounts] == [
        ("4470", 2, D("200.00")),
        ("489999", 1, D("150.00")),
    ]
    with pytest.raises(ValueError):
        largest_unclassified(spend.scope, by="board")


def test_an_organisations_rules_override_and_take_precedence(spend):  # noqa: F811
    buyer = spend.buyer
    category_rule_set(
        organisation=buyer, kind=RuleKind.SUPPLIER, value="5678901-2", category="ict.devices"
    )
    category_rule_set(
        organisation=buyer, kind=RuleKind.ACCOUNT, value="4340", category="expert.design"
    )
    # 2024 row 2: Paikallinen Oy, 4340, 500 €.
    category_rule_set(
        organisation=buyer,
        kind=RuleKind.LINE,
        value=f"{spend.dataset_2024.pk}:2",
        category="education_culture.education",
    )
    assert by_category(spend.scope) == {
        # 1 490 - 500 (the line's own category)
        ("expert.design", "account"): (3, D("990.00")),
        ("office.supplies", "account"): (3, D("560.00")),
        ("education_culture.education", "line"): (1, D("500.00")),
        ("other.other_services", "industry"): (1, D("400.00")),
        ("ict.devices", "supplier"): (1, D("150.00")),
        ("other.materials", "industry"): (1, D("90.00")),
        ("unclassified", None): (2, D("200.00")),
    }
    # Filters apply to the overrides too: 2023 alone has none of them but Testi Oy's rule.
    assert by_category(spend.scope, SpendFilters(years=(2023,))) == {
        ("expert.design", "account"): (2, D("950.00")),
        ("office.supplies", "account"): (2, D("500.00")),
        ("other.other_services", "industry"): (1, D("400.00")),
        ("ict.devices", "supplier"): (1, D("150.00")),
    }


def test_a_rule_must_name_a_sub_category_and_something_to_match(spend):  # noqa: F811
    with pytest.raises(ValidationError):
        category_rule_set(
            organisation=spend.buyer, kind=RuleKind.ACCOUNT, value="4340", category="energy"
        )
    with pytest.raises(ValidationError):
        category_rule_set(
            organisation=spend.buyer, kind=RuleKind.ACCOUNT, value="4340", category="nonsense"
        )
    with pytest.raises(ValidationError):
        category_rule_set(
            organisation=spend.buyer, kind=RuleKind.ACCOUNT, value=" ", category="office.supplies"
        )
    with pytest.raises(ValidationError):
        category_rule_set(
            organisation=spend.buyer, kind="colour", value="4340", category="office.supplies"
        )


def test_the_platform_rules_cover_every_purchase_account_with_sub_categories():
    known = categories()
    assert all(known[code].parent for code in account_rules().values())
    assert all(known[code].parent for code in industry_rules().values())
    assert {c.parent for c in known.values() if c.parent} <= set(known)
    # Every top-level category has a sub-category and names in three languages.
    for category in known.values():
        assert category.name_fi and category.name_sv and category.name_en
        if not category.parent:
            assert any(c.parent == category.code for c in known.values())


def test_every_purchase_account_of_the_chart_has_a_platform_rule(shared_data):
    chart = shared_data / "reference" / "finnish-public-sector" / "account_info.csv"
    with chart.open(encoding="utf-8", newline="") as file:
        purchase = {row["number"] for row in csv.DictReader(file) if row["number"][:2] in PURCHASE}
    assert len(purchase) == 50  # in the 2021–2023 charts together
    assert purchase - set(account_rules()) == set()


def test_a_category_filter_follows_overrides_and_unclassified_lines(spend):  # noqa: F811
    category_rule_set(
        organisation=spend.buyer,
        kind=RuleKind.LINE,
        value=f"{spend.dataset_2024.pk}:2",
        category="education_culture.education",
    )
    # expert.consulting without the overridden 2024 row 2 (500): 1000 - 50 + 40 = 990, 3 lines.
    consulting = key_figures(spend.scope, SpendFilters(categories=("expert.consulting",)))
    assert (consulting.lines, consulting.total) == (3, D("990.00"))
    education = key_figures(spend.scope, SpendFilters(categories=("education_culture.education",)))
    assert (education.lines, education.total) == (1, D("500.00"))
    unclassified = SpendFilters(categories=("unclassified",), years=(2024,))
    # 2024: Jokin ry 120 and Esimerkin kaupunki 80.
    assert key_figures(spend.scope, unclassified).total == D("200.00")
    lines, count = spend_lines(spend.scope, unclassified)
    assert count == 2 and sorted(line.amount for line in lines) == [D("80.00"), D("120.00")]
    by_supplier = spend_breakdown(spend.scope, unclassified, "supplier")
    assert [(row.key, row.total) for row in by_supplier.rows] == [
        ("6789012-4", D("120.00")),
        ("7654321-2", D("80.00")),
    ]
    assert filters_from_query({"category": ["unclassified", "food.catering"]}).categories == (
        "unclassified",
        "food.catering",
    )


def test_spend_by_category_sums_the_rules_of_each_category(spend):  # noqa: F811
    category_rule_set(
        organisation=spend.buyer,
        kind=RuleKind.LINE,
        value=f"{spend.dataset_2024.pk}:5",  # Nimetön Toimittaja, 4500, 60 €
        category="expert.consulting",
    )
    totals = {row.category: row for row in spend_by_category(spend.scope)}
    consulting = totals["expert.consulting"]
    # 1 490 by the account rule and 60 by the line's override: 1 550 of 2 890 = 0.5363.
    assert (consulting.lines, consulting.total, consulting.share) == (5, D("1550.00"), D("0.5363"))
    assert consulting.by_rule == {"account": D("1490.00"), "line": D("60.00")}
    assert totals["office.supplies"].total == D("500.00")
    assert list(totals)[0] == "expert.consulting"  # largest first


def test_an_organisation_without_data_has_no_categories(db):
    empty = spend_scope(make_organisation("tyhja"))
    assert spend_by_category(empty) == []
    coverage = classification_coverage(empty)
    assert (coverage.whole, coverage.classified_share, coverage.by_rule) == (D("0.00"), None, {})
    assert largest_unclassified(empty, by="account") == []
