"""The assignment engine on hand-checked cases: who gets which problem, and what every run checks before writing."""

from __future__ import annotations

import numpy as np
import pytest

from talent.matching.engine import (
    AssignmentMode,
    InvariantViolation,
    assign,
    assignment,
    check_invariants,
    count_blocking_pairs,
    max_fit_match,
    preferences_from_scores,
    stable_match,
)

# Experts and problems of a small regional programme; ids sort as 김 < 박 < 이 and 배터리 < 수소 < 자율주행.
KIM, PARK, LEE = "김민준", "박서연", "이도윤"
BATTERY, HYDROGEN, DRIVING = "배터리-열관리", "수소-저장소재", "자율주행-인지"


def ones(*ids):
    return dict.fromkeys(ids, 1)


def test_experts_get_their_first_choices_when_two_stable_matchings_exist():
    # Experts and problems want opposite partners: both matchings are stable, and the experts' one wins.
    experts = {KIM: [BATTERY, HYDROGEN], PARK: [HYDROGEN, BATTERY]}
    problems = {BATTERY: [PARK, KIM], HYDROGEN: [KIM, PARK]}

    result = stable_match(experts, problems, ones(KIM, PARK), ones(BATTERY, HYDROGEN))

    assert result == {KIM: [BATTERY], PARK: [HYDROGEN]}


def test_a_problem_keeps_its_own_favourites_up_to_its_capacity():
    experts = {KIM: [BATTERY], PARK: [BATTERY], LEE: [BATTERY, HYDROGEN]}
    problems = {BATTERY: [LEE, PARK, KIM], HYDROGEN: [LEE]}

    result = stable_match(experts, problems, ones(KIM, PARK, LEE), {BATTERY: 2, HYDROGEN: 1})

    assert result == {KIM: [], PARK: [BATTERY], LEE: [BATTERY]}


def test_an_expert_with_room_for_two_takes_two_and_loses_the_contested_one():
    # 김 may take two problems; 배터리 prefers 이, so 김 loses it and moves on to 자율주행.
    experts = {KIM: [BATTERY, HYDROGEN, DRIVING], LEE: [BATTERY]}
    problems = {BATTERY: [LEE, KIM], HYDROGEN: [KIM], DRIVING: [KIM]}

    result = stable_match(experts, problems, {KIM: 2, LEE: 1}, ones(BATTERY, HYDROGEN, DRIVING))

    assert result == {KIM: [HYDROGEN, DRIVING], LEE: [BATTERY]}


def test_a_pair_listed_by_one_side_only_is_never_matched():
    experts = {KIM: [BATTERY], PARK: [HYDROGEN]}
    problems = {BATTERY: [PARK], HYDROGEN: [PARK]}

    result = stable_match(experts, problems, ones(KIM, PARK), ones(BATTERY, HYDROGEN))

    assert result == {KIM: [], PARK: [HYDROGEN]}


def test_unknown_ids_and_repeats_in_a_list_are_ignored():
    experts = {KIM: ["없는-과제", BATTERY, BATTERY, HYDROGEN], PARK: [HYDROGEN]}
    problems = {BATTERY: ["없는-전문가", KIM, KIM], HYDROGEN: [PARK, KIM, PARK]}

    result = stable_match(experts, problems, {KIM: 2, PARK: 1}, {BATTERY: 2, HYDROGEN: 1})

    assert result == {KIM: [BATTERY], PARK: [HYDROGEN]}


def test_zero_capacity_means_no_assignment_on_that_side():
    experts = {KIM: [BATTERY, HYDROGEN], PARK: [BATTERY]}
    problems = {BATTERY: [KIM, PARK], HYDROGEN: [KIM]}

    result = stable_match(experts, problems, {KIM: 0, PARK: 1}, {BATTERY: 0, HYDROGEN: 1})

    assert result == {KIM: [], PARK: []}


