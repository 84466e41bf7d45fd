"""The projection's inputs (outlook.flows_on, in SQL) against a plain-Python reading of the same events, over the
random legal histories of the counting reference: corrections (voided events), changes scheduled ahead and taken
in by the hourly refresh or not yet, persons with two enrollments, declined admissions; as of past dates, the
day the histories were recorded and the day they are counted, for the whole country and for each university.

The reference is the first flows_on, which read every standing event into Python: each enrollment's last one
(by effective date, then sequence) is its status, and an enrollment that withdrew or was dismissed left only if
it had an `enrolled` event by then. flows_on reads the current status wherever nothing changed since the date
(the registry's rule, enrollments_with_standing_on), so this checks that shortcut too."""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict

import pytest

from talent.registry import counting_rules, services
from talent.registry.models import EnrollmentEvent, EnrollmentEventVoid, Organization
from talent.reports import outlook, projection
from talent.reports.models import Target
from talent.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import D
from tests.reports.test_counting_reference import COUNTED_ON, RECORDED_ON, random_histories

Inputs = tuple[list[projection.ActiveGroup], dict[str, dict[str, tuple[int, ...]]]]


def reference(target: Target, as_of: datetime.date, university: Organization | None = None) -> Inputs:
    """The active cohorts and each degree level's observed months (sorted), read event by event."""
    events = EnrollmentEvent.objects.filter(
        effective_date__lte=as_of,
        void__isnull=True,
        enrollment__programme_id__in=counting_rules.counting_programme_ids(
            on=target.effective_from, recorded_through=target.counting_rules_through
        ),
        enrollment__admission_date__lte=as_of,
    )
    if university is not None:
        events = events.filter(enrollment__university=university)
    last: dict[int, tuple[int, str, datetime.date, str, datetime.date]] = {}
    registered: set[int] = set()
    for event in events.select_related("enrollment__programme").order_by("enrollment_id", "effective_date", "sequence"):
        enrollment = event.enrollment
        last[enrollment.pk] = (
            enrollment.person_id,
            enrollment.programme.degree_level,
            enrollment.admission_date,
            event.status,
            event.effective_date,
        )
        if event.status == "enrolled":
            registered.add(enrollment.pk)
    trained = {
        person for person, _l, _a, status, day in last.values() if status == "graduated" and day >= target.start_date
    }

    def months(start: datetime.date, end: datetime.date) -> int:
        return max(round(projection.months_from(start, end)), 0)

    seen: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    active_of: dict[int, tuple[str, datetime.date]] = {}
    for enrollment_id, (person, level, admitted, status, day) in last.items():
        if status == "graduated":
            seen[level]["graduated"].append(months(admitted, day))
        elif status in outlook.LEFT and enrollment_id in registered:
            seen[level]["left"].append(months(admitted, day))
        elif status == "progressed":
            seen[level]["fast_tracked"].append(months(admitted, day))
        elif status in outlook.ACTIVE:
            seen[level]["active"].append(months(admitted, as_of))
            if person not in trained and (person not in active_of or active_of[person][1] < admitted):
                active_of[person] = (level, admitted)
    groups = Counter(active_of.values())
    active = [projection.ActiveGroup(level, day, n) for (level, day), n in sorted(groups.items())]
    return active, {
        level: {kind: tuple(sorted(values)) for kind, values in kinds.items() if values}
        for level, kinds in seen.items()
    }


def inputs(flows: outlook.Flows) -> Inputs:
    observed = {
        level: {
            kind: tuple(sorted(values))
            for kind, values in (
                ("graduated", o.graduated),
                ("left", o.left),
                ("fast_tracked", o.fast_tracked),
                ("active", o.active),
            )
            if values
        }
        for level, o in flows.observations.items()
    }
    return flows.active, observed


@pytest.mark.parametrize(("seed", "refreshed"), [(1, True), (2, False), (3, False)])
def test_the_projections_inputs_are_what_the_events_say_on_every_date(
    campus, history, trained_target, clock, seed, refreshed
):
    clock.move_to(RECORDED_ON)
    random_histories(campus, history, random.Random(seed), persons=40)
    assert EnrollmentEventVoid.objects.exists()
    assert EnrollmentEvent.objects.filter(effective_date__gt=RECORDED_ON, void__isnull=True).exists()
    clock.move_to(COUNTED_ON)
    if refreshed:
        assert services.enrollment_statuses_refresh() > 0
    checked = Counter[str]()
    for as_of in (D(2025, 6, 30), D(2026, 1, 1), RECORDED_ON, D(2026, 3, 15), D(2026, 7, 1), COUNTED_ON):
        for university in (None, campus.university_x, campus.university_y):
            flows = outlook.flows_on(scope=ReportScope(university=university), target=trained_target, as_of=as_of)
            expected = reference(trained_target, as_of, university)
            assert inputs(flows) == expected, (as_of, university)
            for kinds in expected[1].values():
                checked.update(kinds.keys())
    # The histories hold every kind of outcome the inputs count (fast track aside: random_histories has none).
    assert {"graduated", "left", "active"} <= set(checked)


