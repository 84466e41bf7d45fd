"""Benchmark of a whole match run (not a test); prints its figures.

1. A synthetic market of 20,000 experts × 4,000 open field problems with Korean texts, on the machine's PostgreSQL
   in a scratch database of its own (seeded once, kept for the next run):
   A. the initial indexing of every profile and problem (Kiwi's batch interface, through the index refresh the
      runs use): tokenisation throughput in documents per second;
   B. a full match run through the services (request, then execute in-process: scoring from the stored terms,
      assignment, the one-transaction write of the proposals), timed per phase from MatchRun.timings, with its
      peak memory. Wanted: under 20 s and under 2 GiB. It runs twice: the second run must tokenise nothing (the
      index is fresh) and leave the very same proposals (idempotence), rewriting no score nor explanation.
2. and 3. The assignment step alone and the many-to-many market: bench/assignment.py, run afterwards in a process
   of its own so that its timings do not share this process's heap.

Run: .venv/bin/python bench/matching.py [--fresh] [--skip-assignment]
     (BENCH_DATABASE_URL: the server, default postgres://postgres@127.0.0.1:5432/; BENCH_MATCHING_DATABASE: the
     scratch database's name, default matching_bench)
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path, and this file would then be the `matching` package
# (the peer that bench/assignment.py compares with): only the repository root goes on the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

DATABASE = os.environ.get("BENCH_MATCHING_DATABASE", "matching_bench")  # a name of one's own beside others
N_EXPERTS = 20_000
N_PROBLEMS = 4_000
N_COMPANIES = 40
COMPANY_PREFIX = "매칭벤치"
SECONDS_WANTED = 20.0
BYTES_WANTED = 2 * 1024**3
BATCH = 5_000
SEED = 20_260_101

#: History triggers skipped while seeding: a synthetic market is not an edit by anyone (as in demo/writer.py).
SKIPPED_HISTORY_TRIGGERS = (
    "registry.Person:insert_insert",
    "registry.ExpertProfile:insert_insert",
    "registry.FieldProblem:insert_insert",
)

FAMILY_NAMES = ("김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황")
GIVEN_SYLLABLES = ("민", "서", "지", "현", "우", "준", "영", "수", "하", "윤", "도", "예", "은", "진", "성", "호")


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/") + "/"


def verdict(ok: bool) -> str:
    return "ok" if ok else "FAILED"


# --- Memory ---------------------------------------------------------------------------------------------------


def peak_rss_bytes() -> int:
    """This process's peak resident set since it started (or since `reset_peak`), plus its children's."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    try:  # VmHWM is the same figure, but it can be reset per phase
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) * 1024
    except OSError:
        pass
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return own + children


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux: 5 into /proc/self/clear_refs), so the next peak is the next phase's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def current_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def mib(n: int) -> str:
    return f"{n / 1024**2:,.0f} MiB"


# --- The database ---------------------------------------------------------------------------------------------


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
    # Tasks run in-process (CELERY_TASK_ALWAYS_EAGER) only without a broker.
    os.environ.pop("CELERY_BROKER_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # DEBUG (the settings' default) keeps the SQL of the last 9,000 queries: the megabytes of a bulk write would
    # count against the run's memory, which production (DEBUG off) does not pay.
    settings.DEBUG = False
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.1f} s", flush=True)


def brn(rng: random.Random, i: int) -> str:
    from talent.registry.validators import (
        business_registration_number_check_digit,
        validate_business_registration_number,
    )

    nine = f"{rng.randint(101, 899)}81{i + 1:04d}"
    number = nine + business_registration_number_check_digit(nine)
    validate_business_registration_number(number)
    return number


def seeded() -> bool:
    from talent.registry.models import ExpertProfile, FieldProblem, Organization
    from talent.registry.vocabulary import ProblemStatus

    return (
        Organization.objects.filter(name_ko__startswith=COMPANY_PREFIX).count() == N_COMPANIES
        and ExpertProfile.objects.filter(consent_to_matching=True, available=True).count() == N_EXPERTS
        and FieldProblem.objects.filter(status=ProblemStatus.OPEN).count() == N_PROBLEMS
    )


