"""Scores of expert × problem pairs, each problem's top-K candidates and their explanations (no database)."""

from __future__ import annotations

import dataclasses
import json
import math
import random
from collections import Counter
from itertools import chain

import numpy as np
import pytest

from talent.matching import scoring
from talent.matching.engine import assign
from talent.matching.scoring import (
    ExpertDoc,
    ProblemDoc,
    Weights,
    explain,
    near_misses,
    score_candidates,
    scores_dict,
)
from talent.matching.text import GENERIC_TERMS, GENERIC_WEIGHT, analyse_skills, skill_terms, tokenize

WELDING_PROBLEM = "용접 불량을 실시간으로 검출하는 비전 모델이 필요합니다. weld defect detection on the line"
WELDING_EXPERT = "제조 현장의 용접 불량 검출 비전 모델을 개발했습니다. Built weld defect detection models."
LOGISTICS_EXPERT = "물류 창고의 수요 예측과 재고 최적화 모델을 만들었습니다. demand forecasting"


def expert(identifier, text="", skills=(), sections=(), regions=(), remote_ok=False, capacity=1):
    [tokens] = tokenize([text]) if text else [[]]
    return ExpertDoc(identifier, tokens, list(skills), list(sections), list(regions), remote_ok, capacity)


def problem(identifier, text="", skills=(), section="", region="", remote=False, capacity=1):
    [tokens] = tokenize([text]) if text else [[]]
    return ProblemDoc(identifier, tokens, list(skills), section, region, remote, capacity)


@pytest.fixture
def welding():
    return problem("용접검사", WELDING_PROBLEM, ["컴퓨터 비전", "PyTorch"], section="C", region="KR-48")


def candidates_of(result, problem_position=0):
    rows = np.flatnonzero(result.problem_index == problem_position)
    return [result.expert_ids[result.expert_index[row]] for row in rows]


def test_an_expert_with_the_skills_sector_and_region_outranks_one_without(welding):
    fitting = expert("김", WELDING_EXPERT, ["컴퓨터 비전", "pytorch"], sections=["C"], regions=["KR-48"])
    other = expert("박", LOGISTICS_EXPERT, ["수요예측", "SQL"], sections=["H"], regions=["KR-11"], remote_ok=True)

    result = score_candidates([other, fitting], [welding], top_k=5)

    assert candidates_of(result) == ["김", "박"]
    assert result.total[0] > 0.8 > 0.1 > result.total[1]  # 박 shares only the word 모델
    assert result.skills[0] == pytest.approx(1.0) and result.skills[1] == 0.0
    assert 0 < result.text[1] < result.text[0] < 1
    assert result.sector.tolist() == result.region.tolist() == [1.0, 0.0]


def test_every_score_and_component_is_between_0_and_1():
    rng = random.Random(7)
    texts = [WELDING_EXPERT, LOGISTICS_EXPERT, WELDING_PROBLEM, "배터리 열관리 시스템 설계", "hydrogen fuel cell"]
    skills = ["PyTorch", "컴퓨터 비전", "SQL", "수요예측", "용접", "배터리"]
    sections, regions = ["C", "H", "J"], ["KR-11", "KR-26", "KR-48"]
    experts = [
        expert(
            i,
            rng.choice(texts),
            rng.sample(skills, 2),
            rng.sample(sections, 1),
            rng.sample(regions, 2),
            rng.random() < 0.5,
        )
        for i in range(40)
    ]
    problems = [
        problem(
            i, rng.choice(texts), rng.sample(skills, 2), rng.choice(sections), rng.choice(regions), rng.random() < 0.5
        )
        for i in range(10)
    ]

    result = score_candidates(experts, problems, top_k=40)

    assert len(result) > 0
    for values in (result.total, result.skills, result.text, result.sector, result.region):
        assert ((values >= 0) & (values <= 1)).all()
    context = 0.15 * result.sector + 0.10 * result.region
    weighted = 0.4 * result.skills + 0.35 * result.text + result.context_share * context
    np.testing.assert_allclose(result.total, weighted, atol=1e-6)
    assert {0.5, 1.0} <= set(result.context_share.tolist())
    assert ((result.context_share >= 0.5) & (result.context_share <= 1)).all()


