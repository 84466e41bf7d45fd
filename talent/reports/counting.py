# The statements are assembled from this module's constants only (table names, fixed SQL fragments chosen
# by a validated key); every value is a bound parameter.
# ruff: noqa: S608
"""The counting queries behind the target reports: one SQL statement per report, table or trajectory.

No permissions here: callers (talent.reports.selectors) pass the scope a user may count. Each statement
rebuilds every enrollment's status on the as-of date from its EnrollmentEvents, then each person's state,
then aggregates, so every figure is a count of distinct persons and the breakdown rows add up to the total.

How, at a million enrollments: almost every person has one enrollment, whose figures are the person's. So
the enrollments are counted per value of the few columns the figures depend on (reports_enrollment_groups,
kept by triggers: a few ten thousand rows rather than a row per enrollment), and only the persons with
several enrollments (reports_person_enrollments, kept by a trigger) are looked at one by one: their
enrollments are taken back and each is counted once. The result is the same as grouping every enrollment by
person; the reference test checks it against the events. Of the facts about the person a breakdown groups
by, the groups hold the gender; the origin depends on the date, so everyone is counted as domestic and the
researchers returned by then are looked at one by one too.

Counting rules (DESIGN.md § Counting rules), as implemented:
- counting enrollment: an enrollment in a programme that counts under the counting rules in force on the
  rules' date (`Period.rules_on`: the as-of date, or the date of the target version asked for; the rules'
  history is talent.registry.counting_rules), as recorded when the version was made (`Period.rules_through`).
  A programme that stops counting from a date leaves every report as of an earlier date as it was;
  recomputing a snapshot under another version lists the programmes whose counting differs
  (talent.reports.services).
- status on a date: the status of the enrollment's last standing event (not voided; by effective date, then
  sequence) effective on or before the date; none before its first (an admission ahead of term). An enrollment
  whose current status (`status_since`, kept by the database from the same ordering as of the day it was last
  derived) was reached on or before the date and whose next scheduled change (`next_change_on`) is after it has
  its current status then; only the others are looked up in the events (DISTINCT ON), which makes today's
  report cheap and past reports exact, whether or not the hourly refresh has taken in today's changes yet.
- trained: a counting enrollment whose status on the date is `graduated` with an effective date on or after
  the target's start (graduation is final, so this is "reached graduated within [start, as-of]"); a person
  counts once, from their first such graduation (`trained_on`).
- entrants: persons whose first counting enrollment that they entered (had been enrolled in by the as-of
  date: an admission declined before registering is no entry) was admitted within [start, as-of]. A student
  who entered before the start and moves on (fast track, a second degree) is not a new entrant.
- active: persons whose counting enrollment is enrolled, on leave or coursework complete on the date; a person
  with two active enrollments is shown once, under the most advanced (coursework complete > enrolled > leave).
- expected to finish by the deadline: active persons not yet trained whose enrollment's expected completion
  (or admission + the programme's normal duration) is on or before the deadline.
- graduations / endings: enrollments that graduated / ended (graduated, withdrew or were dismissed after
  registering) within [start, as-of]; their ratio is the observed completion rate.
- attribution (breakdowns and a university's own report): each person belongs to their first counting
  enrollment with a status on the date (earliest admission date, then lowest programme id).
- returned: researchers whose return date lies within [start, as-of] and is not merely planned; planned
  returns dated after the as-of date and by the deadline are shown beside it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from talent.registry import counting_rules
from talent.registry.models import (
    Enrollment,
    EnrollmentEvent,
    EnrollmentEventVoid,
    GraduateSchool,
    Organization,
    Person,
    Programme,
    ResearcherProfile,
)
from talent.reports import labels
from talent.reports.labels import UNSPECIFIED

#: Raise when a counting rule above changes: snapshots record it beside the code version.
RULES_VERSION = "2026.12-2"  # which programmes count: the rules in force on the date, not today's

T = {
    "enrollment": Enrollment._meta.db_table,
    "event": EnrollmentEvent._meta.db_table,
    "void": EnrollmentEventVoid._meta.db_table,
    "programme": Programme._meta.db_table,
    "school": GraduateSchool._meta.db_table,
    "consortium": GraduateSchool.consortium_companies.through._meta.db_table,
    "organization": Organization._meta.db_table,
    "person": Person._meta.db_table,
    "researcher": ResearcherProfile._meta.db_table,
}

TRAINED_COLUMNS = (
    "achieved",
    "achieved_at_window_start",
    "entrants",
    "enrolled",
    "on_leave",
    "coursework_complete",
    "expected_to_finish",
    "graduations",
    "endings",
)
RETURNED_COLUMNS = ("achieved", "achieved_at_window_start", "planned")


@dataclass(frozen=True)
class Scope:
    """Whom to count: the whole country, or the persons attributed to one university."""

    university_id: int | None = None


@dataclass(frozen=True)
class Period:
    start: datetime.date
    as_of: datetime.date
    deadline: datetime.date
    #: The observed pace counts what was gained after this date (the day before the start: everything).
    counted_until: datetime.date
    #: Which programmes count: those counting under the rules in force on this date (default: the as-of date)...
    rules_on: datetime.date | None = None
    #: ... of the rules recorded up to this one (a target version's `counting_rules_through`; None: every rule).
    rules_through: int | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Counts:
    total: dict[str, int]
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Dimension:
    """A way to break a figure down: the SQL of the group key, its joins, and the labels' source.

    A key that is a fact about the person rather than their enrollment's programme is grouped by as
    `pp.person_key`. It is read from the enrollment groups (`grouped_key`, over the groups `e`) or, where
    they cannot know it, counted under a stand-in (`counted_key`, over the enrollment `e` and `counted_joins`)
    and the persons whose key differs from the stand-in (`shared_persons`) are counted one by one under their
    own (`person_key`, over the enrollment `e` and `person_joins`)."""

    key: str
    joins: str = ""
    name_ko: str = "NULL"
    name_en: str = "NULL"
    person_key: str | None = None
    person_joins: str = ""
    grouped_key: str = "NULL::text"
    counted_key: str = "NULL::text"
    counted_joins: str = ""
    shared_persons: str = ""


# --- AX-TRAINED -----------------------------------------------------------------------------------------

#: An enrollment (or group) `e` whose current status is its status on the date: reached by then, and no
#: scheduled change due by then still to be taken in. The others are exactly those in `changed`.
CURRENT_ON_DATE = "(e.status_since <= %(as_of)s AND (e.next_change_on IS NULL OR e.next_change_on > %(as_of)s))"

_PERSON_STATE = f"""
WITH changed AS (
    -- Enrollments whose current status is not their status on the date: it came after the date, or a change
    -- scheduled by then is still to be taken in (`next_change_on`, before the daily refresh). Their status
    -- then is their last standing event on or before it. (For today there are none, or a refresh's few.)
    SELECT DISTINCT ON (ev.enrollment_id) ev.enrollment_id, ev.status, ev.effective_date AS since
      FROM {T["event"]} ev
     WHERE ev.effective_date <= %(as_of)s
       AND ev.enrollment_id IN (SELECT later.id FROM {T["enrollment"]} later
                                 WHERE later.status_since > %(as_of)s OR later.next_change_on <= %(as_of)s)
       AND NOT EXISTS (SELECT FROM {T["void"]} v WHERE v.event_id = ev.id)
     ORDER BY ev.enrollment_id, ev.effective_date DESC, ev.sequence DESC
),
declined AS (
    -- Admissions declined before registering (admitted → withdrawn): no entry, and no dropout either. The
    -- withdrawal is final, so only an enrollment withdrawn on the date can have one.
    SELECT d.enrollment_id FROM {T["event"]} d
     WHERE d.status = 'withdrawn' AND d.previous_status = 'admitted' AND d.effective_date <= %(as_of)s
       AND NOT EXISTS (SELECT FROM {T["void"]} v WHERE v.event_id = d.id)
),
enrollment_counts AS (
    -- Every enrollment with a status on the date, counted per value of the columns its figures depend on
    -- (`key`: the breakdown's key where it is a fact about the person). An enrollment whose latest event is
    -- on or before the date (`status_since`, kept by the database trigger from the same ordering) has its
    -- current status then: those are counted from reports_enrollment_groups (kept by triggers, migration
    -- reports 0004), a few ten thousand rows for a million enrollments, and the declined admissions among
    -- them from the withdrawn enrollments' index. A final status (graduated, withdrawn, dismissed,
    -- progressed) is never followed by another event, so its `status_since` is the date it was reached.
    SELECT e.programme_id, e.status, e.status_since AS since, e.admission_date, e.expected_completion,
           {{grouped_key}} AS key, e.enrollments::bigint AS enrollments, 0::bigint AS declined
      FROM reports_enrollment_groups e
     WHERE {CURRENT_ON_DATE} {{enrollment_filter}}
    UNION ALL
    SELECT e.programme_id, 'withdrawn', e.status_since, e.admission_date, e.expected_completion,
           {{counted_key}}, 0, count(*)
      FROM {T["enrollment"]} e {{counted_joins}}
     WHERE e.status = 'withdrawn' AND e.id IN (SELECT enrollment_id FROM declined)
       AND {CURRENT_ON_DATE} {{enrollment_filter}}
     GROUP BY e.programme_id, e.status_since, e.admission_date, e.expected_completion, 6
    UNION ALL
    -- Only the others are looked up in the events.
    SELECT e.programme_id, ch.status, ch.since, e.admission_date, e.expected_completion, {{counted_key}},
           count(*), count(*) FILTER (WHERE ch.status = 'withdrawn' AND e.id IN (SELECT enrollment_id FROM declined))
      FROM changed ch JOIN {T["enrollment"]} e ON e.id = ch.enrollment_id {{counted_joins}}
     WHERE TRUE {{enrollment_filter}}
     GROUP BY e.programme_id, ch.status, ch.since, e.admission_date, e.expected_completion, 6
),
shared_lookup AS MATERIALIZED (
    -- The enrollments of the persons counted one by one: those with several (reports_person_enrollments,
    -- kept by a trigger) and, for some breakdowns, those whose key the counts above do not know. Found person
    -- by person through the person index (OFFSET 0 keeps the lookup per person).
    SELECT e.* FROM ({{shared_persons}}) one_by_one
     CROSS JOIN LATERAL (SELECT en.id, en.person_id, en.programme_id, en.status, en.status_since,
                                en.next_change_on, en.admission_date, en.expected_completion
                           FROM {T["enrollment"]} en WHERE en.person_id = one_by_one.person_id OFFSET 0) e
),
shared_enrollments AS (
    -- ... each with its status on the date, its person's key, and the key it was counted under above.
    SELECT e.id, e.person_id, e.programme_id,
           CASE WHEN {CURRENT_ON_DATE} THEN e.status_since ELSE ch.since END AS since,
           e.admission_date, e.expected_completion,
           CASE WHEN {CURRENT_ON_DATE} THEN e.status ELSE ch.status END AS status,
           {{person_key}} AS person_key, {{counted_key}} AS counted_key
      FROM shared_lookup e
      LEFT JOIN changed ch ON ch.enrollment_id = e.id
           {{person_joins}}
     WHERE CASE WHEN {CURRENT_ON_DATE} THEN e.status ELSE ch.status END IS NOT NULL
),
enrollment_groups AS (
    -- The counts, with the status date kept only where a figure reads it: a graduation's date, and whether a
    -- withdrawal or dismissal was on or after the start (their dates are many; merged, far fewer rows).
    SELECT c.programme_id, c.status, c.admission_date, c.expected_completion, c.key,
           CASE WHEN c.status = 'graduated' THEN c.since WHEN c.since >= %(start)s THEN %(start)s END AS since,
           sum(c.enrollments) AS enrollments, sum(c.declined) AS declined
      FROM enrollment_counts c
     GROUP BY c.programme_id, c.status, c.admission_date, c.expected_completion, c.key,
              CASE WHEN c.status = 'graduated' THEN c.since WHEN c.since >= %(start)s THEN %(start)s END
),
counted_state AS (
    -- Counting enrollments with their status on the date, `persons` of them alike (each counted as if it
    -- were its person's only one)...
    SELECT NULL::bigint AS person_id, c.programme_id, c.status, c.since, c.admission_date, c.expected_completion,
           p.normal_duration_months, w.declined, w.persons, c.key AS person_key, c.key AS counted_key
      FROM enrollment_groups c
      JOIN {T["programme"]} p ON p.id = c.programme_id AND p.id = ANY(%(counting)s::bigint[])
     CROSS JOIN LATERAL (VALUES (false, (c.enrollments - c.declined)::int), (true, c.declined::int))
           AS w (declined, persons)
     WHERE w.persons > 0
),
shared_state AS (
    -- ... and one by one for the persons counted so.
    SELECT s.person_id, s.programme_id, s.status, s.since, s.admission_date, s.expected_completion,
           p.normal_duration_months,
           s.status = 'withdrawn' AND s.id IN (SELECT enrollment_id FROM declined) AS declined, 1 AS persons,
           s.person_key, s.counted_key
      FROM shared_enrollments s
      JOIN {T["programme"]} p ON p.id = s.programme_id AND p.id = ANY(%(counting)s::bigint[])
),
counted_figures AS ({{figures_of_counted_state}}),
shared_figures AS ({{figures_of_shared_state}}),
per_person AS (
    -- Persons, `persons` of them alike: every enrollment as if it were its person's only one; then, for
    -- each person counted one by one, their enrollments taken back (-1 each, under the key they were counted
    -- under) and the person counted once from all of them (+1, under their own key). A person counts once
    -- in every figure, and is attributed to their first enrollment.
    SELECT f.persons, f.person_key, f.first_enrollment, f.trained_on, f.entered_on, f.active_rank, f.finishing,
           f.graduations, f.endings
      FROM counted_figures f
    UNION ALL
    SELECT -1, f.counted_key, f.first_enrollment, f.trained_on, f.entered_on, f.active_rank, f.finishing,
           -f.graduations, -f.endings
      FROM shared_figures f
    UNION ALL
    SELECT 1, min(f.person_key), min(f.first_enrollment), min(f.trained_on), min(f.entered_on),
           max(f.active_rank), bool_or(f.finishing), sum(f.graduations)::int, sum(f.endings)::int
      FROM shared_figures f
     GROUP BY f.person_id
)
"""

#: The persons with several enrollments (the `several` index).
_SEVERAL = "SELECT several.person_id FROM reports_person_enrollments several WHERE several.several"

#: What each enrollment in `{state}` would give its person. `first_enrollment` packs the admission date (days
#: since 1970) above the programme id, so that the minimum over a person's enrollments is their first counting
#: enrollment (earliest admission date, then lowest programme id) and carries its programme along.
_ENROLLMENT_FIGURES = """
    SELECT s.person_id, s.persons, s.person_key, s.counted_key,
           ((s.admission_date - DATE '1970-01-01')::bigint << 31) | s.programme_id AS first_enrollment,
           CASE WHEN s.status = 'graduated' AND s.since >= %(start)s THEN s.since END AS trained_on,
           CASE WHEN s.status <> 'admitted' AND NOT s.declined THEN s.admission_date END AS entered_on,
           CASE s.status WHEN 'coursework_complete' THEN 3 WHEN 'enrolled' THEN 2 WHEN 'on_leave' THEN 1
                         ELSE 0 END AS active_rank,
           CASE WHEN s.status IN ('enrolled', 'on_leave', 'coursework_complete')
                THEN COALESCE(s.expected_completion,
                              (s.admission_date + make_interval(months => s.normal_duration_months))::date
                     ) <= %(deadline)s
           END AS finishing,
           CASE WHEN s.status = 'graduated' AND s.since >= %(start)s THEN s.persons ELSE 0 END AS graduations,
           CASE WHEN s.status IN ('graduated', 'withdrawn', 'dismissed') AND NOT s.declined AND s.since >= %(start)s
                THEN s.persons ELSE 0 END AS endings
      FROM {state} s
"""

#: Each person's first counting enrollment's programme, school and university (breakdowns and scopes).
_ATTRIBUTED = f""",
attributed AS (
    SELECT pp.*, (pp.first_enrollment & 2147483647) AS programme_id,
           DATE '1970-01-01' + (pp.first_enrollment >> 31)::int AS admission_date,
           g.id AS school_id, g.university_id
      FROM per_person pp
      JOIN {T["programme"]} pr ON pr.id = (pp.first_enrollment & 2147483647)
      JOIN {T["school"]} g ON g.id = pr.school_id
)
"""

_TRAINED_FIGURES = """
       sum(pp.persons) FILTER (WHERE pp.trained_on IS NOT NULL) AS achieved,
       sum(pp.persons) FILTER (WHERE pp.trained_on <= %(counted_until)s) AS achieved_at_window_start,
       sum(pp.persons) FILTER (WHERE pp.entered_on BETWEEN %(start)s AND %(as_of)s) AS entrants,
       sum(pp.persons) FILTER (WHERE pp.active_rank = 2) AS enrolled,
       sum(pp.persons) FILTER (WHERE pp.active_rank = 1) AS on_leave,
       sum(pp.persons) FILTER (WHERE pp.active_rank = 3) AS coursework_complete,
       sum(pp.persons) FILTER (WHERE pp.finishing AND pp.trained_on IS NULL) AS expected_to_finish,
       COALESCE(sum(pp.graduations), 0)::int AS graduations,
       COALESCE(sum(pp.endings), 0)::int AS endings
"""

_UNIVERSITY = f"JOIN {T['organization']} u ON u.id = pp.university_id"
_PROGRAMME = f"JOIN {T['programme']} pr ON pr.id = pp.programme_id"

#: A gender as a breakdown key (`table`: the alias of the row holding it), and the join to an enrollment's person.
_GENDER = "COALESCE(NULLIF({table}.gender, ''), '" + UNSPECIFIED + "')"
_PERSON_OF_ENROLLMENT = f"JOIN {T['person']} pe ON pe.id = e.person_id"

TRAINED_DIMENSIONS: dict[str, Dimension] = {
    "university": Dimension("pp.university_id::text", _UNIVERSITY, "u.name_ko", "u.name_en"),
    "school": Dimension("pp.school_id::text", f"JOIN {T['school']} g ON g.id = pp.school_id", "g.name_ko", "g.name_en"),
    "region": Dimension("u.region", _UNIVERSITY),
    # A school's sector is that of its first consortium company (by id): one section per person, so the
    # rows add up; schools without a company are `unspecified`. (Found once per school, not per person.)
    "ksic_section": Dimension(
        f"COALESCE(NULLIF(sector.ksic_section, ''), '{UNSPECIFIED}')",
        f"""LEFT JOIN (
            SELECT DISTINCT ON (cc.graduateschool_id) cc.graduateschool_id AS school_id, o.ksic_section
              FROM {T["consortium"]} cc JOIN {T["organization"]} o ON o.id = cc.organization_id
             ORDER BY cc.graduateschool_id, o.id
        ) sector ON sector.school_id = pp.school_id""",
    ),
    "degree_level": Dimension("pr.degree_level", _PROGRAMME),
    "cohort": Dimension("extract(year FROM pp.admission_date)::int::text"),
    "gender": Dimension(
        "pp.person_key",
        # The groups hold each enrollment's person's gender (kept by a trigger on the persons too), so the
        # key it is counted under is the person's own.
        grouped_key=_GENDER.format(table="e"),
        counted_key=_GENDER.format(table="pe"),
        counted_joins=_PERSON_OF_ENROLLMENT,
        person_key=_GENDER.format(table="pe"),
        person_joins=_PERSON_OF_ENROLLMENT,
    ),
    "origin": Dimension(
        "pp.person_key",
        # Whether a person had returned depends on the date: everyone is counted as domestic, and the
        # researchers returned by then (a few thousand) one by one.
        grouped_key="'domestic'",
        counted_key="'domestic'",
        shared_persons=f"""SELECT rp.person_id FROM {T["researcher"]} rp
                            WHERE NOT rp.return_planned AND rp.return_date <= %(as_of)s""",
        person_key="CASE WHEN rp.id IS NULL THEN 'domestic' ELSE 'returning' END",
        person_joins=f"""LEFT JOIN {T["researcher"]} rp ON rp.person_id = e.person_id
                AND NOT rp.return_planned AND rp.return_date <= %(as_of)s""",
    ),
}


def _params(period: Period, scope: Scope) -> dict[str, Any]:
    return {
        "start": period.start,
        "as_of": period.as_of,
        "deadline": period.deadline,
        "counted_until": period.counted_until,
        "university": scope.university_id,
    }


def _trained_params(period: Period, scope: Scope) -> dict[str, Any]:
    """... and the programmes that count under the rules in force on the rules' date."""
    counting = counting_rules.counting_programme_ids(
        on=period.rules_on or period.as_of, recorded_through=period.rules_through
    )
    return {**_params(period, scope), "counting": sorted(counting)}


def _person_state(scope: Scope, dimension: Dimension | None = None, *, attributed: bool = True) -> tuple[str, str]:
    """The per-person steps (the attribution only where needed: referenced twice, the persons would be kept
    in a temporary table), and the condition keeping the persons attributed to the scope's university."""
    sql = _PERSON_STATE + (_ATTRIBUTED if attributed else "")
    d = dimension or Dimension("NULL")
    shared_persons = f"{_SEVERAL} UNION {d.shared_persons}" if d.shared_persons else _SEVERAL
    parts = {
        "{figures_of_counted_state}": _ENROLLMENT_FIGURES.format(state="counted_state"),
        "{figures_of_shared_state}": _ENROLLMENT_FIGURES.format(state="shared_state"),
        "{grouped_key}": d.grouped_key,
        "{counted_key}": d.counted_key,
        "{counted_joins}": d.counted_joins,
        "{person_key}": d.person_key or "NULL::text",
        "{person_joins}": d.person_joins,
        "{shared_persons}": shared_persons,
        "{enrollment_filter}": "",
    }
    condition = ""
    if scope.university_id is not None:
        # Every enrollment there, counted as its person's only one: the persons with several are taken
        # back and counted once wherever their first enrollment is; the attribution decides.
        parts["{enrollment_filter}"] = f"""AND e.programme_id IN (
            SELECT pr.id FROM {T["programme"]} pr JOIN {T["school"]} g ON g.id = pr.school_id
             WHERE g.university_id = %(university)s)"""
        condition = "pp.university_id = %(university)s"
    for placeholder, part in parts.items():
        sql = sql.replace(placeholder, part)
    return sql, condition


def _trained_sql(scope: Scope, dimension: Dimension | None) -> str:
    attributed = dimension is not None or scope.university_id is not None
    head, scope_condition = _person_state(scope, dimension, attributed=attributed)
    where = f"WHERE {scope_condition}" if scope_condition else ""
    if dimension is None:
        source = "attributed" if attributed else "per_person"
        return f"{head} SELECT {_TRAINED_FIGURES} FROM {source} pp {where}"
    # A group is there when persons are attributed to it (the enrollments taken back leave zeros behind);
    # each person is in one group, so the total is the sum of the rows.
    return f"""{head}
        SELECT {dimension.key} AS key, {dimension.name_ko} AS name_ko, {dimension.name_en} AS name_en,
               {_TRAINED_FIGURES}
          FROM attributed pp {dimension.joins} {where}
         GROUP BY {_group(dimension)}
        HAVING sum(pp.persons) > 0"""


def trained_trajectory(*, scope: Scope, period: Period, step: str) -> list[tuple[datetime.date, int, int]]:
    """(period start, persons first trained in that month/year, cumulative) from the start to the as-of date."""
    head, scope_condition = _person_state(scope, attributed=scope.university_id is not None)
    where = f"AND {scope_condition}" if scope_condition else ""
    source = "attributed" if scope.university_id is not None else "per_person"
    gained = f"""SELECT date_trunc(%(step)s, pp.trained_on)::date AS period, sum(pp.persons) AS gained
                   FROM {source} pp WHERE pp.trained_on IS NOT NULL {where} GROUP BY 1"""
    return _series(head + ", " + _cumulative(gained), {**_trained_params(period, scope), "step": step})


def _cumulative(gained_sql: str) -> str:
    """Every month (or year) from the start to the as-of date, with what was gained in it and the running
    total (a window sum); months with nothing gained are there with 0."""
    return f"""gained AS ({gained_sql})
        SELECT s.period::date, COALESCE(g.gained, 0)::int,
               (sum(COALESCE(g.gained, 0)) OVER (ORDER BY s.period))::int
          FROM generate_series(date_trunc(%(step)s, %(start)s::date), date_trunc(%(step)s, %(as_of)s::date),
                               ('1 ' || %(step)s)::interval) AS s(period)
          LEFT JOIN gained g ON g.period = s.period::date
         ORDER BY s.period"""


def _group(dimension: Dimension) -> str:
    """The grouping set of a dimension: its key and its name columns (PostgreSQL refuses to group by NULL)."""
    return ", ".join(e for e in (dimension.key, dimension.name_ko, dimension.name_en) if e != "NULL")


def trained_counts(*, scope: Scope, period: Period, by: str | None = None) -> Counts:
    """The AX-TRAINED figures (TRAINED_COLUMNS) in total and, with `by`, per group (one statement)."""
    dimension = TRAINED_DIMENSIONS[by] if by else None
    return _run(_trained_sql(scope, dimension), _trained_params(period, scope), TRAINED_COLUMNS, by)


# --- OVERSEAS-RETURNED ----------------------------------------------------------------------------------

_RETURNED_FIGURES = """
       count(*) FILTER (WHERE NOT rp.return_planned AND rp.return_date <= %(as_of)s) AS achieved,
       count(*) FILTER (WHERE NOT rp.return_planned AND rp.return_date <= %(counted_until)s)
           AS achieved_at_window_start,
       count(*) FILTER (WHERE rp.return_planned AND rp.return_date > %(as_of)s) AS planned
"""
_AFFILIATION = f"LEFT JOIN {T['organization']} o ON o.id = rp.korean_affiliation_id"

RETURNED_DIMENSIONS: dict[str, Dimension] = {
    # A returned researcher's university (or other organization) is their current Korean affiliation.
    "university": Dimension(f"COALESCE(o.id::text, '{UNSPECIFIED}')", _AFFILIATION, "o.name_ko", "o.name_en"),
    "region": Dimension(f"COALESCE(o.region, '{UNSPECIFIED}')", _AFFILIATION),
    "ksic_section": Dimension(f"COALESCE(NULLIF(o.ksic_section, ''), '{UNSPECIFIED}')", _AFFILIATION),
    "cohort": Dimension("extract(year FROM rp.return_date)::int::text"),
    "gender": Dimension(
        f"COALESCE(NULLIF(pe.gender, ''), '{UNSPECIFIED}')", f"JOIN {T['person']} pe ON pe.id = rp.person_id"
    ),
    "return_programme": Dimension(f"COALESCE(NULLIF(rp.return_programme, ''), '{UNSPECIFIED}')"),
}


def _returned_where(scope: Scope) -> str:
    # Planned returns are in the rows too (the `planned` column); `achieved` excludes them.
    where = "WHERE rp.return_date BETWEEN %(start)s AND %(deadline)s"
    if scope.university_id is not None:
        where += " AND rp.korean_affiliation_id = %(university)s"
    return where


def returned_counts(*, scope: Scope, period: Period, by: str | None = None) -> Counts:
    """The OVERSEAS-RETURNED figures (RETURNED_COLUMNS) in total and, with `by`, per group (one statement)."""
    where = _returned_where(scope)
    if by is None:
        sql = f"SELECT {_RETURNED_FIGURES} FROM {T['researcher']} rp {where}"
    else:
        d = RETURNED_DIMENSIONS[by]
        group = _group(d)
        sql = f"""SELECT {d.key} AS key, {d.name_ko} AS name_ko, {d.name_en} AS name_en, {_RETURNED_FIGURES}
                    FROM {T["researcher"]} rp {d.joins} {where}
                   GROUP BY {group}"""
    return _run(sql, _params(period, scope), RETURNED_COLUMNS, by)


def returned_trajectory(*, scope: Scope, period: Period, step: str) -> list[tuple[datetime.date, int, int]]:
    gained = f"""SELECT date_trunc(%(step)s, rp.return_date)::date AS period, count(*) AS gained
                   FROM {T["researcher"]} rp {_returned_where(scope)}
                    AND NOT rp.return_planned AND rp.return_date <= %(as_of)s GROUP BY 1"""
    sql = "WITH " + _cumulative(gained)
    return _series(sql, {**_params(period, scope), "step": step})


# --- Running and labelling ------------------------------------------------------------------------------


def counting_programmes(*, on: datetime.date, recorded_through: int | None) -> list[dict[str, Any]]:
    """The programmes whose graduates count under the rules in force on a date, of those recorded up to a rule
    (recorded in snapshots)."""
    counting = counting_rules.counting_programme_ids(on=on, recorded_through=recorded_through)
    rows = Programme.objects.filter(pk__in=counting).order_by("id").values("id", "name_ko", "name_en")
    return [dict(row) for row in rows]


#: Session settings for the report statements: no JIT (compiling one costs more than running it, at any
#: size this registry reaches), enough memory to aggregate without spilling to disk, and the cost of a
#: random page read of data in memory: with the default (a spinning disk's) a report for a past date reads
#: the events in bulk rather than probing their indexes, about 40% slower at a million enrollments.
STATEMENT_SETTINGS = {"jit": "off", "work_mem": "64MB", "random_page_cost": "1.1"}


@contextmanager
def _report_cursor() -> Iterator[Any]:
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # set_config(..., true): for this transaction only.
        settings = ", ".join("set_config(%s, %s, true)" for _ in STATEMENT_SETTINGS)
        cursor.execute(f"SELECT {settings}", [item for pair in STATEMENT_SETTINGS.items() for item in pair])
        yield cursor


def _run(sql: str, params: dict[str, Any], columns: tuple[str, ...], by: str | None) -> Counts:
    with _report_cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        records = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    if by is None:
        return Counts(total={c: int(records[0][c] or 0) for c in columns})
    # Each person (or researcher) is in exactly one row: the total is their sum.
    rows = []
    for record in records:
        key = labels.group_key(record["key"])
        label = labels.group_label(by, key, record["name_ko"], record["name_en"])
        rows.append(Row(key=key, label=label, counts={c: int(record[c] or 0) for c in columns}))
    total = {c: sum(row.counts[c] for row in rows) for c in columns}
    return Counts(total=total, rows=sorted(rows, key=lambda row: labels.group_order(row.key, row.label)))


def _series(sql: str, params: dict[str, Any]) -> list[tuple[datetime.date, int, int]]:
    with _report_cursor() as cursor:
        cursor.execute(sql, params)
        return [(period, gained, cumulative) for period, gained, cumulative in cursor.fetchall()]
