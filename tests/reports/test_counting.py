"""The counting rules against hand-built histories (DESIGN.md § Counting rules). Target start 2026-01-01."""

from __future__ import annotations

import datetime

import pytest

from talent.registry import services
from talent.registry.models import Enrollment
from talent.reports import selectors
from talent.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import D, graduate


def report(target, as_of, scope=None):
    return selectors.target_report(scope=scope or ReportScope(), target=target, as_of=as_of)


def table(target, by, as_of, scope=None):
    return selectors.headcount_of(scope=scope or ReportScope(), target=target, by=by, as_of=as_of)


def test_the_two_targets_are_seeded_as_version_one(trained_target, returned_target):
    assert (trained_target.value, trained_target.deadline) == (5000, D(2030, 12, 31))
    assert (returned_target.value, returned_target.deadline) == (2000, D(2030, 12, 31))
    assert trained_target.basis == "trained" and returned_target.basis == "returned"


def test_a_person_graduating_twice_counts_once(campus, history, trained_target):
    person = factories.PersonFactory()
    history(person, campus.ms_x, admitted=D(2024, 3, 4), steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)))
    history(person, campus.phd_x, admitted=D(2026, 3, 2), steps=graduate(D(2026, 3, 2), D(2026, 6, 30), D(2026, 8, 21)))

    figures = report(trained_target, D(2026, 9, 30))

    assert figures.achieved == 1
    assert figures.completion_rate.graduations == 2  # enrollments: both degrees were completed
    assert report(trained_target, D(2026, 2, 19)).achieved == 0
    assert report(trained_target, D(2026, 2, 20)).achieved == 1


def test_a_graduation_before_the_start_does_not_count(campus, history, trained_target):
    history(
        factories.PersonFactory(),
        campus.ms_x,
        admitted=D(2023, 3, 2),
        steps=graduate(D(2023, 3, 2), D(2024, 12, 20), D(2025, 8, 22)),
    )
    assert report(trained_target, D(2026, 9, 30)).achieved == 0


def test_a_withdrawn_then_readmitted_person_counts_once_and_is_attributed_to_the_first_enrollment(
    campus, history, trained_target
):
    person = factories.PersonFactory()
    history(
        person, campus.ms_y, admitted=D(2025, 9, 1), steps=[("enrolled", D(2025, 9, 1)), ("withdrawn", D(2026, 2, 1))]
    )
    history(person, campus.ms_x, admitted=D(2026, 3, 2), steps=graduate(D(2026, 3, 2), D(2026, 7, 1), D(2026, 8, 21)))

    on_leave_day = report(trained_target, D(2026, 1, 15))
    assert on_leave_day.active["enrolled"] == 1
    between = report(trained_target, D(2026, 2, 15))
    assert between.active["total"] == 0 and between.achieved == 0
    after = report(trained_target, D(2026, 9, 30))
    assert after.achieved == 1
    assert after.entrants == 0  # first entered in 2025, before the target's start
    assert after.completion_rate.endings == 2  # one withdrawal, one graduation
    by_university = table(trained_target, "university", D(2026, 9, 30))
    assert [(row.key, row.counts["achieved"]) for row in by_university.rows] == [(str(campus.university_y.pk), 1)]


def test_a_fast_track_student_counts_once_under_the_masters_enrollment(campus, history, trained_target):
    person = factories.PersonFactory()
    masters = history(person, campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    doctorate = services.enrollment_fast_track(
        reason="학사 처리",
        actor=None,
        enrollment=masters,
        doctoral_programme=campus.phd_x,
        student_number="FT0000001",
        effective_date=D(2026, 6, 1),
    )
    services.enrollment_transition(
        reason="학사 처리", actor=None, enrollment=doctorate, status="coursework_complete", effective_date=D(2026, 9, 1)
    )
    services.enrollment_transition(
        reason="학사 처리", actor=None, enrollment=doctorate, status="graduated", effective_date=D(2026, 10, 30)
    )

    during = report(trained_target, D(2026, 7, 1))
    assert during.active == {"enrolled": 1, "on_leave": 0, "coursework_complete": 0, "total": 1}
    assert during.entrants == 1
    after = report(trained_target, D(2026, 11, 1))
    assert (after.achieved, after.entrants, after.active["total"]) == (1, 1, 0)
    assert after.completion_rate.endings == 1  # `progressed` is no ending
    levels = table(trained_target, "degree_level", D(2026, 11, 1))
    assert [(row.key, row.counts["achieved"]) for row in levels.rows] == [("ms", 1)]


def test_a_programme_that_does_not_count_is_not_counted(campus, history, trained_target):
    history(
        factories.PersonFactory(),
        campus.uncounted_x,
        admitted=D(2024, 3, 4),
        steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)),
    )
    figures = report(trained_target, D(2026, 9, 30))
    assert (figures.achieved, figures.completion_rate.graduations) == (0, 0)