def test_each_problem_keeps_at_most_k_candidates_best_first():
    experts = [expert(i, skills=["용접"], sections=["C"] if i % 2 else [], regions=["KR-48"]) for i in range(10)]
    problems = [problem(p, skills=["용접"], section="C", region="KR-48") for p in ("가", "나")]

    result = score_candidates(experts, problems, top_k=3)

    assert Counter(result.problem_index.tolist()) == {0: 3, 1: 3}
    assert result.rank.tolist() == [0, 1, 2, 0, 1, 2]
    assert candidates_of(result, 0) == [1, 3, 5]  # those in sector C first, then by id
    assert (np.diff(result.total[:3]) <= 0).all()


def test_ties_are_broken_by_expert_id_whatever_the_input_order():
    twins = [expert(identifier, WELDING_EXPERT, ["용접"], ["C"], ["KR-48"]) for identifier in ("이", "김", "박")]
    wanted = problem("p", WELDING_PROBLEM, ["용접"], "C", "KR-48")

    first = score_candidates(twins, [wanted], top_k=2)
    second = score_candidates(list(reversed(twins)), [wanted], top_k=2)

    assert candidates_of(first) == candidates_of(second) == ["김", "박"]
    assert first.total.tolist() == second.total.tolist()


def test_a_rare_shared_skill_counts_for_more_than_a_common_one():
    crowd = [expert(f"군중{i}", skills=["Python"]) for i in range(20)]
    common = expert("공통", skills=["Python", "엑셀"])
    rare = expert("희소", skills=["초음파 비파괴검사", "엑셀"])
    wanted = problem("검사", skills=["Python", "초음파 비파괴검사"], region="KR-11")

    result = score_candidates([*crowd, common, rare], [wanted], top_k=30)

    assert candidates_of(result)[0] == "희소"
    scores = scores_dict(result)
    assert scores[("희소", "검사")] > scores[("공통", "검사")] > 0


def test_region_counts_for_the_same_region_or_remote_work_on_both_sides():
    local = expert("지역", regions=["KR-48"])
    remote = expert("원격", regions=["KR-11"], remote_ok=True)
    elsewhere = expert("타지", regions=["KR-11"])
    on_site = problem("현장", section="C", region="KR-48")
    remote_ok = problem("원격가능", section="C", region="KR-48", remote=True)
    experts = [local, remote, elsewhere]

    result = score_candidates([*experts, expert("섹터", sections=["C"])], [on_site, remote_ok], top_k=5)

    reasons = {
        (result.problem_ids[p], result.expert_ids[e]): explain(result, i)["region_match"]
        for i, (p, e) in enumerate(zip(result.problem_index, result.expert_index, strict=True))
    }
    assert reasons == {
        ("현장", "지역"): "same_region",
        ("현장", "섹터"): "region_unknown",  # names no region: not taken for far away
        ("원격가능", "지역"): "same_region",
        ("원격가능", "원격"): "remote",
        ("원격가능", "섹터"): "region_unknown",
    }


def test_an_expert_naming_no_region_counts_half_for_a_problem_that_names_one():
    skill = ["부분방전"]
    experts = [
        expert("근처", skills=skill, regions=["KR-11"]),
        expert("미상", skills=skill),
        expert("미상원격", skills=skill, remote_ok=True),
        expert("먼곳", skills=skill, regions=["KR-26"]),
    ]
    on_site = problem("현장", skills=skill, region="KR-11")
    remote = problem("원격", skills=skill, region="KR-11", remote=True)

    result = score_candidates(experts, [on_site, remote], top_k=5)

    region = {
        (result.problem_ids[p], result.expert_ids[e]): (float(result.region[i]), explain(result, i)["region_match"])
        for i, (p, e) in enumerate(zip(result.problem_index, result.expert_index, strict=True))
    }
    assert region == {
        ("현장", "근처"): (1.0, "same_region"),
        ("현장", "미상"): (0.5, "region_unknown"),
        ("현장", "미상원격"): (0.5, "region_unknown"),
        ("현장", "먼곳"): (0.0, None),
        ("원격", "근처"): (1.0, "same_region"),
        ("원격", "미상"): (0.5, "region_unknown"),
        ("원격", "미상원격"): (1.0, "remote"),
        ("원격", "먼곳"): (0.0, None),
    }
    far_as_before = score_candidates(experts, [on_site], top_k=5, unknown_region_share=0.0)
    assert far_as_before.region.tolist() == [1.0, 0.0, 0.0, 0.0]


