"""Benchmark of the assignment step (not a test); prints its figures.

1. Beside the `matching` package's HospitalResident on the same unit-capacity preferences (their build + solve
   vs our call): the results must be identical and ours at least 100× faster.
2. 20,000 experts × 4,000 problems with 1,000,000 acceptable pairs: each mode (stable, max fit) under 1 s.
3. The same market many-to-many (expert capacities 1–3): every capacity holds and no pair blocks, as counted
   here by a plain loop independent of the engine.

Run: .venv/bin/python bench/assignment.py
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

# bench/ holds matching.py (the full-run bench): keep it from shadowing the `matching` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talent.matching.engine import (  # noqa: E402 - after the sys.path fix above
    check_invariants,
    max_fit_match,
    preferences_from_scores,
    stable_match,
)

SPEED_UP_WANTED = 100
SECONDS_WANTED = 1.0


def timed(call: Callable[[], Any], repeat: int = 1) -> tuple[Any, list[float], float]:
    """The call's result, its wall times and its best CPU time; garbage is collected first so that no run pays
    for another's. CPU time shows what the wall time would be on an idle machine."""
    times, cpu = [], []
    for _ in range(repeat):
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        result = call()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return result, times, min(cpu)


def verdict(ok: bool) -> str:
    return "ok" if ok else "FAILED"


# --- 1. beside the peer -------------------------------------------------------------------------------------


def peer_market(n_experts: int, n_problems: int, per_expert: int, seed: int) -> tuple[dict, dict]:
    """Each expert lists `per_expert` problems; each problem ranks exactly those who listed it. Both sides lean
    towards the popular, with their own noise, so the two sides do not simply agree."""
    rng = np.random.default_rng(seed)
    problem_appeal, expert_appeal = rng.random(n_problems), rng.random(n_experts)
    experts = [f"전문가-{i:05d}" for i in range(n_experts)]
    problems = [f"과제-{j:04d}" for j in range(n_problems)]
    expert_prefs: dict[str, list[str]] = {}
    listed_by: dict[str, list[int]] = {p: [] for p in problems}
    for i, expert in enumerate(experts):
        chosen = rng.choice(n_problems, per_expert, replace=False)
        chosen = chosen[np.argsort(-(problem_appeal[chosen] + 0.5 * rng.random(per_expert)))]
        expert_prefs[expert] = [problems[j] for j in chosen.tolist()]
        for j in chosen.tolist():
            listed_by[problems[j]].append(i)
    problem_prefs = {}
    for problem, listers in listed_by.items():
        if listers:
            order = np.argsort(-(expert_appeal[listers] + 0.5 * rng.random(len(listers))))
            problem_prefs[problem] = [experts[listers[k]] for k in order.tolist()]
    return expert_prefs, problem_prefs


def peer_solve(expert_prefs: dict, problem_prefs: dict, capacities: dict) -> dict[str, list[str]]:
    from matching.games import HospitalResident

    game = HospitalResident.create_from_dictionaries(expert_prefs, problem_prefs, capacities)
    solved = game.solve(optimal="resident")
    result: dict[str, list[str]] = {expert: [] for expert in sorted(expert_prefs)}
    for hospital, residents in solved.items():
        for resident in residents:
            result[resident.name].append(hospital.name)
    return {expert: sorted(problems) for expert, problems in result.items()}


def in_deep_thread(call: Callable[[], Any]) -> Any:
    """The peer deep-copies its object graph recursively: give it a deep stack."""
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 29)
    box: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: box.update(value=call()))
    worker.start()
    worker.join()
    return box["value"]


def beside_the_peer(n_experts: int = 8_000, n_problems: int = 1_600, per_expert: int = 10) -> None:
    expert_prefs, problem_prefs = peer_market(n_experts, n_problems, per_expert, seed=11)
    expert_capacity = dict.fromkeys(expert_prefs, 1)
    problem_capacity = dict.fromkeys(problem_prefs, 1)
    pairs = sum(map(len, expert_prefs.values()))
    print(f"1. Beside matching.HospitalResident: {n_experts:,} experts × {n_problems:,} problems, {pairs:,} pairs,")
    print("   every capacity 1")

    ours, our_times, our_cpu = timed(
        lambda: stable_match(expert_prefs, problem_prefs, expert_capacity, problem_capacity), 3
    )
    theirs, their_times, their_cpu = timed(
        lambda: in_deep_thread(lambda: peer_solve(expert_prefs, problem_prefs, problem_capacity))
    )
    speed_up = their_times[0] / min(our_times)
    matched = sum(map(len, ours.values()))
    print(f"   ours (one call)               {min(our_times):8.3f} s wall, {our_cpu:.3f} s CPU (best of 3)")
    print(f"   HospitalResident build+solve  {their_times[0]:8.3f} s wall, {their_cpu:.3f} s CPU")
    print(f"   identical result              {ours == theirs!s:>8}   {verdict(ours == theirs)} ({matched:,} matched)")
    print(f"   speed-up (wall)               {speed_up:8.0f}×   {verdict(speed_up >= SPEED_UP_WANTED)}", end="")
    print(f" (≥ {SPEED_UP_WANTED}×; by CPU time {their_cpu / our_cpu:.0f}×)")


# --- 2 and 3. the large market ------------------------------------------------------------------------------


