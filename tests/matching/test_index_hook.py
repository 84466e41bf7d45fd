"""Index terms are computed when a profile or problem is saved (the registry's `matching_text_saved` signal and the
`index_texts` task, in-process here), so a run only reads them; a failure to index never loses the save."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from kombu.exceptions import OperationalError as BrokerUnavailable

from talent.celery import app
from talent.matching import services, tasks, text
from talent.matching.models import ExpertIndex, ProblemIndex
from talent.registry import services as registry
from talent.registry.models import ExpertProfile
from tests import factories
from tests.matching.market import run_now

WELD = "용접 불량 검출을 위한 컴퓨터 비전 모델을 개발했습니다."
WAFER = "반도체 웨이퍼 결함 분류 모델을 연구합니다."
PROBLEM: dict[str, Any] = {
    "description": "용접 이미지를 분석합니다.",
    "ksic_section": "C",
    "region": "KR-41",
    "experts_wanted": 1,
}


@pytest.fixture(autouse=True)
def tasks_in_process() -> Iterator[None]:
    """The task runs in-process after commit, as without a broker, even where CI names one."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def tokenised(monkeypatch) -> list[list[str]]:
    """The texts given to the analyser, call by call, from an empty skill cache (the cache is the process's: a
    skill another test analysed on the same worker would otherwise not be analysed here)."""
    monkeypatch.setattr(text, "_skill_cache", {})
    calls: list[list[str]] = []
    original = text.tokenize

    def spy(texts):
        calls.append(list(texts))
        return original(texts)

    monkeypatch.setattr(text, "tokenize", spy)
    return calls


def save_expert(person, **fields) -> ExpertProfile:
    return registry.expert_profile_save(actor=None, person=person, **fields)


@pytest.mark.django_db
def test_saving_a_profile_stores_its_terms_once_committed(django_capture_on_commit_callbacks):
    person = factories.PersonFactory(family_name_ko="이", given_name_ko="서연")

    with django_capture_on_commit_callbacks(execute=False) as pending:
        profile = save_expert(person, summary_ko=WELD, summary_en="Vision models detecting weld defects")
    indexed_before_commit = ExpertIndex.objects.filter(expert=profile).exists()
    for callback in pending:
        callback()

    assert not indexed_before_commit, "nothing is computed before the save is committed"
    terms = ExpertIndex.objects.get(expert=profile).tokens
    assert {"용접", "불량", "검출", "weld", "defect"} <= set(terms)


@pytest.mark.django_db
def test_editing_the_text_indexes_it_again_and_other_edits_do_not(django_capture_on_commit_callbacks, tokenised):
    person = factories.PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        profile = save_expert(person, summary_ko=WELD)
    first = ExpertIndex.objects.get(expert=profile)

    with django_capture_on_commit_callbacks(execute=True):
        save_expert(person, capacity=3, available=False)
    unchanged = ExpertIndex.objects.get(expert=profile)
    with django_capture_on_commit_callbacks(execute=True):
        save_expert(person, summary_ko=WAFER)
    edited = ExpertIndex.objects.get(expert=profile)

    assert tokenised == [[WELD + "\n"], [WAFER + "\n"]], "the unchanged text is not tokenised again"
    assert (unchanged.tokens, unchanged.indexed_at) == (first.tokens, first.indexed_at)
    assert "웨이퍼" in edited.tokens and "용접" not in edited.tokens
    assert edited.source_hash != first.source_hash


