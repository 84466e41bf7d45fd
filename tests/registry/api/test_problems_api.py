"""Field problems over the API: a company drafts, edits, opens and closes its own; researchers read open ones."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from talent.registry.models import FieldProblem
from tests import factories

LIST = "/api/v1/problems/"


def detail(problem: FieldProblem) -> str:
    return f"/api/v1/problems/{problem.pk}/"


def new_problem(**overrides: Any) -> dict[str, Any]:
    body = {
        "title": "용접 비드 불량 검출",
        "description": "용접 라인 카메라 영상으로 비드 불량을 실시간으로 찾아내고 싶습니다.",
        "ksic_section": "C",
        "skills_wanted": ["컴퓨터 비전", "컴퓨터 비전 ", "딥러닝"],
        "region": "KR-41",
        "experts_wanted": 2,
    }
    return {**body, **overrides}


def test_a_company_member_drafts_a_problem_for_their_own_company(world, api_as):
    response = api_as("company").post(LIST, new_problem(), format="json")

    assert response.status_code == 201, response.data
    problem = FieldProblem.objects.get(pk=response.data["id"])
    assert problem.organization == world.company
    assert problem.status == "draft"
    assert problem.created_by == world.users["company"]
    assert problem.skills_wanted == ["컴퓨터 비전", "딥러닝"]
    assert response.data["organization_name"] == "다온모빌리티"


def test_the_organization_and_status_in_the_body_are_ignored(world, api_as):
    body = new_problem(organization=world.other_company.pk, status="closed", created_by=world.users["operator"].pk)

    response = api_as("company").post(LIST, body, format="json")

    assert response.status_code == 201, response.data
    problem = FieldProblem.objects.get(pk=response.data["id"])
    assert (problem.organization, problem.status) == (world.company, "draft")
    assert problem.created_by == world.users["company"]


def test_an_operator_must_name_the_company(world, api_as):
    operator = api_as("operator")

    missing = operator.post(LIST, new_problem(), format="json", HTTP_ACCEPT_LANGUAGE="en")
    named = operator.post(LIST, new_problem(organization=world.other_company.pk), format="json")

    assert missing.status_code == 400
    assert missing.data["errors"]["organization"] == ["Name the company this field problem belongs to."]
    assert named.status_code == 201, named.data
    assert FieldProblem.objects.get(pk=named.data["id"]).organization == world.other_company


def test_an_operator_cannot_post_a_problem_for_a_university(world, api_as):
    response = api_as("operator").post(LIST, new_problem(organization=world.university_a.pk), format="json")

    assert response.status_code == 400
    assert "organization" in response.data["errors"]


def test_a_company_member_edits_their_problem_but_not_its_status(world, api_as):
    response = api_as("company").patch(
        detail(world.draft_problem),
        {"title": "물류 경로 최적화", "remote": True, "region": "", "status": "open"},
        format="json",
    )

    assert response.status_code == 200, response.data
    world.draft_problem.refresh_from_db()
    assert world.draft_problem.title == "물류 경로 최적화"
    assert (world.draft_problem.region, world.draft_problem.remote) == ("", True)
    assert world.draft_problem.status == "draft"
    assert response.data["status"] == "draft"


def test_a_draft_is_opened_and_then_closed(world, api_as):
    client = api_as("company")

    opened = client.post(f"{detail(world.draft_problem)}open/")
    closed = client.post(f"{detail(world.draft_problem)}close/")

    assert opened.status_code == 200, opened.data
    assert opened.data["status"] == "open" and opened.data["opened_at"]
    assert closed.status_code == 200, closed.data
    assert closed.data["status"] == "closed" and closed.data["closed_at"]
    world.draft_problem.refresh_from_db()
    assert world.draft_problem.status == "closed"


def test_a_closed_problem_cannot_be_opened_again(world, api_as):
    client = api_as("company")
    client.post(f"{detail(world.problem)}close/")

    response = client.post(f"{detail(world.problem)}open/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert response.data["code"] == "illegal_transition"
    assert response.data["detail"] == "A field problem that is Closed cannot become Open."


def test_an_open_problem_cannot_be_opened_twice(world, api_as):
    response = api_as("company").post(f"{detail(world.problem)}open/")

    assert response.status_code == 409
    world.problem.refresh_from_db()
    assert world.problem.status == "open"


def test_a_closed_problem_can_no_longer_be_edited(world, api_as):
    client = api_as("company")
    client.post(f"{detail(world.problem)}close/")

    response = client.patch(
        detail(world.problem), {"title": "다시 열고 싶은 문제"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert response.data["detail"] == "A closed field problem can no longer be edited."
    world.problem.refresh_from_db()
    assert world.problem.title == "배터리 셀 불량 예측"


@pytest.mark.parametrize("wanted", [0, 51])
def test_a_problem_wants_between_one_and_fifty_experts(world, api_as, wanted):
    response = api_as("company").post(LIST, new_problem(experts_wanted=wanted), format="json")

    assert response.status_code == 400
    assert list(response.data["errors"]) == ["experts_wanted"]
    assert not FieldProblem.objects.filter(title="용접 비드 불량 검출").exists()


def test_a_problem_needs_a_region_or_remote_work(world, api_as):
    client = api_as("company")

    nowhere = client.post(LIST, new_problem(region="", remote=False), format="json", HTTP_ACCEPT_LANGUAGE="en")
    remote = client.post(LIST, new_problem(region="", remote=True), format="json")

    assert nowhere.status_code == 400
    assert nowhere.data["detail"] == "Give a region, or mark the problem as open to remote work."
    assert remote.status_code == 201, remote.data


def test_editing_away_the_region_of_an_on_site_problem_is_refused(world, api_as):
    response = api_as("company").patch(detail(world.problem), {"region": ""}, format="json")

    assert response.status_code == 400
    world.problem.refresh_from_db()
    assert world.problem.region == "KR-41"


def test_an_unknown_ksic_section_is_refused(world, api_as):
    response = api_as("company").post(LIST, new_problem(ksic_section="Z"), format="json")

    assert response.status_code == 400
    assert list(response.data["errors"]) == ["ksic_section"]


def test_error_messages_follow_the_requested_language(world, api_as):
    client = api_as("company")

    english = client.post(LIST, new_problem(experts_wanted=0), format="json", HTTP_ACCEPT_LANGUAGE="en")
    korean = client.post(LIST, new_problem(experts_wanted=0), format="json")

    assert english.data["errors"]["experts_wanted"] == ["A problem wants between 1 and 50 experts."]
    assert korean.data["errors"]["experts_wanted"] == ["모집 전문가 수는 1명 이상 50명 이하여야 합니다."]


def test_a_researcher_sees_open_problems_of_every_company_and_no_drafts(world, api_as):
    response = api_as("researcher").get(LIST)

    assert response.status_code == 200
    assert {row["id"] for row in response.data["results"]} == {world.problem.pk, world.other_problem.pk}


def test_a_researcher_may_read_but_not_edit_an_open_problem(world, api_as):
    client = api_as("researcher")

    read = client.get(detail(world.problem))
    edit = client.patch(detail(world.problem), {"title": "바꾸고 싶어요"}, format="json")

    assert read.status_code == 200
    assert edit.status_code == 403
    world.problem.refresh_from_db()
    assert world.problem.title == "배터리 셀 불량 예측"


def test_another_companys_problem_is_not_found(world, api_as):
    client = api_as("other_company")

    assert client.get(detail(world.draft_problem)).status_code == 404
    assert client.patch(detail(world.problem), {"title": "남의 문제"}, format="json").status_code == 404
    assert client.post(f"{detail(world.problem)}close/").status_code == 404
    world.problem.refresh_from_db()
    assert world.problem.status == "open"


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("status=draft", {"물류 경로 최적화 초안"}),
        ("status=open", {"배터리 셀 불량 예측"}),
        ("search=배터리", {"배터리 셀 불량 예측"}),
        ("region=KR-41&remote=false", {"배터리 셀 불량 예측", "물류 경로 최적화 초안"}),
        ("remote=true", set()),
        ("ksic_section=M", set()),
    ],
)
def test_a_company_filters_its_problems(world, api_as, query, titles):
    response = api_as("company").get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert {row["title"] for row in response.data["results"]} == titles


def test_the_list_is_ordered_by_title_on_request(world, api_as):
    response = api_as("operator").get(f"{LIST}?ordering=title")

    assert [row["title"] for row in response.data["results"]] == sorted(
        [world.problem.title, world.other_problem.title, world.draft_problem.title]
    )


def test_an_unknown_status_filter_is_refused(world, api_as):
    assert api_as("company").get(f"{LIST}?status=archived").status_code == 400


def _queries_for_list(username: str) -> int:
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_2_or_50_problems(world):
    two = _queries_for_list("member-company")
    factories.FieldProblemFactory.create_batch(48, organization=world.company)
    fifty = _queries_for_list("member-company")

    assert two == fifty == 4  # membership, organization, count, page


# Each bound of a problem's texts and lists: the value at the bound is taken, one more is refused beside its field
# with the bound in the message, and nothing is stored.
BOUNDS = {
    "title": ("가" * 200, "가" * 201, "200"),
    "description": ("가" * 5_000, "가" * 5_001, "5000"),
    "skills_wanted": ([f"기술{n}" for n in range(50)], [f"기술{n}" for n in range(51)], "50"),
    "skills_wanted ": (["가" * 60], ["가" * 61], "60"),  # one skill's length (the key's space: a second case)
}


@pytest.mark.parametrize("field", BOUNDS)
def test_each_bound_of_a_problem_takes_its_limit_and_refuses_one_more_naming_it(world, api_as, field):
    at_bound, over, limit = BOUNDS[field]
    name = field.strip()
    client = api_as("company")
    before = FieldProblem.objects.count()

    refused = client.post(LIST, new_problem(**{name: over}), format="json")
    stored_after_refusal = FieldProblem.objects.count()
    taken = client.post(LIST, new_problem(**{name: at_bound}), format="json")

    assert refused.status_code == 400 and limit in str(refused.data["errors"][name]), refused.data
    assert stored_after_refusal == before
    assert taken.status_code == 201, taken.data
    assert getattr(FieldProblem.objects.get(pk=taken.data["id"]), name) == at_bound


@pytest.mark.parametrize(("search", "accepted"), [(" ", False), ("\u3000\t", False), (" 배터리 ", True), ("x", True)])
def test_a_search_of_spaces_only_is_refused_as_the_schema_says(world, api_as, search, accepted):
    """The schema tells a client which searches the list reads (found by the API fuzz: `?search=%20` was valid by
    the schema, which asked only for one character, and refused with 400)."""
    parameters = SchemaGenerator().get_schema(request=None, public=True)["paths"][LIST]["get"]["parameters"]
    pattern = next(p["schema"]["pattern"] for p in parameters if p["name"] == "search")

    response = api_as("company").get(LIST, {"search": search})

    assert (re.search(pattern, search) is not None) is accepted
    assert response.status_code == (200 if accepted else 400)
    if not accepted:
        assert list(response.data["errors"]) == ["search"]
