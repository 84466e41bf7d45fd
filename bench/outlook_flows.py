"""Benchmark of the registry → projection step (not a test); prints its figures.

talent.reports.outlook.flows_on reduces the registry, as of a date, to the cohort-flow projection's inputs
(each counting enrollment's standing status, the months to its outcome, the active cohorts). The outlook calls it
twice (today, and a year ago for the back-test). This measures it at the national scale of the late programme:
about 1,000,000 counting enrollments (22 universities, MS / PhD / integrated, admitted 2020–2026) with about
2.5 events each, generated in SQL (INSERT … SELECT generate_series, triggers off: no history rows) in a scratch
database of its own (generated once, kept for the next run). The enrollments' current status is then derived by
the registry's own function and the counting tables rebuilt, as the triggers would have kept them.

Before and after, in the same run: the previous flows_on (`every_event` below, as it was on main before: each
enrollment's last standing event by DISTINCT ON over every event, a sort of 2.5 million rows) and today's (the
registry's status on a date: the current status wherever nothing changed since, only the others' events read).
Both must give the same inputs (checked, today and a year ago, national and one university) before they are
timed. Printed per date: the best of 3 wall-clock seconds of each and their ratio; then the whole outlook (both
dates plus 10,000 simulated paths) with the peak Python memory (tracemalloc) of one call, and the process's peak
RSS. Wanted: a few seconds at most.

Measured on the shared 2-core machine (load average about 10, 2026-12-03), 1,000,000 enrollments and 2,494,315
events, best of 3 in one run: as of today 19.36 s before, 0.07 s after (273x); as of a year ago 19.85 s before,
2.92 s after (6.8x: the 100,000 enrollments changed since then are looked up one by one). The whole outlook took
11.51 s: beside both flows_on, about 6-7 s are the back-test's count of the trained a year ago
(talent.reports.counting, as for every report as of a past date) and about 2.7 s the rates' Python over a
million observed months.

Run: .venv/bin/python bench/outlook_flows.py [--enrollments 1000000] [--fresh]
     (BENCH_DATABASE_URL: the server, default postgres://postgres@127.0.0.1:5432/; BENCH_OUTLOOK_DATABASE: the
     scratch database's name, default outlook_flows_bench)
"""

from __future__ import annotations

import argparse
import datetime
import functools
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
UNIVERSITIES = 22
REPEAT = 3


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/") + "/"


def prepare(name: str, *, fresh: bool) -> bool:
    """Create and migrate the scratch database unless it is there; whether it is new."""
    import psycopg

    with psycopg.connect(server_url() + "postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": server_url() + name}
    # The subprocess runs this interpreter on the project's own command, with fixed arguments.
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    return not exists


