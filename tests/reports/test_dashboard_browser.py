"""The dashboard in a real browser: Debian's Chromium driven by Playwright against a live server.

The browser fixture (tests/browser.py) skips, saying why, where Chromium or playwright is missing. Screenshots go to
test-artifacts/reports/.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from talent.registry import services as registry_services
from tests import factories
from tests.browser import screenshot, session_cookie
from tests.reports.conftest import D, graduate
from tests.targets import seed_targets_if_flushed


@pytest.fixture
def seeded_targets(transactional_db):
    """The targets the data migration seeds (an earlier transactional test may have flushed them)."""
    seed_targets_if_flushed()  # a transactional test earlier on this worker may have flushed them


@pytest.fixture
def ministry_session(seeded_targets, campus, history) -> str:
    """Three graduates and one enrolled student; a ministry analyst's session cookie."""
    for programme in (campus.ms_x, campus.ms_x, campus.ms_y):
        history(
            factories.PersonFactory(),
            programme,
            admitted=D(2024, 3, 4),
            steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)),
        )
    history(factories.PersonFactory(), campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    analyst = factories.UserFactory(username="demo-ministry-browser")
    factories.MembershipFactory(user=analyst, organization=factories.MinistryFactory())
    return session_cookie(analyst)


def test_the_dashboard_shows_the_api_figures_and_switches_to_english(ministry_session, live_server, browser, artifacts):
    # The records are made before the browser starts: inside Playwright's event loop the ORM would open a
    # connection of its own, left open on the test database.
    context = browser.new_context(locale="ko-KR", viewport={"width": 1200, "height": 1600})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": ministry_session, "url": live_server.url}])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))

    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("html").get_attribute("lang") == "ko"
    api = json.loads(page.request.get(f"{live_server.url}/api/v1/reports/targets/").text())
    for target in api["targets"]:
        headline = page.get_by_test_id(f"achieved-{target['target']['code']}")
        assert int(headline.inner_text().replace(",", "")) == target["achieved"]
    assert page.get_by_test_id("achieved-AX-TRAINED").inner_text() == "3"
    assert page.locator("svg.trajectory").count() == 2
    screenshot(page, artifacts / "dashboard-ko.png")

    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("page-title").inner_text() == "AX talent: progress toward the 2030 targets"
    assert page.get_by_text("Projected by the deadline").first.is_visible()
    assert page.get_by_test_id("band-AX-TRAINED").inner_text() in {"On track", "Needs acceleration", "Off track"}
    screenshot(page, artifacts / "dashboard-en.png")

    with page.expect_navigation():
        page.get_by_test_id("as-of-picker").fill("2026-02-19")
    assert page.get_by_test_id("as-of").inner_text() == "2026-02-19"
    assert page.get_by_test_id("achieved-AX-TRAINED").inner_text() == "0"
    assert page.locator("html").get_attribute("lang") == "en"
    assert not outside, f"the page loaded from elsewhere: {outside}"
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_dashboard_reads_at_desk_and_phone_width(
    ministry_session, live_server, browser, artifacts, language, width
):
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": ministry_session, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("html").get_attribute("lang") == language

    # At a glance: achieved, the projection with the planned intake (with its band, or the band alone while
    # the data are thin, as here), the shortfall, the intake it takes, the band's reading, each with its unit.
    unit = "명" if language == "ko" else "people"
    assert page.get_by_test_id("achieved-AX-TRAINED").is_visible()
    headline = page.get_by_test_id("shortfall-sentence-AX-TRAINED").inner_text()
    assert headline == page.get_by_test_id("outlook-sentence-AX-TRAINED").inner_text()
    assert unit in page.get_by_test_id("projected-AX-TRAINED").inner_text()
    assert page.get_by_test_id("headline-requirement-AX-TRAINED").is_visible()
    assert unit in page.get_by_test_id("what_it_takes-AX-TRAINED").inner_text()
    assert unit in page.get_by_test_id("shortfall-AX-TRAINED").inner_text()
    assert unit in page.get_by_test_id("projected-AX-TRAINED").inner_text()
    assert page.get_by_test_id("band-reading-AX-TRAINED").inner_text()
    assert page.get_by_test_id("logout").is_visible()

    # Nothing wider than the screen but the tables, which scroll inside their own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # A name in the breakdown keeps to a line or two, never one character per line.
    first_name = page.get_by_test_id("table-AX-TRAINED").locator("tbody th").first
    box = first_name.bounding_box()
    assert box and box["width"] >= 100
    # The chart's labels are drawn at least 10 px high on the screen.
    tick = page.locator("svg.trajectory text.tick").first.bounding_box()
    assert tick and tick["height"] >= 10
    screenshot(page, artifacts / f"dashboard-{language}-{width}.png")

    # Print: no site header or controls, and the charts' tables opened.
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("form.controls").is_visible()
    assert page.get_by_test_id("chart-table-AX-TRAINED").is_visible()
    context.close()


@pytest.fixture
def rules_changed(ministry_session, campus) -> str:
    """Y's programme stops counting from today: version 2 of AX-TRAINED. Before the browser starts (see above)."""
    analyst = factories.UserFactory()
    factories.MembershipFactory(user=analyst, organization=factories.MinistryFactory())
    registry_services.programme_set_counting(
        actor=analyst, programme=campus.ms_y, counts_toward_target=False, note="부처 기준 변경"
    )
    return ministry_session


def test_a_past_report_is_shown_under_the_version_chosen_and_back(rules_changed, live_server, browser, artifacts):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 1400})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": rules_changed, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboard/?as_of=2026-10-01")
    assert page.get_by_test_id("achieved-AX-TRAINED").inner_text() == "3"  # under version 1, in force then
    assert "버전 1" in page.get_by_test_id("rules-AX-TRAINED").inner_text()
    assert page.get_by_test_id("version-picker").input_value() == ""

    with page.expect_navigation():  # the picker submits on change, as the date does
        page.get_by_test_id("version-picker").select_option("2")
    assert page.get_by_test_id("achieved-AX-TRAINED").inner_text() == "2"
    assert page.get_by_test_id("as-of").inner_text() == "2026-10-01"
    assert "버전 2" in page.get_by_test_id("rules-AX-TRAINED").inner_text()
    assert "적용 중인 버전은 1" in page.get_by_test_id("asked-AX-TRAINED").inner_text()
    assert page.get_by_test_id("version-picker").input_value() == "2"
    screenshot(page, artifacts / "dashboard-version-asked.png")

    page.get_by_test_id("lang-en").click()  # the choice survives the language switch
    page.wait_for_load_state()
    assert "Version 2 as asked" in page.get_by_test_id("asked-AX-TRAINED").inner_text()

    with page.expect_navigation():
        page.get_by_test_id("version-picker").select_option("")
    assert page.get_by_test_id("achieved-AX-TRAINED").inner_text() == "3"
    assert page.get_by_test_id("asked-AX-TRAINED").count() == 0

    page.goto(f"{live_server.url}/dashboard/?as_of=2026-10-01&version=9")
    assert "has no version 9" in page.get_by_test_id("error-version").inner_text()
    assert page.get_by_test_id("error-version").is_visible()
    context.close()
