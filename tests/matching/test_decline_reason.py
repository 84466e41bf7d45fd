"""Declining with an optional reason from a short list: kept on the proposal, shown to the other side (its page,
the company's notice), refused with nothing written when it is not on the list or comes with an acceptance."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from talent.common.errors import InvalidInput
from talent.matching import services
from talent.matching.models import Answer, Proposal
from talent.notifications.content import body
from talent.notifications.models import Notification
from tests.matching.market import run_now


@pytest.fixture
def wafer(market) -> Proposal:
    run_now()
    return market.proposal(market.park, market.wafer)


def page_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_experts_reason_is_kept_and_told_to_the_company(market, wafer):
    services.proposal_answer(actor=market.park_user, proposal=wafer, answer=Answer.DECLINED, reason="no_time")

    wafer.refresh_from_db()
    assert (wafer.status, wafer.decline_reason) == ("declined", "no_time")
    notice = Notification.objects.get(recipient=market.other_company_member)
    with translation.override("en"):
        assert (
            body(notice) == "An expert declined the proposal for “웨이퍼 결함 분류” (reason: No time or capacity now)."
        )
    page = page_client(market.other_company_member).get(reverse("web:problem-detail", args=[market.wafer.pk]))
    assert 'data-testid="decline-reason">No time or capacity now<' in page.content.decode()


def test_the_companys_reason_given_on_its_page_is_shown_on_the_experts_page(market, wafer):
    company = page_client(market.other_company_member)

    company.post(reverse("web:company-proposal-decline", args=[wafer.pk]), {"reason": "scope"})

    mine = page_client(market.park_user).get(reverse("web:my-proposals")).content.decode()
    assert 'data-testid="decline-reason">The scope or conditions do not fit<' in mine


def test_declining_without_a_reason_still_works(market, wafer):
    services.proposal_answer(actor=market.park_user, proposal=wafer, answer=Answer.DECLINED)

    wafer.refresh_from_db()
    assert (wafer.status, wafer.decline_reason) == ("declined", "")
    with translation.override("en"):
        assert body(Notification.objects.get(recipient=market.other_company_member)) == (
            "An expert declined the proposal for “웨이퍼 결함 분류”."
        )


@pytest.mark.parametrize(("answer", "reason"), [(Answer.ACCEPTED, "no_time"), (Answer.DECLINED, "bored")])
def test_a_reason_off_the_list_or_with_an_acceptance_is_refused_and_nothing_written(market, wafer, answer, reason):
    with translation.override("en"), pytest.raises(InvalidInput) as refusal:
        services.proposal_answer(actor=market.park_user, proposal=wafer, answer=answer, reason=reason)

    assert refusal.value.as_dict() == {"reason": ["Choose a reason from the list, and only when declining."]}
    wafer.refresh_from_db()
    assert (wafer.status, wafer.expert_response, wafer.decline_reason) == ("proposed", "pending", "")
    assert not Notification.objects.filter(kind="proposal_answered").exists()


def test_the_api_takes_the_reason_and_shows_it(market, wafer):
    api = APIClient()
    api.force_authenticate(market.park_user)

    refused = api.post(f"/api/v1/proposals/{wafer.pk}/decline/", {"reason": "bored"}, format="json")
    declined = api.post(f"/api/v1/proposals/{wafer.pk}/decline/", {"reason": "not_our_field"}, format="json")

    assert refused.status_code == 400
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decline_reason"]) == ("declined", "not_our_field")
