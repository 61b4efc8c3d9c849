"""The categories page on the tiny spend fixture, with the platform's own rules.

By the platform's account rules: 4340 → expert.consulting (1000 - 50 + 500 + 40 = 1490),
4500 → office.supplies (200 + 300 + 60 = 560), 4470 → other.other_services (400 + 120 + 80 =
600). The line without an account (Turun Tukku, TOL 46900) goes by the industry rule of 46 →
other.materials (90). Testi Oy (489999, not in the register) is unclassified: 150.
Classified 2 740 of 2 890: 94.8 %.
"""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from keino.categories.models import CategoryRule
from keino.organisations.models import Role
from tests.dashboard.conftest import csv_rows

pytestmark = pytest.mark.django_db


def url(spend, name, **kwargs):
    return reverse(f"dashboard:{name}", kwargs={"org_slug": spend.buyer.slug, **kwargs})


def category_totals(client, spend) -> dict[str, tuple[str, str]]:
    rows = csv_rows(client.get(url(spend, "categories") + "?export=csv"))
    return {row[0]: (row[4], row[6]) for row in rows[1:]}


def test_the_page_shows_categories_coverage_and_what_to_fix_first(spend, client_of):
    client = client_of()
    page = client.get(url(spend, "categories"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "94.8 %" in html
    assert "Testi Oy" in html  # the largest unclassified supplier
    assert "Save rule" not in html  # a viewer sees no rule forms
    assert category_totals(client, spend) == {
        "expert.consulting": ("1490.00", "Account rule 100 %"),
        "other.other_services": ("600.00", "Account rule 100 %"),
        "office.supplies": ("560.00", "Account rule 100 %"),
        "unclassified": ("150.00", ""),
        "other.materials": ("90.00", "Industry rule 100 %"),
    }


def test_an_analyst_adds_and_removes_a_rule_and_the_figures_follow(spend, client_of):
    client = client_of(Role.ANALYST)
    back = url(spend, "categories") + "?year=2023"
    response = client.post(
        url(spend, "category_rule_add"),
        {"kind": "supplier", "value": "5678901-2", "category": "ict.devices", "back": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert category_totals(client, spend)["ict.devices"] == ("150.00", "Supplier rule 100 %")
    assert "unclassified" not in category_totals(client, spend)
    # The lines of a category are one click away, with the category as a filter.
    lines = csv_rows(client.get(url(spend, "lines") + "?category=ict.devices&export=csv"))
    assert [(row[4], D(row[-1])) for row in lines[1:]] == [("Testi Oy", D("150.00"))]

    rule = CategoryRule.objects.get(organisation=spend.buyer)
    client.post(url(spend, "category_rule_delete", rule_id=rule.pk))
    assert not CategoryRule.objects.exists()
    assert category_totals(client, spend)["unclassified"] == ("150.00", "")


def test_a_rule_with_a_top_level_category_is_refused_with_a_message(spend, client_of):
    client = client_of(Role.ANALYST)
    response = client.post(
        url(spend, "category_rule_add"),
        {"kind": "account", "value": "489999", "category": "energy"},
        follow=True,
    )
    assert "energy is not a sub-category of the taxonomy." in response.content.decode()
    assert not CategoryRule.objects.exists()


def test_a_viewer_cannot_write_rules_and_a_foreign_back_address_is_ignored(spend, client_of):
    viewer = client_of()
    response = viewer.post(
        url(spend, "category_rule_add"),
        {"kind": "account", "value": "489999", "category": "other.materials"},
    )
    assert response.status_code == 403
    analyst = client_of(Role.ANALYST)
    response = analyst.post(
        url(spend, "category_rule_add"),
        {
            "kind": "account",
            "value": "489999",
            "category": "other.materials",
            "back": "https://example.invalid/",
        },
    )
    assert response["Location"] == url(spend, "categories")


def test_a_category_is_a_filter_of_the_whole_dashboard(spend, client_of):
    client = client_of()
    overview = reverse("dashboard:overview", kwargs={"org_slug": spend.buyer.slug})
    rows = csv_rows(client.get(overview + "?category=unclassified&export=csv"))
    figures = dict(rows[1:])
    assert (figures["Total spend (EUR, VAT 0 %)"], figures["Invoice lines"]) == ("150.00", "1")
    page = client.get(overview + "?category=office.supplies&year=2023").content.decode()
    # 2023 office supplies: 200 + 300.
    assert "500.00 €" in page
    assert 'name="category" value="office.supplies" checked' in page