def test_the_context_counts_in_proportion_to_the_topical_evidence_up_to_the_floor():
    assert scoring.context_share(np.array([0.0, 0.025, 0.05, 0.3]), floor=0.05, without=0.5).tolist() == [
        0.5,
        0.75,
        1.0,
        1.0,
    ]
    assert scoring.context_share(np.array([0.0, 1e-6, 0.3]), floor=0.0, without=0.5).tolist() == [0.5, 1.0, 1.0]
    assert scoring.context_share(np.array([0.0, 0.3]), without=1.0).tolist() == [
        1.0,
        1.0,
    ]  # as before: whatever the topic


def test_sector_and_region_without_skills_or_text_in_common_count_half_and_lose_to_a_topical_match():
    wanted = problem("접속함", "지중 케이블 접속함의 부분방전", ["부분방전"], section="D", region="KR-11")
    # Same sector, same region, nothing in common on the topic.
    local = expert("현지", "드론으로 송전선로 애자를 점검합니다", ["드론 영상"], sections=["D"], regions=["KR-11"])
    # Same sector, region unknown, English only: one word in common (cable · 케이블, a loanword).
    topical = expert(
        "전문",
        "cable joints: HFCT sensors, pulse clustering",
        ["PD pulse classification"],
        sections=["D"],
        remote_ok=True,
    )

    result = score_candidates([local, topical], [wanted], top_k=5)

    assert candidates_of(result) == ["전문", "현지"]
    assert result.context_share[1] == 0.5
    assert result.total[1] == pytest.approx(0.5 * (0.15 + 0.10))  # still a candidate, at half its context
    assert explain(result, 1)["context_share"] == 0.5
    assert 0.5 < explain(result, 0)["context_share"] < 1  # one word in common: more than nothing, less than a fit
    # Counted whatever the topic, as before, the local expert's sector and region alone would come first.
    as_before = score_candidates([local, topical], [wanted], top_k=5, context_without_topic=1.0, unknown_region_share=0)
    assert candidates_of(as_before) == ["현지", "전문"]


def test_skills_match_whatever_their_spacing_case_or_inflection():
    wanted = problem("사출", skills=["사출성형", "Injection Molding", "수요 예측"])
    spelled_otherwise = expert("김", skills=["사출 성형", "injection  molding", "수요예측"])
    unrelated = expert("박", skills=["용접", "PyTorch"])

    result = score_candidates([spelled_otherwise, unrelated], [wanted], top_k=2)

    assert candidates_of(result) == ["김"]
    assert result.skills[0] == pytest.approx(1.0)
    assert explain(result, 0)["matched_skills"] == ["사출성형", "injection molding", "수요 예측"]


def test_a_skill_matched_whole_counts_for_more_than_one_matched_in_part():
    wanted = problem("사출", skills=["사출 성형"])
    whole = expert("김", skills=["사출성형"])
    in_part = expert("이", skills=["사출 공정"])
    other = expert("박", skills=["용접"])

    result = score_candidates([in_part, whole, other], [wanted], top_k=3)

    assert candidates_of(result) == ["김", "이"]
    assert result.skills[0] == pytest.approx(1.0)
    assert 0.0 < result.skills[1] < 0.5
    assert explain(result, 1)["matched_skills"] == ["사출 성형"]  # in part, but named: 사출 is what they share


