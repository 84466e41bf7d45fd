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
from talent.registry.models import Programme
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


_FLOWS = f"""
WITH programme AS (
    SELECT pr.id, pr.degree_level AS level FROM {counting.T["programme"]} pr
     WHERE pr.id = ANY(%(counting)s::bigint[]) {{university}}
),
changed AS MATERIALIZED (
    -- Counting enrollments whose current status is not their status on the date (reached after it, none yet, or
    -- a change due by then that the hourly refresh has still to take in): their last standing event by then.
    SELECT e.id, e.person_id, p.level, e.admission_date AS admitted, last.status, last.effective_date AS day,
           last.previous_status <> 'admitted' AS registered
      FROM {counting.T["enrollment"]} e JOIN programme p ON p.id = e.programme_id
     CROSS JOIN LATERAL (
            SELECT ev.status, ev.effective_date, ev.previous_status FROM {counting.T["event"]} ev
             WHERE ev.enrollment_id = e.id AND ev.effective_date <= %(as_of)s
               AND NOT EXISTS (SELECT FROM {counting.T["void"]} v WHERE v.event_id = ev.id)
             ORDER BY ev.effective_date DESC, ev.sequence DESC LIMIT 1
           ) last
     WHERE e.admission_date <= %(as_of)s
       AND (e.status_since > %(as_of)s OR e.status_since IS NULL OR e.next_change_on <= %(as_of)s)
),
per_status AS (
    -- Enrollments per degree level, status on the date, the date it was reached and admission. The others have
    -- their current status then and are counted from reports_enrollment_groups (kept by triggers: a few thousand
    -- rows for a million enrollments). A departure (withdrawn, dismissed) counts only after registering: one
    -- straight from admission is an admission declined (the standing events are always a legal sequence, so
    -- that is one without an `enrolled` event, and only a withdrawal can follow an admission; counting.py's
    -- `declined`, through its index reports_event_declined_idx), taken back.
    -- The changed, one by one.
    SELECT p.level, e.status, e.status_since AS day, e.admission_date AS admitted, sum(e.enrollments)::bigint AS n
      FROM reports_enrollment_groups e JOIN programme p ON p.id = e.programme_id
     WHERE e.admission_date <= %(as_of)s AND {counting.CURRENT_ON_DATE}
     GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT p.level, e.status, e.status_since, e.admission_date, -count(*)
      FROM {counting.T["event"]} d
      JOIN {counting.T["enrollment"]} e ON e.id = d.enrollment_id AND e.status = d.status
      JOIN programme p ON p.id = e.programme_id
     WHERE d.status = 'withdrawn' AND d.previous_status = 'admitted' AND d.effective_date <= %(as_of)s
       AND NOT EXISTS (SELECT FROM {counting.T["void"]} v WHERE v.event_id = d.id)
       AND e.admission_date <= %(as_of)s AND {counting.CURRENT_ON_DATE}
     GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT ch.level, ch.status, ch.day, ch.admitted,
           count(*) FILTER (WHERE ch.status <> ALL(%(left)s) OR ch.registered)
      FROM changed ch
     GROUP BY 1, 2, 3, 4
),
shared AS MATERIALIZED (
    -- The counting enrollments of the persons with several (reports_person_enrollments, kept by a trigger), each
    -- with its status on the date: their cohort is found person by person.
    SELECT e.id, e.person_id, p.level, e.admission_date AS admitted,
           CASE WHEN {counting.CURRENT_ON_DATE} THEN e.status ELSE ch.status END AS status,
           CASE WHEN {counting.CURRENT_ON_DATE} THEN e.status_since ELSE ch.day END AS day
      FROM reports_person_enrollments several
      JOIN {counting.T["enrollment"]} e ON e.person_id = several.person_id
      JOIN programme p ON p.id = e.programme_id
      LEFT JOIN changed ch ON ch.id = e.id
     WHERE several.several AND e.admission_date <= %(as_of)s
)
SELECT 'outcome', level, kind, GREATEST(ROUND((finished - admitted) / %(days_per_month)s::numeric), 0)::int,
       NULL::date, sum(n)::bigint
  FROM (SELECT level, admitted, n,
               CASE WHEN status = 'graduated' THEN 'graduated' WHEN status = ANY(%(left)s) THEN 'left'
                    WHEN status = 'progressed' THEN 'fast_tracked' WHEN status = ANY(%(active)s) THEN 'active'
               END AS kind,
               CASE WHEN status = ANY(%(active)s) THEN %(as_of)s::date ELSE day END AS finished
          FROM per_status) o
 WHERE kind IS NOT NULL
 GROUP BY 2, 3, 4
HAVING sum(n) <> 0
UNION ALL
-- The active cohorts: every active enrollment as if it were its person's only one; the persons with several
-- taken back and counted once, in their latest admission, unless trained.
SELECT 'cohort', level, NULL, NULL, admitted, sum(n)::bigint FROM (
    SELECT level, admitted, n FROM per_status WHERE status = ANY(%(active)s)
    UNION ALL
    SELECT level, admitted, -1 FROM shared WHERE status = ANY(%(active)s)
    UNION ALL
    SELECT level, admitted, 1 FROM (
        SELECT DISTINCT ON (s.person_id) s.level, s.admitted
          FROM shared s
         WHERE s.status = ANY(%(active)s)
           AND s.person_id NOT IN (SELECT t.person_id FROM shared t
                                    WHERE t.status = 'graduated' AND t.day >= %(start)s)
         ORDER BY s.person_id, s.admitted DESC, s.id
    ) once
) c
 GROUP BY 2, 5
HAVING sum(n) <> 0
"""  # noqa: S608


