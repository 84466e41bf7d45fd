"""The registrar's year in a real browser, in Korean and in English (issue 15): a student admitted now for a term
months ahead, a leave approved ahead and cancelled, a coursework completion confirmed and then voided as a
mistake (in English, every page of the walk is checked for Korean left untranslated, the records' own Korean
names aside); and a roster upload voiding a mistaken 수료 only with a reason (in Korean). The roster upload of
several steps is test_university_lists_browser's."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from talent.registry import services
from talent.registry.models import Enrollment
from tests.browser import screenshot, session_cookie

HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: The words the walk looks for, in each language (the reasons are typed in it).
WORDS = {
    "ko": {
        "record": "변동 기록",
        "admitted": "합격",
        "scheduled": "예정",
        "coursework_complete": "수료",
        "enrolled": "재학",
        "leave_reason": "다음 학기 휴학 승인",
        "withdrawn_reason": "휴학 신청 철회",
        "batch_reason": "일괄 처리",
        "mistake_reason": "다른 학생으로 잘못 입력",
    },
    "en": {
        "record": "Record the change",
        "admitted": "Admitted",
        "scheduled": "Scheduled",
        "coursework_complete": "Coursework complete",
        "enrolled": "Enrolled",
        "leave_reason": "Leave approved for next semester",
        "withdrawn_reason": "Leave request withdrawn",
        "batch_reason": "Batch update",
        "mistake_reason": "Entered for the wrong student",
    },
}
#: The page's text as read, less the switch's own name for Korean (lang="ko") and scripts.
PAGE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang="ko"], script, style').forEach(element => element.remove());
  return body.textContent;
}"""


def korean_left(page, records: list[str]) -> list[str]:
    """The lines of the page that still hold Korean once the records' own Korean (names) is taken out."""
    text = page.evaluate(PAGE_TEXT)
    for value in sorted(records, key=len, reverse=True):
        text = text.replace(value, "")
    return [line.strip() for line in text.splitlines() if HANGUL.search(line)]


def korean_of(*records) -> list[str]:
    """The Korean text values of records: what a page may show as it is in any language (names)."""
    return [
        value
        for record in records
        for field in record._meta.concrete_fields
        if isinstance(value := getattr(record, field.attname), str) and HANGUL.search(value)
    ]


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


@pytest.fixture
def records(enrolled, ms_programme) -> list[str]:
    """The Korean of the records the walk shows (and of the student it admits), read before the browser starts."""
    school = ms_programme.school
    return [*korean_of(enrolled.person, ms_programme, school, school.university), "윤", "하늘"]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_admitting_ahead_scheduling_cancelling_and_voiding_through_the_pages(
    staff_cookie, records, enrolled, ms_programme, live_server, browser, artifacts, language
):
    today = timezone.localdate()
    term = today + datetime.timedelta(days=90)
    leave = today + datetime.timedelta(days=120)
    words = WORDS[language]
    leaks: dict[str, list[str]] = {}

    def check_language(step: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        if language == "en":
            leaks.update({step: found} if (found := korean_left(page, records)) else {})

    context = browser.new_context(locale="ko-KR", viewport={"width": 1100, "height": 1000})
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": staff_cookie, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},  # the switch's
        ]
    )
    page = context.new_page()

    # Admitted now (합격) for a term months ahead.
    page.goto(f"{live_server.url}/university/enrollments/admit/")
    check_language("admit form")
    page.locator("#id_family_name_ko").fill("윤")
    page.locator("#id_given_name_ko").fill("하늘")
    page.locator("#id_programme").select_option(str(ms_programme.pk))
    page.locator("#id_student_number").fill("2027-0001")
    page.locator("#id_admission_date").fill(term.isoformat())
    page.get_by_test_id("save").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("status").inner_text().startswith(words["admitted"])
    check_language("admitted")
    screenshot(page, artifacts / f"registrar-{language}-1-admitted-ahead.png")
    admitted = Enrollment.objects.get(student_number="2027-0001")
    assert (admitted.admission_date, admitted.status) == (term, "admitted")

    # A leave approved ahead for next semester: scheduled, shown as such, then cancelled.
    detail = f"{live_server.url}/university/enrollments/{enrolled.pk}/"
    page.goto(detail)
    check_language("enrollment")
    assert page.locator("#id_status").input_value() == ""  # nothing pre-selected
    page.locator("#id_status").select_option("on_leave")
    page.locator("#id_effective_date").fill(leave.isoformat())
    page.locator("#id_reason").fill(words["leave_reason"])
    page.get_by_role("button", name=words["record"]).click()
    page.get_by_test_id("messages").wait_for()
    assert leave.isoformat() in page.get_by_test_id("next-change").inner_text()
    assert page.get_by_test_id("event-3").get_by_test_id("standing").inner_text() == words["scheduled"]
    check_language("leave scheduled")
    screenshot(page, artifacts / f"registrar-{language}-2-leave-scheduled.png")
    page.get_by_test_id("void-link").click()
    check_language("cancel form")
    page.locator("#id_reason").fill(words["withdrawn_reason"])
    page.get_by_test_id("void-button").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("next-change").count() == 0
    assert words["withdrawn_reason"] in page.get_by_test_id("event-3").inner_text()
    check_language("leave cancelled")

    # Coursework completion: a reason, then a confirmation saying what happens; then voided as a mistake.
    page.locator("#id_status").select_option("coursework_complete")
    page.locator("#id_effective_date").fill(today.isoformat())
    page.locator("#id_reason").fill(words["batch_reason"])
    page.get_by_role("button", name=words["record"]).click()
    page.get_by_test_id("confirm-change").wait_for()
    assert words["coursework_complete"] in page.get_by_test_id("confirm-status").inner_text()
    check_language("confirmation")
    screenshot(page, artifacts / f"registrar-{language}-3-confirm.png")
    page.get_by_test_id("confirm-button").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("status").inner_text().startswith(words["coursework_complete"])
    page.get_by_test_id("void-link").click()
    assert words["enrolled"] in page.get_by_test_id("void-consequence").inner_text()
    check_language("void form")
    page.locator("#id_reason").fill(words["mistake_reason"])
    page.get_by_test_id("void-button").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("status").inner_text().startswith(words["enrolled"])
    check_language("voided")
    screenshot(page, artifacts / f"registrar-{language}-4-voided.png")
    enrolled.refresh_from_db()
    assert enrolled.status == "enrolled"
    assert enrolled.events.filter(void__isnull=False).count() == 2
    context.close()
    assert not leaks, f"Korean left on the English pages: {leaks}"


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
