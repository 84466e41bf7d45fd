"""Signals that separate (issue 20, part 4): an expert's past proposals in a problem's KSIC section, accepted and
declined, move their score a little up or down; a newcomer is not held back, and history in another section does
not count. Explanations say what the history was."""

from __future__ import annotations

import pytest
from django.utils import translation

from talent.matching import services
from talent.matching.models import Proposal
from talent.matching.presentation import in_words
from talent.matching.scoring import ExpertDoc, ProblemDoc, explain, history_balance, score_candidates
from talent.matching.text import tokenize
from tests.matching.market import open_problem, run_now


def test_the_balance_is_zero_without_history_and_a_third_for_one_answer():
    assert history_balance(0, 0) == 0
    assert history_balance(1, 0) == pytest.approx(1 / 3)
    assert history_balance(0, 1) == pytest.approx(-1 / 3)
    assert history_balance(0, 3) == pytest.approx(-0.6)
    assert -1 < history_balance(0, 1000) < history_balance(1, 1000) < 0


@pytest.fixture(scope="module")
def twins():
    [problem_terms, expert_terms] = tokenize(["사출 성형 불량 판정", "사출 성형 불량을 판정합니다"])
    problem = ProblemDoc("p", problem_terms, ["사출 성형"], "C", "KR-48", True, 1)

    def expert(name, history):
        return ExpertDoc(name, expert_terms, ["사출성형"], ["C"], ["KR-48"], True, 1, history)

    return problem, expert


def _by_id(result):
    return {result.expert_ids[e]: i for i, e in enumerate(result.expert_index.tolist())}


def test_accepted_proposals_in_the_section_lift_an_expert_and_declined_ones_lower_them(twins):
    problem, expert = twins
    experts = [
        expert("a-declined", {"C": (0, 3)}),
        expert("b-new", {}),
        expert("c-accepted", {"C": (2, 0)}),
        expert("d-elsewhere", {"J": (0, 5)}),
    ]
    result = score_candidates(experts, [problem], top_k=4, history_weight=0.05)
    order = [result.expert_ids[e] for e in result.expert_index]
    # c-accepted is capped at 1 like the newcomers, so it ranks by id among them; the decliner comes last.
    assert order[-1] == "a-declined"
    at = _by_id(result)
    base = result.total[at["b-new"]]
    assert result.total[at["d-elsewhere"]] == base  # history in another section does not count
    assert result.total[at["a-declined"]] == pytest.approx(base - 0.05 * 0.6, abs=1e-6)

    declined = explain(result, at["a-declined"])
    assert declined["history"] == {"section": "C", "accepted": 0, "declined": 3, "added": pytest.approx(-0.03)}
    assert explain(result, at["b-new"])["history"] is None
    assert explain(result, at["d-elsewhere"])["history"] is None
    # The four components are as they were: the history is on top of them.
    assert declined["components"] == explain(result, at["b-new"])["components"]


def test_below_the_cap_accepted_proposals_rank_an_expert_first(twins):
    problem, expert = twins
    lower = ProblemDoc("p", problem.tokens, ["사출 성형", "금형 냉각"], "C", "KR-11", False, 1)
    result = score_candidates([expert("a-new", {}), expert("b-accepted", {"C": (2, 0)})], [lower], top_k=2)
    assert [result.expert_ids[e] for e in result.expert_index] == ["b-accepted", "a-new"]
    assert result.history.tolist() == [pytest.approx(0.05 * 0.5), 0.0]


def test_without_history_weight_history_changes_nothing(twins):
    problem, expert = twins
    result = score_candidates(
        [expert("a-declined", {"C": (0, 3)}), expert("b-new", {})], [problem], top_k=2, history_weight=0.0
    )
    assert result.total[0] == result.total[1]
    assert result.history.tolist() == [0.0, 0.0]


@pytest.mark.django_db
def test_a_run_reads_the_experts_declined_proposals_and_the_proposal_says_so(market):
    run_now()
    wafer = market.proposal(market.park, market.wafer)
    services.proposal_answer(actor=market.park_user, proposal=wafer, answer="declined")
    again = open_problem(
        market.wafer.organization,
        title="웨이퍼 결함 분류 2차",
        description="반도체 웨이퍼 검사 이미지의 결함 유형을 딥러닝으로 분류하고자 합니다.",
        ksic_section="C",
        skills_wanted=["반도체 공정", "딥러닝"],
        region="KR-26",
        remote=True,
        experts_wanted=1,
    )
    run_now()
    proposal = Proposal.objects.get(expert=market.park, problem=again, status="proposed")
    history = proposal.explanation["history"]
    assert history == {"section": "C", "accepted": 0, "declined": 1, "added": pytest.approx(-0.05 / 3, abs=1e-6)}
    with translation.override("en"):
        assert "Past proposals in this section: 0 accepted, 1 declined" in in_words(proposal)
    with translation.override("ko"):
        assert "이 업종의 지난 제안: 수락 0건, 거절 1건" in in_words(proposal)
    # The weld problem's expert has no history: nothing is said.
    with translation.override("en"):
        assert not any("Past proposals" in phrase for phrase in in_words(market.proposal(market.lee, market.weld)))