def flows_on(*, scope: ReportScope, target: Target, as_of: datetime.date) -> Flows:
    """Every counting enrollment's status on `as_of` from its standing events (voided ones never count), reduced in
    the database to counts by degree level, outcome and whole months, and the active students' cohorts (a person
    active twice in their latest admission; a person trained, nowhere). As the counting statements do
    (talent.reports.counting): an enrollment whose current status is its status on the date is counted from the
    trigger-kept counting tables, only the others from their events, and the persons with several enrollments one
    by one. Python only expands the counted months into the projection's tuples. The programmes counting are those
    of the target version's rules; a university's are its schools' (as in every report of a university)."""
    counting_ids = counting_rules.counting_programme_ids(
        on=target.effective_from, recorded_through=target.counting_rules_through
    )
    if not counting_ids:  # no programme counts: nothing to read
        return Flows(active=[], observations={}, normal_months=normal_months(counting_ids))
    university = ""
    if scope.university is not None:
        university = f"""AND pr.school_id IN (SELECT g.id FROM {counting.T["school"]} g
                                             WHERE g.university_id = %(university)s)"""  # noqa: S608
    params = {
        "counting": sorted(counting_ids),
        "university": scope.university.pk if scope.university is not None else None,
        "as_of": as_of,
        "start": target.start_date,
        "days_per_month": arithmetic.DAYS_PER_MONTH,
        "left": list(LEFT),
        "active": list(ACTIVE),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # The plan's estimates (per-enrollment lookups) pass PostgreSQL's threshold for compiling it, which took
        # seconds (bench/outlook_flows.py) to read a few thousand rows: for this statement, no JIT.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_FLOWS.replace("{university}", university), params)
        rows = cursor.fetchall()
    return flows_from_counts(rows, counting_ids)


def flows_from_counts(rows: Iterable[tuple[Any, ...]], counting_ids: Iterable[int]) -> Flows:
    """The projection's inputs from the counted rows of the flows statement: ('outcome', level, kind, months, None,
    n) and ('cohort', level, None, None, admitted, n). In a fixed order (the statement's is the plan's), so that the
    projection adds its floats alike every time."""
    seen: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    cohorts: list[tuple[str, datetime.date, int]] = []
    for row, level, kind, months, admitted, n in sorted(rows, key=lambda r: (r[0], r[1], r[2] or "", r[3] or 0, r[4])):
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


def target_outlook(*, user: User, code: str, as_of: datetime.date | None = None, version: int | None = None) -> Outlook:
    """The outlook of a "trained" target for what `user` may read (the country, or their university), under the
    version in force on the date unless another is asked for."""
    report_scope = scope_for(user=user)
    day = checked_as_of(as_of)
    target = selectors.target_current(code=code, on=day, version=version)
    if target.basis != TargetBasis.TRAINED:
        raise InvalidInput(
            _("The outlook projects graduates: %(code)s does not count them.") % {"code": target.code}, field="target"
        )
    report = selectors.target_report(scope=report_scope, target=target, as_of=day)
    return outlook_of(scope=report_scope, target=target, as_of=day, achieved=report.achieved)
