"""The registrar's year (issue 15): admission ahead of term, changes scheduled ahead that take effect on their
date, cancelled before it, and mistakes voided by a correction. The clock is moved (tests.conftest.Clock)."""

from __future__ import annotations

import datetime

import pytest

from talent.common.errors import Conflict, IllegalTransition, InvalidInput, NotAllowed
from talent.registry import selectors, services, tasks
from talent.registry.models import Enrollment, EnrollmentEvent
from talent.registry.vocabulary import EnrollmentStatus as S
from talent.reports.counting_tables import counting_tables_drift

D = datetime.date


def move(enrollment, status, on, actor, reason="학사 처리"):
    return services.enrollment_transition(
        actor=actor, enrollment=enrollment, status=status, effective_date=on, reason=reason
    )


def state(enrollment: Enrollment) -> tuple[str, datetime.date | None, datetime.date | None]:
    enrollment.refresh_from_db()
    return enrollment.status, enrollment.status_since, enrollment.next_change_on


@pytest.fixture
def enrolled(enrollment, university_staff, clock):
    """The MS enrollment of conftest (admitted 2026-03-02), enrolled that day; today is 2026-12-10."""
    clock.move_to(D(2026, 12, 10))
    move(enrollment, S.ENROLLED, D(2026, 3, 2), university_staff)
    return enrollment


def test_a_student_admitted_in_december_for_march_shows_as_admitted_until_the_term(
    clock, university_staff, student, ms_programme
):
    clock.move_to(D(2026, 12, 10))
    enrollment = services.enrollment_admit(
        actor=university_staff,
        person=student,
        programme=ms_programme,
        student_number="2027-0001",
        admission_date=D(2027, 3, 2),
    )
    # The admission (합격) is dated today; registering is scheduled for the first day of term.
    assert state(enrollment) == (S.ADMITTED, D(2026, 12, 10), None)
    move(enrollment, S.ENROLLED, D(2027, 3, 2), university_staff)
    assert state(enrollment) == (S.ADMITTED, D(2026, 12, 10), D(2027, 3, 2))

    clock.move_to(D(2027, 3, 1))
    assert services.enrollment_statuses_refresh() == 0
    assert state(enrollment) == (S.ADMITTED, D(2026, 12, 10), D(2027, 3, 2))

    clock.move_to(D(2027, 3, 2))
    assert tasks.refresh_enrollment_statuses.apply().get() == 1
    assert state(enrollment) == (S.ENROLLED, D(2027, 3, 2), None)
    assert services.enrollment_statuses_refresh() == 0  # once taken in, nothing is due
    assert counting_tables_drift().none


def test_an_admission_dated_beyond_the_horizon_is_refused(clock, university_staff, student, ms_programme, settings):
    clock.move_to(D(2026, 12, 10))
    with pytest.raises(InvalidInput) as refused:
        services.enrollment_admit(
            actor=university_staff,
            person=student,
            programme=ms_programme,
            student_number="2028-0001",
            admission_date=D(2026, 12, 10) + datetime.timedelta(days=settings.FUTURE_HORIZON_DAYS + 1),
        )
    assert refused.value.field == "admission_date"
    assert not Enrollment.objects.filter(student_number="2028-0001").exists()


def test_a_leave_approved_ahead_takes_effect_on_its_date_and_the_return_after_it(enrolled, university_staff, clock):
    move(enrolled, S.ON_LEAVE, D(2027, 3, 2), university_staff)
    move(enrolled, S.ENROLLED, D(2027, 9, 1), university_staff)
    assert state(enrolled) == (S.ENROLLED, D(2026, 3, 2), D(2027, 3, 2))
    one = Enrollment.objects.filter(pk=enrolled.pk)
    assert selectors.enrollments_with_status_on(one, on=D(2027, 3, 1)).get().status_on == S.ENROLLED
    assert selectors.enrollments_with_status_on(one, on=D(2027, 3, 2)).get().status_on == S.ON_LEAVE

    clock.move_to(D(2027, 3, 2))
    services.enrollment_statuses_refresh()
    assert state(enrolled) == (S.ON_LEAVE, D(2027, 3, 2), D(2027, 9, 1))
    clock.move_to(D(2027, 9, 3))  # the refresh ran late: it catches up
    services.enrollment_statuses_refresh()
    assert state(enrolled) == (S.ENROLLED, D(2027, 9, 1), None)
    assert counting_tables_drift().none


