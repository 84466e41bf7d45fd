"""An assignment instance as flat integer arrays: the acceptable pairs, each side's rank of them, the capacities.

Ids of either side may be any hashable values that sort among themselves (int, str, UUID); internally each side
is numbered 0..n-1 in id order, so "ties broken by id" is "ties broken by index".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

Id: TypeAlias = Any  # hashable, and orderable among the ids of the same side
Preferences: TypeAlias = Mapping[Id, Sequence[Id]]
Capacities: TypeAlias = Mapping[Id, int]
Matching: TypeAlias = dict[Id, list[Id]]
IntArray: TypeAlias = npt.NDArray[np.int64]
FloatArray: TypeAlias = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Market:
    """The acceptable pairs, expert-major and, within an expert, in that expert's order of preference.

    `expert_rank` / `problem_rank`: smaller is preferred, by the expert / by the problem. Ranks are only ever
    compared within one expert or one problem.
    """

    expert_ids: list[Id]
    problem_ids: list[Id]
    expert_capacity: IntArray
    problem_capacity: IntArray
    pair_expert: IntArray
    pair_problem: IntArray
    expert_rank: IntArray
    problem_rank: IntArray

    @property
    def pair_count(self) -> int:
        return len(self.pair_expert)

    def locate(self, experts: IntArray, problems: IntArray) -> IntArray:
        """Position of each (expert, problem) index pair among the market's pairs, or -1 when not acceptable."""
        if not self.pair_count:
            return np.full(len(experts), -1, dtype=np.int64)
        keys = self.pair_expert * len(self.problem_ids) + self.pair_problem
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        wanted = experts * len(self.problem_ids) + problems
        at = np.minimum(np.searchsorted(sorted_keys, wanted), len(sorted_keys) - 1)
        return np.where(sorted_keys[at] == wanted, order[at], -1).astype(np.int64)


def index_of(ids: Sequence[Id]) -> dict[Id, int]:
    return {identifier: position for position, identifier in enumerate(ids)}


def ids_at(ids: list[Id], positions: IntArray) -> list[Id]:
    return list(map(ids.__getitem__, positions.tolist()))


def capacities_for(ids: Sequence[Id], capacity: Capacities, side: str) -> IntArray:
    """The capacity of each id, in order; every id needs one, and none may be negative."""
    missing = [identifier for identifier in ids if identifier not in capacity]
    if missing:
        raise ValueError(f"no {side} capacity for {missing[:5]!r}{' …' if len(missing) > 5 else ''}")
    values = np.fromiter((capacity[identifier] for identifier in ids), dtype=np.int64, count=len(ids))
    if (values < 0).any():
        raise ValueError(f"negative {side} capacity for {ids[int(np.argmax(values < 0))]!r}")
    return values


def _flatten(prefs: Preferences, owners: Sequence[Id], others: dict[Id, int]) -> tuple[IntArray, IntArray, IntArray]:
    """(owner index, other index or -1 when unknown, position in the owner's list) for every list entry."""
    lengths = np.fromiter((len(prefs[owner]) for owner in owners), dtype=np.int64, count=len(owners))
    total = int(lengths.sum())
    flat: Iterable[Id] = chain.from_iterable(prefs[owner] for owner in owners)
    other = np.fromiter(map(others.get, flat, repeat(-1)), dtype=np.int64, count=total)
    owner = np.repeat(np.arange(len(owners), dtype=np.int64), lengths)
    offsets = np.zeros(len(owners), dtype=np.int64)
    np.cumsum(lengths[:-1], out=offsets[1:])
    position = np.arange(total, dtype=np.int64) - np.repeat(offsets, lengths)
    return owner, other, position


