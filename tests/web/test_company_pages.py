"""A company member's pages: their own company's field problems (drafted, edited, opened, closed) and each
problem's proposals with why, showing of an expert only what the expert shares; another company's problems and
proposals are not found; other roles are refused; anonymous visitors sign in first."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talent.matching.models import MatchRun, Proposal
from talent.registry import services
from talent.registry.models import AccessLog, FieldProblem
from talent.web.views.company import PAGE_SIZE
from tests import factories
from tests.matching.market import run_now

# Operators post on a company's behalf in the admin (the API asks them to name the company); these pages are a
# member's own company's.
OTHER_ROLES = ["researcher", "university_staff", "ministry_analyst", "outsider", "operator"]


@pytest.fixture
def draft(company):
    return factories.FieldProblemFactory(organization=company, title="용접 불량 자동 검출")


@pytest.fixture
def foreign(other_company):
    return factories.FieldProblemFactory(organization=other_company, title="웨이퍼 결함 분류")


def _pages(problem: FieldProblem) -> list[str]:
    return [
        reverse("web:company-home"),
        reverse("web:problem-create"),
        reverse("web:problem-detail", args=[problem.pk]),
        reverse("web:problem-edit", args=[problem.pk]),
    ]


def _problem(**overrides: object) -> dict[str, object]:
    return {
        "title": "도장 공정 결함 예측",
        "description": "자동차 도장 라인의 센서 데이터로 도장 결함을 사전에 예측하고자 합니다.",
        "ksic_section": "C",
        "skills_wanted": "시계열 분석\n이상 탐지",
        "region": "KR-41",
        "experts_wanted": "2",
        **overrides,
    }


# --- Who may open the pages -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client_for, draft):
    client = client_for(None)

    for url in _pages(draft):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('web:login')}?next={url}"


def test_the_member_opens_each_page_of_their_company(client_for, company_member, draft):
    client = client_for(company_member)

    assert [client.get(url).status_code for url in _pages(draft)] == [200, 200, 200, 200]


@pytest.mark.parametrize("actor", OTHER_ROLES, indirect=True)
def test_other_roles_are_refused(client_for, actor, draft):
    client = client_for(actor)

    assert [client.get(url).status_code for url in _pages(draft)] == [403, 403, 403, 403]
    assert client.post(reverse("web:problem-open", args=[draft.pk])).status_code == 403


@pytest.mark.parametrize("name", ["web:problem-detail", "web:problem-edit"])
def test_another_companys_problem_is_not_found(client_for, company_member, foreign, name):
    assert client_for(company_member).get(reverse(name, args=[foreign.pk])).status_code == 404


@pytest.mark.parametrize("name", ["web:problem-open", "web:problem-close", "web:problem-edit"])
def test_another_companys_problem_cannot_be_changed(client_for, company_member, foreign, name):
    response = client_for(company_member).post(reverse(name, args=[foreign.pk]), _problem())

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.status, foreign.title) == ("draft", "웨이퍼 결함 분류")


def test_the_list_costs_the_same_queries_however_many_problems(client_for, company_member, company, draft):
    client = client_for(company_member)
    client.get(reverse("web:company-home"))  # warm: session, user

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("web:company-home"))
    factories.FieldProblemFactory.create_batch(4, organization=company)
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("web:company-home")).content.decode()

    assert page.count('data-testid="problem-') == 5
    assert len(five) == len(one)


def test_the_list_shows_only_the_members_company(client_for, company_member, draft, foreign):
    page = client_for(company_member).get(reverse("web:company-home")).content.decode()

    assert "용접 불량 자동 검출" in page
    assert "웨이퍼 결함 분류" not in page


# --- Drafting, editing, opening, closing ----------------------------------------------------------------


def test_a_member_posts_a_draft_for_their_company(client_for, company_member, company):
    response = client_for(company_member).post(reverse("web:problem-create"), _problem())

    problem = FieldProblem.objects.get(title="도장 공정 결함 예측")
    assert response["Location"] == reverse("web:problem-detail", args=[problem.pk])
    assert (problem.organization, problem.status, problem.created_by) == (company, "draft", company_member)
    assert problem.skills_wanted == ["시계열 분석", "이상 탐지"]


def test_a_problem_without_a_region_or_remote_work_is_refused_and_nothing_typed_is_lost(client_for, company_member):
    response = client_for(company_member, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("web:problem-create"), _problem(region="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any("remote" in str(message) for messages in errors.values() for message in messages)
    page = response.content.decode()
    assert "자동차 도장 라인의 센서 데이터로" in page and "시계열 분석\n이상 탐지" in page
    assert not FieldProblem.objects.exists()


def test_experts_wanted_out_of_range_is_said_next_to_the_field(client_for, company_member):
    response = client_for(company_member, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("web:problem-create"), _problem(experts_wanted="51")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["experts_wanted"] == ["A problem wants between 1 and 50 experts."]
    assert not FieldProblem.objects.exists()


def test_missing_fields_are_said_next_to_them(client_for, company_member):
    response = client_for(company_member).post(reverse("web:problem-create"), _problem(title="", ksic_section=""))

    errors = response.context["form"].errors
    assert {"title", "ksic_section"} <= set(errors)
    assert 'data-testid="error-title"' in response.content.decode()


def test_a_member_edits_opens_and_closes_their_problem(
    client_for, company_member, draft, django_capture_on_commit_callbacks
):
    client = client_for(company_member)

    edited = client.post(reverse("web:problem-edit", args=[draft.pk]), _problem(title="용접 불량 실시간 검출"))
    with django_capture_on_commit_callbacks(execute=False):
        opened = client.post(reverse("web:problem-open", args=[draft.pk]))
    draft.refresh_from_db()
    was = draft.status
    closed = client.post(reverse("web:problem-close", args=[draft.pk]))
    draft.refresh_from_db()

    assert (edited.status_code, opened.status_code, closed.status_code) == (302, 302, 302)
    assert (was, draft.status, draft.title) == ("open", "closed", "용접 불량 실시간 검출")
    assert MatchRun.objects.filter(trigger="problem_opened").exists(), "opening queues a match run, as the API does"


def test_a_closed_problem_cannot_be_edited_and_the_refusal_is_shown(client_for, company_member, draft):
    services.field_problem_close(actor=None, problem=draft)

    response = client_for(company_member, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("web:problem-edit", args=[draft.pk]), _problem()
    )

    assert response.status_code == 200
    assert "closed field problem" in str(response.context["form"].non_field_errors())


def test_opening_a_closed_problem_is_refused_with_a_message(client_for, company_member, draft):
    services.field_problem_close(actor=None, problem=draft)

    response = client_for(company_member).post(reverse("web:problem-open", args=[draft.pk]), follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    draft.refresh_from_db()
    assert draft.status == "closed"


@pytest.mark.parametrize("name", ["web:problem-open", "web:problem-close"])
def test_changes_are_posts(client_for, company_member, draft, name):
    assert client_for(company_member).get(reverse(name, args=[draft.pk])).status_code == 405


# --- Proposals ---------------------------------------------------------------------------------------------


def test_the_company_sees_its_proposal_with_why_and_only_what_the_expert_shares(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    page = client_for(market.company_member).get(reverse("web:problem-detail", args=[market.weld.pk])).content.decode()

    assert f'data-testid="proposal-{proposal.pk}"' in page and 'data-testid="explanation"' in page
    assert "이서연" in page and "가온대학교" in page, "name and affiliation are shared"
    assert "seoyeon@example.ac.kr" not in page, "the email is not shared"
    assert "정하늘" not in page, "never an expert without consent"
    assert list(AccessLog.objects.values_list("person_id", "action")) == [(market.lee.person_id, "proposal_page")]


def test_the_company_accepts_and_with_the_experts_acceptance_the_proposal_is_accepted(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    client_for(market.lee.person.user).post(reverse("web:my-proposal-accept", args=[proposal.pk]))

    response = client_for(market.company_member).post(reverse("web:company-proposal-accept", args=[proposal.pk]))

    assert response["Location"] == reverse("web:problem-detail", args=[market.weld.pk])
    assert Proposal.objects.get(pk=proposal.pk).status == "accepted"


def test_the_company_declines(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    client_for(market.company_member).post(reverse("web:company-proposal-decline", args=[proposal.pk]))

    assert Proposal.objects.get(pk=proposal.pk).status == "declined"


@pytest.mark.parametrize("name", ["web:company-proposal-accept", "web:company-proposal-decline"])
def test_another_companys_proposal_is_not_found(client_for, market, name):
    run_now()
    theirs = market.proposal(market.park, market.wafer)

    response = client_for(market.company_member).post(reverse(name, args=[theirs.pk]))

    assert response.status_code == 404
    assert Proposal.objects.get(pk=theirs.pk).company_response == "pending"


def test_a_proposal_of_an_expert_who_withdrew_consent_is_not_found(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    services.expert_consent_set(actor=None, profile=market.lee, consent_to_matching=False)

    client = client_for(market.company_member)
    page = client.get(reverse("web:problem-detail", args=[market.weld.pk])).content.decode()

    assert f'data-testid="proposal-{proposal.pk}"' not in page
    assert client.post(reverse("web:company-proposal-accept", args=[proposal.pk])).status_code == 404


def test_the_proposal_names_the_concepts_that_linked_posting_and_profile_in_both_languages(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    page = client_for(market.company_member).get(reverse("web:problem-detail", args=[market.weld.pk])).content.decode()

    assert 'data-testid="matched-concepts"' in page
    assert '<span lang="ko">용접 결함</span> · <span lang="en">weld defects</span>' in page
    assert 'data-testid="nothing-in-common"' not in page
    assert {"key": "weld-defect", "ko": "용접 결함", "en": "weld defects"} in proposal.explanation["matched_concepts"]


def test_a_proposal_with_nothing_in_common_says_so(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    nothing = {**proposal.explanation, "matched_skills": [], "matched_terms": [], "matched_concepts": []}
    Proposal.objects.filter(pk=proposal.pk).update(explanation=nothing)

    page = client_for(market.company_member).get(reverse("web:problem-detail", args=[market.weld.pk])).content.decode()

    assert 'data-testid="nothing-in-common"' in page and 'data-testid="matched-concepts"' not in page


def _experts_proposed_for(problem: FieldProblem, run: MatchRun, n: int) -> None:
    for _ in range(n):
        person = factories.PersonFactory()
        factories.ResearcherProfileFactory(person=person, korean_affiliation=factories.UniversityFactory())
        expert = factories.ExpertProfileFactory(person=person, shared_fields=["name", "affiliation", "skills"])
        Proposal.objects.create(run=run, expert=expert, problem=problem, score=0.5, explanation={"rank": 2})


def test_withdrawn_proposals_are_not_listed(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    Proposal.objects.filter(pk=proposal.pk).update(status="withdrawn")

    page = client_for(market.company_member).get(reverse("web:problem-detail", args=[market.weld.pk]))

    assert f'data-testid="proposal-{proposal.pk}"' not in page.content.decode()


def _proposal_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="proposal-(\d+)"', page)]


def test_the_proposals_of_a_problem_come_in_pages_each_shown_once_in_score_order(client_for, market):
    run = run_now()
    _experts_proposed_for(market.weld, run, PAGE_SIZE + 2)  # the same score: the id decides
    client = client_for(market.company_member)
    url = reverse("web:problem-detail", args=[market.weld.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    listed = Proposal.objects.filter(problem=market.weld).exclude(status="withdrawn").order_by("-score", "id")
    expected = list(listed.values_list("pk", flat=True))
    assert len(expected) > PAGE_SIZE
    assert _proposal_ids(first) == expected[:PAGE_SIZE]
    assert _proposal_ids(second) == expected[PAGE_SIZE:]
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second


def test_only_the_experts_on_the_page_shown_are_written_to_the_access_log(client_for, market):
    run = run_now()
    _experts_proposed_for(market.weld, run, PAGE_SIZE + 2)
    url = reverse("web:problem-detail", args=[market.weld.pk])

    second = client_for(market.company_member).get(url, {"page": 2}).content.decode()

    shown = Proposal.objects.filter(pk__in=_proposal_ids(second)).values_list("expert__person_id", flat=True)
    assert sorted(AccessLog.objects.values_list("person_id", flat=True)) == sorted(shown)


def test_a_full_page_of_proposals_costs_the_same_queries_as_one(client_for, market):
    run = run_now()
    _experts_proposed_for(market.weld, run, 1)
    client = client_for(market.company_member)
    url = reverse("web:problem-detail", args=[market.weld.pk])
    client.get(url)  # warm: session, user

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _experts_proposed_for(market.weld, run, 2 * PAGE_SIZE)
    with CaptureQueriesContext(connection) as full:
        page = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as last:
        client.get(url, {"page": 3})

    assert page.count('data-testid="explanation"') == PAGE_SIZE
    assert len(full) == len(one) == len(last)