@pytest.mark.django_db
def test_creating_and_editing_a_field_problem_stores_its_terms(company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = registry.field_problem_create(
            actor=None, organization=company, title="용접 불량 자동 검출", **PROBLEM
        )
    created = ProblemIndex.objects.get(problem=problem).tokens
    with django_capture_on_commit_callbacks(execute=True):
        registry.field_problem_update(actor=None, problem=problem, title="웨이퍼 결함 분류")
    edited = ProblemIndex.objects.get(problem=problem).tokens

    assert "용접" in created and "웨이퍼" not in created
    assert "웨이퍼" in edited


@pytest.mark.django_db
def test_a_run_after_the_saves_tokenises_nothing(company, django_capture_on_commit_callbacks, tokenised):
    with django_capture_on_commit_callbacks(execute=True):
        profile = save_expert(factories.PersonFactory(), summary_ko=WELD, skills=["컴퓨터 비전"], regions=["KR-41"])
        registry.expert_consent_set(actor=None, profile=profile, consent_to_matching=True)
        problem = registry.field_problem_create(
            actor=None, organization=company, **PROBLEM, title="용접 불량 자동 검출", skills_wanted=["컴퓨터 비전"]
        )
        registry.field_problem_open(actor=None, problem=problem)
    saves = len(tokenised)

    run = run_now()

    assert run.status == "succeeded", run.error
    assert (run.counts["experts_tokenised"], run.counts["problems_tokenised"]) == (0, 0)
    assert saves == 2
    assert tokenised[saves:] == [["컴퓨터 비전"]], "the run analyses the skills' words once, no text again"
    assert run.counts["assigned"] == 1


@pytest.mark.django_db
def test_a_change_of_the_analysers_added_nouns_recomputes_every_stored_index_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        profile = save_expert(factories.PersonFactory(), summary_ko=WELD)
    assert services.index_texts(kind="expert_profile", ids=[profile.pk]) == 0, "indexed on save"

    monkeypatch.setattr(text, "ANALYSER_SIGNATURE", "another list")

    assert services.index_texts(kind="expert_profile", ids=[profile.pk]) == 1
    assert services.index_texts(kind="expert_profile", ids=[profile.pk]) == 0


@pytest.mark.django_db
def test_an_indexing_error_keeps_the_save_logs_no_text_and_the_next_run_indexes(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    person = factories.PersonFactory()

    def broken(texts):
        raise RuntimeError(f"analyser failed on {texts}")

    monkeypatch.setattr(text, "tokenize", broken)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        profile = save_expert(person, summary_ko=WELD)
    monkeypatch.undo()
    registry.expert_consent_set(actor=None, profile=profile, consent_to_matching=True)
    run = run_now()

    assert ExpertProfile.objects.get(pk=profile.pk).summary_ko == WELD, "the save is kept"
    assert f"expert_profile [{profile.pk}]" in caplog.text and "RuntimeError" in caplog.text
    assert "용접" not in caplog.text and person.email not in caplog.text, "no personal data in the log"
    assert run.counts["experts_tokenised"] == 1
    assert "용접" in ExpertIndex.objects.get(expert=profile).tokens


@pytest.mark.django_db
def test_rows_gone_or_unknown_kinds_are_skipped_without_failing(caplog):
    assert services.index_texts(kind="expert_profile", ids=[987654]) == 0

    with caplog.at_level(logging.WARNING):
        services.index_after_save(kind="nothing", pk=1)

    assert "index terms of nothing [1] not computed (KeyError)" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_any_transaction_is_indexed_once_committed():
    """The real after-commit path (no test transaction around it): the service's own transaction commits, then the
    task runs."""
    profile = save_expert(factories.PersonFactory(), summary_ko=WELD)

    assert "용접" in ExpertIndex.objects.get(expert=profile).tokens


@pytest.mark.django_db
def test_a_save_while_the_broker_is_down_is_kept_and_indexed_by_the_next_run(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerUnavailable("connection refused")

    monkeypatch.setattr(tasks.index_texts, "apply_async", broker_down)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        profile = save_expert(factories.PersonFactory(), summary_ko=WELD)
    registry.expert_consent_set(actor=None, profile=profile, consent_to_matching=True)
    run = run_now()

    assert f"expert_profile {profile.pk} not computed after save (OperationalError)" in caplog.text
    assert run.counts["experts_tokenised"] == 1
    assert "용접" in ExpertIndex.objects.get(expert=profile).tokens
