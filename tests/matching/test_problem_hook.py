"""Opening a field problem, through the API or the admin, queues a match run."""

from __future__ import annotations

from talent.matching.models import MatchRun, RunTrigger
from tests.registry.api.conftest import _module_world, api_as, world  # noqa: F401 - fixtures shared with the API tests


def test_opening_a_problem_through_the_api_queues_a_match_run(world, api_as):  # noqa: F811
    response = api_as("company").post(f"/api/v1/problems/{world.draft_problem.pk}/open/")
    assert response.status_code == 200
    assert MatchRun.objects.filter(trigger=RunTrigger.PROBLEM_OPENED).count() == 1


def test_closing_a_problem_queues_nothing(world, api_as):  # noqa: F811
    api_as("company").post(f"/api/v1/problems/{world.problem.pk}/close/")
    assert not MatchRun.objects.exists()
