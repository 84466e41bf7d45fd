"""The assignment engine on generated instances, against brute force, a direct count and two peers.

The peers: the `matching` package's HospitalResident (resident-optimal) for stable assignment with one problem
per expert, and scipy's linear_sum_assignment for maximum fit with unit capacities.
"""

from __future__ import annotations

import random
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident
from scipy.optimize import linear_sum_assignment

from talent.matching.engine import (
    AssignmentMode,
    assign,
    check_invariants,
    count_blocking_pairs,
    max_fit_match,
    preferences_from_scores,
    stable_match,
)

# The suite's autouse fixtures (settings) are harmless to share between generated examples.
generated = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@dataclass(frozen=True)
class Instance:
    expert_prefs: dict[int, list[str]]
    problem_prefs: dict[str, list[int]]
    expert_capacity: dict[int, int]
    problem_capacity: dict[str, int]

    @property
    def args(self) -> tuple[Any, ...]:
        return self.expert_prefs, self.problem_prefs, self.expert_capacity, self.problem_capacity

    def acceptable(self) -> list[tuple[int, str]]:
        return [
            (expert, problem)
            for expert, problems in self.expert_prefs.items()
            for problem in problems
            if expert in self.problem_prefs.get(problem, ())
        ]

    def blocking_pairs(self, matching: dict[int, list[str]]) -> int:
        """Counted straight from the definition, one pair at a time."""
        holders: dict[str, list[int]] = {problem: [] for problem in self.problem_prefs}
        for expert, problems in matching.items():
            for problem in problems:
                holders[problem].append(expert)
        count = 0
        for expert, problem in self.acceptable():
            mine, theirs = matching[expert], holders[problem]
            if problem in mine:
                continue
            expert_rank, problem_rank = self.expert_prefs[expert].index, self.problem_prefs[problem].index
            expert_wants = len(mine) < self.expert_capacity[expert] or any(
                expert_rank(problem) < expert_rank(other) for other in mine
            )
            problem_wants = len(theirs) < self.problem_capacity[problem] or any(
                problem_rank(expert) < problem_rank(other) for other in theirs
            )
            count += expert_wants and problem_wants
        return count

    def is_feasible(self, matching: dict[int, list[str]]) -> bool:
        pairs = [(expert, problem) for expert, problems in matching.items() for problem in problems]
        load = Counter(problem for _, problem in pairs)
        return (
            len(set(pairs)) == len(pairs)
            and set(pairs) <= set(self.acceptable())
            and all(len(problems) <= self.expert_capacity[expert] for expert, problems in matching.items())
            and all(load[problem] <= capacity for problem, capacity in self.problem_capacity.items())
        )

    def feasible_matchings(self) -> Iterator[dict[int, list[str]]]:
        """Every matching of acceptable pairs within both capacities."""
        pairs = self.acceptable()

        def extend(at: int, chosen: list[tuple[int, str]], load: Counter) -> Iterator[list[tuple[int, str]]]:
            if at == len(pairs):
                yield chosen
                return
            yield from extend(at + 1, chosen, load)
            expert, problem = pairs[at]
            if load[expert] < self.expert_capacity[expert] and load[problem] < self.problem_capacity[problem]:
                yield from extend(at + 1, [*chosen, pairs[at]], load + Counter([expert, problem]))

        for chosen in extend(0, [], Counter()):
            yield as_matching(self.expert_prefs, chosen)


def as_matching(experts: dict[int, Any], pairs: list[tuple[int, str]]) -> dict[int, list[str]]:
    matching: dict[int, list[str]] = {expert: [] for expert in sorted(experts)}
    for expert, problem in pairs:
        matching[expert].append(problem)
    return {expert: sorted(problems) for expert, problems in matching.items()}


def ranked_subset(ids: list[Any]) -> st.SearchStrategy[list[Any]]:
    return st.permutations(ids).flatmap(lambda order: st.integers(0, len(order)).map(lambda k: list(order[:k])))


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    experts: int = 8,
    problems: int = 6,
    expert_capacity: tuple[int, int] = (0, 3),
    problem_capacity: tuple[int, int] = (0, 3),
    complete: bool = False,
) -> Instance:
    """Experts are ints, problems Korean strings. Lists are drawn independently, so some pairs are one-sided;
    `complete`: exactly the largest sizes, every list complete and uniformly random."""
    expert_ids = list(range(experts if complete else draw(st.integers(0, experts))))
    problem_ids = [f"과제-{j}" for j in range(problems if complete else draw(st.integers(0, problems)))]
    if complete:
        # Uniform orders from a seed: hypothesis's own draws lean towards the identity, hence towards agreement.
        rng = random.Random(draw(st.integers(0, 2**32)))
        expert_prefs = {e: rng.sample(problem_ids, len(problem_ids)) for e in expert_ids}
        problem_prefs = {p: rng.sample(expert_ids, len(expert_ids)) for p in problem_ids}
    else:
        expert_prefs = {e: draw(ranked_subset(problem_ids)) for e in expert_ids}
        problem_prefs = {p: draw(ranked_subset(expert_ids)) for p in problem_ids}
    return Instance(
        expert_prefs=expert_prefs,
        problem_prefs=problem_prefs,
        expert_capacity={expert: draw(st.integers(*expert_capacity)) for expert in expert_ids},
        problem_capacity={problem: draw(st.integers(*problem_capacity)) for problem in problem_ids},
    )


