"""Stable word weights (issue 20, part 3): document frequencies count, beside the pool, documents that are not
scored: the shipped background corpus and the registry's documents outside the pool, so that how much a word weighs
does not hang on the few documents of one pool."""

from __future__ import annotations

import pytest

from talent.matching.background import background_terms, corpus_documents
from talent.matching.scoring import ExpertDoc, ProblemDoc, score_candidates
from talent.matching.services.index import index_texts, registry_documents
from talent.registry import services as registry
from talent.registry.models import ExpertProfile, FieldProblem
from tests.matching.market import run_now


def test_the_shipped_corpus_has_korean_and_english_documents_and_no_comments():
    documents = corpus_documents()
    assert len(documents) >= 90
    assert not any(document.startswith("#") for document in documents)
    korean = [d for d in documents if any("가" <= char <= "힣" for char in d)]
    assert 40 <= len(korean) <= len(documents) - 40


def test_in_the_corpus_words_every_technical_text_uses_are_common_and_a_fields_own_words_rare():
    documents = [set(terms) for terms in background_terms()]
    share = {word: sum(word in terms for terms in documents) / len(documents) for word in ("데이터", "분석", "data")}
    assert share["데이터"] > 0.2 and share["분석"] > 0.2 and share["data"] > 0.1
    for word in ("사출", "잔존수명", "식각", "웨이퍼", "etch", "wafer"):
        assert not any(word in terms for terms in documents), word


def _pool(problem_terms, skills_wanted=()):
    problem = ProblemDoc("p", problem_terms, list(skills_wanted), "C", "KR-11", True, 1)
    return problem


def test_a_word_the_background_documents_hold_weighs_less_than_one_they_do_not():
    # In the pool alone the two words are alike: each expert shares one of them with the problem.
    problem = _pool(["alpha", "beta"])
    common = ExpertDoc("a-common", ["alpha"], [], ["C"], [], True, 1)
    rare = ExpertDoc("b-rare", ["beta"], [], ["C"], [], True, 1)
    alone = score_candidates([common, rare], [problem], top_k=2)
    assert alone.text[0] == pytest.approx(alone.text[1])
    assert alone.expert_ids[alone.expert_index[0]] == "a-common"  # a tie goes to the lower id

    counted = score_candidates([common, rare], [problem], top_k=2, background_texts=[["alpha", "gamma"]] * 30)
    assert counted.expert_ids[counted.expert_index[0]] == "b-rare"
    assert counted.text[0] > counted.text[1] > 0


def test_a_skill_the_registry_lists_often_weighs_less_than_a_rare_one():
    problem = _pool([], ["사출 성형", "용접 로봇"])
    common = ExpertDoc("a-common", [], ["용접 로봇"], ["C"], [], True, 1)
    rare = ExpertDoc("b-rare", [], ["사출성형"], ["C"], [], True, 1)
    alone = score_candidates([common, rare], [problem], top_k=2)
    assert alone.skills[0] == pytest.approx(alone.skills[1])

    counted = score_candidates([common, rare], [problem], top_k=2, background_skills=[["용접로봇", "CAD"]] * 30)
    assert counted.expert_ids[counted.expert_index[0]] == "b-rare"
    assert counted.skills[0] > counted.skills[1] > 0


@pytest.mark.django_db
def test_the_registry_documents_counted_are_those_a_run_may_read_and_does_not_score(market):
    draft = registry.field_problem_create(
        actor=None,
        organization=market.weld.organization,
        title="초안 문제",
        description="아직 공개하지 않은 초안입니다.",
        ksic_section="C",
        skills_wanted=["초안 기술"],
        region="KR-11",
    )
    index_texts(kind="expert_profile", ids=ExpertProfile.objects.values_list("pk", flat=True))
    index_texts(kind="field_problem", ids=FieldProblem.objects.values_list("pk", flat=True))
    registry.expert_profile_save(actor=None, person=market.lee.person, available=False)
    registry.field_problem_close(actor=None, problem=market.wafer)

    terms, skills = registry_documents(full_experts=set(), full_problems=set())
    # The unavailable expert who consented and the closed problem; neither 정하늘 (no consent) nor the draft.
    assert sorted(map(sorted, skills)) == [["PyTorch", "컴퓨터 비전"], ["딥러닝", "반도체 공정"]]
    assert any("웨이퍼" in document for document in terms)
    assert not any("초안" in document for document in terms)
    assert draft.pk  # indexed, yet not read

    terms, skills = registry_documents(full_experts={market.park.pk}, full_problems={market.weld.pk})
    assert len(terms) == len(skills) == 4


@pytest.mark.django_db
def test_a_run_counts_the_shipped_corpus_and_the_registry_outside_its_pool(market):
    index_texts(kind="field_problem", ids=[market.wafer.pk])
    registry.field_problem_close(actor=None, problem=market.wafer)
    run = run_now()
    assert run.counts["problems_in_pool"] == 1
    # The corpus, and the closed problem.
    assert run.counts["background_documents"] == len(background_terms()) + 1
