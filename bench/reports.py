"""Benchmark of the target reports (not a test); prints its figures.

For each scale (seed_demo --scale 10, 100, 1000: about 10k, 100k and 1M enrollments) on the machine's
PostgreSQL, in a database of its own (seeded once, kept for the next run), it times:
- the floor: a bare SELECT count(DISTINCT person_id) over the enrollment table, in the same run;
- the AX-TRAINED targets report (today, the one counting statement) and the whole targets report;
- one breakdown (AX-TRAINED by university), today and a year ago (the events path of the as-of rebuild);
- every other breakdown of AX-TRAINED, today: the university is one of the cheap ones (its groups come from
  the programme); gender and origin are facts about the person and join the person or researcher tables.
Each time is the best of 5 after a warm-up. Wanted: within 3× of the floor at 1M enrollments, and the time
growing no faster than the data.

Run: .venv/bin/python bench/reports.py [--scales 10,100,1000] [--fresh]
     (BENCH_DATABASE_URL: the server, default postgres://postgres@127.0.0.1:5432/)
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WANTED_FACTOR = 3.0
REPEAT = 5


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/") + "/"


def database_url(scale: int) -> str:
    return f"{server_url()}reports_bench_{scale}"


def prepare(scale: int, *, fresh: bool) -> None:
    """Create, migrate and seed the scale's database unless it is already there."""
    import psycopg

    name = f"reports_bench_{scale}"
    with psycopg.connect(server_url() + "postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": database_url(scale)}
    # The subprocesses run this interpreter on the project's own scripts, with fixed arguments.
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    started = time.perf_counter()
    seeded = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "seed_demo", "--scale", str(scale), "--if-empty", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    if "nothing seeded" not in seeded.stdout:
        print(f"  seeded scale {scale} in {time.perf_counter() - started:.0f} s", flush=True)


def best(call: Callable[[], Any]) -> float:
    call()  # warm-up: caches, plans
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def measure() -> dict[str, Any]:
    """Run inside a process whose DATABASE_URL names the scale's database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from talent.reports import arithmetic, counting, selectors
    from talent.reports.scope import ReportScope

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM registry_enrollment")
        enrollments = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM registry_enrollmentevent")
        events = cursor.fetchone()[0]

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT person_id) FROM registry_enrollment")
            cursor.fetchone()

    def floor_with_report_settings() -> None:
        # The same bare count under the settings the report statements use (no JIT, more work_mem).
        with counting._report_cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT person_id) FROM registry_enrollment")
            cursor.fetchone()

    today = timezone.localdate()
    year_ago = arithmetic.year_before(today)
    scope = ReportScope()
    trained = selectors.target_current(code="AX-TRAINED")
    report = selectors.target_report(scope=scope, target=trained, as_of=today)
    by_dimension = {
        by: best(functools.partial(selectors.headcount_of, scope=scope, target=trained, by=by, as_of=today))
        for by in selectors.dimensions_of(trained)
    }
    return {
        "by_dimension": by_dimension,
        "enrollments": enrollments,
        "events": events,
        "achieved": report.achieved,
        "floor": best(floor),
        "floor_report_settings": best(floor_with_report_settings),
        "targets_report": best(lambda: selectors.target_report(scope=scope, target=trained, as_of=today)),
        "all_targets": best(
            lambda: [selectors.target_report(scope=scope, target=t, as_of=today) for t in selectors.target_list()]
        ),
        "breakdown": best(lambda: selectors.headcount_of(scope=scope, target=trained, by="university", as_of=today)),
        "breakdown_year_ago": best(
            lambda: selectors.headcount_of(scope=scope, target=trained, by="university", as_of=year_ago)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10,100,1000")
    parser.add_argument("--fresh", action="store_true", help="drop and re-seed the databases")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return

    results: list[dict[str, Any]] = []
    for scale in (int(s) for s in args.scales.split(",")):
        print(f"scale {scale}: preparing {database_url(scale)}", flush=True)
        prepare(scale, fresh=args.fresh)
        out = subprocess.run(  # noqa: S603
            [PYTHON, __file__, "--measure"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url(scale)},
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1]) | {"scale": scale}
        results.append(result)
        floor = result["floor"]
        print(f"  {result['enrollments']:>9,} enrollments, {result['events']:>10,} events", end="")
        print(f", achieved {result['achieved']:,}")
        for name in (
            "floor",
            "floor_report_settings",
            "targets_report",
            "all_targets",
            "breakdown",
            "breakdown_year_ago",
        ):
            seconds = result[name]
            print(f"    {name:<26}{seconds * 1000:>10.1f} ms  {seconds / floor:>5.2f}× floor", flush=True)
        for by, seconds in result["by_dimension"].items():
            name = f"breakdown by {by}"
            print(f"    {name:<26}{seconds * 1000:>10.1f} ms  {seconds / floor:>5.2f}× floor", flush=True)

    print("\nsummary (× floor; per 1k enrollments)")
    largest = results[-1]
    for name in ("targets_report", "breakdown"):
        factor = largest[name] / largest["floor"]
        verdict = "ok" if factor <= WANTED_FACTOR else "FAILED"
        print(f"  {name:<16} {factor:.2f}× floor at {largest['enrollments']:,}: {verdict}")
    slowest = max(largest["by_dimension"], key=largest["by_dimension"].get)
    factor = largest["by_dimension"][slowest] / largest["floor"]
    print(f"  (slowest breakdown: by {slowest}, {factor:.2f}× floor)")
    for first, second in itertools.pairwise(results):
        data = second["enrollments"] / first["enrollments"]
        for name in ("targets_report", "breakdown"):
            growth = second[name] / first[name]
            verdict = "ok" if growth <= data * 1.25 else "FAILED"
            print(f"  {name:<16} {first['scale']}→{second['scale']}: data ×{data:.1f}, time ×{growth:.1f}: {verdict}")


if __name__ == "__main__":
    main()
