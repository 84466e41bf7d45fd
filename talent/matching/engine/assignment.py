"""Assignment of experts to problems: stable (deferred acceptance, the default) or maximum total fit.

Both sides have capacities: an expert may take several problems, a problem several experts, a pair at most once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from heapq import heappush, heapreplace

import numpy as np
from ortools.graph.python import min_cost_flow

from talent.matching.engine.invariants import InvariantReport, Pair, inspect_matching
from talent.matching.engine.market import (
    Capacities,
    Id,
    IntArray,
    Market,
    Matching,
    Preferences,
    ScoreTable,
    ids_at,
    market_from_preferences,
    market_from_scores,
    score_table,
)

# Fit is maximised in integer units of 1e-6: exact for scores given to six decimals.
SCORE_SCALE = 1_000_000


def deferred_acceptance(market: Market) -> IntArray:
    """Positions of the matched pairs of the expert-optimal pairwise-stable matching.

    Any expert with room proposes to its next problem; a problem holds its best proposers up to its capacity and
    rejects the rest, never to take them back. The outcome does not depend on the order of proposals.
    """
    n_experts = len(market.expert_ids)
    pair_count = market.pair_count
    problem_of = market.pair_problem.tolist()
    expert_of = market.pair_expert.tolist()
    # A problem's heap holds -(rank * pair_count + position): its top is the worst proposer it holds.
    heap_key = (-(market.problem_rank * pair_count + np.arange(pair_count, dtype=np.int64))).tolist()
    bounds = np.searchsorted(market.pair_expert, np.arange(n_experts + 1)).tolist()
    next_pair, end = bounds[:-1], bounds[1:]
    room = market.expert_capacity.tolist()
    problem_room = market.problem_capacity.tolist()
    held: list[list[int]] = [[] for _ in market.problem_ids]

    waiting = list(range(n_experts - 1, -1, -1))
    while waiting:
        expert = waiting.pop()
        free, position, stop = room[expert], next_pair[expert], end[expert]
        while free and position < stop:
            problem = problem_of[position]
            key = heap_key[position]
            position += 1
            if problem_room[problem]:
                problem_room[problem] -= 1
                heappush(held[problem], key)
                free -= 1
            else:
                heap = held[problem]
                if heap and key > heap[0]:
                    rejected = expert_of[-heapreplace(heap, key) % pair_count]
                    free -= 1
                    room[rejected] += 1
                    waiting.append(rejected)
        room[expert], next_pair[expert] = free, position

    return np.sort(np.fromiter((-key % pair_count for heap in held for key in heap), dtype=np.int64))


def matching_from_pairs(expert_ids: list[Id], problem_ids: list[Id], experts: IntArray, problems: IntArray) -> Matching:
    """Every expert id, in id order → the ids of its problems, sorted."""
    order = np.lexsort((problems, experts))
    experts, problems = experts[order], problems[order]
    bounds = np.searchsorted(experts, np.arange(len(expert_ids) + 1)).tolist()
    matched = ids_at(problem_ids, problems)
    return {expert: matched[bounds[i] : bounds[i + 1]] for i, expert in enumerate(expert_ids)}


def stable_match(
    expert_prefs: Preferences,
    problem_prefs: Preferences,
    expert_capacity: Capacities,
    problem_capacity: Capacities,
) -> Matching:
    """The expert-optimal stable matching: every expert in `expert_prefs` → its problems, sorted by id.

    A pair is acceptable only when each side lists the other; lists are strict orders, best first. Every id with
    a preference list needs a capacity (an int ≥ 0).
    """
    market = market_from_preferences(expert_prefs, problem_prefs, expert_capacity, problem_capacity)
    matched = deferred_acceptance(market)
    return matching_from_pairs(
        market.expert_ids, market.problem_ids, market.pair_expert[matched], market.pair_problem[matched]
    )


def max_fit_positions(table: ScoreTable) -> IntArray:
    """Positions (in `table`) of the pairs of a maximum-total-fit assignment within both capacities.

    Min-cost flow source → expert → problem → sink, plus a free source → sink bypass so that staying unassigned
    costs nothing: the solver then maximises total fit, not the number of pairs. Pairs of zero fit add nothing
    and are left out.
    """
    n_experts, n_problems = len(table.expert_ids), len(table.problem_ids)
    weight = np.rint(table.score * SCORE_SCALE).astype(np.int64)
    useful = (
        (weight > 0) & (table.expert_capacity[table.pair_expert] > 0) & (table.problem_capacity[table.pair_problem] > 0)
    )
    candidates = np.flatnonzero(useful)
    expert, problem = table.pair_expert[candidates], table.pair_problem[candidates]
    # Arcs in (expert, problem) order, so that the solver's choice among equal optima depends on the pairs only
    # (pairs are distinct, so a fast unstable sort is exact).
    pair_keys = expert * n_problems + problem
    if (pair_keys[1:] < pair_keys[:-1]).any():
        order = np.argsort(pair_keys)
        candidates, expert, problem = candidates[order], expert[order], problem[order]
    supply = int(min(table.expert_capacity.sum(), table.problem_capacity.sum()))
    n_pairs = len(candidates)
    if not n_pairs or not supply:
        return np.empty(0, dtype=np.int64)

    # Nodes: experts 0..n-1, problems after them, then source and sink. Arcs: source → each expert, each pair,
    # each problem → sink, and the bypass; written in place in the dtypes the solver takes, so nothing is copied
    # again on the way in.
    source, sink = n_experts + n_problems, n_experts + n_problems + 1
    pairs_at = slice(n_experts, n_experts + n_pairs)
    problems_at = slice(n_experts + n_pairs, n_experts + n_pairs + n_problems)
    n_arcs = n_experts + n_pairs + n_problems + 1
    tails, heads = np.empty(n_arcs, dtype=np.int32), np.empty(n_arcs, dtype=np.int32)
    tails[:n_experts], heads[:n_experts] = source, np.arange(n_experts, dtype=np.int32)
    tails[pairs_at], heads[pairs_at] = expert, problem + n_experts
    tails[problems_at], heads[problems_at] = np.arange(n_experts, source, dtype=np.int32), sink
    tails[-1], heads[-1] = source, sink
    capacities = np.empty(n_arcs, dtype=np.int64)
    capacities[:n_experts], capacities[pairs_at] = table.expert_capacity, 1
    capacities[problems_at], capacities[-1] = table.problem_capacity, supply
    costs = np.zeros(n_arcs, dtype=np.int64)
    np.negative(weight[candidates], out=costs[pairs_at])

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([supply, -supply], dtype=np.int64))
    status = flow.solve()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status!r}")
    pair_arcs = np.arange(pairs_at.start, pairs_at.stop, dtype=np.int32)
    return np.sort(candidates[flow.flows(pair_arcs) > 0])


def max_fit_match(
    scores: Mapping[tuple[Id, Id], float], expert_capacity: Capacities, problem_capacity: Capacities
) -> Matching:
    """An assignment of maximum total fit within both capacities: every expert in `expert_capacity` → its problems.

    Only scored pairs can be assigned, each at most once; scores are in [0, 1]. Not stable in general: count its
    blocking pairs to see what it costs.
    """
    table = score_table(scores, expert_capacity, problem_capacity)
    chosen = max_fit_positions(table)
    return matching_from_pairs(
        table.expert_ids, table.problem_ids, table.pair_expert[chosen], table.pair_problem[chosen]
    )


class AssignmentMode(StrEnum):
    STABLE = "stable"
    MAX_FIT = "max_fit"


class InvariantViolation(RuntimeError):
    """An assignment broke a rule it must keep; nothing of it may be written."""

    def __init__(self, report: InvariantReport, mode: AssignmentMode) -> None:
        super().__init__(f"{mode} assignment failed its checks: {report}")
        self.report = report
        self.mode = mode


@dataclass(frozen=True, slots=True)
class Assignment:
    mode: AssignmentMode
    matching: Matching
    total_fit: float
    report: InvariantReport


def assign(
    scores: Mapping[tuple[Id, Id], float],
    expert_capacity: Capacities,
    problem_capacity: Capacities,
    *,
    mode: AssignmentMode = AssignmentMode.STABLE,
    declined: Collection[Pair] = frozenset(),
) -> Assignment:
    """Assign by `mode`, preferences on both sides being the scores (ties broken by id), declined pairs left out.

    The result is checked before it is returned: raises InvariantViolation if a capacity is exceeded, a pair
    repeats, or a declined or unscored pair appears, or if a stable assignment has a blocking pair.
    """
    mode = AssignmentMode(mode)
    declined_set = frozenset(declined)
    if declined_set:
        scores = {pair: score for pair, score in scores.items() if pair not in declined_set}
    table = score_table(scores, expert_capacity, problem_capacity)
    market = market_from_scores(table)
    if mode is AssignmentMode.STABLE:
        matched = deferred_acceptance(market)
        experts, problems = market.pair_expert[matched], market.pair_problem[matched]
    else:
        chosen = max_fit_positions(table)
        experts, problems = table.pair_expert[chosen], table.pair_problem[chosen]
    matching = matching_from_pairs(table.expert_ids, table.problem_ids, experts, problems)

    report = inspect_matching(market, matching, declined_set)
    if not report.holds or (mode is AssignmentMode.STABLE and report.blocking_pairs):
        raise InvariantViolation(report, mode)
    total_fit = float(
        sum(scores[(expert, problem)] for expert, matched_problems in matching.items() for problem in matched_problems)
    )
    return Assignment(mode=mode, matching=matching, total_fit=total_fit, report=report)