def test_every_expert_appears_in_id_order_with_problems_sorted_by_id():
    experts = {LEE: [HYDROGEN, BATTERY], KIM: []}
    problems = {HYDROGEN: [LEE], BATTERY: [LEE]}

    result = stable_match(experts, problems, {LEE: 2, KIM: 1}, ones(HYDROGEN, BATTERY))

    assert list(result) == [KIM, LEE]
    assert result[LEE] == [BATTERY, HYDROGEN]


def test_integer_ids_work_and_the_empty_instance_gives_an_empty_matching():
    assert stable_match({1: [10, 20], 2: [10]}, {10: [2, 1], 20: [1]}, ones(1, 2), ones(10, 20)) == {1: [20], 2: [10]}
    assert stable_match({}, {}, {}, {}) == {}


def test_the_result_does_not_depend_on_the_order_of_the_dictionaries():
    experts = {KIM: [BATTERY, HYDROGEN], PARK: [BATTERY, DRIVING], LEE: [BATTERY, HYDROGEN, DRIVING]}
    problems = {BATTERY: [KIM, LEE, PARK], HYDROGEN: [LEE, KIM], DRIVING: [PARK, LEE]}
    capacities = {KIM: 1, PARK: 1, LEE: 2}

    forwards = stable_match(experts, problems, capacities, ones(BATTERY, HYDROGEN, DRIVING))
    backwards = stable_match(
        dict(reversed(experts.items())),
        dict(reversed(problems.items())),
        dict(reversed(capacities.items())),
        ones(DRIVING, HYDROGEN, BATTERY),
    )

    assert forwards == backwards == {KIM: [BATTERY], PARK: [DRIVING], LEE: [HYDROGEN]}


def test_a_missing_or_negative_capacity_is_refused():
    with pytest.raises(ValueError, match="no expert capacity"):
        stable_match({KIM: [BATTERY]}, {BATTERY: [KIM]}, {}, ones(BATTERY))
    with pytest.raises(ValueError, match="negative problem capacity"):
        stable_match({KIM: [BATTERY]}, {BATTERY: [KIM]}, ones(KIM), {BATTERY: -1})


def test_max_fit_prefers_one_excellent_pair_to_two_weak_ones():
    scores = {(KIM, BATTERY): 1.0, (KIM, HYDROGEN): 0.4, (PARK, BATTERY): 0.4}

    result = max_fit_match(scores, ones(KIM, PARK), ones(BATTERY, HYDROGEN))

    assert result == {KIM: [BATTERY], PARK: []}


def test_max_fit_fills_both_capacities_when_that_adds_fit():
    scores = {(KIM, BATTERY): 0.9, (KIM, HYDROGEN): 0.8, (PARK, BATTERY): 0.7, (LEE, BATTERY): 0.6}

    result = max_fit_match(scores, {KIM: 2, PARK: 1, LEE: 1}, {BATTERY: 2, HYDROGEN: 1})

    assert result == {KIM: [BATTERY, HYDROGEN], PARK: [BATTERY], LEE: []}


def test_max_fit_never_assigns_a_pair_of_zero_fit_or_an_unscored_pair():
    scores = {(KIM, BATTERY): 0.0}

    assert max_fit_match(scores, ones(KIM, PARK), ones(BATTERY, HYDROGEN)) == {KIM: [], PARK: []}


def test_max_fit_refuses_scores_outside_the_unit_interval_or_for_unknown_ids():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        max_fit_match({(KIM, BATTERY): 1.5}, ones(KIM), ones(BATTERY))
    with pytest.raises(ValueError, match="no capacity"):
        max_fit_match({(KIM, DRIVING): 0.5}, ones(KIM), ones(BATTERY))


# 김 and 배터리 fit best; but 박 fits nothing else, so total fit pairs 김 with 수소 and leaves 김–배터리 blocking.
TRADE_OFF = {(KIM, BATTERY): 0.9, (KIM, HYDROGEN): 0.8, (PARK, BATTERY): 0.7, (PARK, HYDROGEN): 0.1}


