"""The demo's answering rule (talent.demo.answers): a pure function of the seed, the pair and its score; more
acceptances for higher scores on average, but each answer a draw."""

from __future__ import annotations

from talent.demo.answers import PENDING_SHARE, Pair, answer, company_accepts, expert_accepts
from talent.matching.models import Answer, Side


def pairs(score: float, n: int = 2000) -> list[Pair]:
    return [Pair(seed=2030, expert=f"전문가{i}|1980-01-01", problem=f"회사|과제{i}", score=score) for i in range(n)]


def test_the_same_pair_gets_the_same_answer_and_another_seed_may_not():
    pair = Pair(seed=2030, expert="김민준|1980-01-01", problem="한빛모빌리티|용접 불량 검출", score=0.5)
    assert answer(pair, Side.EXPERT) == answer(pair, Side.EXPERT)
    others = [answer(Pair(seed, pair.expert, pair.problem, pair.score), Side.EXPERT) for seed in range(50)]
    assert len(set(others)) > 1


def test_chances_rise_with_the_score_and_stay_below_certainty():
    assert expert_accepts(0.1) < expert_accepts(0.5) < expert_accepts(0.9) <= 0.95
    assert company_accepts(0.1) < company_accepts(0.5) < company_accepts(0.9) <= 0.95


def test_the_draws_follow_the_chances():
    for score in (0.1, 0.5, 0.9):
        answers = [answer(pair, Side.EXPERT)[0] for pair in pairs(score)]
        pending = answers.count(Answer.PENDING) / len(answers)
        accepted = answers.count(Answer.ACCEPTED) / (len(answers) - answers.count(Answer.PENDING))
        assert abs(pending - PENDING_SHARE) < 0.03
        assert abs(accepted - expert_accepts(score)) < 0.04


def test_a_decline_gives_a_reason_that_fits_the_score():
    low = {answer(pair, Side.EXPERT) for pair in pairs(0.1, 200)}
    high = {answer(pair, Side.COMPANY) for pair in pairs(0.7, 200)}
    assert {reason for a, reason in low if a == Answer.DECLINED} == {"not_our_field"}
    assert {reason for a, reason in high if a == Answer.DECLINED} == {"scope"}
    assert {reason for a, reason in low | high if a != Answer.DECLINED} == {""}
