"""The registrar's year on the university staff's pages (issue 15): nothing pre-selected, a reason and a
confirmation for changes that end or complete a course of study, changes scheduled ahead and cancelled, and
mistakes voided with a reason; another university's staff find nothing."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from talent.registry import services
from talent.registry.models import Enrollment, EnrollmentEvent

D = datetime.date


def detail(enrollment: Enrollment) -> str:
    return reverse("web:university-enrollment", kwargs={"pk": enrollment.pk})


def void_page(event: EnrollmentEvent) -> str:
    return reverse("web:university-enrollment-event-void", kwargs={"pk": event.enrollment_id, "event_pk": event.pk})


def enrol(enrollment: Enrollment, by) -> None:
    services.enrollment_transition(actor=by, enrollment=enrollment, status="enrolled", effective_date=D(2026, 3, 2))


def test_pressing_record_without_choosing_records_nothing(enrollment, university_staff, client_for):
    response = client_for(university_staff).post(detail(enrollment), {"status": "", "effective_date": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"status", "effective_date"}
    assert enrollment.events.count() == 1


def test_completing_coursework_needs_a_reason_then_a_confirmation(enrollment, university_staff, client_for):
    enrol(enrollment, university_staff)
    client = client_for(university_staff)
    change = {"status": "coursework_complete", "effective_date": "2026-11-30"}

    no_reason = client.post(detail(enrollment), {**change, "reason": ""})
    assert no_reason.context["form"].errors["reason"] and not no_reason.context["confirming"]

    asked = client.post(detail(enrollment), {**change, "reason": "졸업 요건 학점 이수"})
    assert asked.context["confirming"] is True
    page = asked.content.decode()
    assert 'data-testid="confirm-change"' in page and "수료" in page and "2026-11-30" in page
    assert enrollment.events.count() == 2  # nothing recorded yet

    confirmed = client.post(detail(enrollment), {**change, "reason": "졸업 요건 학점 이수", "confirmed": "on"})
    assert confirmed.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == "coursework_complete"


def test_an_illegal_weighty_change_is_refused_before_any_confirmation(enrollment, university_staff, client_for):
    response = client_for(university_staff).post(
        detail(enrollment), {"status": "graduated", "effective_date": "2026-03-02", "reason": "학위수여"}
    )

    assert response.context["form"].errors["status"] and not response.context["confirming"]
    assert enrollment.events.count() == 1


def test_a_leave_is_scheduled_ahead_shown_as_scheduled_and_cancelled(enrollment, university_staff, client_for):
    enrol(enrollment, university_staff)
    client = client_for(university_staff)
    ahead = timezone.localdate() + datetime.timedelta(days=90)

    body = {"status": "on_leave", "effective_date": ahead.isoformat(), "reason": "군 입대"}
    scheduled = client.post(detail(enrollment), body, follow=True)
    page = scheduled.content.decode()
    assert ahead.isoformat() in scheduled.context["messages"]._loaded_messages[0].message
    assert 'data-testid="next-change"' in page and 'data-testid="standing">예정</td>' in page
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.next_change_on) == ("enrolled", ahead)

    leave = enrollment.events.get(status="on_leave")
    shown = client.get(void_page(leave))
    assert "재학" in shown.content.decode()  # what it goes back to
    client.post(void_page(leave), {"reason": "입대 연기"})
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.next_change_on) == ("enrolled", None)
    timeline = client.get(detail(enrollment)).content.decode()
    assert "입대 연기" in timeline


def test_a_mistaken_coursework_completion_is_voided_from_the_page(enrollment, university_staff, client_for):
    enrol(enrollment, university_staff)
    mistake = services.enrollment_transition(
        actor=university_staff,
        enrollment=enrollment,
        status="coursework_complete",
        effective_date=D(2026, 11, 30),
        reason="일괄 처리",
    )
    client = client_for(university_staff)

    no_reason = client.post(void_page(mistake), {"reason": ""})
    assert no_reason.context["form"].errors["reason"]
    client.post(void_page(mistake), {"reason": "다른 학생으로 잘못 입력"})

    enrollment.refresh_from_db()
    assert enrollment.status == "enrolled"
    page = client.get(detail(enrollment)).content.decode()
    assert "다른 학생으로 잘못 입력" in page and "<s>수료</s>" in page


def test_the_admission_offers_no_void_and_refuses_one(enrollment, university_staff, client_for):
    client = client_for(university_staff)
    assert 'data-testid="void-link"' not in client.get(detail(enrollment)).content.decode()

    refused = client.post(void_page(enrollment.events.get()), {"reason": "실수"})

    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert not EnrollmentEvent.objects.filter(enrollment=enrollment, void__isnull=False).exists()


def test_another_universitys_staff_cannot_void(enrollment, university_staff, other_university_staff, client_for):
    enrol(enrollment, university_staff)
    change = enrollment.events.get(status="enrolled")

    assert client_for(other_university_staff).get(void_page(change)).status_code == 404
    assert client_for(other_university_staff).post(void_page(change), {"reason": "x"}).status_code == 404
    assert not EnrollmentEvent.objects.filter(void__isnull=False).exists()


def test_a_scheduled_change_that_cannot_stand_is_refused_beside_its_date_in_korean_and_english(
    enrollment, university_staff, client_for, settings
):
    """Beyond the horizon, before the change scheduled last, or on the day another change is scheduled for."""
    enrol(enrollment, university_staff)
    today = timezone.localdate()
    leave = today + datetime.timedelta(days=90)
    services.enrollment_transition(
        actor=university_staff, enrollment=enrollment, status="on_leave", effective_date=leave, reason="휴학 승인"
    )
    beyond = today + datetime.timedelta(days=settings.FUTURE_HORIZON_DAYS + 1)
    cases = [
        (beyond, "너무 먼 날짜", "too far ahead"),
        (leave - datetime.timedelta(days=30), "직전 변동일", "before the previous one"),
        (leave, "이미 다른 변동이 예정", "already scheduled"),
    ]
    for day, korean, english in cases:
        for language, words in (("ko", korean), ("en", english)):
            response = client_for(university_staff, HTTP_ACCEPT_LANGUAGE=language).post(
                detail(enrollment), {"status": "enrolled", "effective_date": day.isoformat(), "reason": "복학"}
            )
            beside = " ".join(response.context["form"].errors["effective_date"])  # shown under the date's input
            assert words in beside and beside in response.content.decode(), (day, language)
    assert enrollment.events.count() == 3
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.next_change_on) == ("enrolled", leave)