def generate(enrollments: int) -> None:
    """The schools and programmes through the ORM, then persons, enrollments and events in SQL."""
    from django.db import connection, transaction

    from talent.registry.models import Enrollment, GraduateSchool, Organization, Programme

    if Enrollment.objects.exists():
        return
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(UNIVERSITIES):
            university = Organization.objects.create(
                kind="university", name_ko=f"벤치대학교{i}", name_en=f"Bench University {i}", region="KR-11"
            )
            school = GraduateSchool.objects.create(
                university=university,
                name_ko=f"벤치 AX 대학원 {i}",
                name_en=f"Bench AX Graduate School {i}",
                track="open",
                selection_year=2026,
                support_start=datetime.date(2026, 3, 1),
                support_end=datetime.date(2030, 12, 31),
                convergence_fields=["manufacturing"],
            )
            for level, months in (("ms", 24), ("phd", 48), ("integrated", 60)):
                Programme.objects.create(
                    school=school,
                    name_ko=f"AX {level}",
                    name_en=f"AX {level}",
                    degree_level=level,
                    normal_duration_months=months,
                    counts_toward_target=True,
                )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no triggers: history, derived status
            cursor.execute(
                """
                INSERT INTO registry_person (created_at, updated_at, family_name_ko, given_name_ko,
                    family_name_latin, given_name_latin, gender, nationality, email)
                SELECT now(), now(), '김', '벤치' || i, 'Kim', 'Bench' || i, '', 'KR', 'bench' || i || '@bench.example'
                FROM generate_series(1, %s) AS i
                """,
                [enrollments],
            )
            # Each person one enrollment; programme by i (60% MS, 30% PhD, 10% integrated), admitted on 1 March
            # of 2020–2026; its outcome by a hash of i: 55% graduated after the normal duration (if by today),
            # 10% withdrawn after a year, 5% on leave, 5% coursework complete, the rest still enrolled.
            cursor.execute(
                """
                CREATE TEMPORARY TABLE bench_plan ON COMMIT DROP AS
                SELECT p.id AS person_id, pr.id AS programme_id, s.university_id,
                       make_date(2020 + (p.rn %% 7)::int, 3, 1) AS admitted, pr.normal_duration_months AS months,
                       (hashtext(p.rn::text) & 1023) / 1024.0 AS draw, p.rn
                FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM registry_person) p
                JOIN LATERAL (
                    SELECT CASE WHEN p.rn %% 10 < 6 THEN 'ms' WHEN p.rn %% 10 < 9 THEN 'phd' ELSE 'integrated' END
                        AS level
                ) l ON true
                JOIN registry_programme pr ON pr.degree_level = l.level
                JOIN registry_graduateschool s ON s.id = pr.school_id AND s.name_en = 'Bench AX Graduate School ' ||
                    (p.rn %% %s)
                """,
                [UNIVERSITIES],
            )
            cursor.execute(
                """
                INSERT INTO registry_enrollment (created_at, updated_at, student_number, admission_date, status,
                    completion_route, university_id, person_id, programme_id)
                SELECT now(), now(), 'B' || rn, admitted, 'enrolled', '', university_id, person_id, programme_id
                FROM bench_plan
                """
            )
            cursor.execute(
                """
                WITH plan AS (
                    SELECT e.id, b.admitted, b.months, b.draw
                    FROM bench_plan b JOIN registry_enrollment e ON e.person_id = b.person_id
                ), steps AS (
                    SELECT id, 1 AS sequence, 'admitted' AS status, '' AS previous_status,
                           admitted - 20 AS effective_date FROM plan
                    UNION ALL
                    SELECT id, 2, 'enrolled', 'admitted', admitted FROM plan
                    UNION ALL
                    SELECT id, 3,
                           CASE WHEN draw < 0.55 THEN 'graduated' WHEN draw < 0.65 THEN 'withdrawn'
                                WHEN draw < 0.70 THEN 'on_leave' ELSE 'coursework_complete' END,
                           'enrolled',
                           CASE WHEN draw < 0.55 THEN (admitted + make_interval(months => months))::date - 10
                                WHEN draw < 0.65 THEN (admitted + 365)
                                WHEN draw < 0.70 THEN (admitted + 200)
                                ELSE (admitted + make_interval(months => months - 6))::date END
                    FROM plan WHERE draw < 0.75
                )
                INSERT INTO registry_enrollmentevent (enrollment_id, sequence, status, previous_status,
                    effective_date, reason, recorded_at, recorded_on)
                SELECT id, sequence, status, previous_status, effective_date, '', now(), effective_date
                FROM steps WHERE effective_date <= current_date
                """
            )
        connection.cursor().execute("ANALYZE")
    print(f"  generated {enrollments:,} enrollments in {time.perf_counter() - started:.0f} s", flush=True)


def settle() -> None:
    """What the triggers and services keep, for a database generated around them (idempotent): each programme's
    first counting rule (counting from before any date measured), the enrollments' current status derived by the
    registry's function, and the counting tables rebuilt."""
    from django.db import connection, transaction
    from django.utils import timezone

    from talent.registry.models import Enrollment, Programme, ProgrammeCountingRule
    from talent.reports.counting_tables import counting_tables_rebuild

    started = time.perf_counter()
    with transaction.atomic():
        ProgrammeCountingRule.objects.bulk_create(
            ProgrammeCountingRule(programme=programme, counts=True, effective_from=datetime.date(2020, 1, 1))
            for programme in Programme.objects.filter(counting_rules__isnull=True)
        )
    if not Enrollment.objects.filter(status_since__isnull=True).exists():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no history rows for the derived status
        cursor.execute(
            "SELECT registry_derive_enrollment_status(ARRAY(SELECT id FROM registry_enrollment), %s)",
            [timezone.localdate()],
        )
    counting_tables_rebuild()
    connection.cursor().execute("VACUUM ANALYZE")
    print(f"  derived the enrollments' status in {time.perf_counter() - started:.0f} s", flush=True)