def market_from_preferences(
    expert_prefs: Preferences,
    problem_prefs: Preferences,
    expert_capacity: Capacities,
    problem_capacity: Capacities,
) -> Market:
    """A pair is acceptable only when each lists the other; unknown ids and repeats after the first are ignored."""
    expert_ids = sorted(expert_prefs)
    problem_ids = sorted(problem_prefs)
    expert_caps = capacities_for(expert_ids, expert_capacity, "expert")
    problem_caps = capacities_for(problem_ids, problem_capacity, "problem")
    n_problems = len(problem_ids)

    expert, problem, expert_rank = _flatten(expert_prefs, expert_ids, index_of(problem_ids))
    known = problem >= 0
    expert, problem, expert_rank = expert[known], problem[known], expert_rank[known]
    keys = expert * n_problems + problem

    p_owner, p_expert, p_position = _flatten(problem_prefs, problem_ids, index_of(expert_ids))
    known = p_expert >= 0
    listed_keys, rank_in_list = _sorted_listings(p_expert[known] * n_problems + p_owner[known], p_position[known])

    keep = np.zeros(len(keys), dtype=bool)
    rank_at_problem = np.zeros(len(keys), dtype=np.int64)
    if len(listed_keys):
        # The leftmost match is the problem's first listing of the expert, hence its rank.
        at = np.minimum(np.searchsorted(listed_keys, keys), len(listed_keys) - 1)
        keep = listed_keys[at] == keys
        rank_at_problem = rank_in_list[at]
        if keep.any() and np.bincount(at[keep]).max() > 1:  # an expert listed a problem twice
            keep &= _first_occurrences(keys)

    return Market(
        expert_ids=expert_ids,
        problem_ids=problem_ids,
        expert_capacity=expert_caps,
        problem_capacity=problem_caps,
        pair_expert=expert[keep],
        pair_problem=problem[keep],
        expert_rank=expert_rank[keep],
        problem_rank=rank_at_problem[keep],
    )


def _sorted_listings(keys: IntArray, position: IntArray) -> tuple[IntArray, IntArray]:
    """The keys sorted, a repeated key's listings in order of position, so its first (best) listing comes first."""
    if not len(keys):
        return keys, position
    span = int(position.max()) + 1
    if int(keys.max()) < np.iinfo(np.int64).max // span:
        # Stamping each key with its position makes every value distinct, so a plain (fast) sort is exact.
        sorted_keys, sorted_position = np.divmod(np.sort(keys * span + position), span)
        return sorted_keys, sorted_position
    order = np.argsort(keys, kind="stable")
    return keys[order], position[order]


def _first_occurrences(keys: IntArray) -> np.ndarray:
    first = np.zeros(len(keys), dtype=bool)
    first[np.unique(keys, return_index=True)[1]] = True
    return first


@dataclass(frozen=True, slots=True)
class ScoreTable:
    """Scored pairs as parallel arrays, in the order the scores mapping gave them."""

    expert_ids: list[Id]
    problem_ids: list[Id]
    expert_capacity: IntArray
    problem_capacity: IntArray
    pair_expert: IntArray
    pair_problem: IntArray
    score: FloatArray


def score_table(
    scores: Mapping[tuple[Id, Id], float], expert_capacity: Capacities, problem_capacity: Capacities
) -> ScoreTable:
    """The experts and problems are the capacity keys; every scored pair must name one of each, score in [0, 1]."""
    expert_ids = sorted(expert_capacity)
    problem_ids = sorted(problem_capacity)
    expert_index = index_of(expert_ids)
    problem_index = index_of(problem_ids)
    count = len(scores)
    try:
        expert = np.fromiter(map(expert_index.__getitem__, map(itemgetter(0), scores)), dtype=np.int64, count=count)
        problem = np.fromiter(map(problem_index.__getitem__, map(itemgetter(1), scores)), dtype=np.int64, count=count)
    except KeyError as unknown:
        raise ValueError(f"scored pair names {unknown.args[0]!r}, which has no capacity") from None
    score = np.fromiter(scores.values(), dtype=np.float64, count=count)
    if not ((score >= 0.0) & (score <= 1.0)).all():
        raise ValueError("every score must be a number in [0, 1]")
    return ScoreTable(
        expert_ids=expert_ids,
        problem_ids=problem_ids,
        expert_capacity=capacities_for(expert_ids, expert_capacity, "expert"),
        problem_capacity=capacities_for(problem_ids, problem_capacity, "problem"),
        pair_expert=expert,
        pair_problem=problem,
        score=score,
    )


