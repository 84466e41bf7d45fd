"""Saving an expert profile or a field problem sends the registry's `matching_text_saved` signal (matching indexes
the text), once the save is committed; a failing receiver never loses the save."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from talent.common.errors import DomainError
from talent.registry import services, signals
from talent.registry.models import ExpertProfile, FieldProblem
from tests import factories

pytestmark = pytest.mark.django_db

PROBLEM: dict[str, Any] = {
    "description": "검사 이미지를 분류합니다.",
    "ksic_section": "C",
    "region": "KR-26",
    "experts_wanted": 1,
}
heard: list[dict] = []


def listener(sender, *, kind, pk, **kwargs) -> None:
    heard.append({"kind": kind, "pk": pk})


def failing_listener(sender, **kwargs) -> None:
    raise RuntimeError("the listener is down")


@pytest.fixture(autouse=True)
def listening():
    """Only this test's receiver listens (matching's own is tested in tests/matching/test_index_hook.py)."""
    saved = signals.matching_text_saved.receivers
    signals.matching_text_saved.receivers = []
    signals.matching_text_saved.sender_receivers_cache.clear()
    signals.matching_text_saved.connect(listener)
    heard.clear()
    yield
    signals.matching_text_saved.receivers = saved
    signals.matching_text_saved.sender_receivers_cache.clear()


def test_a_saved_profile_is_announced_with_its_kind_and_id_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        profile = services.expert_profile_save(
            actor=None, person=factories.PersonFactory(), summary_ko="용접 불량 검출 모델을 개발했습니다."
        )
    before_commit = list(heard)
    for callback in pending:
        callback()

    assert before_commit == []
    assert heard == [{"kind": "expert_profile", "pk": profile.pk}]


def test_created_and_edited_problems_are_announced(company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = services.field_problem_create(actor=None, organization=company, title="웨이퍼 결함 분류", **PROBLEM)
        services.field_problem_update(actor=None, problem=problem, description="검사 이미지를 분류합니다.")

    assert heard == [{"kind": "field_problem", "pk": problem.pk}] * 2


def test_a_refused_save_announces_nothing(researcher, django_capture_on_commit_callbacks):
    someone_else = factories.PersonFactory()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.expert_profile_save(actor=researcher, person=someone_else, summary_ko="남의 프로필")

    assert heard == []
    assert not ExpertProfile.objects.filter(person=someone_else).exists()


def test_a_failing_listener_never_loses_the_save(company, caplog, django_capture_on_commit_callbacks):
    signals.matching_text_saved.connect(failing_listener)
    path = f"{__name__}.failing_listener"
    person = factories.PersonFactory(email="seoyeon@example.ac.kr")

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        profile = services.expert_profile_save(actor=None, person=person, summary_ko="용접 불량 검출")
        problem = services.field_problem_create(actor=None, organization=company, title="웨이퍼 결함 분류", **PROBLEM)

    assert ExpertProfile.objects.get(pk=profile.pk).summary_ko == "용접 불량 검출"
    assert FieldProblem.objects.get(pk=problem.pk).title == "웨이퍼 결함 분류"
    assert f"expert_profile {profile.pk} saved, but {path} failed" in caplog.text
    assert "용접" not in caplog.text and "seoyeon" not in caplog.text, "no personal data in the log"


def test_no_listener_no_announcement(django_capture_on_commit_callbacks):
    signals.matching_text_saved.disconnect(listener)

    with django_capture_on_commit_callbacks(execute=True):
        services.expert_profile_save(actor=None, person=factories.PersonFactory(), summary_ko="용접")

    assert heard == []
