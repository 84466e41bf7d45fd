"""The projection with the planned intake, the intake plans page and the scenarios page in a real browser
(Debian's Chromium, Playwright, a live server), in Korean and English, at desk (1280 px) and phone (390 px) width.
Screenshots go to test-artifacts/reports/."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from talent.reports import intake
from tests import factories
from tests.browser import screenshot, session_cookie
from tests.reports.conftest import D, graduate
from tests.targets import seed_targets_if_flushed


@pytest.fixture
def sessions(transactional_db, campus, history) -> dict[str, str]:
    """Two graduates, three students enrolled, next years' plans for one school (the other has none); the
    sessions of a ministry analyst and of the planned school's staff."""
    seed_targets_if_flushed()  # a transactional test earlier on this worker may have flushed them
    for _ in range(2):
        history(factories.PersonFactory(), campus.ms_x, admitted=D(2024, 3, 4),
                steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)))  # fmt: skip
    for _ in range(3):
        history(factories.PersonFactory(), campus.ms_x, admitted=D(2025, 3, 3), steps=[("enrolled", D(2025, 3, 3))])
    analyst = factories.UserFactory(username="outlook-ministry")
    factories.MembershipFactory(user=analyst, organization=factories.MinistryFactory())
    staff = factories.UserFactory(username="outlook-staff")
    factories.MembershipFactory(user=staff, organization=campus.university_x)
    first = timezone.localdate().year + 1
    for year in range(first, first + 2):
        intake.intake_plan_set(actor=analyst, school=campus.ms_x.school, year=year, degree_level="ms", intake=60)
    return {"ministry": session_cookie(analyst), "staff": session_cookie(staff), "school": str(campus.ms_x.school.pk)}


def _page(browser, live_server, session: str, language: str, width: int):
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context, context.new_page()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_outlook_reads_at_desk_and_phone_width(sessions, live_server, browser, artifacts, language, width):
    context, page = _page(browser, live_server, sessions["ministry"], language, width)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("html").get_attribute("lang") == language
    words = {
        "ko": ("데이터가 부족", "필요한 입학", "사후 검증", "계획 없음"),
        "en": ("Too little data", "What it takes:", "Back-test:", "No plan for"),
    }[language]
    sentence = page.get_by_test_id("outlook-sentence-AX-TRAINED")
    assert sentence.is_visible() and words[0] in sentence.inner_text()
    assert words[1] in page.get_by_test_id("what-it-takes-AX-TRAINED").inner_text()
    assert words[2] in page.get_by_test_id("backtest-AX-TRAINED").inner_text()
    assert words[3] in page.get_by_test_id("unplanned-AX-TRAINED").first.inner_text()
    # The band is drawn, and the yearly table gives it in figures: one row per year to the deadline.
    assert page.locator("svg.trajectory polygon.band-area").count() == 1
    rows = page.get_by_test_id("outlook-table-AX-TRAINED").locator("tbody tr")
    assert rows.count() == 2030 - timezone.localdate().year + 1
    assert "–" in rows.last.locator("td").nth(1).inner_text()
    # Nothing wider than the screen: the tables scroll inside their own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, artifacts / f"outlook-{language}-{width}.png")
    context.close()


def test_a_scenario_moves_the_figure_and_is_saved(sessions, live_server, browser, artifacts):
    context, page = _page(browser, live_server, sessions["ministry"], "en", 1280)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_test_id("scenario-link").click()
    page.wait_for_load_state()
    page.select_option("select[name=kind]", "new_schools")
    page.fill("input[name=from_year]", "2031")
    page.fill("input[name=schools]", "3")
    page.fill("input[name=intake]", "40")
    page.get_by_test_id("scenario-try").click()
    page.wait_for_load_state()
    assert "target period" in page.get_by_test_id("error-from_year").inner_text()
    page.fill("input[name=from_year]", str(timezone.localdate().year + 1))
    page.fill("input[name=name]", "Three new schools")
    page.get_by_test_id("scenario-save").click()
    page.wait_for_load_state()
    result = page.get_by_test_id("scenario-result")
    assert int(result.get_attribute("data-moved") or "0") > 0
    assert "Three new schools" in page.get_by_test_id("saved-scenarios").inner_text()
    screenshot(page, artifacts / "scenario-en.png")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_school_staff_plan_their_intake_and_see_refusals_beside_the_field(
    sessions, live_server, browser, artifacts, width
):
    context, page = _page(browser, live_server, sessions["staff"], "ko", width)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_test_id("nav-intake").click()
    page.wait_for_load_state()
    year = str(timezone.localdate().year + 3)
    page.select_option("select[name=plan-year]", year)
    page.select_option("select[name=plan-degree_level]", "phd")
    page.fill("input[name=plan-intake]", "9999")
    page.get_by_test_id("plan-submit").click()
    page.wait_for_load_state()
    assert "10배" in page.get_by_test_id("error-intake").inner_text()
    page.fill("input[name=plan-intake]", "15")
    page.get_by_test_id("plan-submit").click()
    page.wait_for_load_state()
    cell = page.get_by_test_id(f"plan-{sessions['school']}-{year}-phd")
    assert "15" in cell.inner_text() and "대학원 제안" in cell.inner_text()
    assert "계획 없음" in page.get_by_test_id("intake-grid").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, artifacts / f"intake-ko-{width}.png")
    context.close()