def market_from_scores(table: ScoreTable) -> Market:
    """Each side ranks its scored pairs by score, highest first, ties broken by the other side's id."""
    n_experts, n_problems = len(table.expert_ids), len(table.problem_ids)
    expert, problem, score = table.pair_expert, table.pair_problem, table.score

    by_expert, by_problem = _orders_by_score(expert, problem, score, n_experts, n_problems)
    problem_rank = np.empty(len(expert), dtype=np.int64)
    problem_rank[by_problem] = _positions_within(problem[by_problem], n_problems)
    pair_expert = expert[by_expert]

    return Market(
        expert_ids=table.expert_ids,
        problem_ids=table.problem_ids,
        expert_capacity=table.expert_capacity,
        problem_capacity=table.problem_capacity,
        pair_expert=pair_expert,
        pair_problem=problem[by_expert],
        expert_rank=_positions_within(pair_expert, n_experts),
        problem_rank=problem_rank[by_expert],
    )


def _orders_by_score(
    expert: IntArray, problem: IntArray, score: FloatArray, n_experts: int, n_problems: int
) -> tuple[IntArray, IntArray]:
    """Pairs ordered by (expert, score descending, problem) and by (problem, score descending, expert)."""
    distinct, level = np.unique(-score, return_inverse=True)
    levels = max(len(distinct), 1)
    if n_experts * n_problems * levels < np.iinfo(np.int64).max:
        # One distinct integer per pair, in the wanted order: a plain sort on it is much faster than lexsort.
        return (
            np.argsort((expert * levels + level) * n_problems + problem),
            np.argsort((problem * levels + level) * n_experts + expert),
        )
    return np.lexsort((problem, -score, expert)), np.lexsort((expert, -score, problem))


def _positions_within(grouped_owner: IntArray, owner_count: int) -> IntArray:
    """0, 1, 2, … restarting at each owner, for an array already grouped by owner."""
    counts = np.bincount(grouped_owner, minlength=owner_count)
    offsets = np.zeros(owner_count, dtype=np.int64)
    np.cumsum(counts[:-1], out=offsets[1:])
    return np.arange(len(grouped_owner), dtype=np.int64) - offsets[grouped_owner]


def preferences_from_scores(
    scores: Mapping[tuple[Id, Id], float], expert_capacity: Capacities, problem_capacity: Capacities
) -> tuple[dict[Id, list[Id]], dict[Id, list[Id]]]:
    """Both sides' preference lists derived from the scores: highest score first, ties broken by id."""
    market = market_from_scores(score_table(scores, expert_capacity, problem_capacity))
    problems_in_order = ids_at(market.problem_ids, market.pair_problem)
    expert_prefs = _group(market.expert_ids, market.pair_expert, problems_in_order)
    by_problem = np.lexsort((market.problem_rank, market.pair_problem))
    experts_in_order = ids_at(market.expert_ids, market.pair_expert[by_problem])
    problem_prefs = _group(market.problem_ids, market.pair_problem[by_problem], experts_in_order)
    return expert_prefs, problem_prefs


def _group(owner_ids: list[Id], grouped_owner: IntArray, values: list[Id]) -> dict[Id, list[Id]]:
    """Every owner id → its slice of `values` (already grouped by owner), empty lists included."""
    bounds = np.searchsorted(grouped_owner, np.arange(len(owner_ids) + 1)).tolist()
    return {owner: values[bounds[i] : bounds[i + 1]] for i, owner in enumerate(owner_ids)}