def large_scores(n_experts: int, n_problems: int, per_expert: int, seed: int) -> dict[tuple[int, int], float]:
    """Fit in [0, 1] to six decimals: the expert's standing, the problem's appeal and the pair's own match."""
    rng = np.random.default_rng(seed)
    experts = np.repeat(np.arange(n_experts), per_expert)
    problems = np.concatenate([rng.choice(n_problems, per_expert, replace=False) for _ in range(n_experts)])
    standing, appeal = rng.random(n_experts), rng.random(n_problems)
    fit = np.round(0.35 * standing[experts] + 0.35 * appeal[problems] + 0.3 * rng.random(len(experts)), 6)
    problem_ids = (100_000 + problems).tolist()  # ids of the two sides need not look alike
    return dict(zip(zip(experts.tolist(), problem_ids, strict=True), fit.tolist(), strict=True))


def independent_check(
    matching: dict, expert_prefs: dict, problem_prefs: dict, expert_capacity: dict, problem_capacity: dict
) -> tuple[bool, int]:
    """(every capacity holds and no pair repeats, blocking pairs), by a plain loop over every listed pair."""
    holders: dict[Any, list[Any]] = {p: [] for p in problem_prefs}
    for expert, problems in matching.items():
        for problem in problems:
            holders[problem].append(expert)
    capacities_hold = all(
        len(problems) == len(set(problems)) <= expert_capacity[expert] for expert, problems in matching.items()
    ) and all(len(experts) <= problem_capacity[problem] for problem, experts in holders.items())

    rank_at = {p: {e: r for r, e in enumerate(experts)} for p, experts in problem_prefs.items()}
    worst_at = {p: max((rank_at[p][e] for e in experts), default=-1) for p, experts in holders.items()}
    blocking = 0
    for expert, listed in expert_prefs.items():
        mine = set(matching[expert])
        has_room = len(mine) < expert_capacity[expert]
        worst_mine = max((r for r, p in enumerate(listed) if p in mine), default=-1)
        for rank, problem in enumerate(listed):
            theirs = rank_at[problem].get(expert)
            if problem in mine or theirs is None:
                continue
            expert_wants = has_room or rank < worst_mine
            problem_wants = len(holders[problem]) < problem_capacity[problem] or theirs < worst_at[problem]
            blocking += expert_wants and problem_wants
    return capacities_hold, blocking


def total_fit(scores: dict, matching: dict) -> float:
    return sum(scores[(expert, problem)] for expert, problems in matching.items() for problem in problems)


def large_market(
    label: str, expert_caps: tuple[int, int], n_experts: int = 20_000, n_problems: int = 4_000, per: int = 50
) -> None:
    scores = large_scores(n_experts, n_problems, per, seed=5)
    rng = np.random.default_rng(6)
    expert_ids = sorted({e for e, _ in scores})
    problem_ids = sorted({p for _, p in scores})
    expert_capacity = dict(
        zip(expert_ids, rng.integers(expert_caps[0], expert_caps[1] + 1, n_experts).tolist(), strict=True)
    )
    problem_capacity = dict(zip(problem_ids, rng.integers(1, 9, n_problems).tolist(), strict=True))
    expert_prefs, problem_prefs = preferences_from_scores(scores, expert_capacity, problem_capacity)
    caps = expert_capacity, problem_capacity
    print(
        f"{label}: {n_experts:,} experts × {n_problems:,} problems, {len(scores):,} acceptable pairs; expert "
        f"capacity {expert_caps[0]}–{expert_caps[1]} (total {sum(expert_capacity.values()):,}), problem capacity "
        f"1–8 (total {sum(problem_capacity.values()):,})"
    )

    stable, stable_times, stable_cpu = timed(lambda: stable_match(expert_prefs, problem_prefs, *caps), 3)
    best_fit, fit_times, fit_cpu = timed(lambda: max_fit_match(scores, *caps), 3)
    for mode, times, cpu in (("stable ", stable_times, stable_cpu), ("max fit", fit_times, fit_cpu)):
        print(
            f"   {mode} solve  {min(times):.3f} s wall (best of 3; worst {max(times):.3f} s), {cpu:.3f} s CPU   "
            f"{verdict(min(times) < SECONDS_WANTED)} (< {SECONDS_WANTED:.0f} s; by CPU {verdict(cpu < SECONDS_WANTED)})"
        )

    (stable_report, best_fit_report), check_times, _ = timed(
        lambda: [check_invariants(m, expert_prefs, problem_prefs, *caps) for m in (stable, best_fit)]
    )
    capacities_hold, blocking = independent_check(stable, expert_prefs, problem_prefs, *caps)
    print(f"   invariant checks of both results (engine)  {check_times[0]:.3f} s")
    for mode, matching, report in (("stable ", stable, stable_report), ("max fit", best_fit, best_fit_report)):
        print(
            f"   {mode}  pairs {sum(map(len, matching.values())):6,}   total fit {total_fit(scores, matching):10.3f}   "
            f"blocking pairs {report.blocking_pairs:6,}   invariants {verdict(report.holds)}"
        )
    ok = capacities_hold and blocking == 0
    print(
        f"   stable, checked by a plain loop: capacities hold {capacities_hold}, blocking pairs {blocking}   "
        f"{verdict(ok)}"
    )


def main() -> None:
    load = os.getloadavg()[0]
    print(f"Load average when started: {load:.2f} on {os.cpu_count()} CPUs", end="")
    print(" (busy: wall times are inflated, CPU times are the better guide)\n" if load > 1 else "\n")
    beside_the_peer()
    print()
    large_market("2. One problem per expert", (1, 1))
    print()
    large_market("3. Many-to-many", (1, 3))


if __name__ == "__main__":
    main()
