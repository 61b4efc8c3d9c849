"""Walk every page a signed-in admin can open in a real Chromium and check it with axe-core.

axe-core runs on each page with the WCAG 2.0/2.1 A and AA rules and the best practices; any
violation of serious or critical impact fails the test, listed by page.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from keino.jobs.models import Job, JobStatus
from keino.organisations.models import OrganisationType, Role, User
from keino.organisations.services import membership_set, organisation_create
from tests.browser.helpers import DESKTOP, PHONE, Walk

pytestmark = pytest.mark.browser

PASSWORD = "a-long-browser-test-password"
NEW_PASSWORD = "another-long-browser-test-password"


@pytest.fixture
def people(transactional_db):
    """A user who is admin in two organisations, a colleague, and a running job."""
    alpha = organisation_create(
        slug="alpha", name="Alphan kunta", type=OrganisationType.MUNICIPALITY
    )
    beta = organisation_create(
        slug="beta", name="Betan hyvinvointialue", type=OrganisationType.WELLBEING_SERVICES_COUNTY
    )
    admin = User.objects.create_user(
        username="saara",
        password=PASSWORD,
        first_name="Saara",
        last_name="Testinen",
        email="saara@example.invalid",
    )
    colleague = User.objects.create_user(
        username="olli",
        password=PASSWORD,
        first_name="Olli",
        last_name="Kokeilu",
        email="olli@example.invalid",
    )
    membership_set(organisation=alpha, user=admin, role=Role.ADMIN)
    membership_set(organisation=beta, user=admin, role=Role.ADMIN)
    colleague_membership = membership_set(organisation=alpha, user=colleague, role=Role.VIEWER)
    job = Job.objects.create(
        organisation=alpha,
        created_by=admin,
        kind="count",
        title="Hankintatietojen tuonti",
        status=JobStatus.RUNNING,
        progress_done=3,
        progress_total=10,
    )
    return {
        "alpha": alpha,
        "beta": beta,
        "admin": admin,
        "colleague_membership": colleague_membership,
        "job": job,
    }


def test_every_page_passes_axe_in_every_language_and_on_a_phone(
    browser, live_server, people, mailoutbox
):
    alpha, beta, job = people["alpha"], people["beta"], people["job"]
    membership_id = people["colleague_membership"].pk
    # Chromium asks for Finnish as a Finnish user's browser would; Finnish is also the default.
    context = browser.new_context(viewport=DESKTOP, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    walk = Walk(page, live_server.url)

    # Public pages, in Finnish: sign-in and the whole password-reset round.
    walk.visit("/accounts/login/")
    assert walk.html_lang() == "fi"
    page.locator(f"main a[href='{reverse('password_reset')}']").click()
    expect(page).to_have_url(live_server.url + reverse("password_reset"))
    expect(
        page.locator("#language-select"),
        "the password-reset pages must be Keino's own templates (with the site header), "
        "not django.contrib.admin's: list keino.core before django.contrib.admin in "
        "INSTALLED_APPS",
    ).to_have_count(1)
    walk.check(reverse("password_reset"))
    page.locator("input[name=email]").fill(people["admin"].email)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + reverse("password_reset_done"))
    walk.check(reverse("password_reset_done"))
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    walk.visit(link[1], "password-reset link (set a new password)")
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + reverse("password_reset_complete"))
    walk.check(reverse("password_reset_complete"))

    # Sign in through the form; a member of two organisations lands on the chooser.
    walk.open(reverse("login"))
    page.locator("input[name=username]").fill("saara")
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/")
    chooser = page.locator("main ul.card-list a")
    expect(chooser).to_have_count(2)
    walk.check("/ (after signing in)")

    # The skip link is the keyboard's first stop and shows when focused.
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()

    walk.visit("/?choose=1")
    walk.visit(f"/o/{alpha.slug}/")
    walk.visit(f"/o/{alpha.slug}/members/")
    walk.visit(f"/o/{alpha.slug}/members/{membership_id}/")
    walk.visit(f"/o/{alpha.slug}/jobs/")
    expect(page.locator("main table a")).to_have_text(job.title)
    walk.visit(f"/o/{alpha.slug}/jobs/{job.pk}/")

    # The progress bar follows the job through htmx polling (which the CSP must allow).
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "3")
    Job.objects.filter(pk=job.pk).update(progress_done=5)
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "5", timeout=10_000)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, progress_done=10)
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "10", timeout=10_000)
    walk.check(f"/o/{alpha.slug}/jobs/{job.pk}/ (finished)")

    # Switch the language with the header's form: Swedish, then English.
    walk.open(f"/o/{alpha.slug}/members/")
    for language in ("sv", "en"):
        page.locator("#language-select").select_option(language)
        with page.expect_navigation():
            page.locator("form.language-form button[type=submit]").click()
        expect(page).to_have_url(live_server.url + f"/o/{alpha.slug}/members/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#language-select")).to_have_value(language)
        walk.check(f"/o/{alpha.slug}/members/ ({language})")
    expect(skip_link).to_have_text("Skip to content")
    walk.visit("/accounts/password-reset/", "/accounts/password-reset/ (en, signed in)")
    assert walk.html_lang() == "en"

    # The organisation switcher: open it, check it open, and follow the other organisation.
    walk.open(f"/o/{alpha.slug}/")
    switcher = page.locator("details.switcher")
    expect(switcher.locator("summary")).to_contain_text(alpha.name)
    switcher.locator("summary").click()
    expect(switcher).to_have_attribute("open", "")
    other = switcher.get_by_role("link", name=beta.name)
    expect(other).to_be_visible()
    expect(switcher.locator("a[aria-current=true]")).to_have_text(alpha.name)
    walk.check(f"/o/{alpha.slug}/ (switcher open)")
    other.click()
    expect(page).to_have_url(live_server.url + f"/o/{beta.slug}/")
    expect(page.locator("h1")).to_have_text(beta.name)
    expect(switcher.locator("summary")).to_contain_text(beta.name)
    walk.check(f"/o/{beta.slug}/")

    # A phone: no page scrolls sideways (wide tables scroll inside their own box).
    page.set_viewport_size(PHONE)
    for path in [
        f"/o/{alpha.slug}/members/",
        f"/o/{alpha.slug}/",
        f"/o/{alpha.slug}/members/{membership_id}/",
        f"/o/{alpha.slug}/jobs/",
        f"/o/{alpha.slug}/jobs/{job.pk}/",
        "/?choose=1",
    ]:
        walk.open(path)
        scroll_width, client_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width + 1, (
            f"{path} scrolls sideways on a {PHONE['width']} px wide phone: "
            f"the page is {scroll_width} px wide"
        )
        walk.check(f"{path} (phone)")

    context.close()
    assert len(walk.checked) >= 20
    walk.assert_clean()


def test_the_default_language_is_finnish_for_a_browser_that_asks_for_nothing_known(
    browser, live_server
):
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("#language-select")).to_have_value("fi")
    context.close()
