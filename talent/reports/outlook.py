"""The outlook of a "trained" target: the cohort-flow projection (talent.reports.projection) fed from the
registry and the intake plans, what it takes, and a back-test. Reads only.

From the registry, as of a date (every counting enrollment's status on that date, from the standing events):
- the students active then (enrolled, on leave, coursework complete), not yet trained, grouped by degree level
  and admission date; a person active twice is counted once (their latest admission);
- per degree level, each enrollment's whole months from admission to graduation, departure (withdrawn or
  dismissed after registering), fast track, or to the date while still active (censored);
- the intake plans in force on that date (the newest version recorded by then) for the years still to enter.
The prior is the target's (completion rate and weight) with the programmes' normal durations.

The back-test makes the projection as of a year before the date (the plans and events known then) up to the
date, and sets it beside what was achieved: its error and whether the outcome fell in the band.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from talent.common.errors import InvalidInput
from talent.common.presentation import bilingual_name
from talent.registry import counting_rules
from talent.registry.models import EnrollmentEvent, Programme
from talent.registry.vocabulary import DegreeLevel
from talent.reports import arithmetic, counting, intake, projection, selectors
from talent.reports.models import Target, TargetBasis
from talent.reports.projection import LevelRates, Projection, Requirement
from talent.reports.scope import ReportScope, checked_as_of, scope_for

if TYPE_CHECKING:
    from talent.registry.roles import User

ACTIVE = ("enrolled", "on_leave", "coursework_complete")
LEFT = ("withdrawn", "dismissed")
BACKTEST_DAYS = 365
#: Below this many students finished (graduated, left or fast-tracked), a degree level's rates rest mostly on
#: the prior: the outlook says there is too little data instead of printing one confident number.
THIN_BELOW = 20


@dataclass(frozen=True)
class Flows:
    """The registry reduced to the projection's inputs on one date."""

    active: list[projection.ActiveGroup]
    observations: dict[str, projection.LevelObservations]
    normal_months: dict[str, int]