def seed() -> None:
    """20,000 persons with expert profiles and 4,000 open problems of 40 companies, in one transaction."""
    import pghistory
    import pgtrigger
    from django.db import transaction
    from django.utils import timezone

    from talent.demo import texts
    from talent.registry.models import ExpertProfile, FieldProblem, Organization, Person
    from talent.registry.vocabulary import OrganizationKind, ProblemStatus, ShareableField

    rng = random.Random(SEED)
    regions = [code for code, _weight in texts.REGION_WEIGHTS]
    region_weights = [weight for _code, weight in texts.REGION_WEIGHTS]
    now = timezone.now()

    def region() -> str:
        return rng.choices(regions, weights=region_weights)[0]

    with (
        transaction.atomic(),
        pghistory.context(action="bench_matching_seed"),
        pgtrigger.ignore(*SKIPPED_HISTORY_TRIGGERS),
    ):
        companies = []
        for i in range(N_COMPANIES):
            domain = texts.DOMAINS[i % len(texts.DOMAINS)]
            stem_ko, stem_en = texts.STEMS[i % len(texts.STEMS)]
            trade_ko, trade_en = domain.trades[i % len(domain.trades)]
            companies.append(
                Organization(
                    kind=OrganizationKind.COMPANY,
                    name_ko=f"{COMPANY_PREFIX} {stem_ko}{trade_ko} {i + 1}",
                    name_en=f"Bench {stem_en} {trade_en} {i + 1}",
                    region=region(),
                    business_registration_number=brn(rng, i),
                    ksic_section=domain.ksic_sections[0],
                )
            )
        Organization.objects.bulk_create(companies)

        persons = [
            Person(
                family_name_ko=rng.choice(FAMILY_NAMES),
                given_name_ko=rng.choice(GIVEN_SYLLABLES) + rng.choice(GIVEN_SYLLABLES),
            )
            for _ in range(N_EXPERTS)
        ]
        Person.objects.bulk_create(persons, batch_size=BATCH)

        profiles = []
        for person in persons:
            domain = rng.choice(texts.DOMAINS)
            years = rng.randint(4, 22)
            activity_ko, activity_en = rng.choice(domain.activities)
            interest_ko, interest_en = rng.choice(domain.interests)
            skills = rng.sample(domain.skills, rng.randint(3, min(6, len(domain.skills))))
            skills += rng.sample(texts.GENERIC_SKILLS, rng.randint(1, 2))
            profiles.append(
                ExpertProfile(
                    person_id=person.pk,
                    skills=list(dict.fromkeys(skills)),
                    summary_ko=f"{years}년 동안 {domain.ko} 분야에서 {activity_ko}. "
                    f"최근에는 {interest_ko}에 관심을 두고 있습니다.",
                    summary_en=f"{years} years in {domain.en.lower()}: {activity_en}. "
                    f"Currently working on {interest_en}.",
                    ksic_sections=sorted(
                        set(rng.sample(domain.ksic_sections, rng.randint(1, len(domain.ksic_sections))))
                    ),
                    regions=sorted({region() for _ in range(rng.randint(1, 3))}),
                    remote_ok=rng.random() < 0.7,
                    capacity=rng.choices((1, 2, 3), weights=(50, 35, 15))[0],
                    available=True,
                    consent_to_matching=True,
                    shared_fields=[ShareableField.SKILLS, ShareableField.SUMMARY],
                    consent_updated_at=now,
                )
            )
        ExpertProfile.objects.bulk_create(profiles, batch_size=BATCH)

        domains = [texts.DOMAINS[i % len(texts.DOMAINS)] for i in range(N_COMPANIES)]
        problems = []
        for _ in range(N_PROBLEMS):
            index = rng.randrange(N_COMPANIES)
            company, domain = companies[index], domains[index]
            problem = rng.choice(domain.problems)
            site = f"{rng.choice(texts.CITIES[company.region])} {problem.site or domain.site}"
            skills = rng.sample(domain.skills, rng.randint(2, 4)) + rng.sample(texts.GENERIC_SKILLS, rng.randint(0, 1))
            remote = rng.random() < 0.3
            problems.append(
                FieldProblem(
                    organization_id=company.pk,
                    title=problem.title,
                    description=f"{site}에서는 {problem.context}. 제공 가능한 데이터: {problem.data}. "
                    f"{rng.choice(texts.CLOSINGS)}",
                    ksic_section=company.ksic_section,
                    skills_wanted=list(dict.fromkeys(skills)),
                    region="" if remote and rng.random() < 0.5 else company.region,
                    remote=remote,
                    experts_wanted=rng.choices((1, 2, 3), weights=(60, 30, 10))[0],
                    status=ProblemStatus.OPEN,
                    opened_at=now - datetime.timedelta(days=rng.randrange(1, 60)),
                )
            )
        FieldProblem.objects.bulk_create(problems, batch_size=BATCH)


