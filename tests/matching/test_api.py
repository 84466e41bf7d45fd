"""The matching API as each user meets it: the ministry starts and watches runs; a company sees its problems'
proposals with only what each expert shares; an expert sees and answers their own; lists cost fixed queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talent.matching import services
from talent.matching.models import Answer, MatchRun, NearMiss, Proposal
from talent.registry import services as registry
from talent.registry.models import AccessLog
from tests import factories
from tests.matching.market import run_now

RUNS = "/api/v1/match-runs/"
PROPOSALS = "/api/v1/proposals/"
NEAR_MISSES = "/api/v1/near-misses/"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=get_user_model().objects.get(pk=user.pk))  # a fresh user: nothing cached
    return client


def rows(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.data
    return response.data["results"]


# --- Match runs -----------------------------------------------------------------------------------------------


def test_the_ministry_starts_a_run_and_watches_it(ministry_analyst, django_capture_on_commit_callbacks):
    client = client_for(ministry_analyst)

    with django_capture_on_commit_callbacks() as sent:
        started = client.post(RUNS, {"mode": "max_fit"}, format="json")
    watched = client.get(f"{RUNS}{started.data['id']}/")

    assert started.status_code == 202, started.data
    assert len(sent) == 1, "sent to the workers once the request's transaction committed"
    run = MatchRun.objects.get(pk=started.data["id"])
    assert (run.status, run.mode, run.trigger, run.requested_by) == ("queued", "max_fit", "api", ministry_analyst)
    assert watched.status_code == 200
    assert {"status", "progress", "counts", "timings", "invariants", "attempts"} <= set(watched.data)


def test_a_second_start_while_a_run_waits_returns_the_waiting_run(ministry_analyst, operator):
    first = client_for(ministry_analyst).post(RUNS, {}, format="json")
    second = client_for(operator).post(RUNS, {}, format="json")
    other_mode = client_for(operator).post(RUNS, {"mode": "max_fit"}, format="json")

    assert first.data["id"] == second.data["id"]
    assert other_mode.status_code == 409
    assert other_mode.data["code"] == "run_waiting"


def test_an_unknown_mode_is_refused(ministry_analyst):
    response = client_for(ministry_analyst).post(RUNS, {"mode": "random"}, format="json")

    assert response.status_code == 400
    assert "mode" in response.data["errors"]


def test_the_run_list_shows_a_finished_runs_counts(market, ministry_analyst):
    run = run_now()

    listed = rows(client_for(ministry_analyst).get(f"{RUNS}?status=succeeded"))

    assert [row["id"] for row in listed] == [run.pk]
    assert listed[0]["counts"]["proposals_new"] == 2
    assert listed[0]["invariants"]["holds"] is True


# --- Proposals: what a company sees -----------------------------------------------------------------------------


def test_a_company_sees_its_problems_proposals_with_only_the_shared_fields(market):
    run_now()

    listed = rows(client_for(market.company_member).get(PROPOSALS))

    assert [(row["expert"]["id"], row["problem"]["id"]) for row in listed] == [(market.lee.pk, market.weld.pk)]
    expert = listed[0]["expert"]
    # 이서연 shares her name, skills and affiliation; not her email or summary
    assert set(expert) == {"id", "name", "name_latin", "affiliation", "skills"}
    assert (expert["name"], expert["affiliation"]) == ("이서연", "가온대학교")
    assert expert["skills"] == ["컴퓨터 비전", "PyTorch"]
    assert listed[0]["explanation"]["matched_skills"] == ["pytorch", "컴퓨터 비전"]
    assert listed[0]["problem"]["organization_name"] == "한빛로보틱스"


def test_the_other_company_sees_its_own_experts_shared_fields(market):
    run_now()

    (row,) = rows(client_for(market.other_company_member).get(PROPOSALS))

    assert row["problem"]["id"] == market.wafer.pk
    assert set(row["expert"]) == {"id", "name", "name_latin", "email", "summary_ko", "summary_en"}
    assert row["expert"]["email"] == "park@example.org"


def test_a_company_never_sees_an_expert_who_withdrew_consent(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    registry.expert_consent_set(actor=None, profile=market.lee, consent_to_matching=False)

    assert rows(client_for(market.company_member).get(PROPOSALS)) == []
    assert client_for(market.company_member).get(f"{PROPOSALS}{proposal.pk}/").status_code == 404


def test_a_company_reading_an_experts_data_is_logged(market):
    run_now()

    client_for(market.company_member).get(PROPOSALS)

    log = AccessLog.objects.get()
    assert (log.user, log.person_id, log.action) == (market.company_member, market.lee.person_id, "proposal_list")


# --- Proposals: what an expert sees, and answering ------------------------------------------------------------


def test_an_expert_sees_their_own_proposals_with_the_same_explanation(market):
    run_now()

    (row,) = rows(client_for(market.lee.person.user).get(PROPOSALS))

    assert row["problem"]["title"] == "용접 불량 자동 검출"
    assert row["expert"]["email"] == "seoyeon@example.ac.kr", "an expert sees all of their own card"
    assert row["explanation"]["region_match"] == "same_region"
    assert not AccessLog.objects.exists(), "reading one's own record is not logged"


def test_both_sides_accept_over_the_api(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    url = f"{PROPOSALS}{proposal.pk}/accept/"

    by_expert = client_for(market.lee.person.user).post(url)
    by_company = client_for(market.company_member).post(url)

    assert by_expert.status_code == 200, by_expert.data
    assert (by_expert.data["status"], by_expert.data["expert_response"]) == ("proposed", "accepted")
    assert (by_company.data["status"], by_company.data["company_response"]) == ("accepted", "accepted")


def test_a_declined_proposal_cannot_then_be_accepted(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)

    declined = client_for(market.park_user).post(f"{PROPOSALS}{proposal.pk}/decline/")
    accepted = client_for(market.other_company_member).post(f"{PROPOSALS}{proposal.pk}/accept/")

    assert declined.data["status"] == "declined"
    assert accepted.status_code == 409
    assert accepted.data["code"] == "proposal_decided"


def test_a_university_reads_its_students_proposals_but_does_not_answer_them(market, university_staff, ms_programme):
    registry.enrollment_admit(
        actor=university_staff,
        person=market.choi.person,
        programme=ms_programme,
        student_number="2026-0101",
        admission_date=datetime.date(2026, 3, 2),
    )
    run_now()
    services.proposal_answer(
        actor=market.company_member, proposal=market.proposal(market.lee, market.weld), answer=Answer.DECLINED
    )
    run_now()  # the student 최민수 is proposed for the weld problem instead

    (row,) = rows(client_for(university_staff).get(PROPOSALS))
    answered = client_for(university_staff).post(f"{PROPOSALS}{row['id']}/accept/")

    assert (row["expert"]["id"], row["problem"]["id"]) == (market.choi.pk, market.weld.pk)
    assert set(row["expert"]) == {"id", "name", "name_latin", "email"}, "the student shares nothing more"
    assert answered.status_code == 403


@pytest.mark.parametrize("value", ["1.7976931348623157e+308", "1e+51", str(2**70), "-1"])
def test_a_filter_by_problem_or_run_is_an_id_so_any_whole_number_matches_nothing_or_some(market, value):
    """The schema calls these ids integers; any integer is a filter that simply matches nothing here (found by the
    API fuzz: `?problem=1.7976931348623157e+308` was a valid number by the schema, refused with 400 as a decimal
    too large). A number that is not whole is not an id."""
    run_now()
    client = client_for(market.company_member)
    whole = "e" not in value and "." not in value

    for name in ("problem", "run"):
        response = client.get(PROPOSALS, {name: value})
        assert response.status_code == (200 if whole else 400), response.data
        if whole:
            assert response.data["results"] == []
    assert [row["problem"]["id"] for row in rows(client.get(PROPOSALS, {"problem": market.weld.pk}))] == [
        market.weld.pk
    ]


def test_another_companys_proposal_is_not_found(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)

    response = client_for(market.company_member).post(f"{PROPOSALS}{proposal.pk}/accept/")

    assert response.status_code == 404


def test_an_expert_sees_their_near_misses(market):
    run_now()
    choi_user = factories.UserFactory(username="expert-choi")
    market.choi.person.user = choi_user
    market.choi.person.save()

    listed = rows(client_for(choi_user).get(NEAR_MISSES))
    others = rows(client_for(market.lee.person.user).get(NEAR_MISSES))

    assert [row["problem"]["id"] for row in listed] == [market.weld.pk, market.wafer.pk]
    assert listed[0]["explanation"]["missing_skills"] == ["pytorch"]
    assert others == []
    assert NearMiss.objects.count() == 2


# --- Every list costs the same queries for 2 rows as for 50 ---------------------------------------------------


def _query_count(user: Any, url: str) -> tuple[int, dict[str, Any]]:
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.data
    return len(captured.captured_queries), response.data


def _assert_same_queries_for_2_and_50(django_assert_num_queries, user, url, add_rows, pinned: int) -> None:
    count_for_2, data = _query_count(user, url)
    assert data["count"] == 2
    add_rows(48)
    client = client_for(user)
    with django_assert_num_queries(count_for_2):
        data = client.get(url).data
    assert data["count"] == len(data["results"]) == 50
    assert count_for_2 == pinned, f"{url}: {count_for_2} queries"


def _experts_proposed_for(problem: Any, run: MatchRun, n: int, *, affiliation: Any = None) -> None:
    for _ in range(n):
        person = factories.PersonFactory()
        if affiliation is not None:
            factories.ResearcherProfileFactory(person=person, korean_affiliation=affiliation)
        expert = factories.ExpertProfileFactory(
            person=person, shared_fields=["name", "email", "affiliation", "summary", "skills"]
        )
        Proposal.objects.create(run=run, expert=expert, problem=problem, score=0.5, explanation={"rank": 1})


def test_the_company_proposal_list_costs_the_same_queries_for_2_and_50(market, django_assert_num_queries):
    run = run_now()
    university = factories.UniversityFactory(name_ko="누리대학교")
    _experts_proposed_for(market.weld, run, 1, affiliation=university)

    # membership, organization, count, page (problem, company, expert, person, affiliation joined),
    # the reader's own person and the access log insert
    _assert_same_queries_for_2_and_50(
        django_assert_num_queries,
        market.company_member,
        f"{PROPOSALS}?page_size=100",
        lambda n: _experts_proposed_for(market.weld, run, n, affiliation=university),
        pinned=6,
    )


def test_the_expert_proposal_list_costs_the_same_queries_for_2_and_50(market, django_assert_num_queries):
    run = run_now()

    def add(n: int) -> None:
        for _ in range(n):
            problem = factories.FieldProblemFactory(organization=market.weld.organization, status="draft")
            Proposal.objects.create(run=run, expert=market.park, problem=problem, score=0.4)

    add(1)
    # membership (none), the person check, count, page, the reader's own person (not logged: their own)
    _assert_same_queries_for_2_and_50(
        django_assert_num_queries, market.park_user, f"{PROPOSALS}?page_size=100", add, pinned=5
    )


def test_the_match_run_list_costs_the_same_queries_for_2_and_50(ministry_analyst, django_assert_num_queries):
    def add(n: int) -> None:
        MatchRun.objects.bulk_create(MatchRun(status="succeeded", progress=100) for _ in range(n))

    add(2)
    # membership, organization, count, page
    _assert_same_queries_for_2_and_50(django_assert_num_queries, ministry_analyst, f"{RUNS}?page_size=100", add, 4)


@pytest.mark.parametrize("role", ["company_member", "university_staff", "ministry_analyst", "outsider"])
def test_near_misses_are_only_for_experts_and_operators(role, request):
    response = client_for(request.getfixturevalue(role)).get(NEAR_MISSES)

    assert response.status_code == 403
