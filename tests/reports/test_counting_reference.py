"""The SQL counting against a plain-Python reading of the same events, over random legal histories.

The reference reads every enrollment's standing (not voided) events with status_reference.status_on (plain
Python) and applies the counting rules literally (an entry is an `enrolled` event on or before the date), so
the shortcuts of the SQL (current status when nothing changed since the date, declined admissions by their last
event, scheduled changes not yet taken in) are checked.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest

from talent.registry import lifecycle, services
from talent.registry.models import Enrollment, EnrollmentEvent, EnrollmentEventVoid
from talent.registry.validators import future_horizon
from talent.reports import selectors
from talent.reports.counting_tables import counting_tables_drift
from talent.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import D
from tests.reports.status_reference import StatusPoint, status_on

ACTIVE_RANK = {"coursework_complete": 3, "enrolled": 2, "on_leave": 1}
TERMINAL_ENDINGS = {"graduated", "withdrawn", "dismissed"}


#: How a simulated student moves on: mostly forward, sometimes out (every choice is a legal transition).
NEXT = {
    "admitted": {"enrolled": 85, "withdrawn": 15},
    "enrolled": {"coursework_complete": 55, "on_leave": 20, "withdrawn": 15, "dismissed": 5},
    "on_leave": {"enrolled": 70, "withdrawn": 20, "dismissed": 10},
    "coursework_complete": {"graduated": 80, "withdrawn": 10, "dismissed": 10},
}


#: The day the histories are recorded (changes after it are scheduled ahead), and the day they are counted.
RECORDED_ON = D(2026, 1, 15)
COUNTED_ON = D(2026, 10, 1)


def random_histories(campus, history, rng: random.Random, persons: int) -> None:
    """Histories recorded on RECORDED_ON (the clock moved there): what lies ahead of it within the horizon is
    scheduled; one change in ten is voided by a correction (a scheduled one: cancelled) and the history goes on
    from what stands."""
    horizon = future_horizon(RECORDED_ON)
    programmes = [campus.ms_x, campus.phd_x, campus.ms_y, campus.uncounted_x]
    for _ in range(persons):
        person = factories.PersonFactory()
        for programme in rng.sample(programmes, rng.choice([1, 1, 2])):
            admitted = D(2024, 9, 1) + datetime.timedelta(rng.randrange(0, 640))
            notice = admitted - datetime.timedelta(rng.randrange(0, 90))
            enrollment = history(person, programme, admitted=admitted, admitted_on=notice)
            day, status = notice, "admitted"
            while status in NEXT and rng.random() > 0.05:
                choices = NEXT[status]
                following = rng.choices(list(choices), weights=list(choices.values()))[0]
                assert lifecycle.is_legal(status, following, degree_level="phd")
                next_day = max(day, admitted) + datetime.timedelta(rng.randrange(0, 200))
                if next_day > RECORDED_ON and next_day == day:
                    next_day += datetime.timedelta(1)  # one scheduled change a day
                if next_day > horizon:
                    break
                event = services.enrollment_transition(
                    actor=None, enrollment=enrollment, status=following, effective_date=next_day, reason="학사 처리"
                )
                if rng.random() < 0.1:
                    services.enrollment_event_void(actor=None, event=event, reason="정정")
                    continue
                day, status = next_day, following


def reference(start: datetime.date, as_of: datetime.date) -> dict[str, object]:
    events: dict[int, list[EnrollmentEvent]] = {}
    for event in EnrollmentEvent.objects.filter(void__isnull=True).order_by("enrollment_id", "sequence"):
        events.setdefault(event.enrollment_id, []).append(event)
    people: dict[int, dict[str, Any]] = {}
    graduations = endings = 0
    for enrollment in Enrollment.objects.filter(programme__counts_toward_target=True):
        points = [StatusPoint(e.status, e.effective_date, e.sequence) for e in events[enrollment.pk]]
        status = status_on(points, as_of)
        if status is None:
            continue
        reached = max((p for p in points if p.effective_date <= as_of), key=lambda p: (p.effective_date, p.sequence))
        entered = any(p.status == "enrolled" and p.effective_date <= as_of for p in points)
        person = people.setdefault(enrollment.person_id, {"trained": False, "entered_on": None, "rank": 0})
        if status == "graduated" and reached.effective_date >= start:
            person["trained"] = True
            graduations += 1
        if status in TERMINAL_ENDINGS and entered and reached.effective_date >= start:
            endings += 1
        if entered and (person["entered_on"] is None or enrollment.admission_date < person["entered_on"]):
            person["entered_on"] = enrollment.admission_date
        person["rank"] = max(person["rank"], ACTIVE_RANK.get(status, 0))
    ranks = [p["rank"] for p in people.values()]
    return {
        "achieved": sum(1 for p in people.values() if p["trained"]),
        "entrants": sum(1 for p in people.values() if p["entered_on"] and start <= p["entered_on"] <= as_of),
        "active": {
            "enrolled": ranks.count(2),
            "on_leave": ranks.count(1),
            "coursework_complete": ranks.count(3),
            "total": sum(1 for r in ranks if r),
        },
        "graduations": graduations,
        "endings": endings,
    }


@pytest.mark.parametrize(("seed", "refreshed"), [(1, True), (2, False), (3, True), (4, False)])
def test_the_sql_counts_what_the_events_say_on_every_date(campus, history, trained_target, clock, seed, refreshed):
    """Counted on COUNTED_ON, with the changes scheduled until then taken in by the hourly refresh or not yet:
    the figures are the same."""
    clock.move_to(RECORDED_ON)
    random_histories(campus, history, random.Random(seed), persons=40)
    assert EnrollmentEventVoid.objects.exists()
    assert EnrollmentEvent.objects.filter(effective_date__gt=RECORDED_ON, void__isnull=True).exists()
    clock.move_to(COUNTED_ON)
    if refreshed:
        assert services.enrollment_statuses_refresh() > 0
    assert counting_tables_drift().none
    for as_of in (
        D(2025, 6, 30),
        D(2026, 1, 1),
        RECORDED_ON,
        D(2026, 3, 15),
        D(2026, 7, 1),
        D(2026, 9, 30),
        COUNTED_ON,
    ):
        report = selectors.target_report(scope=ReportScope(), target=trained_target, as_of=as_of)
        assert report.completion_rate is not None  # AX-TRAINED reports have one
        expected = reference(trained_target.start_date, as_of)
        actual = {
            "achieved": report.achieved,
            "entrants": report.entrants,
            "active": report.active,
            "graduations": report.completion_rate.graduations,
            "endings": report.completion_rate.endings,
        }
        assert actual == expected, as_of


def test_the_reference_status_on_a_date_is_the_last_change_effective_by_then():
    d = datetime.date
    events = [
        StatusPoint("admitted", d(2026, 2, 1), 1),
        StatusPoint("enrolled", d(2026, 3, 2), 2),
        StatusPoint("on_leave", d(2026, 9, 1), 3),
        StatusPoint("enrolled", d(2026, 9, 1), 4),  # same day: the later sequence wins
    ]
    assert status_on(events, d(2026, 1, 31)) is None
    assert status_on(events, d(2026, 2, 1)) == "admitted"
    assert status_on(events, d(2026, 8, 31)) == "enrolled"
    assert status_on(reversed(events), d(2026, 9, 1)) == "enrolled"
