"""Acceptance rate by score band on the demo data (not a test); prints its figures.

The demo (seed_demo, scale 1, seed 2030 unless told otherwise) runs the engine three times and answers the
proposals by the rule documented in talent/demo/answers.py; this reads what became of them through the selector the
product uses (talent.matching.selectors.proposal_outcomes_by_band, as the ministry sees it): for each score band the
proposals made, accepted by both, declined by either, still waiting, withdrawn by a later run, the acceptance rate
(accepted of decided) and the experts' own acceptance rate (accepted of answered). The weights are judged on this
once real answers come in: a good score is one whose higher bands are accepted more often.

Run: .venv/bin/python bench/acceptance.py [--seed 2030] [--fresh]
     (BENCH_DATABASE_URL: the server, default postgres://postgres@127.0.0.1:5432/; BENCH_ACCEPTANCE_DATABASE: the
     scratch database's name, default acceptance_bench; seeded once, kept for the next run)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/") + "/"


def prepare(name: str, *, seed: int, fresh: bool) -> str:
    """Create, migrate and seed the scratch database unless it is already there; its URL."""
    import psycopg

    with psycopg.connect(server_url() + "postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    url = server_url() + name
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    # The subprocesses run this interpreter on the project's own commands, with fixed arguments.
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    seed_demo = [PYTHON, "manage.py", "seed_demo", "--seed", str(seed), "--if-empty", "-v0"]
    subprocess.run(seed_demo, cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    return url


def report() -> None:
    """Print the table, reading the database DATABASE_URL names."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from talent.matching.models import MatchRun
    from talent.matching.selectors import proposal_outcomes_by_band

    ministry = get_user_model().objects.get(username="demo-ministry")
    bands = proposal_outcomes_by_band(user=ministry)
    runs = MatchRun.objects.count()

    def rate(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    print(f"Acceptance by score band ({runs} match runs on the demo data)")
    print(
        f"{'score':<11}{'made':>6}{'accepted':>10}{'declined':>10}{'waiting':>9}{'withdrawn':>11}{'rate':>7}{'expert':>8}"
    )
    for band in bands:
        label = f"{band.low:.1f}–{band.high:.1f}"
        print(
            f"{label:<11}{band.proposals:>6}{band.accepted:>10}{band.declined:>10}{band.pending:>9}"
            f"{band.withdrawn:>11}{rate(band.acceptance_rate):>7}{rate(band.expert_acceptance_rate):>8}"
        )
    accepted, decided = sum(b.accepted for b in bands), sum(b.decided for b in bands)
    print(f"all: {accepted} accepted of {decided} decided ({rate(accepted / decided if decided else None)})")
    print("rate: accepted by both of those decided; expert: the experts' acceptances of those they answered")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2030, help="seed_demo's seed (default 2030)")
    parser.add_argument("--fresh", action="store_true", help="drop and seed the scratch database again")
    args = parser.parse_args()
    name = os.environ.get("BENCH_ACCEPTANCE_DATABASE", "acceptance_bench")
    os.environ["DATABASE_URL"] = prepare(name, seed=args.seed, fresh=args.fresh)
    report()


if __name__ == "__main__":
    main()
