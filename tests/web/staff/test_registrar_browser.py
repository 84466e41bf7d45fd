"""The registrar's year in a real browser, in Korean (issue 15): a student admitted now for a term months ahead,
a leave approved ahead and cancelled, a coursework completion confirmed and then voided as a mistake; and a
roster upload taking a student through three steps (재학 → 수료 → 졸업)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from talent.registry import services
from talent.registry.models import Enrollment
from tests.browser import screenshot, session_cookie


@pytest.fixture
def enrolled(enrollment, university_staff) -> Enrollment:
    services.enrollment_transition(
        actor=university_staff, enrollment=enrollment, status="enrolled", effective_date=datetime.date(2026, 3, 2)
    )
    return enrollment


@pytest.fixture
def staff_cookie(enrolled, university_staff) -> str:
    """The records and the session are made before the browser starts (see tests/web/conftest.py)."""
    return session_cookie(university_staff)


def test_admitting_ahead_scheduling_cancelling_and_voiding_through_the_pages(
    staff_cookie, enrolled, ms_programme, live_server, browser, artifacts
):
    today = timezone.localdate()
    term = today + datetime.timedelta(days=90)
    leave = today + datetime.timedelta(days=120)
    context = browser.new_context(locale="ko-KR", viewport={"width": 1100, "height": 1000})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": staff_cookie, "url": live_server.url}])
    page = context.new_page()

    # Admitted now (합격) for a term months ahead.
    page.goto(f"{live_server.url}/university/enrollments/admit/")
    page.locator("#id_family_name_ko").fill("윤")
    page.locator("#id_given_name_ko").fill("하늘")
    page.locator("#id_programme").select_option(str(ms_programme.pk))
    page.locator("#id_student_number").fill("2027-0001")
    page.locator("#id_admission_date").fill(term.isoformat())
    page.get_by_test_id("save").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("status").inner_text().startswith("합격")
    screenshot(page, artifacts / "registrar-1-admitted-ahead.png")
    admitted = Enrollment.objects.get(student_number="2027-0001")
    assert (admitted.admission_date, admitted.status) == (term, "admitted")

    # A leave approved ahead for next semester: scheduled, shown as such, then cancelled.
    detail = f"{live_server.url}/university/enrollments/{enrolled.pk}/"
    page.goto(detail)
    assert page.locator("#id_status").input_value() == ""  # nothing pre-selected
    page.locator("#id_status").select_option("on_leave")
    page.locator("#id_effective_date").fill(leave.isoformat())
    page.locator("#id_reason").fill("다음 학기 휴학 승인")
    page.get_by_role("button", name="변동 기록").click()
    page.get_by_test_id("messages").wait_for()
    assert leave.isoformat() in page.get_by_test_id("next-change").inner_text()
    assert page.get_by_test_id("event-3").get_by_test_id("standing").inner_text() == "예정"
    screenshot(page, artifacts / "registrar-2-leave-scheduled.png")
    page.get_by_test_id("void-link").click()
    page.locator("#id_reason").fill("휴학 신청 철회")
    page.get_by_test_id("void-button").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("next-change").count() == 0
    assert "휴학 신청 철회" in page.get_by_test_id("event-3").inner_text()

    # Coursework completion: a reason, then a confirmation saying what happens; then voided as a mistake.
    page.locator("#id_status").select_option("coursework_complete")
    page.locator("#id_effective_date").fill(today.isoformat())
    page.locator("#id_reason").fill("일괄 처리")
    page.get_by_role("button", name="변동 기록").click()
    page.get_by_test_id("confirm-change").wait_for()
    assert "수료" in page.get_by_test_id("confirm-status").inner_text()
    screenshot(page, artifacts / "registrar-3-confirm.png")
    page.get_by_test_id("confirm-button").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("status").inner_text().startswith("수료")
    page.get_by_test_id("void-link").click()
    assert "재학" in page.get_by_test_id("void-consequence").inner_text()
    page.locator("#id_reason").fill("다른 학생으로 잘못 입력")
    page.get_by_test_id("void-button").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("status").inner_text().startswith("재학")
    screenshot(page, artifacts / "registrar-4-voided.png")
    enrolled.refresh_from_db()
    assert enrolled.status == "enrolled"
    assert enrolled.events.filter(void__isnull=False).count() == 2
    context.close()