def test_preferences_derived_from_scores_put_the_best_fit_first_and_break_ties_by_id():
    scores = {**TRADE_OFF, (LEE, HYDROGEN): 0.8}

    experts, problems = preferences_from_scores(scores, ones(KIM, PARK, LEE), ones(BATTERY, HYDROGEN))

    assert experts == {KIM: [BATTERY, HYDROGEN], PARK: [BATTERY, HYDROGEN], LEE: [HYDROGEN]}
    assert problems == {BATTERY: [KIM, PARK], HYDROGEN: [KIM, LEE, PARK]}


def test_a_stable_run_has_no_blocking_pair_and_a_max_fit_run_reports_what_it_cost():
    capacities = (ones(KIM, PARK), ones(BATTERY, HYDROGEN))

    stable = assign(TRADE_OFF, *capacities)
    best_fit = assign(TRADE_OFF, *capacities, mode=AssignmentMode.MAX_FIT)

    assert stable.matching == {KIM: [BATTERY], PARK: [HYDROGEN]}
    assert stable.report.blocking_pairs == 0
    assert stable.total_fit == pytest.approx(1.0)
    assert best_fit.matching == {KIM: [HYDROGEN], PARK: [BATTERY]}
    assert best_fit.report.blocking_pairs == 1
    assert best_fit.total_fit == pytest.approx(1.5)


def test_a_declined_pair_is_never_assigned_again():
    result = assign(TRADE_OFF, ones(KIM, PARK), ones(BATTERY, HYDROGEN), declined={(KIM, BATTERY)})

    assert result.matching == {KIM: [HYDROGEN], PARK: [BATTERY]}
    assert result.report.holds


def test_a_run_whose_result_breaks_a_capacity_is_stopped_before_anything_is_written(monkeypatch):
    def matches_every_pair(market):
        return np.arange(market.pair_count)

    monkeypatch.setattr(assignment, "deferred_acceptance", matches_every_pair)

    with pytest.raises(InvariantViolation) as stopped:
        assign(TRADE_OFF, ones(KIM, PARK), ones(BATTERY, HYDROGEN))

    assert stopped.value.report.over_capacity_experts == (KIM, PARK)
    assert stopped.value.report.over_capacity_problems == (BATTERY, HYDROGEN)


def test_the_invariant_check_names_every_kind_of_violation():
    experts = {KIM: [BATTERY, HYDROGEN], PARK: [BATTERY]}
    problems = {BATTERY: [KIM, PARK], HYDROGEN: [PARK]}
    matching = {KIM: [BATTERY, BATTERY, HYDROGEN], PARK: [BATTERY], "외부인": [DRIVING]}

    report = check_invariants(
        matching, experts, problems, ones(KIM, PARK), {BATTERY: 1, HYDROGEN: 1}, declined={(PARK, BATTERY)}
    )

    assert not report.holds
    assert report.over_capacity_experts == (KIM, "외부인")
    assert report.over_capacity_problems == (BATTERY, DRIVING)
    assert report.duplicate_pairs == ((KIM, BATTERY),)
    assert report.declined_pairs == ((PARK, BATTERY),)
    assert report.unacceptable_pairs == ((KIM, HYDROGEN), ("외부인", DRIVING))


def test_blocking_pairs_count_each_pair_that_would_rather_have_each_other():
    experts = {KIM: [BATTERY, HYDROGEN], PARK: [BATTERY, HYDROGEN]}
    problems = {BATTERY: [KIM, PARK], HYDROGEN: [KIM, PARK]}
    capacities = (ones(KIM, PARK), ones(BATTERY, HYDROGEN))

    assert count_blocking_pairs({KIM: [HYDROGEN], PARK: [BATTERY]}, experts, problems, *capacities) == 1
    assert count_blocking_pairs({KIM: [], PARK: []}, experts, problems, *capacities) == 4
    assert count_blocking_pairs({KIM: [BATTERY], PARK: [HYDROGEN]}, experts, problems, *capacities) == 0