def test_a_voided_graduation_and_a_scheduled_change_not_yet_taken_in(campus, history, trained_target, clock):
    """The two ways the current status is not the status on a date, beside one where it is: a graduation
    corrected away (the status goes back to coursework complete), and a withdrawal scheduled ahead whose day
    has come while the hourly refresh has not run yet."""
    clock.move_to(D(2026, 3, 2))
    corrected = history(
        factories.PersonFactory(),
        campus.ms_x,
        admitted=D(2024, 3, 4),
        steps=[("enrolled", D(2024, 3, 4)), ("coursework_complete", D(2026, 1, 5))],
    )
    graduation = services.enrollment_transition(
        actor=None, enrollment=corrected, status="graduated", effective_date=D(2026, 2, 20), reason="학위 수여"
    )
    services.enrollment_event_void(actor=None, event=graduation, reason="정정: 다른 학생의 기록")
    leaving = history(
        factories.PersonFactory(), campus.ms_x, admitted=D(2025, 3, 3), steps=[("enrolled", D(2025, 3, 3))]
    )
    services.enrollment_transition(
        actor=None, enrollment=leaving, status="withdrawn", effective_date=D(2026, 4, 1), reason="자퇴 예정"
    )
    clock.move_to(D(2026, 5, 1))  # the withdrawal is due; the refresh has not taken it in
    leaving.refresh_from_db()
    assert leaving.status == "enrolled"
    for as_of in (D(2026, 3, 31), D(2026, 5, 1)):
        flows = outlook.flows_on(scope=ReportScope(), target=trained_target, as_of=as_of)
        assert inputs(flows) == reference(trained_target, as_of), as_of
    ms = outlook.flows_on(scope=ReportScope(), target=trained_target, as_of=D(2026, 5, 1)).observations["ms"]
    assert ms.graduated == () and ms.left == (13,)  # 2025-03-03 → 2026-04-01: 394 days = 12.9 months


def test_a_fast_tracked_student_is_one_active_doctoral_student(campus, history, trained_target, clock):
    """A fast track ends the master's enrollment (`progressed`) and starts a doctoral one for the same person: the
    master's counts as fast-tracked, the person once, in the doctoral cohort; and a master's graduate who went on
    to a doctorate is trained, so in no active cohort, though their doctorate is observed as active."""
    clock.move_to(D(2026, 6, 1))
    student = factories.PersonFactory()
    masters = history(student, campus.ms_x, admitted=D(2025, 3, 3), steps=[("enrolled", D(2025, 3, 3))])
    services.enrollment_fast_track(
        actor=None,
        enrollment=masters,
        doctoral_programme=campus.phd_x,
        student_number="FT0001",
        effective_date=D(2026, 3, 2),
        reason="석박사 통합 진학",
    )
    graduate = factories.PersonFactory()
    history(graduate, campus.ms_x, admitted=D(2024, 3, 4), steps=graduate_steps())
    history(graduate, campus.phd_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    for as_of in (D(2026, 3, 1), D(2026, 6, 1)):
        flows = outlook.flows_on(scope=ReportScope(), target=trained_target, as_of=as_of)
        assert inputs(flows) == reference(trained_target, as_of), as_of
    flows = outlook.flows_on(scope=ReportScope(), target=trained_target, as_of=D(2026, 6, 1))
    assert flows.active == [projection.ActiveGroup("phd", D(2026, 3, 2), 1)]
    assert flows.observations["ms"].fast_tracked == (12,)  # 2025-03-03 → 2026-03-02: 364 days = 12.0 months
    assert flows.observations["phd"].active == (3, 3)


def graduate_steps() -> list[tuple[str, datetime.date]]:
    return [("enrolled", D(2024, 3, 4)), ("coursework_complete", D(2025, 12, 20)), ("graduated", D(2026, 2, 20))]
