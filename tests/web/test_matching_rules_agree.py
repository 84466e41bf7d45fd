"""The API and the pages apply matching's rules the same way, because both call the same service and selectors:
an answer refused by one is refused by the other with the same words, both list the same proposals, the answer
buttons show exactly when an answer would be taken, and the same roles may start match runs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from talent.common.errors import NotAllowed
from talent.matching import services
from talent.matching.models import MatchRun, Proposal, ProposalStatus
from tests.matching.market import run_now

PROPOSALS = "/api/v1/proposals/"
ACCEPT, DECLINE = "accepted", "declined"  # Answer values
PAGE_URL: dict[tuple[str, str], str] = {
    ("expert", ACCEPT): "web:my-proposal-accept",
    ("expert", DECLINE): "web:my-proposal-decline",
    ("company", ACCEPT): "web:company-proposal-accept",
    ("company", DECLINE): "web:company-proposal-decline",
}
API_ACTION: dict[str, str] = {ACCEPT: "accept", DECLINE: "decline"}


def api_for(user: Any, language: str = "ko") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user=get_user_model().objects.get(pk=user.pk))
    return client


# Each case: what happened first (side, answer; or a newer run withdrew it), then which side answers what, and the
# refusal both must give.
REFUSALS: dict[str, tuple[list[Any], tuple[str, str], str]] = {
    "the expert accepts twice": ([("expert", ACCEPT)], ("expert", ACCEPT), "proposal_answered"),
    "the expert declines, then accepts": ([("expert", DECLINE)], ("expert", ACCEPT), "proposal_answered"),
    "the company accepts twice": ([("company", ACCEPT)], ("company", ACCEPT), "proposal_answered"),
    "the company declined, the expert accepts": ([("company", DECLINE)], ("expert", ACCEPT), "proposal_decided"),
    "a newer run withdrew it": (["withdrawn"], ("company", DECLINE), "proposal_withdrawn"),
}


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("case", REFUSALS)
def test_an_answer_the_api_refuses_the_page_refuses_with_the_same_words(client_for, market, case, language):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    users = {"expert": market.lee.person.user, "company": market.company_member}
    before, (side, given), code = REFUSALS[case]
    for step in before:
        if step == "withdrawn":
            Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.WITHDRAWN)
        else:
            services.proposal_answer(actor=users[step[0]], proposal=proposal, answer=step[1])
    state = Proposal.objects.filter(pk=proposal.pk).values("status", "expert_response", "company_response").get()

    by_api = api_for(users[side], language).post(f"{PROPOSALS}{proposal.pk}/{API_ACTION[given]}/")
    by_page = client_for(users[side], HTTP_ACCEPT_LANGUAGE=language).post(
        reverse(PAGE_URL[(side, given)], args=[proposal.pk])
    )

    assert (by_api.status_code, by_api.data["code"]) == (409, code)
    assert by_page.status_code == 302
    assert [str(m) for m in get_messages(by_page.wsgi_request)] == [by_api.data["detail"]]
    assert Proposal.objects.filter(pk=proposal.pk).values("status", "expert_response", "company_response").get() == (
        state
    ), "a refused answer changes nothing"


def test_the_first_answer_is_taken_alike_by_the_api_and_the_page(client_for, market):
    run_now()
    weld, wafer = market.proposal(market.lee, market.weld), market.proposal(market.park, market.wafer)

    by_page = client_for(market.lee.person.user).post(reverse("web:my-proposal-accept", args=[weld.pk]))
    by_api = api_for(market.park_user).post(f"{PROPOSALS}{wafer.pk}/accept/")

    assert by_page.status_code == 302 and by_api.status_code == 200
    answered = Proposal.objects.filter(pk__in=[weld.pk, wafer.pk]).values_list("status", "expert_response")
    assert list(answered) == [("proposed", "accepted"), ("proposed", "accepted")]


def _page_ids(response: Any) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'data-testid="proposal-(\d+)"', response.content.decode())]


def _api_ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.data
    return sorted(row["id"] for row in response.data["results"])


@pytest.fixture
def every_status(market) -> dict[str, Proposal]:
    """The weld problem with a declined proposal (이서연, declined by the company), an accepted one (최민수; he has
    no login, so his side's answer is written directly) and a withdrawn one of 이서연 (as a newer run leaves them)."""
    run_now()
    declined = market.proposal(market.lee, market.weld)
    services.proposal_answer(actor=market.company_member, proposal=declined, answer=DECLINE)
    run_now()  # 최민수 is proposed for the weld problem instead
    accepted = market.proposal(market.choi, market.weld)
    services.proposal_answer(actor=market.company_member, proposal=accepted, answer=ACCEPT)
    Proposal.objects.filter(pk=accepted.pk).update(status="accepted", expert_response="accepted")
    withdrawn = Proposal.objects.create(
        run=accepted.run, expert=market.lee, problem=market.weld, score=0.3, status=ProposalStatus.WITHDRAWN
    )
    return {"declined": declined, "accepted": accepted, "withdrawn": withdrawn}


def test_the_company_page_and_the_api_list_the_same_proposals(client_for, market, every_status):
    page = client_for(market.company_member).get(reverse("web:problem-detail", args=[market.weld.pk]))
    api = api_for(market.company_member).get(PROPOSALS, {"problem": market.weld.pk})
    withdrawn = api_for(market.company_member).get(PROPOSALS, {"problem": market.weld.pk, "status": "withdrawn"})

    listed = sorted([every_status["declined"].pk, every_status["accepted"].pk])
    assert sorted(_page_ids(page)) == listed
    assert _api_ids(api) == listed
    assert _api_ids(withdrawn) == [every_status["withdrawn"].pk], "asked for by status, the API lists them"


def test_the_expert_page_and_the_api_list_the_same_proposals(client_for, market, every_status):
    page = client_for(market.lee.person.user).get(reverse("web:my-proposals"))
    api = api_for(market.lee.person.user).get(PROPOSALS)

    assert _page_ids(page) == [every_status["declined"].pk]
    assert _api_ids(api) == [every_status["declined"].pk]


def test_the_problem_list_counts_the_live_proposals_the_problem_page_shows(client_for, market, every_status):
    response = client_for(market.company_member).get(reverse("web:company-home"))

    counts = {problem.pk: problem.live_proposals for problem in response.context["problems"]}
    assert counts[market.weld.pk] == 1, "the accepted one; the declined and the withdrawn are not live"


def _buttons(response: Any, proposal: Proposal) -> bool:
    page = response.content.decode()
    box = page[page.index(f'data-testid="proposal-{proposal.pk}"') :]
    box = box[: box.index("</article>")]
    return 'data-testid="accept"' in box and 'data-testid="decline"' in box


def test_the_answer_buttons_show_exactly_when_the_api_would_take_an_answer(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    services.proposal_answer(actor=market.lee.person.user, proposal=proposal, answer=ACCEPT)

    expert_page = client_for(market.lee.person.user).get(reverse("web:my-proposals"))
    company_page = client_for(market.company_member).get(reverse("web:problem-detail", args=[market.weld.pk]))

    assert not _buttons(expert_page, proposal), "the expert has answered"
    assert _buttons(company_page, proposal), "the company has not"
    assert api_for(market.lee.person.user).post(f"{PROPOSALS}{proposal.pk}/decline/").status_code == 409
    assert api_for(market.company_member).post(f"{PROPOSALS}{proposal.pk}/accept/").status_code == 200


def test_the_overview_counts_the_proposals_that_wait_for_the_experts_answer(client_for, market):
    run_now()
    client = client_for(market.lee.person.user)
    waiting = client.get(reverse("web:researcher-home")).context["open_proposals"]
    services.proposal_answer(
        actor=market.lee.person.user, proposal=market.proposal(market.lee, market.weld), answer=ACCEPT
    )

    answered = client.get(reverse("web:researcher-home")).context["open_proposals"]

    assert (waiting, answered) == (1, 0), "accepted and waiting for the company: no longer waits for the expert"


ROLES = ["ministry_analyst", "operator", "university_staff", "company_member", "researcher", "outsider"]


@pytest.mark.parametrize("role", ROLES)
def test_the_service_the_api_and_the_pages_let_the_same_roles_start_a_run(role, client_for, request):
    user = request.getfixturevalue(role)
    allowed = role in {"ministry_analyst", "operator"}

    page = client_for(user).get(reverse("web:analyst-home"))
    api = api_for(user).get("/api/v1/match-runs/")
    try:
        services.match_run_request(actor=user, enqueue=False)
    except NotAllowed:
        by_service = False
    else:
        by_service = True

    assert (page.status_code, api.status_code, by_service) == ((200, 200, True) if allowed else (403, 403, False))
    assert MatchRun.objects.exists() is allowed
