"""Benchmark of the roster import (not a test); prints its figures.

Builds a 10,000-row roster (CSV in CP949, as Korean Excel saves it; or XLSX with --format xlsx) and, on the
machine's PostgreSQL in a scratch database of its own, times in one run:
  1. the dry run (`roster_import(dry_run=True)`): every row read and checked, nothing stored;
  2. the real import: every row stored in one transaction (persons, enrollments, their status events);
  3. the same file again: every row unchanged, nothing written;
  4. a naive import of the same file: row by row through the single-record services (person_create,
     enrollment_admit, enrollment_transition), one transaction, into a second university;
  5. the same students, by their ORCID iDs, into a third university, with another email (kept for an operator)
     and a Latin family name the first file lacked (filled in): every row linked to the person the first import
     created (`registry.services.identity.PersonLinker`); its statements are counted, and wanted independent of
     the number of rows.
Wanted: the real import under 10 s and at least 5x faster than the naive one.

Run: .venv/bin/python bench/import_roster.py [--rows 10000] [--format csv|xlsx] [--fresh]
     (BENCH_DATABASE_URL: the server, default postgres://postgres@127.0.0.1:5432/)
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

DATABASE = "roster_bench"
SECONDS_WANTED = 10.0
SPEEDUP_WANTED = 5.0
SEED = 20_260_302

FAMILY_NAMES = ("김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황")
GIVEN_SYLLABLES = ("민", "서", "지", "현", "우", "준", "영", "수", "하", "윤", "도", "예", "은", "진", "성", "호")
#: 학적상태 and how often: most students are enrolled.
STATUSES = (("재학", 0.7), ("입학", 0.1), ("휴학", 0.1), ("수료", 0.1))


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/") + "/"


def prepare_database(*, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(server_url() + "postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    os.environ["DATABASE_URL"] = server_url() + DATABASE
    os.environ["DJANGO_SETTINGS_MODULE"] = "talent.settings"
    os.environ.pop("CELERY_BROKER_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # DEBUG keeps every query's SQL: not what production pays
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.1f} s", flush=True)


def orcid(i: int) -> str:
    """The i-th ORCID iD of the bench, with its check character (ISO 7064 11,2)."""
    from stdnum.iso7064 import mod_11_2

    digits = f"0000000{i:08d}"
    whole = digits + mod_11_2.calc_check_digit(digits)
    return "-".join(whole[k : k + 4] for k in range(0, 16, 4))


def roster_rows(n: int, rng: random.Random) -> list[list[str]]:
    statuses = [status for status, _ in STATUSES]
    weights = [weight for _, weight in STATUSES]
    rows = []
    for i in range(n):
        admitted = datetime.date(2025 + i % 2, 3, 2)
        status = rng.choices(statuses, weights)[0]
        rows.append(
            [
                f"2026{i:06d}",
                rng.choice(FAMILY_NAMES),
                rng.choice(GIVEN_SYLLABLES) + rng.choice(GIVEN_SYLLABLES),
                f"{rng.randint(1990, 2003)}.{rng.randint(1, 12):02d}.{rng.randint(1, 28):02d}",
                rng.choice(("남", "여")),
                f"student{i}@bench.ac.kr",
                "AX 융합 석사" if i % 3 else "AX 융합 박사",
                admitted.strftime("%Y/%-m/%-d"),
                status,
                "" if status in ("재학", "입학") else "2026-09-01",
                orcid(i),
            ]
        )
    return rows


HEADERS = ["학번", "성", "이름", "생년월일", "성별", "이메일", "과정", "입학일", "학적상태", "상태변경일", "ORCID"]


def linked_rows(rows: list[list[str]]) -> list[list[str]]:
    """The same students as another university records them: its own email, and a Latin family name."""
    return [[*row[:5], f"student{i}@linked.ac.kr", *row[6:], "Kim"] for i, row in enumerate(rows)]


def roster_file(rows: list[list[str]], fmt: str, headers: list[str] = HEADERS) -> bytes:
    if fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode("cp949")


def university(label: str):
    from talent.registry import services

    stamp = f"{label} {time.time_ns()}"
    org = services.organization_create(actor=None, kind="university", name_ko=f"벤치대학교 {stamp}", region="KR-11")
    school = services.graduate_school_create(
        actor=None,
        university=org,
        name_ko="벤치 AX 대학원",
        track="designated",
        selection_year=2026,
        support_start=datetime.date(2026, 3, 1),
        support_end=datetime.date(2030, 12, 31),
        convergence_fields=["robotics"],
    )
    for name, level, months in (("AX 융합 석사", "ms", 24), ("AX 융합 박사", "phd", 48)):
        services.programme_create(
            actor=None, school=school, name_ko=name, degree_level=level, normal_duration_months=months
        )
    return org


def naive_import(org, content: bytes) -> int:
    """Row by row through the single-record services: what an import without bulk reads and writes costs."""
    from django.db import transaction

    from talent.registry import services
    from talent.registry.models import Enrollment, Programme
    from talent.roster.reading import decode
    from talent.roster.rows import parse_date, parse_gender, parse_status

    text, _encoding = decode(content)
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    created = 0
    with transaction.atomic():
        for number, family, given, birth, gender, email, programme_name, admitted, status, status_date, _ in reader:
            if Enrollment.objects.filter(university=org, student_number=number).exists():
                continue
            programme = Programme.objects.get(school__university=org, name_ko=programme_name)
            person = services.person_create(
                actor=None,
                family_name_ko=family,
                given_name_ko=given,
                birth_date=parse_date(birth),
                gender=parse_gender(gender),
                email=email,
            )
            admitted_on = parse_date(admitted)
            assert admitted_on is not None, "every generated row has an admission date"
            enrollment = services.enrollment_admit(
                actor=None,
                person=person,
                programme=programme,
                student_number=number,
                admission_date=admitted_on,
            )
            target = parse_status(status)
            on = parse_date(status_date) or enrollment.admission_date
            if target != "admitted":
                services.enrollment_transition(
                    actor=None, enrollment=enrollment, status="enrolled", effective_date=enrollment.admission_date
                )
            if target not in ("admitted", "enrolled"):
                services.enrollment_transition(
                    actor=None, enrollment=enrollment, status=target, effective_date=on, reason="bench"
                )
            created += 1
    return created


def timed(label: str, n: int, call):
    started = time.perf_counter()
    value = call()
    seconds = time.perf_counter() - started
    print(f"  {label:<34}{seconds:8.2f} s {n / seconds:10,.0f} rows/s", flush=True)
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the scratch database")
    parser.add_argument(
        "--naive-rows",
        type=int,
        default=None,
        help="time the naive path on the file's first N rows only and extrapolate (default: the whole file)",
    )
    args = parser.parse_args()
    if args.format == "xlsx":
        print("note: the naive path reads CSV only; it is timed on the same rows as CP949 CSV")

    print(f"Roster import benchmark: {args.rows:,} rows, {args.format}, database {DATABASE}")
    prepare_database(fresh=args.fresh)
    from django.conf import settings

    from talent.roster import services as roster

    settings.ROSTER_MAX_ROWS = max(settings.ROSTER_MAX_ROWS, args.rows)
    settings.ROSTER_MAX_BYTES = max(settings.ROSTER_MAX_BYTES, 1024 * args.rows)
    rows = roster_rows(args.rows, random.Random(SEED))
    content = roster_file(rows, args.format)
    csv_content = content if args.format == "csv" else roster_file(rows, "csv")
    print(f"  file: {len(content):,} bytes")

    fast, slow, linking = university("bulk"), university("naive"), university("linked")

    def run(dry_run: bool):
        return roster.roster_import(
            actor=None, university=fast, filename=f"bench.{args.format}", content=content, dry_run=dry_run
        )

    dry, dry_seconds = timed("dry run", args.rows, lambda: run(True))
    assert dry.ok and dry.created == args.rows, dry.problems[:5]
    real, real_seconds = timed("real import (one transaction)", args.rows, lambda: run(False))
    assert real.applied and real.created == args.rows, real.problems[:5]
    again, _ = timed("same file again (all unchanged)", args.rows, lambda: run(False))
    assert again.unchanged == args.rows
    naive_rows = min(args.naive_rows or args.rows, args.rows)
    naive_content = csv_content if naive_rows == args.rows else roster_file(rows[:naive_rows], "csv")
    label = "naive row-by-row ORM import" + ("" if naive_rows == args.rows else f" ({naive_rows:,} rows)")
    created, naive_seconds = timed(label, naive_rows, lambda: naive_import(slow, naive_content))
    assert created == naive_rows
    if naive_rows < args.rows:
        naive_seconds *= args.rows / naive_rows
        print(f"  naive import extrapolated to {args.rows:,} rows: {naive_seconds:.1f} s")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from talent.registry.models import IdentityDisagreement, Person

    persons = Person.objects.count()
    linked_content = roster_file(linked_rows(rows), args.format, [*HEADERS, "영문 성"])
    with CaptureQueriesContext(connection) as statements:
        linked, _ = timed(
            "same students linked by ORCID iD",
            args.rows,
            lambda: roster.roster_import(
                actor=None, university=linking, filename="linked.csv", content=linked_content, dry_run=False
            ),
        )
    assert linked.applied and linked.created == args.rows, linked.problems[:5]
    assert Person.objects.count() == persons, "every row is a person the first import created"
    assert IdentityDisagreement.objects.filter(university=linking).count() == args.rows
    print(f"  statements of the linked import: {len(statements.captured_queries):,}", flush=True)

    print(
        f"  summary: dry run {args.rows / dry_seconds:,.0f} rows/s, real import {args.rows / real_seconds:,.0f} rows/s,"
        f" naive {args.rows / naive_seconds:,.0f} rows/s"
    )
    speedup = naive_seconds / real_seconds
    fast_enough, much_faster = real_seconds < SECONDS_WANTED, speedup >= SPEEDUP_WANTED
    print(f"  real import: {real_seconds:.2f} s (wanted < {SECONDS_WANTED:.0f} s): {'ok' if fast_enough else 'FAILED'}")
    print(
        f"  speed-up over naive: {speedup:.1f}x (wanted >= {SPEEDUP_WANTED:.0f}x): {'ok' if much_faster else 'FAILED'}"
    )
    sys.exit(0 if fast_enough and much_faster else 1)


if __name__ == "__main__":
    main()
