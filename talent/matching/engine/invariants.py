"""What every assignment must satisfy before anyone writes it, and what it costs in stability."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from talent.matching.engine.market import (
    Capacities,
    Id,
    IntArray,
    Market,
    Matching,
    Preferences,
    index_of,
    market_from_preferences,
)

Pair = tuple[Id, Id]


@dataclass(frozen=True, slots=True)
class InvariantReport:
    """Violations found in a matching (empty when it holds) and its blocking pairs, which are only counted."""

    over_capacity_experts: tuple[Id, ...]
    over_capacity_problems: tuple[Id, ...]
    duplicate_pairs: tuple[Pair, ...]
    declined_pairs: tuple[Pair, ...]
    unacceptable_pairs: tuple[Pair, ...]
    blocking_pairs: int

    @property
    def holds(self) -> bool:
        """Capacities respected, no pair twice, no declined pair, every pair acceptable to both sides."""
        return not (
            self.over_capacity_experts
            or self.over_capacity_problems
            or self.duplicate_pairs
            or self.declined_pairs
            or self.unacceptable_pairs
        )


def blocking_mask(market: Market, matched: IntArray) -> np.ndarray:
    """Which of the market's pairs block the matching given as positions of matched pairs.

    A pair blocks when it is not matched, the expert has room or prefers the problem to its worst match, and the
    problem has room or prefers the expert to its worst match.
    """
    n_experts, n_problems = len(market.expert_ids), len(market.problem_ids)
    expert, problem = market.pair_expert, market.pair_problem
    is_matched = np.zeros(market.pair_count, dtype=bool)
    is_matched[matched] = True

    held_by_expert = np.bincount(expert[matched], minlength=n_experts)
    held_by_problem = np.bincount(problem[matched], minlength=n_problems)
    worst_of_expert = np.full(n_experts, -1, dtype=np.int64)
    np.maximum.at(worst_of_expert, expert[matched], market.expert_rank[matched])
    worst_of_problem = np.full(n_problems, -1, dtype=np.int64)
    np.maximum.at(worst_of_problem, problem[matched], market.problem_rank[matched])

    expert_wants = (held_by_expert[expert] < market.expert_capacity[expert]) | (
        market.expert_rank < worst_of_expert[expert]
    )
    problem_wants = (held_by_problem[problem] < market.problem_capacity[problem]) | (
        market.problem_rank < worst_of_problem[problem]
    )
    return ~is_matched & expert_wants & problem_wants


def inspect_matching(market: Market, matching: Matching, declined: Collection[Pair] = frozenset()) -> InvariantReport:
    """Check an id-level matching against the market it was made for; see `check_invariants`."""
    pairs = [(expert, problem) for expert, problems in matching.items() for problem in problems]
    pair_counts = Counter(pairs)
    duplicates = tuple(sorted(pair for pair, count in pair_counts.items() if count > 1))
    unique = sorted(pair_counts)
    declined_set = declined if isinstance(declined, set | frozenset) else frozenset(declined)

    expert_index, problem_index = index_of(market.expert_ids), index_of(market.problem_ids)
    experts = np.fromiter((expert_index.get(e, -1) for e, _ in unique), dtype=np.int64, count=len(unique))
    problems = np.fromiter((problem_index.get(p, -1) for _, p in unique), dtype=np.int64, count=len(unique))
    known = (experts >= 0) & (problems >= 0)
    positions = np.full(len(unique), -1, dtype=np.int64)
    positions[known] = market.locate(experts[known], problems[known])
    unacceptable = tuple(pair for pair, position in zip(unique, positions.tolist(), strict=True) if position < 0)

    over_experts = tuple(
        sorted(
            expert
            for expert, problems_of_expert in matching.items()
            if len(problems_of_expert) > _capacity_of(expert, expert_index, market.expert_capacity)
        )
    )
    problem_load = Counter(problem for _, problem in pairs)
    over_problems = tuple(
        sorted(
            problem
            for problem, load in problem_load.items()
            if load > _capacity_of(problem, problem_index, market.problem_capacity)
        )
    )
    return InvariantReport(
        over_capacity_experts=over_experts,
        over_capacity_problems=over_problems,
        duplicate_pairs=duplicates,
        declined_pairs=tuple(pair for pair in unique if pair in declined_set),
        unacceptable_pairs=unacceptable,
        blocking_pairs=int(blocking_mask(market, positions[positions >= 0]).sum()),
    )


def _capacity_of(identifier: Id, index: dict[Id, int], capacity: IntArray) -> int:
    position = index.get(identifier)
    return 0 if position is None else int(capacity[position])


def check_invariants(
    matching: Matching,
    expert_prefs: Preferences,
    problem_prefs: Preferences,
    expert_capacity: Capacities,
    problem_capacity: Capacities,
    declined: Collection[Pair] = frozenset(),
) -> InvariantReport:
    """Report every capacity exceeded, pair repeated, declined pair or pair not in both lists, and count blocking pairs.

    Ids outside the instance have no capacity; a pair is acceptable only when each side lists the other.
    """
    market = market_from_preferences(expert_prefs, problem_prefs, expert_capacity, problem_capacity)
    return inspect_matching(market, matching, declined)


def count_blocking_pairs(
    matching: Matching,
    expert_prefs: Preferences,
    problem_prefs: Preferences,
    expert_capacity: Capacities,
    problem_capacity: Capacities,
) -> int:
    """How many acceptable, unmatched (expert, problem) pairs would both rather have each other than what they got."""
    return check_invariants(matching, expert_prefs, problem_prefs, expert_capacity, problem_capacity).blocking_pairs
