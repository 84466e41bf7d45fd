"""A researcher's own pages: each is theirs alone (anonymous visitors sign in first, other roles are refused,
another person's objects are not found); the forms keep what was typed and say what is wrong next to the field;
the writes are the API's services (same export, same account closing, same proposal answers)."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from talent.matching.models import MatchRun, Proposal
from talent.registry import services
from talent.registry.models import AccessLog, ExpertProfile, Organization, OverseasPosition, Person
from talent.web.views.researcher import PAGE_SIZE
from tests import factories
from tests.matching.market import run_now

PASSWORD = "correct-horse-battery-staple"

PAGES = [
    "web:researcher-home",
    "web:researcher-record",
    "web:researcher-profile",
    "web:position-add",
    "web:expert-profile",
    "web:consent",
    "web:my-proposals",
    "web:my-data",
    "web:my-data-download",
    "web:account-close",
]
OTHER_ROLES = ["company_member", "university_staff", "ministry_analyst", "outsider", "operator"]


@pytest.fixture
def profiles(researcher):
    """The researcher with a returning-researcher profile, a position, and a consenting expert profile."""
    person = researcher.person
    services.researcher_profile_save(actor=None, person=person, phd_field="06", phd_year=2015)
    services.overseas_position_add(
        actor=None,
        person=person,
        country="US",
        institution="MIT",
        start_date=datetime.date(2012, 9, 1),
        end_date=datetime.date(2020, 8, 31),
    )
    expert = services.expert_profile_save(actor=None, person=person, skills=["컴퓨터 비전"], summary_ko="비전 연구")
    services.expert_consent_set(actor=None, profile=expert, consent_to_matching=True, shared_fields=["name"])
    return person


@pytest.fixture
def stranger_position(db):
    """Another researcher's overseas position."""
    person = factories.PersonFactory(user=factories.UserFactory(username="stranger"))
    services.researcher_profile_save(actor=None, person=person)
    return services.overseas_position_add(
        actor=None, person=person, country="DE", institution="TU München", start_date=datetime.date(2015, 1, 1)
    )


# --- Who may open the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client_for, db, name):
    response = client_for(None).get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next={reverse(name)}"


#: What each page shows the researcher of `profiles`: their own data where the page has any, else its form.
SHOWS = {
    "web:researcher-home": ['data-testid="consent-state"', "이서연", "컴퓨터 비전"],
    "web:researcher-record": ['name="given_name_ko"', "서연"],
    "web:researcher-profile": ['data-testid="positions"', "MIT", "2012-09-01"],
    "web:position-add": ['name="institution"', 'name="start_date"'],
    "web:expert-profile": ['name="skills"', "컴퓨터 비전", "비전 연구"],
    "web:consent": ['name="consent_to_matching"', 'name="shared_fields"'],
    "web:my-proposals": ['data-testid="no-proposals"'],
    "web:my-data": ['data-testid="download"', 'data-testid="close-account"'],
    "web:my-data-download": ["MIT", "컴퓨터 비전", "서연"],
    "web:account-close": ['name="password"', 'data-testid="confirm-close"'],
}


@pytest.mark.parametrize("name", PAGES)
def test_the_researcher_opens_each_of_their_pages(client_for, profiles, name):
    response = client_for(profiles.user).get(reverse(name))

    assert response.status_code == 200
    body = response.content.decode()
    assert [text for text in SHOWS[name] if text not in body] == [], f"{name} lacks these"


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("actor", OTHER_ROLES, indirect=True)
def test_logins_without_a_personal_record_are_refused(client_for, actor, name):
    response = client_for(actor).get(reverse(name))

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["web:position-edit", "web:position-remove"])
def test_another_persons_position_is_not_found(client_for, profiles, stranger_position, name):
    client = client_for(profiles.user)

    assert client.get(reverse(name, args=[stranger_position.pk])).status_code == 404
    assert client.post(reverse(name, args=[stranger_position.pk]), {"institution": "x"}).status_code == 404
    assert OverseasPosition.objects.get(pk=stranger_position.pk).institution == "TU München"


# --- Record, returning-researcher profile, positions -------------------------------------------------------


