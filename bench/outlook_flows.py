"""Benchmark of the registry → projection step (not a test); prints its figures.

talent.reports.outlook.flows_on reduces the registry, as of a date, to the cohort-flow projection's inputs
(each counting enrollment's standing status, the months to its outcome, the active cohorts). The outlook calls it
twice (today, and a year ago for the back-test). This measures it at the national scale of the late programme:
about 1,000,000 counting enrollments (22 universities, MS / PhD / integrated, admitted 2020–2026) with about
2.4 events each, generated in SQL (INSERT … SELECT generate_series, triggers off: no history, no derived status
needed, since flows_on reads the events) in a scratch database of its own (generated once, kept for the next run).

Printed: rows, then for flows_on today, flows_on a year ago and the whole outlook (both, plus 10,000 simulated
paths): the best of 3 wall-clock times and the peak Python memory (tracemalloc) of one call, and the process's
peak RSS. Wanted: a few seconds at most.

Run: .venv/bin/python bench/outlook_flows.py [--enrollments 1000000] [--fresh]
     (BENCH_DATABASE_URL: the server, default postgres://postgres@127.0.0.1:5432/; BENCH_OUTLOOK_DATABASE: the
     scratch database's name, default outlook_flows_bench)
"""

from __future__ import annotations

import argparse
import datetime
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


def measure(call: Callable[[], Any]) -> tuple[float, float]:
    """Best of REPEAT wall-clock seconds, and the peak Python memory (MiB) of one traced call."""
    call()  # warm-up: caches, plans
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    call()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), peak / 2**20


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

    from talent.reports import outlook, selectors
    from talent.reports.models import AX_TRAINED
    from talent.reports.scope import ReportScope

    generate(args.enrollments)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM registry_enrollment), (SELECT count(*) FROM registry_enrollmentevent)"
        )
        enrollments, events = cursor.fetchone()
    print(f"Registry → projection (talent.reports.outlook.flows_on): {enrollments:,} enrollments, {events:,} events")
    target = selectors.target_current(code=AX_TRAINED)
    scope = ReportScope()
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=outlook.BACKTEST_DAYS)
    flows = outlook.flows_on(scope=scope, target=target, as_of=today)
    active = sum(group.count for group in flows.active)
    print(f"  inputs today: {active:,} active students in {len(flows.active)} cohorts")
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("flows_on, today", lambda: outlook.flows_on(scope=scope, target=target, as_of=today)),
        ("flows_on, a year ago", lambda: outlook.flows_on(scope=scope, target=target, as_of=year_ago)),
        (
            "whole outlook (both + simulation)",
            lambda: outlook.outlook_of(scope=scope, target=target, as_of=today, achieved=0),
        ),
    ]
    for label, call in calls:
        seconds, mebibytes = measure(call)
        print(f"  {label:<36}{seconds:>8.2f} s   peak Python memory {mebibytes:>8.1f} MiB")
    print(f"  process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