def test_skills_compared_as_whole_strings_when_asked():
    wanted = problem("사출", skills=["사출성형"])
    spaced = expert("김", skills=["사출 성형"])

    assert len(score_candidates([spaced], [wanted], skills_as_terms=False)) == 0
    assert len(score_candidates([spaced], [wanted])) == 1


def test_the_explanation_lists_matched_skills_terms_and_components(welding):
    fitting = expert("김", WELDING_EXPERT, ["PyTorch", "용접", "컴퓨터  비전"], sections=["C"], regions=["KR-48"])

    result = score_candidates([fitting], [welding], top_k=1)
    explanation = explain(result, 0, terms=3)

    assert explanation["rank"] == 1
    assert explanation["score"] == result.total[0]
    assert set(explanation["matched_skills"]) == {"pytorch", "컴퓨터 비전"}
    assert explanation["missing_skills"] == []
    matched_terms = [entry["term"] for entry in explanation["matched_terms"]]
    assert len(matched_terms) == 3
    assert set(matched_terms) <= {"용접", "불량", "검출", "비전", "모델", "weld", "defect", "detect"}
    assert explanation["components"]["sector"] == explanation["components"]["region"] == 1.0
    assert explanation["sector_match"] is True and explanation["region_match"] == "same_region"
    assert explanation["weights"] == Weights().as_dict()
    json.dumps(explanation)  # stored with the proposal


def test_the_explanation_names_the_skills_an_expert_lacks(welding):
    partial = expert("박", WELDING_EXPERT, ["PyTorch"], sections=["C"], regions=["KR-48"])

    explanation = explain(score_candidates([partial], [welding]), 0)

    assert explanation["matched_skills"] == ["pytorch"]
    assert explanation["missing_skills"] == ["컴퓨터 비전"]


def test_scores_feed_the_assignment_and_near_misses_say_how_far_the_rest_were(welding):
    best = expert("김", WELDING_EXPERT, ["PyTorch", "컴퓨터 비전"], ["C"], ["KR-48"])
    runner_up = expert("박", WELDING_EXPERT, ["PyTorch"], ["C"], ["KR-48"])
    placed_elsewhere = expert("이", LOGISTICS_EXPERT, ["수요예측"], ["H"], ["KR-11"], remote_ok=True)
    logistics = problem("물류", LOGISTICS_EXPERT, ["수요예측"], "H", "KR-11", remote=True)

    result = score_candidates([best, runner_up, placed_elsewhere], [welding, logistics], top_k=5)
    scores = scores_dict(result)
    assignment = assign(scores, *result.capacities())
    misses = near_misses(result, assignment)

    assert assignment.matching == {"김": ["용접검사"], "박": [], "이": ["물류"]}
    assert set(misses) == {"박"}
    [miss] = [entry for entry in misses["박"] if entry["problem_id"] == "용접검사"]
    assert miss["score"] == scores[("박", "용접검사")]
    assert miss["last_accepted_score"] == scores[("김", "용접검사")]
    assert miss["gap"] == pytest.approx(miss["last_accepted_score"] - miss["score"], abs=1e-6)
    assert miss["gap"] > 0
    assert miss["rank"] == 2


def test_a_near_miss_at_a_problem_that_accepted_nobody_has_no_gap():
    lonely = expert("최", skills=["용접"], regions=["KR-48"])
    wanted = problem("용접", skills=["용접"], region="KR-48")
    result = score_candidates([lonely], [wanted])

    misses = near_misses(result, {"최": []})

    assert misses == {
        "최": [{"problem_id": "용접", "rank": 1, "score": result.total[0], "last_accepted_score": None, "gap": None}]
    }


def test_min_score_drops_weak_candidates():
    strong = expert("강", skills=["용접"], sections=["C"], regions=["KR-48"])
    weak = expert("약", regions=["KR-48"])
    wanted = problem("p", skills=["용접"], section="C", region="KR-48")

    assert candidates_of(score_candidates([strong, weak], [wanted])) == ["강", "약"]
    assert candidates_of(score_candidates([strong, weak], [wanted], min_score=0.2)) == ["강"]


