"""Signing up and signing in: a returning researcher registers, scripts use a token, browsers a session; five
wrong passwords lock a username out for a while; a student claims their university record with a code."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import F
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from talent.registry import services
from talent.registry.models import ClaimCode, Person, PersonMerge, ResearcherProfile
from talent.registry.services.claims import claim_code_issue
from tests import factories

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
LOGIN = "/api/v1/auth/login/"
LOGOUT = "/api/v1/auth/logout/"
CLAIM = "/api/v1/auth/claim/"
ME = "/api/v1/me/"
PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password
STRONG = "귀국-연구자의-긴-암호-2026"


def english_client(**kwargs: Any) -> APIClient:
    client = APIClient(**kwargs)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def new_researcher(**overrides: Any) -> dict[str, Any]:
    body = {
        "email": "Minjun.Park@Example.org",
        "password": STRONG,
        "family_name_ko": "박",
        "given_name_ko": "민준",
        "family_name_latin": "Park",
        "given_name_latin": "Minjun",
        "nationality": "KR",
        "birth_date": "1986-05-14",
        "consent_required": True,
        "consent_optional": True,
    }
    return {**body, **overrides}


# --- Registering ------------------------------------------------------------------------------------------


def test_a_returning_researcher_registers_and_the_token_signs_them_in(db):
    response = APIClient().post(REGISTER, new_researcher(), format="json")

    assert response.status_code == 201, response.data
    assert response.data["username"] == "minjun.park@example.org"
    person = Person.objects.get(pk=response.data["person"]["id"])
    assert (person.family_name_ko, person.given_name_ko, person.email) == ("박", "민준", "minjun.park@example.org")
    assert person.user is not None and person.user.get_username() == "minjun.park@example.org"
    assert ResearcherProfile.objects.filter(person=person).exists()

    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    me = script.get(ME)
    assert me.status_code == 200
    assert me.data["id"] == person.pk


def test_a_chosen_username_is_kept_and_the_researcher_profile_is_optional(db):
    response = APIClient().post(REGISTER, new_researcher(username="minjun", researcher=False), format="json")

    assert response.status_code == 201, response.data
    assert response.data["username"] == "minjun"
    assert not ResearcherProfile.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("짧은암호1", "This password is too short. It must contain at least 10 characters."),
        ("31415926535897", "This password is entirely numeric."),
        ("password1234", "This password is too common."),
        ("minjun.park@example", "The password is too similar to the username."),  # the email address
    ],
    ids=["short", "numeric", "common", "like-the-username"],
)
def test_a_weak_password_is_refused_with_the_reason_and_nothing_is_created(db, password, message):
    response = english_client().post(REGISTER, new_researcher(password=password), format="json")

    assert response.status_code == 400
    assert message in response.data["errors"]["password"]
    assert not get_user_model().objects.exists()
    assert not Person.objects.exists()


def test_a_resident_registration_number_in_a_name_is_refused(db):
    response = english_client().post(REGISTER, new_researcher(given_name_ko="860514-1234567"), format="json")

    assert response.status_code == 400
    assert "resident registration number" in response.data["errors"]["given_name_ko"][0]
    assert not get_user_model().objects.exists()


def test_an_email_already_registered_is_refused_whatever_its_case(db):
    assert APIClient().post(REGISTER, new_researcher(), format="json").status_code == 201

    again = english_client().post(REGISTER, new_researcher(email="MINJUN.PARK@example.org"), format="json")

    assert again.status_code == 400
    assert again.data["errors"]["email"] == ["An account with this username already exists. Sign in instead."]
    assert get_user_model().objects.count() == 1


def test_a_person_needs_a_name(db):
    body = new_researcher(family_name_ko="", given_name_ko="", family_name_latin="", given_name_latin="")

    response = english_client().post(REGISTER, body, format="json")

    assert response.status_code == 400
    assert response.data["detail"] == "A person needs a name in Korean or in Latin letters."
    assert not get_user_model().objects.exists()


def test_a_signed_in_user_cannot_register_another_account(researcher):
    client = english_client()
    client.force_authenticate(researcher)

    response = client.post(REGISTER, new_researcher(), format="json")

    assert response.status_code == 403
    assert "sign out" in response.data["detail"]


def test_registering_is_throttled_per_address(db, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None, "register": "2/hour"})
    cache.clear()
    client = APIClient()
    try:
        first = client.post(REGISTER, new_researcher(email="a@example.org"), format="json")
        second = client.post(REGISTER, new_researcher(email="b@example.org"), format="json")
        third = client.post(REGISTER, new_researcher(email="c@example.org"), format="json")
    finally:
        cache.clear()

    assert (first.status_code, second.status_code, third.status_code) == (201, 201, 429)
    assert int(third["Retry-After"]) > 0
    assert get_user_model().objects.count() == 2


# --- Token sign-in for scripts ----------------------------------------------------------------------------


def test_a_script_exchanges_the_password_for_the_registration_token(db):
    registered = APIClient().post(REGISTER, new_researcher(), format="json").data

    response = APIClient().post(TOKEN, {"username": "minjun.park@example.org", "password": STRONG}, format="json")

    assert response.status_code == 200
    assert response.data["token"] == registered["token"]


def test_a_wrong_password_gets_no_token(researcher):
    response = english_client().post(TOKEN, {"username": "researcher", "password": "wrong-password"}, format="json")

    assert response.status_code == 401
    assert response.data["code"] == "invalid_credentials"
    assert response.data["detail"] == "The username or password is not correct."
    assert not Token.objects.exists()


def test_a_revoked_token_no_longer_signs_in(researcher):
    token = APIClient().post(TOKEN, {"username": "researcher", "password": PASSWORD}, format="json").data["token"]
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert script.get(ME).status_code == 200

    assert script.delete(TOKEN).status_code == 204

    assert script.get(ME).status_code == 401
    assert not Token.objects.filter(user=researcher).exists()


# --- Lockout (django-axes) --------------------------------------------------------------------------------


def _wrong(client: APIClient, url: str = TOKEN) -> Any:
    return client.post(url, {"username": "researcher", "password": "not-my-password"}, format="json")


def _right(client: APIClient, url: str = TOKEN) -> Any:
    return client.post(url, {"username": "researcher", "password": PASSWORD}, format="json")


def _let_the_cool_off_pass() -> None:
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME) + datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - cool_off)


@pytest.mark.parametrize("url", [TOKEN, LOGIN], ids=["token", "session"])
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one_until_the_cool_off(researcher, url):
    client = english_client()
    assert [_wrong(client, url).status_code for _ in range(4)] == [401, 401, 401, 401]

    fifth = _wrong(client, url)
    assert fifth.status_code == 429
    assert fifth.data["code"] == "locked_out"
    assert "locked for 15 minutes" in fifth.data["detail"]
    assert int(fifth["Retry-After"]) == 15 * 60

    assert _right(client, url).status_code == 429

    _let_the_cool_off_pass()
    assert _right(client, url).status_code == 200


def test_signing_in_forgets_the_earlier_failures(researcher):
    client = APIClient()
    assert [_wrong(client).status_code for _ in range(4)] == [401] * 4
    assert _right(client).status_code == 200

    assert [_wrong(client).status_code for _ in range(4)] == [401] * 4


def test_the_lockout_is_per_username(researcher):
    factories.UserFactory(username="colleague")
    client = APIClient()
    for _ in range(5):
        _wrong(client)

    response = client.post(TOKEN, {"username": "colleague", "password": PASSWORD}, format="json")

    assert response.status_code == 200


# --- Session sign-in for the browser ----------------------------------------------------------------------


def test_a_browser_signs_in_with_the_csrf_token_and_signs_out(researcher):
    browser = english_client(enforce_csrf_checks=True)
    state = browser.get(LOGIN)
    assert state.data == {"authenticated": False, "username": None}
    csrf = state.cookies["csrftoken"].value

    signed_in = browser.post(
        LOGIN, {"username": "researcher", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf
    )

    assert signed_in.status_code == 200, signed_in.data
    assert signed_in.data["username"] == "researcher"
    assert signed_in.data["person"]["given_name_ko"] == "서연"
    assert browser.get(ME).status_code == 200

    csrf = browser.cookies["csrftoken"].value  # rotated at sign-in
    assert browser.post(LOGOUT, HTTP_X_CSRFTOKEN=csrf).status_code == 204
    assert browser.get(LOGIN).data["authenticated"] is False


def test_a_session_sign_in_without_the_csrf_token_is_refused(researcher):
    browser = english_client(enforce_csrf_checks=True)
    browser.get(LOGIN)

    response = browser.post(LOGIN, {"username": "researcher", "password": PASSWORD}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.data["detail"]
    assert browser.get(LOGIN).data["authenticated"] is False


def test_a_session_sign_out_without_the_csrf_token_is_refused(researcher):
    browser = english_client(enforce_csrf_checks=True)
    csrf = browser.get(LOGIN).cookies["csrftoken"].value
    browser.post(LOGIN, {"username": "researcher", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf)

    assert browser.post(LOGOUT).status_code == 403
    assert browser.get(LOGIN).data["authenticated"] is True


# --- Claiming a student record ----------------------------------------------------------------------------


@pytest.fixture
def claim_code(university_staff, enrollment) -> str:
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)
    return code


def test_a_student_links_their_login_to_their_record_with_the_claim_code(outsider, student, claim_code):
    client = APIClient()
    client.force_authenticate(outsider)

    response = client.post(CLAIM, {"code": claim_code.lower()}, format="json")

    assert response.status_code == 200, response.data
    assert response.data["id"] == student.pk
    student.refresh_from_db()
    assert student.user == outsider
    assert client.get(ME).data["family_name_ko"] == "박"


def test_a_claim_code_works_once(outsider, claim_code):
    client = english_client()
    client.force_authenticate(outsider)
    assert client.post(CLAIM, {"code": claim_code}, format="json").status_code == 200

    someone_else = english_client()
    someone_else.force_authenticate(factories.UserFactory(username="someone-else"))
    response = someone_else.post(CLAIM, {"code": claim_code}, format="json")

    assert response.status_code == 400
    assert response.data["errors"]["code"] == ["This claim code has already been used."]


def test_a_wrong_claim_code_is_refused(outsider, claim_code):
    client = english_client()
    client.force_authenticate(outsider)

    response = client.post(CLAIM, {"code": "ZZZZ-ZZZZ-ZZZZ"}, format="json")

    assert response.status_code == 400
    assert "not valid" in response.data["errors"]["code"][0]


def test_a_student_who_signed_up_claims_their_university_record_and_one_person_holds_both(
    db, student, enrollment, claim_code
):
    Person.objects.filter(pk=student.pk).update(email="")  # the university did not record one
    registered = APIClient().post(REGISTER, new_researcher(), format="json")
    assert registered.status_code == 201, registered.data
    own_pk = registered.data["person"]["id"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {registered.data['token']}")
    saved = client.put(f"{ME}expert-profile/", {"skills": ["로봇 제어"], "capacity": 2}, format="json")
    assert saved.status_code == 200, saved.data

    response = client.post(CLAIM, {"code": claim_code}, format="json")

    assert response.status_code == 200, response.data
    assert response.data["id"] == student.pk
    own = Person.objects.get(pk=own_pk)
    assert (own.merged_into_id, own.user_id) == (student.pk, None), "the self-made record is merged into it"
    assert PersonMerge.objects.get(merged_id=own_pk, survivor=student).reason == "claim"
    student.refresh_from_db()
    assert student.user.get_username() == "minjun.park@example.org"
    assert (student.family_name_ko, student.given_name_ko) == ("박", "지훈"), "the university's details stay"
    assert student.email == "minjun.park@example.org", "what the university's record lacked comes from sign-up"
    assert ResearcherProfile.objects.get(person=student)
    me = client.get(ME).data
    assert me["id"] == student.pk
    assert client.get(f"{ME}expert-profile/").data["skills"] == ["로봇 제어"]
    assert enrollment.person_id == student.pk


def test_absorbing_the_self_made_record_keeps_its_history_under_the_claim(db, student, claim_code):
    registered = APIClient().post(REGISTER, new_researcher(), format="json")
    own_pk = registered.data["person"]["id"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {registered.data['token']}")

    assert client.post(CLAIM, {"code": claim_code}, format="json").status_code == 200

    events = Person.history.field.model.objects.filter(pgh_obj_id=own_pk).order_by("pgh_id")  # type: ignore[attr-defined]
    assert [e.pgh_label for e in events] == ["insert", "update"]
    merged = events.last()
    assert merged.merged_into_id is not None
    assert merged.pgh_context.metadata["merged_person"] == own_pk


def test_a_login_whose_record_a_university_keeps_cannot_claim_another(
    university_staff, student, claim_code, ms_programme
):
    other = factories.PersonFactory(family_name_ko="최", given_name_ko="유나")
    user = factories.UserFactory(username="already-a-student")
    other.user = user
    other.save()
    services.enrollment_admit(
        actor=university_staff,
        person=other,
        programme=ms_programme,
        student_number="2026-0099",
        admission_date=datetime.date(2026, 3, 2),
    )
    client = english_client()
    client.force_authenticate(user)

    response = client.post(CLAIM, {"code": claim_code}, format="json")

    assert response.status_code == 409
    assert response.data["detail"] == "This login is already linked to a university's record."
    student.refresh_from_db()
    assert student.user is None
    assert Person.objects.filter(pk=other.pk, user=user).exists()


def test_a_claim_is_refused_whole_when_both_records_have_a_profile(researcher, student, claim_code):
    factories.ExpertProfileFactory(person=student)
    factories.ExpertProfileFactory(person=researcher.person)
    own_pk = researcher.person.pk
    client = english_client()
    client.force_authenticate(researcher)

    response = client.post(CLAIM, {"code": claim_code}, format="json")

    assert response.status_code == 409
    assert "ask an operator" in response.data["detail"]
    student.refresh_from_db()
    assert student.user is None
    assert Person.objects.filter(pk=own_pk, user=researcher).exists()
    assert ClaimCode.objects.get(person=student).used_at is None, "the code is not spent"
