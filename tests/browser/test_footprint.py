"""An analyst edits a category rule and sees the category and the footprint change, in Chromium.

The file has two lines (see test_categories.py): Kallioranta Rakennus Oy on account 4390
(1 000,00 €, construction.building by the platform's account rule) and Tuntematon Tukku Oy on
489999 (250,00 €, unclassified). The organisation uses a set of two factors: construction 0.5
and cleaning services 2.0 kg CO2e per euro.
  before: 1 000 × 0.5 = 500 kg = 0.5 t; 250 € (20.0 %) without a factor; 0.500 kg/€
  after a supplier rule Tuntematon Tukku → cleaning services: 500 + 250 × 2.0 = 1 000 kg =
  1.0 t; nothing without a factor; 1 000 / 1 250 = 0.800 kg/€
"""

import re

import pytest
from playwright.sync_api import expect

from keino.carbon.services import factor_set_choose, factor_set_import
from tests.browser.helpers import DESKTOP, PHONE, Walk, choose_language, sign_in
from tests.browser.test_categories import PASSWORD, UNKNOWN, analyst  # noqa: F401

pytestmark = pytest.mark.browser

FACTORS = b"category,kg_co2e_per_eur,note\nconstruction.building,0.5,\ncleaning.services,2.0,\n"
SOURCE = "Two factors invented for a browser test"


@pytest.fixture
def with_factors(analyst):  # noqa: F811
    factor_set = factor_set_import(
        organisation=analyst,
        data=FACTORS,
        name="Browser test factors",
        source=SOURCE,
        licence="CC0",
        data_year=2024,
        price_basis="EUR of 2024",
    )
    factor_set_choose(organisation=analyst, factor_set=factor_set)
    return analyst


def test_a_rule_changes_the_category_and_the_footprint(browser, live_server, with_factors):
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP, locale="fi-FI").new_page()
    walk = Walk(page, base)
    sign_in(page, base, "aino", PASSWORD)
    choose_language(page, "en")
    walk.visit("/o/kuusikko/dashboard/", "spend overview")
    page.get_by_role("link", name="Carbon footprint").click()
    walk.check("footprint before the rule")
    figures = page.locator("dl.key-figures")
    expect(figures).to_contain_text("0.5 t CO2e")
    expect(figures).to_contain_text("0.500")
    without = figures.locator("div").filter(has_text="Spend without a factor").locator("dd")
    expect(without).to_have_text(re.compile(r"^20\.0 % 250\.00 €"))

    # The rule, on the categories page.
    page.get_by_role("link", name="Categories", exact=True).click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name=UNKNOWN[0]))
    row.get_by_label(f"Category for {UNKNOWN[0]}").select_option("cleaning.services")
    row.get_by_role("button", name="Save rule").click()
    expect(page.locator(".messages")).to_contain_text("The rule is saved")

    page.get_by_role("link", name="Carbon footprint").click()
    expect(figures).to_contain_text("1.0 t CO2e")
    expect(figures).to_contain_text("0.800")
    expect(without).to_have_text(re.compile(r"^0\.0 % 0\.00 €"))
    walk.check("footprint after the rule")
    cleaning = page.locator("#panel-footprint-category tbody tr").filter(
        has=page.get_by_role("link", name="Cleaning services")
    )
    expect(cleaning).to_contain_text("0.5")  # 500 kg
    expect(cleaning).to_contain_text("250.00 €")

    # From the category to its lines, and from a line to its factor and the factor's source.
    cleaning.get_by_role("link", name="Lines and factors: Cleaning services").click()
    line = page.locator("tbody tr").filter(has_text=UNKNOWN[0])
    expect(line).to_contain_text("Supplier rule")
    expect(line).to_contain_text("500.0")
    walk.check("footprint lines")
    line.get_by_role("link", name="2.0000").click()
    expect(page.locator("#factor-cleaning\\.services")).to_contain_text("2.0000")
    expect(page.get_by_text(SOURCE)).to_be_visible()
    walk.check("method page")

    # The same pages on a phone, in Finnish and Swedish.
    phone = browser.new_context(viewport=PHONE, locale="fi-FI").new_page()
    on_phone = Walk(phone, base)
    sign_in(phone, base, "aino", PASSWORD)
    choose_language(phone, "fi")
    on_phone.visit("/o/kuusikko/dashboard/footprint/", "footprint on a phone, fi")
    expect(phone.locator("dl.key-figures")).to_contain_text("1,0 t CO2e")
    choose_language(phone, "sv")
    on_phone.visit("/o/kuusikko/dashboard/footprint/method/", "method on a phone, sv")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    walk.assert_clean()
    on_phone.assert_clean()