def test_a_declined_admission_is_no_entrant_and_no_dropout(campus, history, trained_target):
    history(
        factories.PersonFactory(),
        campus.ms_x,
        admitted=D(2026, 3, 2),
        admitted_on=D(2025, 12, 12),
        steps=[("withdrawn", D(2026, 2, 1))],
    )
    history(factories.PersonFactory(), campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    figures = report(trained_target, D(2026, 9, 30))
    assert (figures.entrants, figures.completion_rate.endings) == (1, 0)


def test_the_count_for_a_past_date_does_not_change_when_later_events_are_added(campus, history, trained_target):
    early = [factories.PersonFactory() for _ in range(3)]
    enrollments = [
        history(person, campus.ms_x, admitted=D(2025, 3, 4), steps=[("enrolled", D(2025, 3, 4))]) for person in early
    ]
    services.enrollment_transition(
        reason="학사 처리",
        actor=None,
        enrollment=enrollments[0],
        status="coursework_complete",
        effective_date=D(2026, 1, 10),
    )
    services.enrollment_transition(
        reason="학사 처리", actor=None, enrollment=enrollments[0], status="graduated", effective_date=D(2026, 2, 20)
    )
    before = report(trained_target, D(2026, 3, 31))
    breakdown_before = table(trained_target, "university", D(2026, 3, 31))

    services.enrollment_transition(
        reason="학사 처리",
        actor=None,
        enrollment=enrollments[1],
        status="coursework_complete",
        effective_date=D(2026, 6, 1),
    )
    services.enrollment_transition(
        reason="학사 처리", actor=None, enrollment=enrollments[1], status="graduated", effective_date=D(2026, 8, 21)
    )
    services.enrollment_transition(
        reason="학사 처리", actor=None, enrollment=enrollments[2], status="withdrawn", effective_date=D(2026, 9, 1)
    )
    history(factories.PersonFactory(), campus.ms_y, admitted=D(2026, 9, 1), steps=[("enrolled", D(2026, 9, 1))])

    again = report(trained_target, D(2026, 3, 31))
    assert again == before
    assert table(trained_target, "university", D(2026, 3, 31)) == breakdown_before
    assert (before.achieved, before.active["enrolled"]) == (1, 2)
    assert report(trained_target, D(2026, 9, 30)).achieved == 2


def test_active_students_are_shown_by_status(campus, history, trained_target):
    history(factories.PersonFactory(), campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    history(
        factories.PersonFactory(),
        campus.ms_x,
        admitted=D(2026, 3, 2),
        steps=[("enrolled", D(2026, 3, 2)), ("on_leave", D(2026, 9, 1))],
    )
    history(
        factories.PersonFactory(),
        campus.ms_y,
        admitted=D(2025, 3, 4),
        steps=[("enrolled", D(2025, 3, 4)), ("coursework_complete", D(2026, 8, 31))],
    )
    history(factories.PersonFactory(), campus.ms_y, admitted=D(2026, 9, 1))  # admitted, not yet registered

    figures = report(trained_target, D(2026, 10, 1))
    assert figures.active == {"enrolled": 1, "on_leave": 1, "coursework_complete": 1, "total": 3}
    assert figures.entrants == 2


def test_breakdown_rows_add_up_to_the_total_for_every_dimension(campus, history, trained_target):
    for i, programme in enumerate([campus.ms_x, campus.ms_x, campus.ms_y, campus.phd_x, campus.ms_y]):
        person = factories.PersonFactory(gender=["female", "male", ""][i % 3])
        history(person, programme, admitted=D(2025, 3, 4), steps=graduate(D(2025, 3, 4), D(2026, 1, 5), D(2026, 2, 20)))
        history(person, campus.phd_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    factories.ResearcherProfileFactory(person=person, return_date=D(2025, 1, 1))

    total = report(trained_target, D(2026, 10, 1))
    for by in selectors.dimensions_of(trained_target):
        breakdown = table(trained_target, by, D(2026, 10, 1))
        for column in breakdown.columns:
            assert sum(row.counts[column] for row in breakdown.rows) == breakdown.total[column], (by, column)
        assert breakdown.total["achieved"] == total.achieved == 5
        assert breakdown.total["enrolled"] == total.active["enrolled"] == 5
    origin = {row.key: row.counts["achieved"] for row in table(trained_target, "origin", D(2026, 10, 1)).rows}
    assert origin == {"domestic": 4, "returning": 1}
    gender = {row.key: row.counts["achieved"] for row in table(trained_target, "gender", D(2026, 10, 1)).rows}
    assert gender == {"female": 2, "male": 2, "unspecified": 1}
    sectors = {row.key: row.counts["achieved"] for row in table(trained_target, "ksic_section", D(2026, 10, 1)).rows}
    assert sectors == {"C": 3, "J": 2}


def test_a_graduate_counts_as_returning_from_their_return_date_on(campus, history, trained_target):
    """The origin breakdown counts every student as domestic and the returned researchers one by one: here
    each has a single enrollment, and a planned return is no return."""
    steps = graduate(D(2025, 3, 4), D(2026, 1, 5), D(2026, 2, 20))
    returned, planned, domestic = (factories.PersonFactory() for _ in range(3))
    for person, programme in ((returned, campus.ms_x), (planned, campus.ms_y), (domestic, campus.ms_y)):
        history(person, programme, admitted=D(2025, 3, 4), steps=steps)
    factories.ResearcherProfileFactory(person=returned, return_date=D(2026, 5, 1))
    factories.ResearcherProfileFactory(person=planned, return_date=D(2026, 4, 1), return_planned=True)

    def origin(as_of: datetime.date) -> dict[str, int]:
        return {row.key: row.counts["achieved"] for row in table(trained_target, "origin", as_of).rows}

    assert origin(D(2026, 4, 30)) == {"domestic": 3}
    assert origin(D(2026, 5, 1)) == {"domestic": 2, "returning": 1}


def test_a_universitys_own_report_is_its_row_of_the_national_breakdown(campus, history, trained_target):
    for programme in (campus.ms_x, campus.ms_x, campus.ms_y):
        history(
            factories.PersonFactory(),
            programme,
            admitted=D(2025, 3, 4),
            steps=graduate(D(2025, 3, 4), D(2026, 1, 5), D(2026, 2, 20)),
        )
    national = table(trained_target, "university", D(2026, 10, 1))
    own = report(trained_target, D(2026, 10, 1), scope=ReportScope(university=campus.university_x))
    row = next(row for row in national.rows if row.key == str(campus.university_x.pk))
    assert own.achieved == row.counts["achieved"] == 2
    assert own.band is None and own.pace.required is None


def test_the_trajectory_agrees_with_the_report_at_each_month_end(campus, history, trained_target):
    for graduated in (D(2026, 2, 20), D(2026, 2, 27), D(2026, 8, 21)):
        history(
            factories.PersonFactory(),
            campus.ms_x,
            admitted=D(2024, 3, 4),
            steps=graduate(D(2024, 3, 4), D(2025, 12, 20), graduated),
        )
    user = factories.UserFactory(is_staff=True)
    path = selectors.trajectory(user=user, code="AX-TRAINED", as_of=D(2026, 9, 15))
    assert [(p.period.month, p.gained, p.achieved) for p in path.points][:3] == [(1, 0, 0), (2, 2, 2), (3, 0, 2)]
    for point in path.points:
        assert point.achieved == report(trained_target, point.end).achieved
    assert path.points[-1].end == D(2026, 9, 15)
    yearly = selectors.trajectory(user=user, code="AX-TRAINED", as_of=D(2026, 9, 15), step="year")
    assert [(p.period, p.achieved) for p in yearly.points] == [(D(2026, 1, 1), 3)]


def test_returned_counts_actual_returns_within_the_period(db, returned_target):
    kinds = [D(2025, 12, 31), D(2026, 3, 1), D(2026, 6, 1), D(2026, 11, 1)]
    for day in kinds:
        factories.ResearcherProfileFactory(return_date=day)
    factories.ResearcherProfileFactory(return_date=D(2026, 5, 1), return_planned=True)  # a plan, never a fact
    factories.ResearcherProfileFactory(return_date=D(2027, 3, 1), return_planned=True)

    figures = report(returned_target, D(2026, 9, 30))
    assert (figures.achieved, figures.planned_returns) == (2, 1)
    assert figures.entrants is None and figures.active is None


@pytest.mark.parametrize("by", ["university", "region", "ksic_section", "cohort", "gender", "return_programme"])
def test_returned_breakdowns_add_up(db, returned_target, by):
    lab = factories.CompanyFactory(ksic_section="M")
    for i in range(4):
        factories.ResearcherProfileFactory(
            return_date=D(2026, 1 + i, 1),
            korean_affiliation=lab if i % 2 else None,
            return_programme=["brain_pool", ""][i % 2],
            person=factories.PersonFactory(gender=["female", "male"][i % 2]),
        )
    breakdown = table(returned_target, by, D(2026, 9, 30))
    assert sum(row.counts["achieved"] for row in breakdown.rows) == breakdown.total["achieved"] == 4


def test_projection_uses_the_prior_while_nobody_has_finished(campus, history, trained_target):
    for _ in range(10):
        history(
            factories.PersonFactory(),
            campus.ms_x,
            admitted=D(2026, 3, 2),
            steps=[("enrolled", D(2026, 3, 2))],
            expected_completion=D(2028, 2, 28),
        )
    figures = report(trained_target, D(2026, 10, 1))
    assert figures.expected_to_finish == 10
    assert figures.completion_rate.used == 0.85
    assert figures.projected == 9  # 0 + 10 × 0.85 = 8.5, rounded half up
    assert figures.band == "off_track"
    assert datetime.date(2026, 10, 1) - figures.pace.window_start == datetime.timedelta(273)


def test_an_enrollment_moved_to_another_person_still_counts_the_person_once(campus, history, trained_target):
    # A correction: the second enrollment was recorded under a duplicate person.
    person, duplicate = factories.PersonFactory(), factories.PersonFactory()
    history(person, campus.ms_x, admitted=D(2024, 3, 4), steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)))
    moved = history(
        duplicate, campus.phd_x, admitted=D(2026, 3, 2), steps=graduate(D(2026, 3, 2), D(2026, 6, 30), D(2026, 8, 21))
    )
    assert report(trained_target, D(2026, 9, 30)).achieved == 2

    Enrollment.objects.filter(pk=moved.pk).update(person=person)

    figures = report(trained_target, D(2026, 9, 30))
    assert (figures.achieved, figures.completion_rate.graduations) == (1, 2)
    levels = table(trained_target, "degree_level", D(2026, 9, 30))
    assert [(row.key, row.counts["achieved"]) for row in levels.rows] == [("ms", 1)]


def test_a_graduation_and_a_leave_scheduled_ahead_count_from_their_dates_and_not_before(
    campus, history, trained_target, clock
):
    """Recorded in December for February: before that day's report (the clock moved to it) nothing counts."""
    clock.move_to(D(2026, 12, 10))
    finishing = history(
        factories.PersonFactory(),
        campus.ms_x,
        admitted=D(2025, 3, 3),
        steps=graduate(D(2025, 3, 3), D(2026, 11, 30), D(2027, 2, 20)),  # the degree conferred ahead
    )
    leaving = history(
        factories.PersonFactory(), campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))]
    )
    services.enrollment_transition(
        actor=None, enrollment=leaving, status="on_leave", effective_date=D(2027, 3, 2), reason="휴학 승인"
    )
    today = report(trained_target, D(2026, 12, 10))
    assert (today.achieved, today.active["coursework_complete"], today.active["on_leave"]) == (0, 1, 0)
    assert Enrollment.objects.get(pk=finishing.pk).status == "coursework_complete"

    clock.move_to(D(2027, 3, 5))  # nobody ran the refresh: the count reads the events on each date
    assert report(trained_target, D(2027, 2, 19)).achieved == 0
    on_the_day = report(trained_target, D(2027, 2, 20))
    assert (on_the_day.achieved, on_the_day.active["coursework_complete"]) == (1, 0)
    assert report(trained_target, D(2027, 3, 1)).active["on_leave"] == 0
    after = report(trained_target, D(2027, 3, 2))
    assert (after.achieved, after.active["on_leave"], after.active["enrolled"]) == (1, 1, 0)
