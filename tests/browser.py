"""A headless Chromium for the browser tests (Debian's package, driven by Playwright; no browser download),
screenshots under test-artifacts/, and session cookies for signed-in browser contexts.

Browser tests skip, saying why, where /usr/bin/chromium or the playwright package is missing
(`apt-get install -y chromium`; playwright is in requirements-dev.txt). With REQUIRE_BROWSER=1 (what .ci/run sets,
since it installs Chromium) such a skip is a failure instead. The root conftest registers the fixtures and the hook.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under REQUIRE_BROWSER=1 a browser test that skips (no Chromium, no playwright, any other reason) fails."""
    report = yield
    expected_failure = hasattr(report, "wasxfail")  # a known defect marked xfail is reported as such, not a skip
    browser_test = "browser" in getattr(item, "fixturenames", ())
    if report.skipped and not expected_failure and browser_test and os.environ.get("REQUIRE_BROWSER") == "1":
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_BROWSER=1, but this browser test skipped: {reason}"
    return report


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium; skips where there is none. Make the test's records before asking for it: inside
    Playwright's event loop the ORM would open a connection of its own."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install -y chromium)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts(request) -> Path:
    """Where the test's screenshots go: test-artifacts/<the test's folder under tests/>/."""
    folder = ARTIFACTS / Path(request.node.path).parent.relative_to(Path(__file__).parent)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def session_cookie(user) -> str:
    """A logged-in session for `user`, for a browser context's cookies."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def screenshot(page, path: Path | str) -> None:
    """Save the whole page, then put the page back where it was scrolled to.

    A full-page capture resizes the view and leaves it scrolled elsewhere; Chromium restores the old position only
    at the next input. A click made next is then pressed at one place and released at another (the page scrolls
    between the two), so the click event goes to the container of both and a submit button does not submit (seen
    on /me/expert/, whose page is taller than the view). Scrolling back at once makes the late restore a no-op.
    """
    scrolled = page.evaluate("[window.scrollX, window.scrollY]")
    page.screenshot(path=str(path), full_page=True)
    page.evaluate(
        "([x, y]) => new Promise(done => { window.scrollTo(x, y);"
        " requestAnimationFrame(() => requestAnimationFrame(done)); })",
        scrolled,
    )
