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


@pytest.fixture
def completed_cookie(enrolled, university_staff) -> str:
    """2026-0001, enrolled since 2026-03-02, recorded by mistake as having completed coursework on 2026-08-31."""
    services.enrollment_transition(
        actor=university_staff,
        enrollment=enrolled,
        status="coursework_complete",
        effective_date=datetime.date(2026, 8, 31),
        reason="일괄 수료 처리",
    )
    return session_cookie(university_staff)


def test_a_roster_upload_voids_a_mistaken_completion_only_with_a_reason(
    completed_cookie, enrolled, live_server, browser, artifacts, tmp_path
):
    header = "학번,성,이름,과정,입학일,학적상태,상태변경일,정정사유\r\n"
    stale, corrected = tmp_path / "명단-이전.csv", tmp_path / "명단-정정.csv"
    stale.write_text(header + "2026-0001,박,지훈,AX 융합 석사,2026-03-02,재학,2026-03-02,\r\n", encoding="utf-8-sig")
    corrected.write_text(
        header + "2026-0001,박,지훈,AX 융합 석사,2026-03-02,재학,2026-03-02,다른 학생으로 잘못 입력\r\n",
        encoding="utf-8-sig",
    )
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": completed_cookie, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/university/roster/")
    assert "정정사유" in page.get_by_test_id("correction-help").inner_text()

    # Without a reason (a file made before the 수료 reads the same): refused, saying what it would void.
    page.locator("#id_file").set_input_files(str(stale))
    page.get_by_test_id("upload").click()
    page.get_by_test_id("preview-refused").wait_for()
    refusal = page.locator('[data-row="2"] .errorlist').inner_text()
    assert refusal.startswith("정정사유:") and "2026-08-31자 수료 변동 무효 처리" in refusal
    assert page.get_by_test_id("confirm-import").count() == 0

    # With the reason: the preview proposes the void (old → new and the change voided), applied on confirm.
    page.locator("#id_file").set_input_files(str(corrected))
    page.get_by_test_id("upload").click()
    page.get_by_test_id("confirm-import").wait_for()
    proposed = page.locator('[data-row="2"]')
    assert proposed.locator('[data-field="status"]').inner_text() == "상태: 수료 (2026-08-31) → 재학 (2026-03-02)"
    assert proposed.locator(".notices").inner_text() == (
        "학적상태: 정정(사유: “다른 학생으로 잘못 입력”): 2026-08-31자 수료 변동 무효 처리."
    )
    screenshot(page, artifacts / "registrar-5-roster-void-preview.png")
    page.get_by_test_id("confirm-import").click()
    page.get_by_test_id("messages").wait_for()

    page.goto(f"{live_server.url}/university/enrollments/{enrolled.pk}/")
    assert page.get_by_test_id("status").inner_text().startswith("재학")
    assert "다른 학생으로 잘못 입력" in page.get_by_test_id("event-3").inner_text()
    screenshot(page, artifacts / "registrar-6-roster-voided.png")
    enrolled.refresh_from_db()
    assert enrolled.status == "enrolled"
    assert list(enrolled.events.filter(void__isnull=False).values_list("status", flat=True)) == ["coursework_complete"]
    context.close()