def reset_matching() -> None:
    """Each benchmark starts from a market nobody matched yet: no runs, proposals, near misses nor index terms (and,
    through CASCADE, nothing that refers to a proposal, such as engagements: the scratch database has none to keep)."""
    from django.db import connection

    from talent.matching.models import ExpertIndex, MatchRun, NearMiss, ProblemIndex, Proposal

    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table)
        for model in (Proposal, NearMiss, MatchRun, ExpertIndex, ProblemIndex)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")
        cursor.execute("ANALYZE")


# --- A. Initial indexing --------------------------------------------------------------------------------------


def initial_indexing() -> None:
    from talent.matching import text
    from talent.matching.services import index as index_service
    from talent.matching.services import refresh_index
    from talent.registry.models import ExpertProfile, FieldProblem
    from talent.registry.vocabulary import ProblemStatus

    print("\nA. Initial indexing (Kiwi batch interface, through the runs' index refresh)")
    started = time.perf_counter()
    text.analyser()
    print(f"   Kiwi model loaded in {time.perf_counter() - started:.2f} s (once per process)")

    # The same pool the run reads: consenting, available experts and open problems.
    experts = list(
        ExpertProfile.objects.filter(consent_to_matching=True, available=True)
        .order_by("pk")
        .values("id", "summary_ko", "summary_en")
    )
    problems = list(
        FieldProblem.objects.filter(status=ProblemStatus.OPEN).order_by("pk").values("id", "title", "description")
    )

    # The service calls text.tokenize once per side; time those calls alone (tokenisation) beside the whole refresh
    # (hashing, tokenisation, storing the terms).
    tokenised: list[tuple[int, float]] = []
    original = index_service.text.tokenize

    def timed_tokenize(texts: Sequence[str]) -> list[list[str]]:
        begin = time.perf_counter()
        result = original(texts)
        tokenised.append((len(texts), time.perf_counter() - begin))
        return result

    index_service.text.tokenize = timed_tokenize
    try:
        started = time.perf_counter()
        expert_terms, problem_terms, counts = refresh_index(experts, problems)
        refresh_seconds = time.perf_counter() - started
    finally:
        index_service.text.tokenize = original

    docs = sum(n for n, _s in tokenised)
    seconds = sum(s for _n, s in tokenised)
    terms = sum(map(len, expert_terms.values())) + sum(map(len, problem_terms.values()))
    print(f"   documents: {counts['experts_tokenised']:,} profiles + {counts['problems_tokenised']:,} problems")
    for (n, s), side in zip(tokenised, ("profiles", "problems"), strict=False):
        print(f"   tokenise {side:<9}{n:>7,} docs in {s:6.2f} s  {n / s:>9,.0f} docs/s")
    print(
        f"   tokenisation throughput: {docs:,} docs in {seconds:.2f} s = {docs / seconds:,.0f} docs/s ({terms:,} terms)"
    )
    print(f"   whole refresh (hash, tokenise, store): {refresh_seconds:.2f} s = {docs / refresh_seconds:,.0f} docs/s")


# --- B. The full match run ------------------------------------------------------------------------------------


