"""Engagements: a proposal both sides accept becomes one; each side sees the other's contact only as the expert's
consent allows; either side closes it once with an outcome; every role sees its own list, the ministry counts."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.engagements import selectors, services
from talent.engagements.models import Engagement
from talent.matching import services as matching
from talent.matching.models import Answer
from talent.registry.models import AccessLog
from tests import factories
from tests.matching.market import run_now

RRN_LIKE = "연락처 900101-1234568 참고"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_one_side_accepting_starts_nothing_the_second_acceptance_starts_the_engagement(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)

    matching.proposal_answer(actor=market.park_user, proposal=proposal, answer=Answer.ACCEPTED)
    assert not Engagement.objects.exists()

    matching.proposal_answer(actor=market.other_company_member, proposal=proposal, answer=Answer.ACCEPTED)
    engagement = Engagement.objects.get()
    assert (engagement.proposal_id, engagement.status, engagement.outcome) == (proposal.pk, "active", "")


def test_a_declined_proposal_starts_no_engagement(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    matching.proposal_answer(actor=market.park_user, proposal=proposal, answer=Answer.ACCEPTED)
    matching.proposal_answer(actor=market.other_company_member, proposal=proposal, answer=Answer.DECLINED)

    assert not Engagement.objects.exists()


def test_the_company_sees_what_the_expert_shares_and_the_expert_sees_who_accepted_for_the_company(market, engaged):
    market.other_company_member.email = "member@nuri.example.com"
    market.other_company_member.save()
    engaged.refresh_from_db()

    company_view = selectors.engagement_contact(user=market.other_company_member, engagement=engaged)
    expert_view = selectors.engagement_contact(user=market.park_user, engagement=engaged)

    assert company_view["expert"]["name"] == "박지훈"
    assert company_view["expert"]["email"] == "park@example.org"
    assert "skills" not in company_view["expert"], "박지훈 does not share skills"
    assert expert_view["company"]["contact_email"] == "member@nuri.example.com"


def test_an_expert_who_shares_no_email_is_shown_to_the_company_without_one(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    matching.proposal_answer(actor=market.lee.person.user, proposal=proposal, answer=Answer.ACCEPTED)
    matching.proposal_answer(actor=market.company_member, proposal=proposal, answer=Answer.ACCEPTED)

    response = api(market.company_member).get(f"/api/v1/engagements/{proposal.engagement.pk}/")

    assert response.status_code == 200, response.content
    expert = response.json()["contact"]["expert"]
    assert expert["name"] == "이서연" and "email" not in expert
    assert sorted(expert["skills"]) == ["PyTorch", "컴퓨터 비전"]


def test_each_role_lists_only_its_own_engagements_and_the_ministry_only_counts(
    market, engaged, ministry_analyst, outsider
):
    def listed(user):
        response = api(user).get("/api/v1/engagements/")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert listed(market.park_user) == [engaged.pk]
    assert listed(market.other_company_member) == [engaged.pk]
    assert listed(market.company_member) == []
    assert listed(ministry_analyst) == []
    assert listed(outsider) == []
    assert api(market.company_member).get(f"/api/v1/engagements/{engaged.pk}/").status_code == 404

    counts = api(ministry_analyst).get("/api/v1/engagements/counts/")
    assert counts.status_code == 200
    assert counts.json() == {
        "total": 1,
        "by_status": {"active": 1, "closed": 0},
        "by_outcome": {"solved": 0, "partly": 0, "not_pursued": 0},
        "by_section": {"C": 1},
    }
    assert api(market.park_user).get("/api/v1/engagements/counts/").status_code == 403


def test_reading_the_experts_contact_is_written_to_the_access_log(market, engaged):
    api(market.other_company_member).get(f"/api/v1/engagements/{engaged.pk}/")

    assert AccessLog.objects.filter(
        user=market.other_company_member, person=market.park.person, action="engagement_retrieve"
    ).exists()


def test_either_side_closes_it_once_with_an_outcome_and_a_note(market, engaged):
    response = api(market.park_user).post(
        f"/api/v1/engagements/{engaged.pk}/close/", {"outcome": "solved", "note": "분류 모델을 라인에 적용했습니다."}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["outcome"]) == ("closed", "solved")

    again = api(market.other_company_member).post(
        f"/api/v1/engagements/{engaged.pk}/close/", {"outcome": "not_pursued"}
    )
    assert again.status_code == 409
    assert again.json()["code"] == "engagement_closed"
    engaged.refresh_from_db()
    assert (engaged.outcome, engaged.note, engaged.closed_by) == (
        "solved",
        "분류 모델을 라인에 적용했습니다.",
        market.park_user,
    )


def test_closing_is_refused_to_others_and_for_bad_input_with_nothing_written(market, engaged, operator):
    with pytest.raises(NotAllowed):
        services.engagement_close(actor=operator, engagement=engaged, outcome="solved")
    with pytest.raises(InvalidInput) as unknown:
        services.engagement_close(actor=market.park_user, engagement=engaged, outcome="finished")
    with pytest.raises(InvalidInput) as rrn:
        services.engagement_close(actor=market.park_user, engagement=engaged, outcome="partly", note=RRN_LIKE)
    too_long = api(market.park_user).post(
        f"/api/v1/engagements/{engaged.pk}/close/", {"outcome": "partly", "note": "가" * 1001}
    )

    assert unknown.value.field == "outcome"
    assert "note" in rrn.value.as_dict()
    assert too_long.status_code == 400 and "note" in too_long.json()["errors"]
    engaged.refresh_from_db()
    assert (engaged.status, engaged.outcome, engaged.note) == ("active", "", "")


def test_a_member_of_another_company_cannot_close_it(market, engaged):
    with pytest.raises(NotAllowed):
        services.engagement_close(actor=market.company_member, engagement=engaged, outcome="solved")


def test_closing_twice_in_the_service_says_so_in_english_when_asked(market, engaged):
    from django.utils import translation

    services.engagement_close(actor=market.park_user, engagement=engaged, outcome="partly")
    with translation.override("en"), pytest.raises(Conflict) as twice:
        services.engagement_close(actor=market.park_user, engagement=engaged, outcome="solved")

    assert str(twice.value) == "This engagement was already closed (Partly solved)."


def test_university_staff_see_the_engagements_of_their_own_students(market, engaged, university_staff, ms_programme):
    import datetime

    from talent.registry import services as registry

    registry.enrollment_admit(
        actor=university_staff,
        person=market.park.person,
        programme=ms_programme,
        student_number="2026-0099",
        admission_date=datetime.date(2026, 3, 2),
    )
    other = factories.UserFactory(username="other-staff")
    factories.MembershipFactory(user=other, organization=factories.UniversityFactory(name_ko="다른대학교"))

    assert list(selectors.engagement_list_for_user(user=university_staff)) == [engaged]
    assert list(selectors.engagement_list_for_user(user=other)) == []
