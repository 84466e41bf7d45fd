"""An expert's "download my data" holds their own match proposals and near misses (the accounts export reads
them from matching's selectors), and never another expert's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from talent.matching import services
from talent.matching.models import Answer
from talent.matching.selectors import near_misses_of_person_for_export
from tests.matching.market import run_now

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/me/export/"


def export_of(user: Any) -> dict[str, Any]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(EXPORT)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_holds_the_experts_own_proposals_with_why_and_status(market, researcher):
    run_now()

    data = export_of(researcher)

    [proposal] = data["match_proposals"]
    assert (proposal["field_problem"], proposal["status"], proposal["your_answer"]) == (
        "용접 불량 자동 검출",
        "proposed",
        "pending",
    )
    assert proposal["company_answer"] == "pending"
    assert proposal["explanation"]["matched_skills"] == ["pytorch", "컴퓨터 비전"]
    assert proposal["score"] == pytest.approx(proposal["explanation"]["score"])
    assert data["match_near_misses"] == [], "이서연 was proposed a problem: no near miss"


def test_the_export_never_holds_another_experts_proposals(market, researcher):
    run_now()

    text = json.dumps(export_of(researcher), ensure_ascii=False)
    other = json.dumps(export_of(market.park_user), ensure_ascii=False)

    assert "웨이퍼 결함 분류" not in text, "박지훈's proposal"
    assert "용접 불량 자동 검출" not in other
    assert [p["field_problem"] for p in json.loads(other)["match_proposals"]] == ["웨이퍼 결함 분류"]


def test_a_declined_proposal_stays_in_the_export_with_its_answers(market, researcher):
    run_now()
    services.proposal_answer(
        actor=market.company_member, proposal=market.proposal(market.lee, market.weld), answer=Answer.DECLINED
    )

    [proposal] = export_of(researcher)["match_proposals"]

    assert (proposal["status"], proposal["company_answer"], proposal["your_answer"]) == (
        "declined",
        "declined",
        "pending",
    )
    assert proposal["decided_at"] is not None
    assert "company-member" not in json.dumps(proposal), "who answered for the company is their data"


def test_the_near_misses_say_how_close_the_expert_came(market):
    run_now()

    misses = {miss["field_problem"]: miss for miss in near_misses_of_person_for_export(person=market.choi.person)}

    assert misses["용접 불량 자동 검출"]["explanation"]["gap"] > 0
    assert misses["용접 불량 자동 검출"]["explanation"]["missing_skills"] == ["pytorch"]


def test_an_expert_never_matched_exports_empty_sections(market):
    data = export_of(market.park_user)

    assert (data["match_proposals"], data["match_near_misses"]) == ([], [])