def flows_on(*, scope: ReportScope, target: Target, as_of: datetime.date) -> Flows:
    """Every counting enrollment's status on `as_of` from its standing events (voided ones never count), reduced in
    the database: each enrollment's last standing event, then counts by degree level, outcome and whole months, and
    the active students' cohorts (a person active twice in their latest admission; a person trained, nowhere).
    Python only expands the counted months into the projection's tuples (bench/outlook_flows.py: at a million
    enrollments reading every event into Python took about a minute). The programmes counting are those of the
    target version's rules."""
    counting_ids = counting_rules.counting_programme_ids(on=target.effective_from)
    events = EnrollmentEvent.objects.filter(
        effective_date__lte=as_of,
        void__isnull=True,
        enrollment__programme_id__in=counting_ids,
        enrollment__admission_date__lte=as_of,
    )
    if scope.university is not None:
        events = events.filter(enrollment__university=scope.university)
    if not counting_ids:  # no programme counts: nothing to read (and an empty IN compiles to no SQL at all)
        return Flows(active=[], observations={}, normal_months=normal_months(counting_ids))
    base, base_params = (
        events.order_by()
        .values_list(
            "enrollment_id",
            "enrollment__person_id",
            "enrollment__programme__degree_level",
            "enrollment__admission_date",
            "status",
            "effective_date",
            "sequence",
        )
        .query.sql_with_params()
    )
    # The events' SQL is the ORM's own compiled query (its values are parameters), so the filters stay the ones
    # written above.
    standing = f"""
        WITH ev (enrollment_id, person_id, level, admitted, status, day, sequence) AS ({base}),
        standing AS (
            SELECT DISTINCT ON (enrollment_id) enrollment_id, person_id, level, admitted, status, day
            FROM ev ORDER BY enrollment_id, day DESC, sequence DESC
        ),
        registered AS (SELECT DISTINCT enrollment_id FROM ev WHERE status = 'enrolled'),
        trained AS (SELECT DISTINCT person_id FROM standing WHERE status = 'graduated' AND day >= %s)
    """  # noqa: S608
    params: list[Any] = [*base_params, target.start_date]
    # One statement, so that the events are read and reduced once for both answers: the outcomes counted by degree
    # level, kind and whole months ('outcome' rows), and the active cohorts by degree level and admission ('cohort').
    answers = """
        SELECT 'outcome', level, kind, GREATEST(ROUND((finished - admitted) / %s::numeric), 0)::int, NULL::date,
               count(*)
        FROM (
            SELECT s.level, s.admitted,
                   CASE WHEN s.status = 'graduated' THEN 'graduated'
                        WHEN s.status = ANY(%s) AND r.enrollment_id IS NOT NULL THEN 'left'
                        WHEN s.status = 'progressed' THEN 'fast_tracked'
                        WHEN s.status = ANY(%s) THEN 'active' END AS kind,
                   CASE WHEN s.status = ANY(%s) THEN %s::date ELSE s.day END AS finished
            FROM standing s LEFT JOIN registered r ON r.enrollment_id = s.enrollment_id
        ) o
        WHERE kind IS NOT NULL
        GROUP BY 2, 3, 4
        UNION ALL
        SELECT 'cohort', level, NULL, NULL, admitted, count(*) FROM (
            SELECT DISTINCT ON (s.person_id) s.level, s.admitted
            FROM standing s
            WHERE s.status = ANY(%s) AND s.person_id NOT IN (SELECT person_id FROM trained)
            ORDER BY s.person_id, s.admitted DESC, s.enrollment_id
        ) a
        GROUP BY 2, 5
    """
    answer_params: list[Any] = [arithmetic.DAYS_PER_MONTH, list(LEFT), list(ACTIVE), list(ACTIVE), as_of, list(ACTIVE)]
    seen: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    cohorts: list[tuple[str, datetime.date, int]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        # Sorting a million enrollments' events in memory, not in temporary files (for this statement only).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(standing + answers, [*params, *answer_params])
        for row, level, kind, months, admitted, n in cursor.fetchall():
            if row == "outcome":
                seen[level][kind].extend([months] * n)
            else:
                cohorts.append((level, admitted, n))
    groups = [projection.ActiveGroup(level, day, n) for level, day, n in sorted(cohorts)]
    return Flows(
        active=groups,
        observations={
            level: projection.LevelObservations(
                graduated=tuple(outcomes["graduated"]),
                left=tuple(outcomes["left"]),
                fast_tracked=tuple(outcomes["fast_tracked"]),
                active=tuple(outcomes["active"]),
            )
            for level, outcomes in seen.items()
        },
        normal_months=normal_months(counting_ids),
    )


def normal_months(counting_ids: Iterable[int]) -> dict[str, int]:
    """Each degree level's most common normal duration among the counting programmes (else the default)."""
    durations: dict[str, Counter[int]] = defaultdict(Counter)
    for level, months in Programme.objects.filter(pk__in=counting_ids).values_list(
        "degree_level", "normal_duration_months"
    ):
        durations[level][months] += 1
    return {
        level: durations[level].most_common(1)[0][0] if durations[level] else default
        for level, default in projection.DEFAULT_MONTHS.items()
    }


def level_rates(target: Target, flows: Flows) -> dict[str, projection.LevelRates]:
    prior = projection.Prior(
        completion=float(target.prior_completion_rate), weight=target.prior_weight, normal_months=flows.normal_months
    )
    return {
        level: projection.level_rates(level, flows.observations.get(level, projection.LevelObservations()), prior)
        for level in DegreeLevel.values
    }


def planned_cohorts(
    *, scope: ReportScope, on: datetime.date | None, recorded_by: datetime.date | None = None
) -> list[projection.PlannedCohort]:
    """The plans in force (as recorded by `recorded_by`, default now) for the years entering after `on`."""
    plans = intake.plans_in_force(on=recorded_by)
    return [
        projection.PlannedCohort(school=str(p.school_id), year=p.year, level=p.degree_level, intake=p.intake)
        for p in plans
        if (scope.university is None or p.school.university_id == scope.university.pk)
        and (on is None or projection.entry_date(p.year) > on)
    ]


def degree_mix(plans: Sequence[projection.PlannedCohort], active: Sequence[projection.ActiveGroup]) -> dict[str, float]:
    """The degree mix of a yearly intake: the plans', else the active students'."""
    mix: Counter[str] = Counter()
    for plan in plans:
        mix[plan.level] += plan.intake
    if not mix:
        for group in active:
            mix[group.level] += group.count
    total = sum(mix.values())
    return {level: n / total for level, n in mix.items()} if total else {DegreeLevel.MS: 1.0}


@dataclass(frozen=True)
class Backtest:
    made_on: datetime.date  # the projection as of this date ...
    for_date: datetime.date  # ... of the count on this date
    expected: float
    low: int
    high: int
    actual: int

    @property
    def error(self) -> float:
        return self.expected - self.actual

    @property
    def relative_error(self) -> float | None:
        return self.error / self.actual if self.actual else None

    @property
    def in_band(self) -> bool:
        return self.low <= self.actual <= self.high


@dataclass(frozen=True)
class Outlook:
    target: Target
    as_of: datetime.date
    projection: Projection
    requirement: Requirement
    thin: dict[str, int]  # degree level -> students finished, where the rates rest mostly on the prior
    planned_by_year: dict[int, int]  # planned entrants per year after the as-of date
    unplanned: dict[int, list[str]]  # year -> schools without any plan (national outlook only)
    mix: dict[str, float]
    backtest: Backtest | None
    rates: dict[str, LevelRates] = field(default_factory=dict)

    @property
    def confident(self) -> bool:
        return not self.thin

    @property
    def shortfall(self) -> int:
        return max(self.target.value - round(self.projection.expected), 0)


def outlook_of(
    *,
    scope: ReportScope,
    target: Target,
    as_of: datetime.date,
    achieved: int,
    plans: Iterable[projection.PlannedCohort] | None = None,
    paths: int = projection.DEFAULT_PATHS,
    backtest: bool = True,
) -> Outlook:
    """The projection to the deadline with the plans in force (or `plans`, a scenario's), what it takes, and
    (unless asked not to) the back-test."""
    flows = flows_on(scope=scope, target=target, as_of=as_of)
    rates = level_rates(target, flows)
    planned = list(plans) if plans is not None else planned_cohorts(scope=scope, on=as_of)
    result = projection.project(
        achieved=achieved,
        as_of=as_of,
        deadline=target.deadline,
        active=flows.active,
        plans=planned,
        rates=rates,
        paths=paths,
        thin_below=THIN_BELOW,
    )
    mix = degree_mix([p for p in planned if p.year > as_of.year], flows.active)
    requirement = projection.required_intake(
        target=target.value,
        achieved=achieved,
        as_of=as_of,
        deadline=target.deadline,
        active=flows.active,
        plans=planned,
        rates=rates,
        mix=mix,
    )
    by_year: Counter[int] = Counter()
    for plan in planned:
        by_year[plan.year] += plan.intake
    years = range(as_of.year + (projection.entry_date(as_of.year) <= as_of), target.deadline.year + 1)
    unplanned = (
        {year: [bilingual_name(s.name_ko, s.name_en) for s in intake.schools_without_plan(year=year)] for year in years}
        if scope.national
        else {}
    )
    return Outlook(
        target=target,
        as_of=as_of,
        projection=result,
        requirement=requirement,
        thin={level: rates[level].observed_endings for level in result.thin_levels},
        planned_by_year=dict(sorted(by_year.items())),
        unplanned={year: names for year, names in unplanned.items() if names},
        mix=mix,
        backtest=backtest_of(scope=scope, target=target, as_of=as_of, achieved=achieved, paths=paths)
        if backtest
        else None,
        rates=rates,
    )


def backtest_of(
    *, scope: ReportScope, target: Target, as_of: datetime.date, achieved: int, paths: int
) -> Backtest | None:
    """The projection made as of a year before `as_of`, with what was known then, against `achieved` on
    `as_of`; None when nobody was studying or planned then."""
    made_on = as_of - datetime.timedelta(days=BACKTEST_DAYS)
    flows = flows_on(scope=scope, target=target, as_of=made_on)
    plans = planned_cohorts(scope=scope, on=made_on, recorded_by=made_on)
    if not flows.active and not plans:
        return None
    then = counting.trained_counts(scope=scope.counting, period=selectors.period_of(target, made_on)).total
    result = projection.project(
        achieved=then["achieved"],
        as_of=made_on,
        deadline=as_of,
        active=flows.active,
        plans=plans,
        rates=level_rates(target, flows),
        paths=paths,
    )
    return Backtest(
        made_on=made_on, for_date=as_of, expected=result.expected, low=result.low, high=result.high, actual=achieved
    )


def target_outlook(*, user: User, code: str, as_of: datetime.date | None = None) -> Outlook:
    """The outlook of a "trained" target for what `user` may read (the country, or their university)."""
    report_scope = scope_for(user=user)
    day = checked_as_of(as_of)
    target = selectors.target_current(code=code, on=day)
    if target.basis != TargetBasis.TRAINED:
        raise InvalidInput(
            _("The outlook projects graduates: %(code)s does not count them.") % {"code": target.code}, field="target"
        )
    report = selectors.target_report(scope=report_scope, target=target, as_of=day)
    return outlook_of(scope=report_scope, target=target, as_of=day, achieved=report.achieved)
