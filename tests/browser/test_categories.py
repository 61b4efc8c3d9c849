"""An analyst gives an unclassified supplier a category on the categories page, in Chromium.

The file has two lines: Kallioranta Rakennus Oy on account 4390 (1 000,00 €, classified as
construction by the platform's account rule) and Tuntematon Tukku Oy on 489999, an account
outside the purchase accounts (250,00 €, unclassified). Classified before: 1 000 of 1 250 =
80.0 %; after a supplier rule for Tuntematon Tukku: 100.0 %.
"""

import io

import pytest
from playwright.sync_api import expect

from keino.categories.models import CategoryRule
from keino.invoices.services import invoice_dataset_import, invoice_file_store
from keino.organisations.models import OrganisationType, Role, User
from keino.organisations.services import membership_set, organisation_create
from tests.browser.helpers import DESKTOP, Walk, choose_language, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a-long-browser-test-password"
UNKNOWN = ("Tuntematon Tukku Oy", "2236067-2")
FILE = (
    "Kuntanumero;Tositenumero;Tositepäivämäärä;Toimittajan nimi;Toimittajan Y-tunnus;"
    "Kirjanpidon tilinumero;Laskun summa ilman ALV\n"
    "577;1;10.01.2024;Kallioranta Rakennus Oy;1618033-3;4390;1 000,00\n"
    f"577;2;11.01.2024;{UNKNOWN[0]};{UNKNOWN[1]};489999;250,00\n"
)


@pytest.fixture
def analyst(transactional_db):
    organisation = organisation_create(
        slug="kuusikko", name="Kuusikon kunta", type=OrganisationType.MUNICIPALITY
    )
    user = User.objects.create_user(username="aino", password=PASSWORD)
    membership_set(organisation=organisation, user=user, role=Role.ANALYST)
    stored = invoice_file_store(
        organisation=organisation, file=io.BytesIO(FILE.encode()), filename="ostolaskut.csv"
    )
    invoice_dataset_import(dataset=stored)
    return organisation


def test_an_analyst_gives_an_unclassified_supplier_a_category(browser, live_server, analyst):
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP, locale="fi-FI").new_page()
    walk = Walk(page, base)
    sign_in(page, base, "aino", PASSWORD)
    choose_language(page, "en")
    walk.visit("/o/kuusikko/dashboard/categories/", "categories before the rule")
    coverage = page.locator("dl.key-figures dd").first
    expect(coverage).to_contain_text("80.0 %")
    row = page.locator("tr", has=page.get_by_role("rowheader", name=UNKNOWN[0]))
    expect(row).to_contain_text("250.00 €")

    row.get_by_label(f"Category for {UNKNOWN[0]}").select_option("cleaning.services")
    row.get_by_role("button", name="Save rule").click()

    expect(page.locator(".messages")).to_contain_text("The rule is saved")
    expect(coverage).to_contain_text("100.0 %")
    cleaning = page.locator("tbody tr", has=page.get_by_role("link", name="Cleaning services"))
    expect(cleaning).to_contain_text("250.00 €")
    expect(cleaning).to_contain_text("Supplier rule 100 %")
    expect(page.get_by_text("Nothing unclassified.").first).to_be_visible()
    walk.check("categories after the rule")
    assert CategoryRule.objects.get().value == UNKNOWN[1]

    page.get_by_role("button", name=f"Remove the rule for {UNKNOWN[1]}").click()
    expect(page.locator(".messages")).to_contain_text("The rule is removed.")
    expect(coverage).to_contain_text("80.0 %")
    walk.assert_clean()