def test_the_record_is_saved_through_the_service(client_for, researcher):
    person = researcher.person
    data = {"family_name_ko": "이", "given_name_ko": "서연", "nationality": "KR", "email": "SEOYEON@example.org"}

    response = client_for(researcher).post(reverse("web:researcher-record"), data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "seoyeon@example.org", "normalised by person_update"


def test_a_resident_registration_number_is_refused_next_to_the_field(client_for, researcher):
    data = {"family_name_ko": "이", "given_name_ko": "900101-1234567", "nationality": "KR"}

    response = client_for(researcher, HTTP_ACCEPT_LANGUAGE="en").post(reverse("web:researcher-record"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["given_name_ko"]
    assert 'data-testid="error-given_name_ko"' in response.content.decode()
    assert 'value="900101-1234567"' in response.content.decode(), "what was typed stays in the form"


def test_the_returning_researcher_profile_and_positions_are_added_edited_and_removed(client_for, researcher):
    client = client_for(researcher)
    client.post(reverse("web:researcher-profile"), {"phd_field": "06", "phd_year": "2014", "phd_country": "US"})
    added = client.post(
        reverse("web:position-add"),
        {"country": "US", "institution": "Stanford University", "start_date": "2014-09-01", "end_date": "2021-02-28"},
    )
    position = OverseasPosition.objects.get(profile__person=researcher.person)
    edited = client.post(
        reverse("web:position-edit", args=[position.pk]),
        {"country": "US", "institution": "Stanford", "start_date": "2014-09-01", "end_date": "2021-02-28"},
    )
    listed = client.get(reverse("web:researcher-profile")).content.decode()
    removed = client.post(reverse("web:position-remove", args=[position.pk]))

    assert (added.status_code, edited.status_code, removed.status_code) == (302, 302, 302)
    assert "Stanford" in listed and 'data-testid="years-abroad"' in listed
    assert not OverseasPosition.objects.filter(pk=position.pk).exists()


def test_a_position_in_korea_that_ends_before_it_starts_is_refused_with_field_errors(client_for, profiles):
    data = {"country": "KR", "institution": "서울대학교", "start_date": "2020-01-01", "end_date": "2019-01-01"}

    response = client_for(profiles.user, HTTP_ACCEPT_LANGUAGE="en").post(reverse("web:position-add"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors, "the service refused the position"
    assert 'value="서울대학교"' in response.content.decode()
    assert OverseasPosition.objects.filter(profile__person=profiles).count() == 1


def test_a_position_needs_a_profile_first(client_for, researcher):
    response = client_for(researcher).get(reverse("web:position-add"))

    assert response["Location"] == reverse("web:researcher-profile")


# --- Expert profile and consent -----------------------------------------------------------------------------


def _expert(**overrides: object) -> dict[str, object]:
    return {
        "skills": "컴퓨터 비전, PyTorch\n딥러닝",
        "summary_ko": "제조 공정의 불량 검출 모델을 개발했습니다.",
        "summary_en": "",
        "ksic_sections": ["C", "J"],
        "regions": ["KR-41"],
        "remote_ok": "on",
        "capacity": "2",
        "available": "on",
        **overrides,
    }


def test_the_expert_profile_is_saved_and_then_consent_is_asked(client_for, researcher):
    response = client_for(researcher).post(reverse("web:expert-profile"), _expert())

    assert response["Location"] == reverse("web:consent")
    expert = ExpertProfile.objects.get(person=researcher.person)
    assert expert.skills == ["컴퓨터 비전", "PyTorch", "딥러닝"]
    assert (expert.ksic_sections, expert.regions, expert.capacity) == (["C", "J"], ["KR-41"], 2)
    assert not expert.consent_to_matching


def test_a_capacity_out_of_range_is_refused_and_the_typed_skills_stay(client_for, researcher):
    response = client_for(researcher).post(reverse("web:expert-profile"), _expert(capacity="99"))

    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    assert "컴퓨터 비전, PyTorch" in response.content.decode()
    assert not ExpertProfile.objects.exists()


def test_consent_is_granted_with_the_shared_fields_and_withdrawn(client_for, researcher):
    client = client_for(researcher)
    assert client.get(reverse("web:consent"))["Location"] == reverse("web:expert-profile"), "a profile first"
    client.post(reverse("web:expert-profile"), _expert())

    client.post(reverse("web:consent"), {"consent_to_matching": "on", "shared_fields": ["name", "skills"]})
    granted = ExpertProfile.objects.get(person=researcher.person)
    client.post(reverse("web:consent"), {"shared_fields": ["name"]})
    withdrawn = ExpertProfile.objects.get(person=researcher.person)

    assert (granted.consent_to_matching, granted.shared_fields) == (True, ["name", "skills"])
    assert (withdrawn.consent_to_matching, withdrawn.shared_fields) == (False, [])


# --- Proposals ---------------------------------------------------------------------------------------------


def test_the_researcher_sees_their_proposal_with_why_and_accepts_it(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    client = client_for(market.lee.person.user)

    page = client.get(reverse("web:my-proposals")).content.decode()
    accepted = client.post(reverse("web:my-proposal-accept", args=[proposal.pk]))

    assert "용접 불량 자동 검출" in page and f'data-testid="proposal-{proposal.pk}"' in page
    assert 'data-testid="explanation"' in page and '<span class="tag">컴퓨터 비전</span>' in page
    assert "웨이퍼 결함 분류" not in page, "another expert's proposal"
    assert accepted["Location"] == reverse("web:my-proposals")
    assert Proposal.objects.get(pk=proposal.pk).expert_response == "accepted"


def test_the_researcher_declines_a_proposal(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    client_for(market.lee.person.user).post(reverse("web:my-proposal-decline", args=[proposal.pk]))

    assert Proposal.objects.get(pk=proposal.pk).status == "declined"


def test_answering_twice_is_said_as_a_message(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    client = client_for(market.lee.person.user, HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("web:my-proposal-decline", args=[proposal.pk]))

    again = client.post(reverse("web:my-proposal-accept", args=[proposal.pk]), follow=True)

    assert "already" in again.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == "declined"


@pytest.mark.parametrize("answer", ["web:my-proposal-accept", "web:my-proposal-decline"])
def test_another_experts_proposal_is_not_found(client_for, market, answer):
    run_now()
    theirs = market.proposal(market.park, market.wafer)

    response = client_for(market.lee.person.user).post(reverse(answer, args=[theirs.pk]))

    assert response.status_code == 404
    assert Proposal.objects.get(pk=theirs.pk).expert_response == "pending"


def test_answering_is_a_post(client_for, market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    assert (
        client_for(market.lee.person.user).get(reverse("web:my-proposal-accept", args=[proposal.pk])).status_code == 405
    )


# --- My data: download and closing the account ----------------------------------------------------------


def test_the_download_is_the_apis_export(client_for, profiles):
    client = client_for(profiles.user)

    download = client.get(reverse("web:my-data-download"))
    api = client.get("/api/v1/me/export/")

    assert download["Content-Disposition"].startswith('attachment; filename="ax-talent-my-data-')
    assert "no-store" in download["Cache-Control"]
    mine, theirs = json.loads(download.content), json.loads(api.content)
    mine.pop("exported_at"), theirs.pop("exported_at")
    assert mine == theirs
    assert mine["researcher_profile"]["positions"][0]["institution"] == "MIT"


def test_closing_the_account_needs_the_password_and_the_confirmation(client_for, profiles):
    client = client_for(profiles.user, HTTP_ACCEPT_LANGUAGE="en")

    wrong = client.post(reverse("web:account-close"), {"password": "not-mine", "confirm": "on"})
    unconfirmed = client.post(reverse("web:account-close"), {"password": PASSWORD})

    assert wrong.context["form"].errors["password"] == ["The password is not correct."]
    assert "confirm" in unconfirmed.context["form"].errors
    assert get_user_model().objects.filter(username="researcher").exists()


def test_closing_the_account_removes_the_login_and_signs_out(client_for, profiles):
    client = client_for(profiles.user)

    response = client.post(reverse("web:account-close"), {"password": PASSWORD, "confirm": "on"})

    assert response["Location"] == reverse("web:home")
    assert not get_user_model().objects.filter(username="researcher").exists()
    assert not Person.objects.filter(pk=profiles.pk).exists(), "no university keeps this record"
    assert client.get(reverse("web:researcher-home")).status_code == 302


def test_the_researchers_own_pages_write_no_access_log(client_for, market):
    run_now()
    client_for(market.lee.person.user).get(reverse("web:my-proposals"))

    assert not AccessLog.objects.exists()


def _proposed_for(expert: ExpertProfile, run: MatchRun, n: int, organization: Organization) -> list[Proposal]:
    proposals = []
    for _ in range(n):
        problem = factories.FieldProblemFactory(organization=organization, status="draft")
        proposals.append(Proposal.objects.create(run=run, expert=expert, problem=problem, score=0.4))
    return proposals


def _proposal_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="proposal-(\d+)"', page)]


def test_my_proposals_come_in_pages_newest_first_each_shown_once(client_for, market):
    run = run_now()
    _proposed_for(market.lee, run, PAGE_SIZE + 2, market.weld.organization)
    Proposal.objects.filter(expert=market.lee).update(created_at=timezone.now())  # one instant: the id decides
    client = client_for(market.lee.person.user)

    first = client.get(reverse("web:my-proposals")).content.decode()
    second = client.get(reverse("web:my-proposals"), {"page": 2}).content.decode()

    mine = Proposal.objects.filter(expert=market.lee).exclude(status="withdrawn").order_by("-id")
    expected = list(mine.values_list("pk", flat=True))
    assert len(expected) > PAGE_SIZE
    assert _proposal_ids(first) == expected[:PAGE_SIZE]
    assert _proposal_ids(second) == expected[PAGE_SIZE:]
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second


def test_a_page_of_my_proposals_costs_the_same_queries_for_1_and_a_full_page(client_for, market):
    run = run_now()
    Proposal.objects.filter(expert=market.lee).delete()
    _proposed_for(market.lee, run, 1, market.weld.organization)
    client = client_for(market.lee.person.user)
    client.get(reverse("web:my-proposals"))  # warm: session, user

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("web:my-proposals"))
    _proposed_for(market.lee, run, 2 * PAGE_SIZE, market.weld.organization)
    with CaptureQueriesContext(connection) as full:
        page = client.get(reverse("web:my-proposals")).content.decode()
    with CaptureQueriesContext(connection) as last:
        client.get(reverse("web:my-proposals"), {"page": 3})

    assert page.count('data-testid="explanation"') == PAGE_SIZE
    assert len(full) == len(one) == len(last)


def test_the_overview_counts_the_overseas_positions_with_their_unit(profiles, researcher, client_for):
    page = client_for(researcher).get(reverse("web:researcher-home")).content.decode()

    assert 'data-testid="position-count">1건</dd>' in page