@pytest.mark.parametrize(
    "weights",
    [
        {"skills": 0.5, "text": 0.5, "sector": 0.5, "region": 0.0},
        {"skills": 1.2, "text": -0.2, "sector": 0.0, "region": 0.0},
        {"skills": math.nan, "text": 0.5, "sector": 0.5, "region": 0.0},
        {"skills": True, "text": 0.0, "sector": 0.0, "region": 0.0},
        {"skills": "0.4", "text": 0.35, "sector": 0.15, "region": 0.1},
    ],
)
def test_weights_must_be_non_negative_numbers_adding_up_to_1(weights):
    with pytest.raises(ValueError):
        Weights(**weights)


def test_weights_as_a_mapping_name_every_weight():
    weights = Weights(skills=0.25, text=0.25, sector=0.3, region=0.2)

    assert weights.as_dict() == {"skills": 0.25, "text": 0.25, "sector": 0.3, "region": 0.2}
    assert set(weights.as_dict()) == {f.name for f in dataclasses.fields(Weights)}


def test_weights_come_from_a_settings_mapping_and_change_the_order():
    by_skill = expert("기술", skills=["용접"])
    by_place = expert("지역", regions=["KR-48"], sections=["C"])
    wanted = problem("p", skills=["용접"], section="C", region="KR-48")

    skills_first = score_candidates(
        [by_skill, by_place], [wanted], weights=Weights(**{"skills": 0.7, "text": 0.1, "sector": 0.1, "region": 0.1})
    )
    place_first = score_candidates(
        [by_skill, by_place], [wanted], weights=Weights(skills=0.1, text=0.1, sector=0.4, region=0.4)
    )

    assert candidates_of(skills_first) == ["기술", "지역"]
    assert candidates_of(place_first) == ["지역", "기술"]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="top_k"):
        score_candidates([], [], top_k=0)
    with pytest.raises(ValueError, match="appears twice"):
        score_candidates([expert(1), expert(1)], [])


def test_no_experts_or_no_problems_give_no_candidates():
    assert len(score_candidates([], [problem("p", skills=["용접"], region="KR-11")])) == 0
    assert len(score_candidates([expert(1, skills=["용접"])], [])) == 0


