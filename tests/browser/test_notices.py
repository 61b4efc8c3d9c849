"""An analyst uploads a zip of tender notices, reads the indicators and drills down to a notice.

The zip holds three of the EU's example notices: cn_24_maximal and can_24_maximal (imported)
and INVALID_cn_24_empty (refused: it has no notice identifier).
"""

import zipfile

import pytest
from playwright.sync_api import expect

from keino.notices.models import Notice
from keino.notices.selectors import notice_indicators
from keino.organisations.models import OrganisationType, Role, User
from keino.organisations.services import membership_set, organisation_create
from tests.browser.helpers import DESKTOP, PHONE, Walk, choose_language, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]

PASSWORD = "a-long-browser-test-password"
FILES = ("cn_24_maximal.xml", "can_24_maximal.xml", "INVALID_cn_24_empty.xml")


@pytest.fixture
def analyst(transactional_db):
    organisation = organisation_create(
        slug="kuusikko", name="Kuusikon kunta", type=OrganisationType.MUNICIPALITY
    )
    user = User.objects.create_user(username="aino", password=PASSWORD)
    membership_set(organisation=organisation, user=user, role=Role.ANALYST)
    return organisation


def test_upload_a_zip_see_the_indicators_and_open_a_notice(
    browser, live_server, analyst, shared_data, tmp_path
):
    folder = shared_data / "real" / "eforms" / "notices"
    archive = tmp_path / "notices.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in FILES:
            zipped.write(folder / name, name)
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP, locale="fi-FI").new_page()
    walk = Walk(page, base)
    sign_in(page, base, "aino", PASSWORD)
    choose_language(page, "en")
    page.get_by_role("link", name="Tender notices").click()
    walk.check("indicators before the upload")
    page.get_by_label("Notice files").set_input_files(str(archive))
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messages")).to_contain_text(
        "3 notices read: 2 imported, 0 already up to date, 1 rejected"
    )
    expect(page.locator(".messages")).to_contain_text("BT-701")
    walk.check("indicators after the upload")

    # The key figures are the selector's, with numerator and denominator.
    total = notice_indicators(analyst.pk).total
    innovation = total.aim_lots["innovation_aim"]
    figures = page.locator("dl.key-figures")
    expect(figures).to_contain_text(f"{innovation} of {total.lots} lots")

    # From the year's row to its notices, and to one notice.
    year = Notice.objects.filter(organisation=analyst).first().publication_date.year
    page.locator("#by-year-title").scroll_into_view_if_needed()
    page.get_by_role("link", name=str(year), exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tender notices")
    walk.check("notices of a year")
    page.locator("tbody th a").first.click()
    expect(page.get_by_role("heading", level=2, name="Lots")).to_be_visible()
    expect(page.locator("section.lot").first).to_be_visible()
    walk.check("a notice")
    walk.assert_clean()

    phone = browser.new_context(viewport=PHONE, locale="fi-FI").new_page()
    on_phone = Walk(phone, base)
    sign_in(phone, base, "aino", PASSWORD)
    choose_language(phone, "fi")
    on_phone.visit("/o/kuusikko/notices/", "indicators on a phone, fi")
    on_phone.visit("/o/kuusikko/notices/method/", "method on a phone, fi")
    on_phone.assert_clean()