def test_a_scheduled_leave_is_cancelled_before_its_date_and_never_takes_effect(enrolled, university_staff, clock):
    leave = move(enrolled, S.ON_LEAVE, D(2027, 3, 2), university_staff)

    void = services.enrollment_event_void(actor=university_staff, event=leave, reason="휴학 신청 철회")

    assert void.actor == university_staff and void.reason == "휴학 신청 철회"
    assert state(enrolled) == (S.ENROLLED, D(2026, 3, 2), None)
    clock.move_to(D(2027, 3, 3))
    assert services.enrollment_statuses_refresh() == 0
    assert state(enrolled) == (S.ENROLLED, D(2026, 3, 2), None)
    assert EnrollmentEvent.objects.filter(pk=leave.pk).exists()  # kept in the history, voided
    # The day is free again: a new change may be scheduled for it.
    move(enrolled, S.ON_LEAVE, D(2027, 3, 4), university_staff)
    assert state(enrolled)[2] == D(2027, 3, 4)


def test_two_changes_scheduled_for_the_same_day_are_refused(enrolled, university_staff):
    move(enrolled, S.ON_LEAVE, D(2027, 3, 2), university_staff)
    with pytest.raises(Conflict) as refused:
        move(enrolled, S.ENROLLED, D(2027, 3, 2), university_staff)
    assert refused.value.field == "effective_date"
    assert enrolled.events.count() == 3


def test_a_change_before_a_scheduled_one_or_beyond_the_horizon_is_refused(enrolled, university_staff, settings):
    move(enrolled, S.ON_LEAVE, D(2027, 3, 2), university_staff)
    with pytest.raises(InvalidInput) as before:
        move(enrolled, S.ENROLLED, D(2027, 3, 1), university_staff)
    assert before.value.field == "effective_date" and "2027-03-02" in str(before.value)
    settings.FUTURE_HORIZON_DAYS = 100
    with pytest.raises(InvalidInput) as too_far:
        move(enrolled, S.ENROLLED, D(2027, 3, 21), university_staff)  # 101 days after 2026-12-10
    assert too_far.value.field == "effective_date" and "2027-03-20" in str(too_far.value)
    assert enrolled.events.count() == 3


def test_a_mistaken_coursework_completion_is_voided_and_the_status_goes_back(enrolled, university_staff):
    mistake = move(enrolled, S.COURSEWORK_COMPLETE, D(2026, 11, 30), university_staff)
    assert state(enrolled)[0] == S.COURSEWORK_COMPLETE

    services.enrollment_event_void(actor=university_staff, event=mistake, reason="다른 학생으로 잘못 입력")

    assert state(enrolled) == (S.ENROLLED, D(2026, 3, 2), None)
    history = list(selectors.enrollment_history(enrollment=enrolled))
    assert [(e.status, hasattr(e, "void")) for e in history] == [
        (S.ADMITTED, False),
        (S.ENROLLED, False),
        (S.COURSEWORK_COMPLETE, True),
    ]
    assert history[-1].void.reason == "다른 학생으로 잘못 입력"
    # What follows is checked against what stands: coursework can be completed again, later and correctly.
    again = move(enrolled, S.COURSEWORK_COMPLETE, D(2026, 12, 1), university_staff)
    assert again.previous_status == S.ENROLLED and again.sequence == 4
    assert counting_tables_drift().none


def test_a_correction_that_cannot_stand_is_refused_and_nothing_is_written(
    enrolled, university_staff, other_university_staff
):
    finished = move(enrolled, S.COURSEWORK_COMPLETE, D(2026, 6, 30), university_staff)
    move(enrolled, S.GRADUATED, D(2026, 8, 31), university_staff)
    admission = enrolled.events.get(sequence=1)

    with pytest.raises(IllegalTransition):  # the admission under a graduation
        services.enrollment_event_void(actor=university_staff, event=admission, reason="실수")
    with pytest.raises(IllegalTransition) as not_latest:  # coursework completed, under the graduation
        services.enrollment_event_void(actor=university_staff, event=finished, reason="실수")
    assert "2026-08-31" in str(not_latest.value)
    with pytest.raises(NotAllowed):
        services.enrollment_event_void(
            actor=other_university_staff, event=enrolled.events.get(sequence=4), reason="실수"
        )
    with pytest.raises(InvalidInput) as no_reason:
        services.enrollment_event_void(actor=university_staff, event=enrolled.events.get(sequence=4), reason="  ")
    assert no_reason.value.field == "reason"

    assert state(enrolled)[0] == S.GRADUATED
    assert not EnrollmentEvent.objects.filter(enrollment=enrolled, void__isnull=False).exists()


def test_a_voided_change_cannot_be_voided_twice(enrolled, university_staff):
    mistake = move(enrolled, S.ON_LEAVE, D(2026, 9, 1), university_staff)
    services.enrollment_event_void(actor=university_staff, event=mistake, reason="잘못 입력")
    with pytest.raises(Conflict) as twice:
        services.enrollment_event_void(actor=university_staff, event=mistake, reason="잘못 입력")
    assert twice.value.code == "already_voided"


def test_the_beat_schedule_runs_the_refresh_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["registry: scheduled status changes take effect"]
    assert entry["task"] == tasks.refresh_enrollment_statuses.name
    assert entry["schedule"].minute == {1} and len(entry["schedule"].hour) == 24