def reference_scores(experts, problems):
    """The four components of every pair, by the definitions, one pair at a time."""

    analysed = analyse_skills(
        [*chain.from_iterable(p.skills_wanted for p in problems), *chain(*(e.skills for e in experts))]
    )
    generic_phrases = {terms[-1] for terms in analysed.values() if all(t in GENERIC_TERMS for t in terms[:-1])}

    def weight(term):
        return GENERIC_WEIGHT if term in GENERIC_TERMS or term in generic_phrases else 1.0

    def unit_vectors(docs_terms, other_terms, binary):
        everything = [*docs_terms, *other_terms]
        frequency = Counter(term for terms in everything for term in set(terms))
        idf = {t: (math.log((1 + len(everything)) / (1 + count)) + 1) * weight(t) for t, count in frequency.items()}
        vectors = []
        for terms in docs_terms:
            counts = Counter(terms)
            vector = {t: (1.0 if binary else 1 + math.log(c)) * idf[t] for t, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            vectors.append({t: v / norm for t, v in vector.items()})
        return vectors

    def cosines(problem_terms, expert_terms, binary):
        problem_vectors = unit_vectors(problem_terms, expert_terms, binary)
        expert_vectors = unit_vectors(expert_terms, problem_terms, binary)
        return [[sum(v * e.get(t, 0.0) for t, v in p.items()) for e in expert_vectors] for p in problem_vectors]

    analysed = analyse_skills(
        [*chain.from_iterable(p.skills_wanted for p in problems), *chain(*(e.skills for e in experts))]
    )
    skills = cosines(
        [skill_terms(p.skills_wanted, analysed) for p in problems],
        [skill_terms(e.skills, analysed) for e in experts],
        True,
    )
    text = cosines([p.tokens for p in problems], [e.tokens for e in experts], False)
    totals = {}
    for i, p in enumerate(problems):
        for j, e in enumerate(experts):
            sector = float(p.ksic_section in e.ksic_sections)
            region = float(p.region in e.regions or (p.remote and e.remote_ok))
            if not e.regions and p.region and not region:
                region = 0.5  # where the expert works is unknown
            topical = 0.4 * skills[i][j] + 0.35 * text[i][j]
            share = 0.5 + 0.5 * min(1.0, topical / 0.05)  # little in skills and text: the context in part
            totals[(e.id, p.id)] = topical + share * (0.15 * sector + 0.1 * region)
    return totals


# Features that most documents hold are multiplied densely, the others sparsely: all dense, mixed, all sparse.
@pytest.mark.parametrize("dense_density", [0.0, 0.05, 1.0])
def test_candidates_are_the_best_pairs_by_the_definitions(dense_density, monkeypatch):
    monkeypatch.setattr(scoring, "DENSE_DENSITY", dense_density)
    rng = random.Random(3)
    words = ["용접", "불량", "검출", "비전", "모델", "물류", "수요", "예측", "weld", "defect", "forecast", "배터리"]
    skills = ["PyTorch", "SQL", "용접", "수요예측", "배터리 설계", "OpenCV"]
    experts = [
        ExpertDoc(
            f"e{i:02}",
            rng.choices(words, k=rng.randint(0, 8)),
            rng.sample(skills, rng.randint(0, 3)),
            rng.sample("CHJ", rng.randint(0, 2)),
            rng.sample(["KR-11", "KR-26", "KR-48"], rng.randint(0, 2)),
            rng.random() < 0.4,
            1,
        )
        for i in range(60)
    ]
    problems = [
        ProblemDoc(
            f"p{i:02}",
            rng.choices(words, k=rng.randint(1, 10)),
            rng.sample(skills, rng.randint(1, 3)),
            rng.choice("CHJ"),
            rng.choice(["KR-11", "KR-26", "KR-48", ""]),
            rng.random() < 0.5,
            1,
        )
        for i in range(15)
    ]
    reference = reference_scores(experts, problems)

    result = score_candidates(experts, problems, top_k=7, chunk_cells=100)  # several chunks of a few problems

    scores = scores_dict(result)
    for (expert_id, problem_id), score in scores.items():
        assert score == pytest.approx(reference[(expert_id, problem_id)], abs=1e-6)
    for problem_doc in problems:
        kept = {e for (e, p) in scores if p == problem_doc.id}
        assert len(kept) == 7
        lowest_kept = min(scores[(e, problem_doc.id)] for e in kept)
        assert all(reference[(e.id, problem_doc.id)] <= lowest_kept + 1e-6 for e in experts if e.id not in kept)


def test_a_larger_instance_is_scored_with_k_candidates_for_every_problem():
    # 2,000 × 500 pairs: scored a chunk at a time with sparse products, never pair by pair.
    rng = np.random.default_rng(11)
    vocabulary = [f"용어{i}" for i in range(3000)]
    skills = [f"기술{i}" for i in range(300)]

    def terms(count):
        return [vocabulary[i] for i in rng.zipf(1.3, count) % len(vocabulary)]

    experts = [
        ExpertDoc(i, terms(30), [skills[s] for s in rng.integers(0, 300, 5)], ["C"], ["KR-11"], bool(i % 2), 2)
        for i in range(2000)
    ]
    problems = [
        ProblemDoc(i, terms(40), [skills[s] for s in rng.integers(0, 300, 3)], "C", "KR-26", True, 3)
        for i in range(500)
    ]

    result = score_candidates(experts, problems, top_k=10)

    assert np.bincount(result.problem_index, minlength=500).tolist() == [10] * 500
    assert len(scores_dict(result)) == 5000
    assert explain(result, 0)["rank"] == 1
