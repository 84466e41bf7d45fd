"""A person's own data over the API: their record, returning-researcher profile and overseas positions, expert
profile and consent, a download of everything held about them, and closing their account."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from talent.accounts.services import claim_code_redeem
from talent.registry import services
from talent.registry.models import (
    Enrollment,
    ExpertProfile,
    OverseasPosition,
    Person,
    ResearcherProfile,
)
from talent.registry.services.claims import claim_code_issue
from tests import factories

ME = "/api/v1/me/"
RESEARCHER_PROFILE = "/api/v1/me/researcher-profile/"
POSITIONS = "/api/v1/me/positions/"
EXPERT_PROFILE = "/api/v1/me/expert-profile/"
CONSENT = "/api/v1/me/consent/"
EXPORT = "/api/v1/me/export/"
PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password


def position_url(position: OverseasPosition) -> str:
    return f"{POSITIONS}{position.pk}/"


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def me(world) -> APIClient:
    return client_of(world.users["researcher"])


@pytest.fixture
def own_position(world) -> OverseasPosition:
    return world.researcher_person.researcher_profile.positions.get()


@pytest.fixture
def claimed_student(world) -> tuple[Any, Person]:
    """서윤아, enrolled at 가람대학교, who claimed her record with her own login; staff B has read nothing."""
    staff = world.users["university_a"]
    enrollment = world.enrollment_a
    services.enrollment_transition(
        actor=staff, enrollment=enrollment, status="enrolled", effective_date=datetime.date(2026, 3, 2)
    )
    _claim, code = claim_code_issue(actor=staff, enrollment=enrollment)
    login = factories.UserFactory(username="yuna.seo")
    return login, claim_code_redeem(user=login, code=code)


# --- The record -------------------------------------------------------------------------------------------


def test_a_researcher_reads_their_own_record_without_the_login_link(world, me):
    response = me.get(ME)

    assert response.status_code == 200
    assert (response.data["id"], response.data["family_name_ko"], response.data["given_name_ko"]) == (
        world.researcher_person.pk,
        "오",
        "지민",
    )
    assert "user" not in response.data


def test_a_researcher_corrects_their_record_but_cannot_move_the_login(world, me):
    other_login = world.users["other_researcher"]

    response = me.patch(ME, {"given_name_latin": "Jimin", "orcid": "0000-0002-1825-0097", "user": other_login.pk})

    assert response.status_code == 200, response.data
    person = Person.objects.get(pk=world.researcher_person.pk)
    assert (person.given_name_latin, person.orcid, person.user) == (
        "Jimin",
        "0000-0002-1825-0097",
        world.users["researcher"],
    )


def test_a_resident_registration_number_in_a_name_is_refused(world, me):
    response = me.patch(ME, {"family_name_ko": "오 860514-2345678"})

    assert response.status_code == 400
    assert "resident registration number" in response.data["errors"]["family_name_ko"][0]
    assert Person.objects.get(pk=world.researcher_person.pk).family_name_ko == "오"


def test_logins_without_a_record_are_told_to_register_or_claim(world):
    response = client_of(world.users["company"]).get(ME)

    assert response.status_code == 403
    assert "claim your student record" in response.data["detail"]


# --- Returning-researcher profile and overseas positions ---------------------------------------------------


def test_the_researcher_profile_shows_the_positions_and_the_years_abroad(world, me):
    response = me.get(RESEARCHER_PROFILE)

    assert response.status_code == 200
    assert [p["institution"] for p in response.data["positions"]] == ["Stanford University"]
    assert 8.3 < response.data["years_abroad"] < 8.5
    assert response.data["eligible_for_return_track"] is True


def test_a_researcher_adds_a_position_and_the_years_abroad_follow(world, me):
    body = {
        "country": "DE",
        "institution": "Max-Planck-Institut für Informatik",
        "start_date": "2014-03-01",
        "end_date": "2017-08-31",
    }

    response = me.post(POSITIONS, body)

    assert response.status_code == 201, response.data
    assert OverseasPosition.objects.get(pk=response.data["id"]).profile.person == world.researcher_person
    assert me.get(RESEARCHER_PROFILE).data["years_abroad"] > 11.9


def test_a_position_cannot_end_before_it_starts(world, me, own_position):
    response = me.patch(position_url(own_position), {"end_date": "2016-01-01"})

    assert response.status_code == 400
    assert response.data["detail"] == "A position cannot end before it starts."
    own_position.refresh_from_db()
    assert own_position.end_date == datetime.date(2026, 2, 1)


def test_a_position_in_korea_is_not_overseas(world, me):
    response = me.post(POSITIONS, {"country": "KR", "institution": "서울대학교", "start_date": "2018-03-01"})

    assert response.status_code == 400
    assert response.data["detail"] == "An overseas position is outside Korea."


def test_a_researcher_corrects_and_removes_their_own_position(me, own_position):
    corrected = me.patch(position_url(own_position), {"title": "선임연구원"})
    assert corrected.status_code == 200
    assert corrected.data["title"] == "선임연구원"

    assert me.delete(position_url(own_position)).status_code == 204
    assert not OverseasPosition.objects.filter(pk=own_position.pk).exists()


def test_another_researchers_position_is_not_found(world, own_position):
    other = client_of(world.users["other_researcher"])

    assert other.get(position_url(own_position)).status_code == 404
    assert other.patch(position_url(own_position), {"title": "가짜"}).status_code == 404
    assert other.delete(position_url(own_position)).status_code == 404
    assert OverseasPosition.objects.get(pk=own_position.pk).title == ""


def test_a_malformed_position_id_is_not_found_in_json(me):
    response = me.get(f"{POSITIONS}0.5/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_positions_need_a_researcher_profile_first(world, claimed_student):
    login, _person = claimed_student
    student = client_of(login)

    response = student.post(POSITIONS, {"country": "US", "institution": "MIT", "start_date": "2020-09-01"})

    assert response.status_code == 409
    assert student.get(RESEARCHER_PROFILE).status_code == 404
    assert student.put(RESEARCHER_PROFILE, {"phd_field": "06"}).status_code == 200
    assert (
        student.post(POSITIONS, {"country": "US", "institution": "MIT", "start_date": "2020-09-01"}).status_code == 201
    )


def test_the_position_list_shows_only_ones_own_in_a_fixed_number_of_queries(world, me):
    profile = world.researcher_person.researcher_profile
    for year in (2010, 2012, 2014):
        services.overseas_position_add(
            actor=world.users["researcher"],
            person=profile.person,
            country="JP",
            institution=f"도쿄대학 {year}",
            start_date=datetime.date(year, 4, 1),
            end_date=datetime.date(year + 1, 3, 31),
        )

    with CaptureQueriesContext(connection) as queries:
        response = me.get(POSITIONS)

    assert response.status_code == 200
    assert {row["id"] for row in response.data["results"]} == set(profile.positions.values_list("pk", flat=True))
    assert len(queries) == 3  # the record (permission), count, page: the positions are found through the login


# --- Expert profile, availability and consent ----------------------------------------------------------------


def test_an_expert_pauses_their_availability(world, me):
    response = me.patch(EXPERT_PROFILE, {"available": False})

    assert response.status_code == 200
    assert ExpertProfile.objects.get(person=world.researcher_person).available is False


def test_an_expert_profile_keeps_its_consent_when_edited(world, me):
    response = me.put(
        EXPERT_PROFILE,
        {
            "skills": ["강화학습", "로봇 제어"],
            "summary_ko": "협동 로봇 제어",
            "capacity": 3,
            "consent_to_matching": False,
        },
        format="json",
    )

    assert response.status_code == 200, response.data
    profile = ExpertProfile.objects.get(person=world.researcher_person)
    assert (profile.skills, profile.capacity, profile.consent_to_matching) == (["강화학습", "로봇 제어"], 3, True)


@pytest.mark.parametrize("capacity", [0, 21])
def test_a_capacity_out_of_range_is_refused_next_to_the_field(world, me, capacity):
    response = me.patch(EXPERT_PROFILE, {"capacity": capacity}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.data["errors"] == {"capacity": ["Capacity is between 1 and 20 problems at once."]}


def test_consent_is_withdrawn_and_the_shared_fields_are_cleared(world, me):
    withdrawn = me.put(CONSENT, {"consent_to_matching": False, "shared_fields": ["name"]}, format="json")

    assert withdrawn.status_code == 200
    assert withdrawn.data["consent_to_matching"] is False
    assert withdrawn.data["shared_fields"] == []
    assert ExpertProfile.objects.get(person=world.researcher_person).consent_to_matching is False


def test_consent_is_granted_with_the_fields_a_company_may_see(world, me):
    me.put(CONSENT, {"consent_to_matching": False}, format="json")

    granted = me.put(
        CONSENT, {"consent_to_matching": True, "shared_fields": ["skills", "summary", "skills"]}, format="json"
    )

    assert granted.status_code == 200
    assert granted.data["shared_fields"] == ["skills", "summary"]
    assert granted.data["consent_updated_at"] is not None


def test_consent_names_only_known_fields_and_must_be_explicit(me):
    assert (
        me.put(CONSENT, {"consent_to_matching": True, "shared_fields": ["birth_date"]}, format="json").status_code
        == 400
    )
    assert me.put(CONSENT, {"shared_fields": ["name"]}, format="json").status_code == 400


def test_consent_needs_an_expert_profile(claimed_student):
    login, _person = claimed_student

    response = client_of(login).get(CONSENT)

    assert response.status_code == 404
    assert "no expert profile" in response.data["detail"]


# --- Export ---------------------------------------------------------------------------------------------------


def test_the_export_is_a_download_with_the_enrollment_history_and_who_read_the_record(world, claimed_student):
    login, person = claimed_student
    enrollment = world.enrollment_a
    advisor = services.advisor_appoint(
        actor=world.users["university_a"],
        university=enrollment.university,
        role="advisor",
        new_person={"family_name_ko": "남궁", "given_name_ko": "교수"},
    ).person
    services.enrollment_update(actor=world.users["university_a"], enrollment=enrollment, advisor=advisor)
    services.access_log_record(actor=world.users["university_a"], person_ids=[person.pk], action="enrollment_read")

    response = client_of(login).get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ax-talent-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["person"]["id"] == person.pk
    [exported] = data["enrollments"]
    assert (exported["university"], exported["student_number"], exported["status"]) == (
        "가람대학교",
        "A2026001",
        "enrolled",
    )
    assert [event["status"] for event in exported["history"]] == ["admitted", "enrolled"]
    assert data["record_reads"] == [
        {"organization": "가람대학교", "action": "enrollment_read", "at": data["record_reads"][0]["at"]}
    ]
    text = response.content.decode()
    for someone_else in ("남궁", "staff-a", "권", "도윤", "오", "지민", "researcher@example.org"):
        assert someone_else not in text


def test_the_export_holds_the_profiles_and_consent(world, me):
    data = json.loads(me.get(EXPORT).content)

    assert data["account"]["username"] == "researcher"
    assert [p["institution"] for p in data["researcher_profile"]["positions"]] == ["Stanford University"]
    assert data["expert_profile"]["consent_to_matching"] is True
    assert data["expert_profile"]["shared_fields"] == ["name", "skills"]
    assert data["enrollments"] == []
    assert "유" not in me.get(EXPORT).content.decode()  # the other researcher, 유하준


def test_the_export_holds_what_matching_keeps_about_the_person(world, me):
    data = json.loads(me.get(EXPORT).content)

    # The proposals themselves are tested in tests/matching/test_export.py; none has been made here yet.
    assert data["match_proposals"] == []
    assert data["match_near_misses"] == []


# --- Closing the account ------------------------------------------------------------------------------------


def test_closing_the_account_keeps_the_universitys_enrollment_without_a_login(world, claimed_student):
    login, person = claimed_student
    services.expert_profile_save(actor=login, person=person, skills=["로보틱스"])
    services.researcher_profile_save(actor=login, person=person, phd_field="07")
    client = client_of(login)
    client.post("/api/v1/auth/token/", {"username": "yuna.seo", "password": PASSWORD}, format="json")

    response = client.delete(ME, {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    person.refresh_from_db()
    assert person.user is None
    assert person.family_name_ko == "서"
    assert Enrollment.objects.get(pk=world.enrollment_a.pk).person == person
    assert not ExpertProfile.objects.filter(person=person).exists()
    assert not ResearcherProfile.objects.filter(person=person).exists()
    assert not get_user_model().objects.filter(username="yuna.seo").exists()
    assert not Token.objects.filter(user_id=login.pk).exists()


def test_closing_the_account_of_a_researcher_without_enrollments_removes_the_record(world, me):
    person_id = world.researcher_person.pk

    assert me.delete(ME, {"password": PASSWORD}, format="json").status_code == 204

    assert not Person.objects.filter(pk=person_id).exists()
    assert not OverseasPosition.objects.filter(profile__person_id=person_id).exists()
    assert not get_user_model().objects.filter(username="researcher").exists()
    assert Person.objects.filter(pk=world.other_researcher_person.pk).exists()


def test_closing_the_account_needs_the_current_password(world, me):
    response = me.delete(ME, {"password": "not-my-password"}, format="json")

    assert response.status_code == 400
    assert response.data["errors"]["password"] == ["The password is not correct."]
    assert Person.objects.get(pk=world.researcher_person.pk).user == world.users["researcher"]
    assert ExpertProfile.objects.filter(person=world.researcher_person).exists()
    assert me.delete(ME, format="json").status_code == 400


def test_closing_the_account_is_no_way_around_the_sign_in_lockout(world, me):
    """Five wrong passwords lock the login (django-axes), as at sign-in: then even the right one is refused."""
    wrong = [me.delete(ME, {"password": f"guess-{n}"}, format="json").status_code for n in range(5)]
    assert wrong == [400] * 5

    response = me.delete(ME, {"password": PASSWORD}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert response.data["code"] == "locked_out"
    assert "locked for 15 minutes" in response.data["detail"]
    assert int(response["Retry-After"]) == 15 * 60
    assert Person.objects.get(pk=world.researcher_person.pk).user == world.users["researcher"]


# Each bound of an expert profile's texts and lists: the value at the bound is taken, one more is refused beside its
# field with the bound in the message, and the stored profile keeps what it had.
EXPERT_BOUNDS = {
    "summary_ko": ("가" * 3_000, "가" * 3_001, "3000"),
    "summary_en": ("a" * 3_000, "a" * 3_001, "3000"),
    "skills": ([f"기술{n}" for n in range(50)], [f"기술{n}" for n in range(51)], "50"),
}


@pytest.mark.parametrize("field", EXPERT_BOUNDS)
def test_each_bound_of_an_expert_profile_takes_its_limit_and_refuses_one_more_naming_it(world, me, field):
    at_bound, over, limit = EXPERT_BOUNDS[field]
    body = {"skills": ["강화학습"], "summary_ko": "협동 로봇 제어", "capacity": 1}

    refused = me.put(EXPERT_PROFILE, {**body, field: over}, format="json")
    kept = ExpertProfile.objects.filter(person=world.researcher_person).values_list(field, flat=True).first()
    taken = me.put(EXPERT_PROFILE, {**body, field: at_bound}, format="json")

    assert refused.status_code == 400 and limit in str(refused.data["errors"][field]), refused.data
    assert kept != over
    assert taken.status_code == 200, taken.data
    assert getattr(ExpertProfile.objects.get(person=world.researcher_person), field) == at_bound