@generated
@given(instances())
def test_the_stable_matching_respects_capacities_and_has_no_blocking_pair(instance):
    result = stable_match(*instance.args)

    assert list(result) == sorted(instance.expert_prefs)
    assert all(problems == sorted(problems) for problems in result.values())
    assert instance.is_feasible(result)
    assert instance.blocking_pairs(result) == 0


# (experts, problems, expert capacity, problem capacity), as much capacity on each side: such markets often have
# several stable matchings, among which ours must be the experts' favourite.
BALANCED_SHAPES = [(4, 4, 1, 1), (4, 2, 1, 2), (2, 4, 2, 1), (2, 6, 3, 1), (3, 3, 2, 2)]


def balanced_market(shape: tuple[int, int, int, int]) -> st.SearchStrategy[Instance]:
    experts, problems, expert_capacity, problem_capacity = shape
    return instances(
        experts=experts,
        problems=problems,
        expert_capacity=(expert_capacity, expert_capacity),
        problem_capacity=(problem_capacity, problem_capacity),
        complete=True,
    )


@settings(generated, max_examples=300)
@given(st.sampled_from(BALANCED_SHAPES).flatmap(balanced_market))
def test_the_stable_matching_is_the_one_every_expert_likes_best(instance):
    # Brute force: among all stable matchings, each expert's set from ours is the best `capacity` of the union.
    result = stable_match(*instance.args)
    stable = [m for m in instance.feasible_matchings() if instance.blocking_pairs(m) == 0]
    event(f"{'several' if len(stable) > 1 else 'one'} stable matching(s)")

    assert result in stable
    for other in stable:
        for expert, capacity in instance.expert_capacity.items():
            union = sorted(set(result[expert]) | set(other[expert]), key=instance.expert_prefs[expert].index)
            assert sorted(union[:capacity]) == result[expert]


@generated
@given(instances(), st.randoms(use_true_random=False))
def test_the_stable_matching_does_not_depend_on_dictionary_order(instance, rng):
    def shuffled(mapping):
        items = list(mapping.items())
        rng.shuffle(items)
        return dict(items)

    reordered = Instance(*(shuffled(mapping) for mapping in instance.args))

    assert stable_match(*reordered.args) == stable_match(*instance.args)


@generated
@given(instances(), st.randoms(use_true_random=False))
def test_blocking_pairs_and_invariants_agree_with_a_direct_check_on_any_matching(instance, rng):
    pairs = [pair for pair in instance.acceptable() if rng.random() < 0.5]
    matching = as_matching(instance.expert_prefs, pairs)

    report = check_invariants(matching, *instance.args)

    assert count_blocking_pairs(matching, *instance.args) == report.blocking_pairs == instance.blocking_pairs(matching)
    assert report.holds == instance.is_feasible(matching)
    assert not report.duplicate_pairs
    assert not report.unacceptable_pairs


def peer_matching(instance: Instance) -> dict[int, list[str]]:
    """HospitalResident's resident-optimal matching; it wants mutual, non-empty lists, so it gets those."""
    acceptable = set(instance.acceptable())
    residents = {e: [p for p in ps if (e, p) in acceptable] for e, ps in instance.expert_prefs.items()}
    residents = {e: ps for e, ps in residents.items() if ps}
    hospitals = {p: [e for e in es if (e, p) in acceptable] for p, es in instance.problem_prefs.items()}
    hospitals = {p: es for p, es in hospitals.items() if es}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the peer warns when it has to clean its input: it must not need to
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {p: instance.problem_capacity[p] for p in hospitals}
        )
        solved = game.solve(optimal="resident")
    return as_matching(
        instance.expert_prefs,
        [(resident.name, hospital.name) for hospital, matched in solved.items() for resident in matched],
    )


@generated
@given(instances(experts=12, problems=6, expert_capacity=(1, 1), problem_capacity=(1, 3)))
def test_with_one_problem_per_expert_the_result_is_exactly_the_peers(instance):
    assert stable_match(*instance.args) == peer_matching(instance)


