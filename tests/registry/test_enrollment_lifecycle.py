"""Enrollment status changes: only legal transitions, each an append-only event; the status follows."""

from __future__ import annotations

import datetime

import pytest

from talent.common.errors import IllegalTransition, InvalidInput, NotAllowed
from talent.registry import selectors, services
from talent.registry.vocabulary import EnrollmentStatus as S

D = datetime.date


def move(enrollment, status, on, actor, **extra):
    return services.enrollment_transition(
        actor=actor, enrollment=enrollment, status=status, effective_date=on, reason="학사 처리", **extra
    )


@pytest.fixture
def early_enrollment(university_staff, ms_programme):
    """An enrollment admitted in 2024, so that a whole career fits before today."""
    return services.enrollment_admit(
        actor=university_staff,
        person=services.person_create(actor=university_staff, family_name_ko="최", given_name_ko="유나"),
        programme=ms_programme,
        student_number="2024-0107",
        admission_date=D(2024, 3, 4),
    )


def test_admission_writes_the_first_event_and_sets_the_status(enrollment):
    assert enrollment.status == S.ADMITTED
    assert enrollment.status_since == D(2026, 3, 2)
    assert list(enrollment.events.values_list("sequence", "status")) == [(1, "admitted")]


def test_a_whole_career_is_recorded_step_by_step(early_enrollment, university_staff):
    move(early_enrollment, S.ENROLLED, D(2024, 3, 4), university_staff)
    move(early_enrollment, S.ON_LEAVE, D(2024, 9, 2), university_staff)
    move(early_enrollment, S.ENROLLED, D(2025, 3, 4), university_staff)
    move(early_enrollment, S.COURSEWORK_COMPLETE, D(2026, 2, 27), university_staff)
    move(early_enrollment, S.GRADUATED, D(2026, 8, 21), university_staff, completion_route="ax_project")

    early_enrollment.refresh_from_db()
    assert early_enrollment.status == S.GRADUATED
    assert early_enrollment.status_since == D(2026, 8, 21)
    assert early_enrollment.completion_route == "ax_project"
    history = selectors.enrollment_history(enrollment=early_enrollment)
    assert [(e.previous_status, e.status) for e in history] == [
        ("", "admitted"),
        ("admitted", "enrolled"),
        ("enrolled", "on_leave"),
        ("on_leave", "enrolled"),
        ("enrolled", "coursework_complete"),
        ("coursework_complete", "graduated"),
    ]
    assert all(e.actor == university_staff for e in history)


def test_an_illegal_transition_is_refused_with_the_possible_next_steps_and_nothing_is_written(
    enrollment, university_staff
):
    with pytest.raises(IllegalTransition) as excinfo:
        move(enrollment, S.GRADUATED, D(2026, 6, 1), university_staff)
    message = str(excinfo.value)
    assert "합격" in message or "Admitted" in message  # the current status, named
    assert excinfo.value.field == "status"
    enrollment.refresh_from_db()
    assert enrollment.status == S.ADMITTED
    assert enrollment.events.count() == 1


def test_an_illegal_transition_is_explained_in_english_when_english_is_active(enrollment, university_staff):
    from django.utils import translation

    with translation.override("en"), pytest.raises(IllegalTransition) as excinfo:
        move(enrollment, S.GRADUATED, D(2026, 6, 1), university_staff)
    assert str(excinfo.value) == (
        "An enrollment that is Admitted cannot become Graduated. Possible next: Enrolled, Withdrawn."
    )


def test_a_final_status_has_no_next_step(enrollment, university_staff):
    move(enrollment, S.WITHDRAWN, D(2026, 3, 2), university_staff)
    with pytest.raises(IllegalTransition):
        move(enrollment, S.ENROLLED, D(2026, 3, 2), university_staff)


def test_a_change_dated_beyond_the_horizon_is_refused(enrollment, university_staff, settings):
    from django.utils import timezone

    settings.FUTURE_HORIZON_DAYS = 30
    too_far = timezone.localdate() + datetime.timedelta(days=31)
    with pytest.raises(InvalidInput) as excinfo:
        move(enrollment, S.ENROLLED, too_far, university_staff)
    assert excinfo.value.field == "effective_date"
    assert "30" in str(excinfo.value)
    assert enrollment.events.count() == 1


def test_a_change_dated_before_the_admission_is_refused(enrollment, university_staff):
    with pytest.raises(InvalidInput) as excinfo:
        move(enrollment, S.ENROLLED, D(2026, 2, 1), university_staff)
    assert "2026-03-02" in str(excinfo.value)
    assert enrollment.events.count() == 1


