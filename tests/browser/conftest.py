"""Fixtures for the tests that drive a real Chromium through Playwright.

The browser is Debian's `chromium` package (`apt-get install chromium`), never one that
`playwright install` downloads. Without it the browser tests are skipped, except in CI (CI=true)
or with KEINO_REQUIRE_BROWSER=1, where a missing browser is an error.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in this thread, so Django would
# refuse the test's own database queries (SynchronousOnlyOperation) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_required() -> bool:
    """True in CI and wherever KEINO_REQUIRE_BROWSER=1: there a missing browser fails."""
    ci = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
    return ci or os.environ.get("KEINO_REQUIRE_BROWSER", "").strip() == "1"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        reason = (
            f"{CHROMIUM} is absent: install Debian's chromium package "
            "(apt-get install chromium) to run the browser tests"
        )
        if browser_required():
            pytest.fail(f"{reason}; CI or KEINO_REQUIRE_BROWSER=1 requires them", pytrace=False)
        pytest.skip(reason)
    return str(CHROMIUM)


@pytest.fixture
def browser(chromium_path, transactional_db):
    """A headless Chromium, started after the test database is ready.

    While Playwright runs, asgiref sees a running event loop in this thread, and Django keeps
    a separate set of database connections for it. Those are closed before Playwright stops,
    or they would stay open and PostgreSQL would refuse to drop the test database.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()
