"""The issue's bad input, refused with a clear message and nothing written: no answer, history row, notification or
engagement for accepting a proposal a newer run withdrew or answering for another company's problem, and nothing
more for closing an engagement twice."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from talent.common.errors import Conflict, NotAllowed
from talent.engagements.models import Engagement
from talent.matching import services as matching
from talent.matching.models import (  # type: ignore[attr-defined]  # pghistory makes ProposalHistory at run time
    Answer,
    ProposalHistory,
)
from talent.notifications.models import Notification
from talent.registry import services as registry
from tests.matching.market import run_now


def written() -> tuple[int, int, int]:
    return ProposalHistory.objects.count(), Notification.objects.count(), Engagement.objects.count()


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def test_accepting_a_proposal_a_newer_run_withdrew_writes_nothing(market):
    run_now()
    weld = market.proposal(market.lee, market.weld)
    registry.field_problem_close(actor=None, problem=market.weld)
    run_now()
    before = written()

    with pytest.raises(Conflict) as refusal:
        matching.proposal_answer(actor=market.company_member, proposal=weld, answer=Answer.ACCEPTED)

    assert str(refusal.value) == "A newer match run withdrew this proposal."
    assert written() == before
    weld.refresh_from_db()
    assert (weld.status, weld.company_response, weld.company_responded_by) == ("withdrawn", "pending", None)


def test_answering_for_another_companys_problem_writes_nothing(market):
    run_now()
    wafer = market.proposal(market.park, market.wafer)  # 누리반도체's problem
    before = written()

    with pytest.raises(NotAllowed) as refusal:
        matching.proposal_answer(actor=market.company_member, proposal=wafer, answer=Answer.DECLINED)
    via_api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    via_api.force_authenticate(market.company_member)
    response = via_api.post(f"/api/v1/proposals/{wafer.pk}/decline/", {"reason": "scope"}, format="json")

    assert str(refusal.value) == "Only the expert or a member of the problem's company may answer this proposal."
    assert response.status_code == 404, "another company's proposal is not found"
    assert written() == before
    wafer.refresh_from_db()
    assert (wafer.status, wafer.company_response, wafer.decline_reason) == ("proposed", "pending", "")


def test_closing_an_engagement_twice_changes_and_tells_nothing_more(market, engaged):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(market.other_company_member)
    first = client.post(f"/api/v1/engagements/{engaged.pk}/close/", {"outcome": "solved", "note": "적용 완료"})
    history, notices = engaged.history.count(), Notification.objects.count()

    second = client.post(f"/api/v1/engagements/{engaged.pk}/close/", {"outcome": "not_pursued", "note": "다시"})

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["detail"] == "This engagement was already closed (Solved)."
    engaged.refresh_from_db()
    assert (engaged.outcome, engaged.note) == ("solved", "적용 완료")
    assert (engaged.history.count(), Notification.objects.count()) == (history, notices)