def test_a_change_dated_before_the_previous_change_is_refused(enrollment, university_staff):
    move(enrollment, S.ENROLLED, D(2026, 3, 10), university_staff)
    with pytest.raises(InvalidInput) as excinfo:
        move(enrollment, S.ON_LEAVE, D(2026, 3, 9), university_staff)
    assert "2026-03-10" in str(excinfo.value)
    assert enrollment.events.count() == 2


def test_an_admission_can_be_declined_before_the_term_starts(university_staff, student, ms_programme):
    offer = services.enrollment_admit(
        actor=university_staff,
        person=student,
        programme=ms_programme,
        student_number="2026-0002",
        admission_date=D(2026, 3, 2),
        admitted_on=D(2026, 1, 15),
    )
    move(offer, S.WITHDRAWN, D(2026, 2, 20), university_staff)
    offer.refresh_from_db()
    assert offer.status == S.WITHDRAWN
    assert offer.status_since == D(2026, 2, 20)


def test_staff_of_another_university_cannot_record_a_change(enrollment, other_university_staff):
    with pytest.raises(NotAllowed):
        move(enrollment, S.ENROLLED, D(2026, 3, 2), other_university_staff)
    assert enrollment.events.count() == 1


def status_on(enrollment, day):
    """The status on `day` as the reports read it: the selector's annotation (one query for any number of rows)."""
    one = type(enrollment).objects.filter(pk=enrollment.pk)
    return selectors.enrollments_with_status_on(one, on=day).get().status_on


def test_the_status_on_a_past_date_is_reconstructed_from_the_events(early_enrollment, university_staff):
    move(early_enrollment, S.ENROLLED, D(2024, 3, 4), university_staff)
    move(early_enrollment, S.ON_LEAVE, D(2025, 3, 4), university_staff)
    move(early_enrollment, S.ENROLLED, D(2025, 9, 1), university_staff)

    assert status_on(early_enrollment, D(2024, 3, 3)) is None
    assert status_on(early_enrollment, D(2024, 3, 4)) == S.ENROLLED
    assert status_on(early_enrollment, D(2025, 6, 30)) == S.ON_LEAVE
    assert status_on(early_enrollment, D(2025, 9, 1)) == S.ENROLLED


def test_a_past_status_does_not_change_when_later_events_are_added(early_enrollment, university_staff):
    move(early_enrollment, S.ENROLLED, D(2024, 3, 4), university_staff)
    before = status_on(early_enrollment, D(2025, 1, 1))
    move(early_enrollment, S.ON_LEAVE, D(2025, 3, 4), university_staff)
    move(early_enrollment, S.WITHDRAWN, D(2025, 6, 1), university_staff)
    assert status_on(early_enrollment, D(2025, 1, 1)) == before == S.ENROLLED


def test_a_masters_student_on_the_fast_track_gets_a_linked_doctoral_enrollment(
    early_enrollment, university_staff, phd_programme
):
    move(early_enrollment, S.ENROLLED, D(2024, 3, 4), university_staff)
    doctoral = services.enrollment_fast_track(
        actor=university_staff,
        enrollment=early_enrollment,
        doctoral_programme=phd_programme,
        student_number="2025-9001",
        effective_date=D(2025, 3, 4),
        reason="석박사 연계과정 진입",
    )
    early_enrollment.refresh_from_db()
    assert early_enrollment.status == S.PROGRESSED
    assert early_enrollment.progressed_to == doctoral
    assert doctoral.person_id == early_enrollment.person_id
    assert doctoral.status == S.ENROLLED
    assert list(doctoral.events.values_list("status", flat=True)) == ["admitted", "enrolled"]


def test_the_fast_track_is_refused_for_a_doctoral_enrollment(university_staff, phd_programme, student):
    doctoral = services.enrollment_admit(
        actor=university_staff,
        person=student,
        programme=phd_programme,
        student_number="2024-7001",
        admission_date=D(2024, 3, 4),
    )
    move(doctoral, S.ENROLLED, D(2024, 3, 4), university_staff)
    with pytest.raises(IllegalTransition):
        services.enrollment_fast_track(
            reason="학사 처리",
            actor=university_staff,
            enrollment=doctoral,
            doctoral_programme=phd_programme,
            student_number="2025-7002",
            effective_date=D(2025, 3, 4),
        )
    assert doctoral.events.count() == 2


def test_progressed_cannot_be_recorded_without_the_linked_enrollment(enrollment, university_staff):
    move(enrollment, S.ENROLLED, D(2026, 3, 2), university_staff)
    with pytest.raises(InvalidInput):
        move(enrollment, S.PROGRESSED, D(2026, 9, 1), university_staff)