def full_run(label: str) -> dict[str, Any]:
    from talent.matching.models import MatchRun, Proposal, ProposalStatus, RunStatus, RunTrigger
    from talent.matching.services import match_run_request

    reset_ok = reset_peak()
    rss_before = current_rss_bytes()
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    # Requested as the system (actor None); with no broker configured the task runs in-process and synchronously
    # when the request commits (CELERY_TASK_ALWAYS_EAGER), exactly as the web process would hand it over.
    run = match_run_request(actor=None, trigger=RunTrigger.COMMAND, enqueue=True)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = peak_rss_bytes()
    run.refresh_from_db()

    print(f"\nB. Full match run, {label} (run {run.pk}, mode {run.mode}): {run.status}")
    if run.status != RunStatus.SUCCEEDED:
        print(f"   error: {run.error}")
        print(f"   invariants: {run.invariants}")
        return {"ok": False, "run": run, "proposals": {}}
    timings = run.timings
    order = ("claimed", "pool", "index", "score", "assign", "check", "explain", "write")
    phases = sorted((p for p in timings if p != "total"), key=lambda p: order.index(p) if p in order else len(order))
    for phase in phases:
        print(f"   {phase:<10}{timings[phase]:>8.3f} s")
    print(f"   {'total':<10}{timings['total']:>8.3f} s (MatchRun.timings; wall time of request + execute {wall:.3f} s)")
    print(f"   this process's CPU time {cpu:.3f} s (the database server's is not in it); load average {load:.2f}")
    counts = run.counts
    print(
        "   pool: {experts_in_pool:,} experts × {problems_in_pool:,} problems; tokenised now: {experts_tokenised:,} "
        "profiles, {problems_tokenised:,} problems; candidates {candidates:,}".format(**counts)
    )
    print(
        "   proposals: assigned {assigned:,} (new {proposals_new:,}, repeated {proposals_repeated:,} of which "
        "rescored {proposals_rescored:,}, withdrawn {proposals_withdrawn:,}, dropped during run "
        "{dropped_during_run:,}); near misses {near_misses:,}; total fit {total_fit}".format(**counts)
    )
    inv = run.invariants
    print(
        f"   invariants: holds {inv.get('holds')}, engine holds {inv.get('engine_holds')}, capacities ok "
        f"{inv.get('capacities_ok')}, blocking pairs {inv.get('blocking_pairs')}, unacceptable pairs "
        f"{inv.get('unacceptable_pairs')}, duplicates {inv.get('duplicate_pairs')}, declined proposed "
        f"{inv.get('declined_pairs_proposed')}"
    )
    stored = {
        (e, p): s
        for e, p, s in Proposal.objects.filter(status=ProposalStatus.PROPOSED).values_list(
            "expert_id", "problem_id", "score"
        )
    }
    print(f"   proposals stored as proposed: {len(stored):,}")
    memory_note = "since the run started" if reset_ok else "of the whole process"
    print(f"   peak RSS {memory_note}: {mib(peak)} (RSS before the run {mib(rss_before)})")
    print(f"   peak RSS of the whole process so far: {mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)}")
    time_ok, memory_ok = wall < SECONDS_WANTED, peak < BYTES_WANTED
    print(f"   under {SECONDS_WANTED:.0f} s: {wall:.2f} s  {verdict(time_ok)}")
    print(f"   under 2 GiB: {mib(peak)}  {verdict(memory_ok)}")
    ok = time_ok and memory_ok and bool(inv.get("holds")) and len(stored) == counts["assigned"]
    return {"ok": ok, "run": MatchRun.objects.get(pk=run.pk), "proposals": stored}


def part_one(*, fresh: bool) -> bool:
    print(f"1. {N_EXPERTS:,} experts × {N_PROBLEMS:,} problems on {server_url()}{DATABASE}", flush=True)
    prepare_database(fresh=fresh)
    if seeded():
        print("  market already seeded: reused")
    else:
        started = time.perf_counter()
        seed()
        print(
            f"  seeded {N_EXPERTS:,} experts, {N_PROBLEMS:,} problems, {N_COMPANIES} companies in "
            f"{time.perf_counter() - started:.1f} s"
        )
    reset_matching()

    initial_indexing()
    first = full_run("first (index fresh from A)")
    second = full_run("second (nothing changed)")

    print("\n   Second run against the first")
    if not (first["proposals"] and second["proposals"]):
        print("   a run failed: nothing to compare  FAILED")
        return False
    c2 = second["run"].counts
    not_recomputed = c2["experts_tokenised"] == 0 and c2["problems_tokenised"] == 0
    print(
        f"   index not recomputed: {c2['experts_tokenised']} profiles, {c2['problems_tokenised']} problems tokenised"
        f"  {verdict(not_recomputed)}"
    )
    same_pairs = set(first["proposals"]) == set(second["proposals"])
    same_scores = same_pairs and all(
        abs(first["proposals"][pair] - second["proposals"][pair]) < 1e-9 for pair in first["proposals"]
    )
    untouched = c2["proposals_new"] == 0 and c2["proposals_withdrawn"] == 0 and c2["proposals_rescored"] == 0
    idempotent = same_pairs and same_scores and untouched
    print(
        f"   same proposals: pairs {same_pairs}, scores {same_scores}, none new, withdrawn or rescored {untouched} "
        f"({c2['proposals_repeated']:,} repeated)  {verdict(idempotent)}"
    )
    return first["ok"] and second["ok"] and not_recomputed and idempotent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fresh", action="store_true", help="drop and re-seed the scratch database")
    parser.add_argument("--skip-assignment", action="store_true", help="part 1 only")
    args = parser.parse_args()

    load = os.getloadavg()
    print(f"Load average when started: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs", end="")
    print(" (busy: wall times are inflated)\n" if load[0] > 1 else "\n", flush=True)

    ok = part_one(fresh=args.fresh)
    print(f"\n   part 1 overall: {verdict(ok)}", flush=True)
    if args.skip_assignment:
        return
    print("\n--- Parts 2 and 3: bench/assignment.py, in a process of its own ---\n", flush=True)
    # This interpreter on the project's own script. -P: without it bench/ would come first on the child's sys.path
    # and `from matching.games import HospitalResident` would import this file instead of the `matching` package.
    script = str(ROOT / "bench" / "assignment.py")
    subprocess.run([sys.executable, "-P", script], cwd=ROOT, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
