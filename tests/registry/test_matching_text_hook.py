"""Saving an expert profile or a field problem tells the listener named in settings.ON_MATCHING_TEXT_SAVED (matching
indexes the text), once the save is committed; a broken or failing listener never loses the save."""

from __future__ import annotations

import logging

import pytest

from talent.common.errors import DomainError
from talent.registry import services
from talent.registry.models import ExpertProfile, FieldProblem
from tests import factories

pytestmark = pytest.mark.django_db

PROBLEM = {"description": "검사 이미지를 분류합니다.", "ksic_section": "C", "region": "KR-26", "experts_wanted": 1}
heard: list[dict] = []


def listener(**announced) -> None:
    heard.append(announced)


def failing_listener(**announced) -> None:
    raise RuntimeError("the listener is down")


@pytest.fixture(autouse=True)
def listening(settings):
    settings.ON_MATCHING_TEXT_SAVED = f"{__name__}.listener"
    heard.clear()


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


@pytest.mark.parametrize("path", ["talent.nowhere.index_after_save", f"{__name__}.failing_listener"])
def test_a_broken_or_failing_listener_never_loses_the_save(
    path, settings, company, caplog, django_capture_on_commit_callbacks
):
    settings.ON_MATCHING_TEXT_SAVED = path
    person = factories.PersonFactory(email="seoyeon@example.ac.kr")

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        profile = services.expert_profile_save(actor=None, person=person, summary_ko="용접 불량 검출")
        problem = services.field_problem_create(actor=None, organization=company, title="웨이퍼 결함 분류", **PROBLEM)

    assert ExpertProfile.objects.get(pk=profile.pk).summary_ko == "용접 불량 검출"
    assert FieldProblem.objects.get(pk=problem.pk).title == "웨이퍼 결함 분류"
    assert f"expert_profile {profile.pk} saved, but {path} failed" in caplog.text
    assert "용접" not in caplog.text and "seoyeon" not in caplog.text, "no personal data in the log"


def test_no_listener_no_announcement(settings, django_capture_on_commit_callbacks):
    settings.ON_MATCHING_TEXT_SAVED = ""

    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.expert_profile_save(actor=None, person=factories.PersonFactory(), summary_ko="용접")

    assert pending == []