def test_the_peer_agrees_on_a_market_with_a_rejection_chain():
    # 0 displaces 1 at 과제-0, 1 displaces 2 at 과제-1, 2 ends at 과제-2.
    instance = Instance(
        expert_prefs={
            0: ["과제-0", "과제-1"],
            1: ["과제-0", "과제-1", "과제-2"],
            2: ["과제-1", "과제-2"],
            3: ["과제-2"],
        },
        problem_prefs={"과제-0": [0, 1], "과제-1": [1, 2, 0], "과제-2": [2, 1, 3]},
        expert_capacity={0: 1, 1: 1, 2: 1, 3: 1},
        problem_capacity={"과제-0": 1, "과제-1": 1, "과제-2": 1},
    )

    assert (
        stable_match(*instance.args) == peer_matching(instance) == {0: ["과제-0"], 1: ["과제-1"], 2: ["과제-2"], 3: []}
    )


def test_the_peer_agrees_on_a_random_market_of_a_hundred_experts():
    rng = random.Random(7)
    problems = [f"과제-{j:02d}" for j in range(30)]
    expert_prefs = {e: rng.sample(problems, rng.randint(1, 8)) for e in range(100)}
    listed_by = {p: [e for e in expert_prefs if p in expert_prefs[e]] for p in problems}
    instance = Instance(
        expert_prefs=expert_prefs,
        problem_prefs={p: rng.sample(es, len(es)) for p, es in listed_by.items()},
        expert_capacity=dict.fromkeys(expert_prefs, 1),
        problem_capacity={p: rng.randint(1, 3) for p in problems},
    )

    result = stable_match(*instance.args)

    assert result == peer_matching(instance)
    assert sum(map(len, result.values())) > 30


@st.composite
def scored(draw: st.DrawFn, *, experts: int, problems: int, capacity: tuple[int, int]) -> tuple[dict, dict, dict]:
    """Scores in steps of 0.05 (exact at the solver's scale) on a random subset of pairs."""
    expert_ids = list(range(draw(st.integers(0, experts))))
    problem_ids = [f"과제-{j}" for j in range(draw(st.integers(0, problems)))]
    pairs = [(e, p) for e in expert_ids for p in problem_ids]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    scores = {pair: draw(st.integers(0, 20)) / 20 for pair in chosen}
    return (
        scores,
        {e: draw(st.integers(*capacity)) for e in expert_ids},
        {p: draw(st.integers(*capacity)) for p in problem_ids},
    )


def total_fit(scores: dict, matching: dict) -> float:
    return sum(scores[(expert, problem)] for expert, problems in matching.items() for problem in problems)


def as_instance(scores: dict, expert_capacity: dict, problem_capacity: dict) -> Instance:
    expert_prefs, problem_prefs = preferences_from_scores(scores, expert_capacity, problem_capacity)
    return Instance(expert_prefs, problem_prefs, expert_capacity, problem_capacity)


@generated
@given(scored(experts=4, problems=3, capacity=(0, 2)))
def test_max_fit_reaches_the_brute_force_maximum_within_both_capacities(case):
    scores = case[0]
    instance = as_instance(*case)

    result = max_fit_match(*case)

    assert instance.is_feasible(result)
    best = max(total_fit(scores, m) for m in instance.feasible_matchings())
    assert abs(total_fit(scores, result) - best) < 1e-9


@generated
@given(scored(experts=8, problems=8, capacity=(1, 1)))
def test_with_unit_capacities_max_fit_equals_the_assignment_peer(case):
    scores, expert_capacity, problem_capacity = case
    experts, problems = sorted(expert_capacity), sorted(problem_capacity)
    weights = np.zeros((len(experts), len(problems)))
    for (expert, problem), score in scores.items():
        weights[experts.index(expert), problems.index(problem)] = score
    rows, columns = linear_sum_assignment(weights, maximize=True)

    result = max_fit_match(*case)

    assert abs(total_fit(scores, result) - weights[rows, columns].sum()) < 1e-9
    assert all(len(problems) <= 1 for problems in result.values())


@generated
@given(scored(experts=6, problems=5, capacity=(0, 3)))
def test_a_run_checks_itself_and_reports_the_stability_max_fit_gives_up(case):
    scores, _, _ = case
    instance = as_instance(*case)

    stable = assign(*case)
    best_fit = assign(*case, mode=AssignmentMode.MAX_FIT)

    assert stable.report.holds and best_fit.report.holds
    assert stable.report.blocking_pairs == instance.blocking_pairs(stable.matching) == 0
    assert best_fit.report.blocking_pairs == instance.blocking_pairs(best_fit.matching)
    assert best_fit.total_fit >= stable.total_fit - 1e-9
    assert stable.matching == stable_match(*instance.args)
    assert abs(best_fit.total_fit - total_fit(scores, max_fit_match(*case))) < 1e-9
