"""Enrollment status changes: only legal transitions, each an append-only event; the status follows."""

from __future__ import annotations

import datetime

import pytest

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
