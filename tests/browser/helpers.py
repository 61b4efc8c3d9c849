"""Helpers shared by the browser tests: axe-core checks, a page walk, signing in, language."""

import importlib.resources
import re

from playwright.sync_api import Page, expect

AXE_SOURCE = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(
    encoding="utf-8"
)
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


def axe_violations(page: Page) -> list[dict]:
    """The serious and critical axe-core violations on the page as it is now."""
    # Injected through the DevTools protocol: the site's CSP (script-src 'self') would block
    # an inline <script> tag, and the page's own policy stays in force for everything else.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    return [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"      at {' '.join(map(str, node['target']))}")
    return "\n".join(lines)


class Walk:
    """Visits pages, checking each with axe, and gathers the findings for one assertion."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.findings: dict[str, list[dict]] = {}
        self.checked: list[str] = []
        self.browser_errors: list[str] = []
        page.on("pageerror", lambda error: self.browser_errors.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.browser_errors.append(f"{self.page.url}: {message.text}")

    def open(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, (
            f"{path} answered {response and response.status}"
        )

    def check(self, label: str) -> None:
        self.checked.append(label)
        violations = axe_violations(self.page)
        if violations:
            self.findings[label] = violations

    def visit(self, path: str, label: str | None = None) -> None:
        self.open(path)
        self.check(label or path)

    def html_lang(self) -> str | None:
        return self.page.locator("html").get_attribute("lang")

    def assert_clean(self) -> None:
        report = "\n".join(
            f"{label}:\n{describe(violations)}" for label, violations in self.findings.items()
        )
        assert not self.findings, f"axe found serious or critical violations:\n{report}"
        assert not self.browser_errors, "\n".join(self.browser_errors)


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through the login form and wait until the browser has left it."""
    page.goto(base_url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def choose_language(page: Page, language: str) -> None:
    """Switch the language with the header's form; the same page comes back in it."""
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("form.language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
