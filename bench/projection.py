"""Benchmark of the cohort-flow projection (not a test); prints its figures.

The national picture: 22 AX graduate schools, five years of cohorts (admitted 2022–2026, master's, doctoral and
integrated, each admission month its own group) active on 2026-12-31, the rates estimated from every student's
outcome or months so far (censored), four years of planned intake (2027–2030, 820+ entrants a year), and the
10th–90th percentile band from 10,000 simulated paths; then what it takes. Wanted: under 2 s, rates included.

Run: .venv/bin/python bench/projection.py [--paths 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talent.reports import projection

SCHOOLS = 22
AS_OF = datetime.date(2026, 12, 31)
DEADLINE = datetime.date(2030, 12, 31)
SECONDS_WANTED = 2.0
LEVELS = {"ms": (24, 0.7), "phd": (48, 0.2), "integrated": (60, 0.1)}  # normal months, share of the intake


def national_picture(seed: int = 2030) -> tuple[list[projection.ActiveGroup], list[projection.PlannedCohort], dict]:
    """Five years of cohorts of 22 schools (about 40 students per school, year and level mix) and their
    outcomes: the registry's rows, reduced as talent.reports.outlook.flows_on reduces them."""
    rng = random.Random(seed)
    active: dict[tuple[str, datetime.date], int] = {}
    observed: dict[str, dict[str, list[int]]] = {lv: {"g": [], "l": [], "f": [], "a": []} for lv in LEVELS}
    for _school in range(SCHOOLS):
        for year in range(2022, 2027):
            for level, (normal, share) in LEVELS.items():
                for _student in range(round(60 * share)):
                    admitted = datetime.date(year, rng.choice((3, 3, 3, 9)), 1)
                    so_far = round(projection.months_from(admitted, AS_OF))
                    fate = rng.random()
                    months = normal + rng.choice((0, 0, 0, 6, 12))
                    if fate < 0.12 and rng.random() * normal < so_far:
                        observed[level]["l"].append(rng.randint(1, min(normal, max(so_far, 1))))
                    elif level == "ms" and fate < 0.17 and so_far > 12:
                        observed[level]["f"].append(12)
                    elif months <= so_far:
                        observed[level]["g"].append(months)
                    else:
                        observed[level]["a"].append(so_far)
                        active[(level, admitted)] = active.get((level, admitted), 0) + 1
    groups = [projection.ActiveGroup(level, day, n) for (level, day), n in sorted(active.items())]
    plans = [
        projection.PlannedCohort(school=f"school-{s}", year=year, level=level, intake=round(size * share))
        for s in range(SCHOOLS)
        for year, size in {2027: 30, 2028: 34, 2029: 37, 2030: 38}.items()
        for level, (_normal, share) in LEVELS.items()
    ]
    return groups, plans, observed


def run(paths: int) -> tuple[projection.Projection, projection.Requirement, float]:
    started = time.perf_counter()
    groups, plans, observed = national_picture()
    prior = projection.Prior(completion=0.85, weight=20)
    rates = {
        level: projection.level_rates(
            level,
            projection.LevelObservations(
                graduated=tuple(seen["g"]),
                left=tuple(seen["l"]),
                fast_tracked=tuple(seen["f"]),
                active=tuple(seen["a"]),
            ),
            prior,
        )
        for level, seen in observed.items()
    }
    result = projection.project(
        achieved=1200, as_of=AS_OF, deadline=DEADLINE, active=groups, plans=plans, rates=rates, paths=paths
    )
    requirement = projection.required_intake(
        target=5000,
        achieved=1200,
        as_of=AS_OF,
        deadline=DEADLINE,
        active=groups,
        plans=plans,
        rates=rates,
        mix={level: share for level, (_n, share) in LEVELS.items()},
    )
    return result, requirement, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=projection.DEFAULT_PATHS)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    groups, plans, observed = national_picture()
    students = sum(g.count for g in groups) + sum(
        len(v) for seen in observed.values() for k, v in seen.items() if k != "a"
    )
    print(
        f"{SCHOOLS} schools, cohorts 2022–2026: {students:,} students ({sum(g.count for g in groups):,} active in "
        f"{len(groups)} groups), {len(plans)} planned cohorts ({sum(p.intake for p in plans):,} planned entrants), "
        f"{options.paths:,} paths"
    )
    timings = []
    for _ in range(options.repeat):
        result, requirement, seconds = run(options.paths)
        timings.append(seconds)
    print(
        f"expected by {DEADLINE}: {result.expected:,.0f} (10th–90th percentile {result.low:,}–{result.high:,}); "
        f"from the active {result.from_active:,.0f}, from the plans {result.from_plans:,.0f}"
    )
    print(
        f"what it takes: {requirement.intake_per_year:,} entrants a year {requirement.from_year}–{requirement.to_year}"
    )
    print(
        f"seconds per projection (rates, band, what it takes): median {statistics.median(timings):.3f}, "
        f"max {max(timings):.3f} over {options.repeat} runs; wanted under {SECONDS_WANTED} "
        f"({'met' if max(timings) < SECONDS_WANTED else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
