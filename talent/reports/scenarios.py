"""Scenarios: "what if the planned intake were different?" Computed on a copy of the plans in force, so no plan
and no official figure ever changes; a scenario can be saved under a name, with the figures it gave.

Three kinds, each from a year (its intake still ahead, within the target period) to the deadline's year:
- every school's plans changed by a percentage;
- one school's yearly intake set (split over degree levels as its plans are, else as the national plans);
- a number of new schools, each with a yearly intake, in the national plans' degree mix.
Refused beside the field: a year outside the target period or whose intake happened, and a scenario that
changes nothing (the plans stay the same, or no one more or fewer is trained by the deadline).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from talent.common.db import database_refusals, validate
from talent.common.errors import InvalidInput, NotAllowed
from talent.reports import outlook, projection, scope, selectors
from talent.reports.models import Scenario, ScenarioKind, Target

if TYPE_CHECKING:
    from talent.registry.models import GraduateSchool
    from talent.registry.roles import User

#: A scenario moving the expected count by less than this many persons changes nothing.
NO_EFFECT = 0.5
SCENARIO_PATHS = 2_000


@dataclass(frozen=True)
class Change:
    kind: str
    from_year: int
    percent: float = 0.0  # all schools: +20 for 20% more
    school: GraduateSchool | None = None  # one school
    intake: int = 0  # one school: its yearly intake; new schools: each one's
    schools: int = 0  # new schools: how many

    def parameters(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from_year": self.from_year,
            "percent": self.percent,
            "school": self.school.pk if self.school else None,
            "intake": self.intake,
            "schools": self.schools,
        }


@dataclass(frozen=True)
class Figures:
    expected: float
    low: int
    high: int


@dataclass(frozen=True)
class ScenarioResult:
    target: Target
    as_of: datetime.date
    change: Change
    planned: Figures  # with the plans in force
    scenario: Figures  # with the scenario's plans
    planned_entrants: int  # from the change's year to the deadline's year
    scenario_entrants: int

    @property
    def moved(self) -> float:
        return self.scenario.expected - self.planned.expected


def apply_change(
    plans: list[projection.PlannedCohort], change: Change, *, last_year: int
) -> list[projection.PlannedCohort]:
    """The plans with the change applied (pure)."""
    years = range(change.from_year, last_year + 1)
    kept = [p for p in plans if p.year not in years]
    affected = [p for p in plans if p.year in years]
    if change.kind == ScenarioKind.ALL_SCHOOLS:
        factor = 1 + change.percent / 100
        return kept + [
            projection.PlannedCohort(p.school, p.year, p.level, max(round(p.intake * factor), 0)) for p in affected
        ]
    national_mix = outlook.degree_mix(plans, [])
    if change.kind == ScenarioKind.ONE_SCHOOL:
        assert change.school is not None
        key = str(change.school.pk)
        own = [p for p in plans if p.school == key]
        mix = outlook.degree_mix(own, []) if own else national_mix
        others = [p for p in affected if p.school != key]
        return kept + others + _cohorts(key, years, change.intake, mix)
    added = [
        cohort for n in range(change.schools) for cohort in _cohorts(f"new-{n + 1}", years, change.intake, national_mix)
    ]
    return plans + added


def _cohorts(school: str, years: range, intake: int, mix: dict[str, float]) -> list[projection.PlannedCohort]:
    return [
        projection.PlannedCohort(school, year, level, round(intake * share))
        for year in years
        for level, share in sorted(mix.items())
        if round(intake * share) > 0
    ]


def _refusals(change: Change, target: Target, as_of: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    first, last = target.start_date.year, target.deadline.year
    if not first <= change.from_year <= last:
        errors["from_year"] = [
            _("The year must lie in the target period, %(first)s–%(last)s.") % {"first": first, "last": last}
        ]
    elif projection.entry_date(change.from_year) <= as_of:
        errors["from_year"] = [
            _("The intake of %(year)s has happened: a scenario changes the years still to enter (from %(next)s).")
            % {"year": change.from_year, "next": as_of.year + (projection.entry_date(as_of.year) <= as_of)}
        ]
    if change.kind == ScenarioKind.ALL_SCHOOLS and not -100 <= change.percent <= 1000:
        errors["percent"] = [_("The change is between −100% and +1,000%.")]
    if change.kind == ScenarioKind.ONE_SCHOOL and change.school is None:
        errors["school"] = [_("Choose the school.")]
    if change.kind in (ScenarioKind.ONE_SCHOOL, ScenarioKind.NEW_SCHOOLS) and not 0 <= change.intake <= 10_000:
        errors["intake"] = [_("The yearly intake is between 0 and 10,000.")]
    if change.kind == ScenarioKind.NEW_SCHOOLS and not 1 <= change.schools <= 100:
        errors["schools"] = [_("Between 1 and 100 new schools.")]
    return errors


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)


def scenario_run(
    *, user: User, change: Change, code: str, as_of: datetime.date | None = None, version: int | None = None
) -> ScenarioResult:
    """The trained-by-deadline figures with the plans in force and with the scenario, under the target version
    asked for or the one in force on the date (as every report). Ministry and operators; writes nothing."""
    if not scope.may_manage_reports(user=user):
        raise NotAllowed(_("Only the ministry (or an operator) may run scenarios."))
    day = scope.checked_as_of(as_of)
    target = selectors.target_current(code=code, on=day, version=version)
    _refuse(_refusals(change, target, day))
    national = scope.ReportScope()
    plans = outlook.planned_cohorts(scope=national, on=day)
    changed = apply_change(plans, change, last_year=target.deadline.year)
    years = range(change.from_year, target.deadline.year + 1)
    entrants = sum(p.intake for p in plans if p.year in years)
    scenario_entrants = sum(p.intake for p in changed if p.year in years)
    if sorted(changed, key=repr) == sorted(plans, key=repr):
        raise InvalidInput(_("This scenario changes no plan: change the figures."), field="non_field_errors")
    report = selectors.target_report(scope=national, target=target, as_of=day)
    runs = [
        outlook.outlook_of(
            scope=national,
            target=target,
            as_of=day,
            achieved=report.achieved,
            plans=cohorts,
            paths=SCENARIO_PATHS,
            backtest=False,
        ).projection
        for cohorts in (plans, changed)
    ]
    planned, scenario = (Figures(run.expected, run.low, run.high) for run in runs)
    if abs(scenario.expected - planned.expected) < NO_EFFECT:
        raise InvalidInput(
            _(
                "This scenario trains no one more or fewer by %(deadline)s (entrants from %(year)s cannot graduate "
                "by then): choose an earlier year."
            )
            % {"deadline": target.deadline.isoformat(), "year": change.from_year},
            field="from_year",
        )
    return ScenarioResult(
        target=target,
        as_of=day,
        change=change,
        planned=planned,
        scenario=scenario,
        planned_entrants=entrants,
        scenario_entrants=scenario_entrants,
    )


def scenario_save(*, user: User, result: ScenarioResult, name: str) -> Scenario:
    """Keep a scenario under a name, with its figures. Plans and official figures stay as they are."""
    if not scope.may_manage_reports(user=user):
        raise NotAllowed(_("Only the ministry (or an operator) may run scenarios."))
    if not name.strip():
        raise InvalidInput(_("Name the scenario to save it."), field="name")
    scenario = Scenario(
        target=result.target,
        name=name.strip(),
        as_of=result.as_of,
        kind=result.change.kind,
        parameters=result.change.parameters(),
        figures={
            "planned": vars(result.planned),
            "scenario": vars(result.scenario),
            "planned_entrants": result.planned_entrants,
            "scenario_entrants": result.scenario_entrants,
        },
        created_by=user if user.pk else None,
    )
    validate(scenario)
    with transaction.atomic(), database_refusals(Scenario):
        scenario.save()
    return scenario


def scenario_list(*, user: User) -> QuerySet[Scenario]:
    if not scope.may_manage_reports(user=user):
        raise NotAllowed(_("Only the ministry (or an operator) may run scenarios."))
    return Scenario.objects.select_related("target", "created_by").order_by("-created_at", "-id")