def every_event(*, scope: Any, target: Any, as_of: datetime.date) -> Any:
    """The previous flows_on (main before this comparison), kept here as the baseline: every standing event of the
    counting enrollments read, and each enrollment's last one found by DISTINCT ON (a sort of all of them)."""

    from django.db import connection, transaction

    from talent.registry import counting_rules
    from talent.registry.models import EnrollmentEvent
    from talent.reports import arithmetic, outlook

    counting_ids = counting_rules.counting_programme_ids(
        on=target.effective_from, recorded_through=target.counting_rules_through
    )
    events = EnrollmentEvent.objects.filter(
        effective_date__lte=as_of,
        void__isnull=True,
        enrollment__programme_id__in=counting_ids,
        enrollment__admission_date__lte=as_of,
    )
    if scope.university is not None:
        events = events.filter(enrollment__university=scope.university)
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
    standing = f"""
        WITH ev (enrollment_id, person_id, level, admitted, status, day, sequence) AS ({base}),
        standing AS (
            SELECT DISTINCT ON (enrollment_id) enrollment_id, person_id, level, admitted, status, day
            FROM ev ORDER BY enrollment_id, day DESC, sequence DESC
        ),
        registered AS (SELECT DISTINCT enrollment_id FROM ev WHERE status = 'enrolled'),
        trained AS (SELECT DISTINCT person_id FROM standing WHERE status = 'graduated' AND day >= %s)
    """  # noqa: S608
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
    active, left = list(outlook.ACTIVE), list(outlook.LEFT)
    params = [*base_params, target.start_date, arithmetic.DAYS_PER_MONTH, left, active, active, as_of, active]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(standing + answers, params)
        rows = cursor.fetchall()
    return outlook.flows_from_counts(rows, counting_ids)


def inputs(flows: Any) -> tuple[Any, ...]:
    """What the projection reads of the inputs (the observed months as multisets: their order is the query's)."""
    observed = {
        level: tuple(tuple(sorted(values)) for values in (o.graduated, o.left, o.fast_tracked, o.active))
        for level, o in flows.observations.items()
    }
    return flows.active, observed, flows.normal_months


def best_of(call: Callable[[], Any]) -> float:
    """Best of REPEAT wall-clock seconds (after the call was made once: caches, plans)."""
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(call: Callable[[], Any]) -> tuple[float, float]:
    """Best of REPEAT wall-clock seconds, and the peak Python memory (MiB) of one traced call."""
    call()  # warm-up: caches, plans
    seconds = best_of(call)
    tracemalloc.start()
    call()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enrollments", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="drop and generate the scratch database again")
    args = parser.parse_args()
    name = os.environ.get("BENCH_OUTLOOK_DATABASE", "outlook_flows_bench")
    prepare(name, fresh=args.fresh)
    os.environ["DATABASE_URL"] = server_url() + name
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from talent.registry.models import Organization
    from talent.reports import outlook, selectors
    from talent.reports.models import AX_TRAINED
    from talent.reports.scope import ReportScope

    generate(args.enrollments)
    settle()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM registry_enrollment), (SELECT count(*) FROM registry_enrollmentevent)"
        )
        enrollments, events = cursor.fetchone()
    print(f"Registry → projection (talent.reports.outlook.flows_on): {enrollments:,} enrollments, {events:,} events")
    target = selectors.target_current(code=AX_TRAINED)
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=outlook.BACKTEST_DAYS)
    university = Organization.objects.filter(kind="university").order_by("pk").first()
    for scope in (ReportScope(), ReportScope(university=university)):
        for as_of in (today, year_ago):
            after = outlook.flows_on(scope=scope, target=target, as_of=as_of)
            before = every_event(scope=scope, target=target, as_of=as_of)
            where = "national" if scope.university is None else "one university"
            if inputs(after) != inputs(before):
                sys.exit(f"flows_on and every_event differ ({where}, as of {as_of})")
            active = sum(group.count for group in after.active)
            print(f"  same inputs both ways ({where}, as of {as_of}): {active:,} active in {len(after.active)} cohorts")
    scope = ReportScope()
    print(f"  {'national, best of ' + str(REPEAT):<36}{'before':>10}{'after':>10}{'ratio':>10}")
    for label, as_of in (("as of today", today), ("as of a year ago (back-test)", year_ago)):
        before_s = best_of(functools.partial(every_event, scope=scope, target=target, as_of=as_of))
        after_s = best_of(functools.partial(outlook.flows_on, scope=scope, target=target, as_of=as_of))
        print(f"  {label:<36}{before_s:>8.2f} s{after_s:>8.2f} s{before_s / after_s:>9.1f}x", flush=True)
    seconds, mebibytes = measure(lambda: outlook.outlook_of(scope=scope, target=target, as_of=today, achieved=0))
    label = "whole outlook (both + simulation)"
    print(f"  {label:<36}{seconds:>8.2f} s   peak Python memory {mebibytes:>8.1f} MiB")
    print(f"  process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
