"""Everyone's pages: the home page sends each role to its work; signing in (with django-axes' lockout) and out;
password reset by e-mail; the language switch; signing up; claiming a student record with the university's code."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from talent.registry.models import Person, ResearcherProfile
from talent.registry.services.claims import claim_code_issue

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password
STRONG = "귀국-연구자의-긴-암호-2026"


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# --- Home -----------------------------------------------------------------------------------------------


def test_the_home_page_invites_an_anonymous_visitor_to_sign_in_or_up(client_for, db):
    response = client_for(None).get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="ko"' in page
    assert 'name="viewport"' in page
    assert reverse("web:login") in page and reverse("web:signup") in page


@pytest.mark.parametrize(
    ("actor", "destination"),
    [
        ("researcher", "web:researcher-home"),
        ("company_member", "web:company-home"),
        ("university_staff", "web:university-home"),
        ("ministry_analyst", "web:analyst-home"),
    ],
    indirect=["actor"],
)
def test_the_home_page_sends_each_role_to_its_work(client_for, actor, destination):
    response = client_for(actor).get("/")

    url = _url_or_none(destination)
    if url is None:  # that role's pages are not routed yet: the home page itself lists what there is
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == url


def test_an_operator_is_shown_the_administration(client_for, operator):
    response = client_for(operator).get("/")

    assert response.status_code == 200
    assert reverse("admin:index") in response.content.decode()


def test_a_login_without_a_role_is_offered_to_claim_a_student_record(client_for, outsider):
    response = client_for(outsider).get("/")

    assert response.status_code == 200
    assert reverse("web:claim") in response.content.decode()


def test_the_navigation_shows_each_role_its_own_pages(client_for, researcher, company_member):
    researcher_page = client_for(researcher).get(reverse("web:researcher-home")).content.decode()
    company_page = client_for(company_member).get(reverse("web:company-home")).content.decode()

    assert 'data-testid="nav-proposals"' in researcher_page and 'data-testid="nav-company"' not in researcher_page
    assert 'data-testid="nav-company"' in company_page and 'data-testid="nav-proposals"' not in company_page


# --- Signing in and out -----------------------------------------------------------------------------------


def test_signing_in_sends_the_user_home_and_then_to_their_work(client_for, researcher):
    client = client_for(None)

    response = client.post(reverse("web:login"), {"username": "researcher", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("web:researcher-home")
    assert response.context["user"] == researcher


def test_signing_in_returns_to_the_page_asked_for(client_for, researcher):
    client = client_for(None)
    asked = client.get(reverse("web:consent"))
    assert asked.status_code == 302
    assert asked["Location"] == f"{reverse('web:login')}?next={reverse('web:consent')}"

    response = client.post(
        asked["Location"], {"username": "researcher", "password": PASSWORD, "next": reverse("web:consent")}
    )

    assert response["Location"] == reverse("web:consent")


def test_a_wrong_password_is_said_next_to_the_form_and_keeps_the_username(client_for, researcher):
    response = client_for(None, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("web:login"), {"username": "researcher", "password": "not-my-password"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="form-errors"' in page
    assert 'value="researcher"' in page


def test_five_wrong_passwords_lock_the_web_sign_in_too(client_for, researcher):
    client = client_for(None)
    statuses = [
        client.post(reverse("web:login"), {"username": "researcher", "password": "wrong-one"}).status_code
        for _ in range(5)
    ]
    right = client.post(reverse("web:login"), {"username": "researcher", "password": PASSWORD})

    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    assert right.status_code == 429
    assert 'data-testid="locked-out"' in right.content.decode()


def test_signing_out_is_a_post_and_ends_the_session(client_for, researcher):
    client = client_for(researcher)

    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))

    assert response.status_code == 302
    assert client.get(reverse("web:researcher-home")).status_code == 302  # back to the sign-in page


def test_the_api_browsable_login_still_works(client_for, researcher):
    response = client_for(None).post("/api-auth/login/", {"username": "researcher", "password": PASSWORD})

    assert response.status_code == 302


# --- Password reset ---------------------------------------------------------------------------------------


def test_a_password_is_reset_through_the_link_sent_by_email(client_for, researcher):
    researcher.email = "seoyeon@example.ac.kr"
    researcher.save()
    client = client_for(None)

    sent = client.post(reverse("web:password-reset"), {"email": "seoyeon@example.ac.kr"})
    assert sent["Location"] == reverse("web:password-reset-done")
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/]+(/password-reset/\S+/)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "새-암호는-충분히-길다-2027", "new_password2": "새-암호는-충분히-길다-2027"},
    )

    assert done["Location"] == reverse("web:password-reset-complete")
    assert get_user_model().objects.get(pk=researcher.pk).check_password("새-암호는-충분히-길다-2027")


# --- Language ---------------------------------------------------------------------------------------------


def test_the_language_switch_turns_the_pages_english_and_back(client_for, researcher):
    client = client_for(researcher)
    assert 'lang="ko"' in client.get(reverse("web:researcher-home")).content.decode()

    switched = client.post(reverse("web:set-language"), {"language": "en", "next": reverse("web:researcher-home")})
    english = client.get(reverse("web:researcher-home")).content.decode()
    client.post(reverse("web:set-language"), {"language": "ko", "next": "/"})

    assert switched["Location"] == reverse("web:researcher-home")
    assert '<html lang="en">' in english
    assert "My profile" in english
    assert 'lang="ko"' in client.get(reverse("web:researcher-home")).content.decode()


# --- Signing up -------------------------------------------------------------------------------------------


def _signup(**overrides: str) -> dict[str, str]:
    return {
        "email": "Minjun.Park@Example.org",
        "password": STRONG,
        "password_again": STRONG,
        "family_name_ko": "박",
        "given_name_ko": "민준",
        "family_name_latin": "Park",
        "given_name_latin": "Minjun",
        "nationality": "KR",
        "birth_date": "1986-05-14",
        "gender": "",
        "consent_required": "on",
        "consent_optional": "on",
        **overrides,
    }


def test_a_returning_researcher_signs_up_and_is_signed_in(client_for, db):
    client = client_for(None)

    response = client.post(reverse("web:signup"), _signup())

    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("web:researcher-profile")
    person = Person.objects.get(email="minjun.park@example.org")
    assert person.user is not None and person.user.username == "minjun.park@example.org"
    assert ResearcherProfile.objects.filter(person=person).exists(), "the same registration as the API"
    assert client.get(reverse("web:researcher-home")).status_code == 200


def test_a_weak_password_is_refused_next_to_the_field_and_nothing_typed_is_lost(client_for, db):
    response = client_for(None, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("web:signup"), _signup(password="1234567890", password_again="1234567890")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "password" in form.errors
    page = response.content.decode()
    assert 'data-testid="error-password"' in page
    assert 'value="Minjun.Park@Example.org"' in page and 'value="민준"' in page
    assert not Person.objects.exists()


def test_two_different_passwords_are_refused(client_for, db):
    response = client_for(None).post(reverse("web:signup"), _signup(password_again="다른-암호-입니다-2026"))

    assert "password_again" in response.context["form"].errors
    assert not Person.objects.exists()


def test_an_email_already_registered_is_refused_by_the_service(client_for, db):
    client_for(None).post(reverse("web:signup"), _signup())

    again = client_for(None).post(reverse("web:signup"), _signup(email="minjun.park@example.org"))

    assert again.status_code == 200
    assert again.context["form"].errors["email"]


def test_a_signed_in_user_does_not_sign_up_again(client_for, researcher):
    assert client_for(researcher).get(reverse("web:signup"))["Location"] == reverse("web:home")


# --- Claiming a student record ----------------------------------------------------------------------------


def test_a_student_claims_their_record_with_the_universitys_code(client_for, outsider, enrollment, university_staff):
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)
    client = client_for(outsider)

    response = client.post(reverse("web:claim"), {"code": code.lower()})

    assert response.status_code == 302
    enrollment.person.refresh_from_db()
    assert enrollment.person.user == outsider
    assert client.get("/")["Location"] == reverse("web:researcher-home")


def test_a_wrong_claim_code_is_said_next_to_the_field(client_for, outsider, db):
    response = client_for(outsider, HTTP_ACCEPT_LANGUAGE="en").post(reverse("web:claim"), {"code": "7K2M-QX9P-4RTA"})

    assert response.status_code == 200
    assert "not valid" in str(response.context["form"].errors["code"])
    assert 'value="7K2M-QX9P-4RTA"' in response.content.decode()


def test_claiming_needs_a_login(client_for, db):
    response = client_for(None).get(reverse("web:claim"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_a_login_whose_record_is_already_a_universitys_is_sent_home(client_for, outsider, enrollment, university_staff):
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)
    client = client_for(outsider, HTTP_ACCEPT_LANGUAGE="en")
    assert client.post(reverse("web:claim"), {"code": code}).status_code == 302

    response = client.get(reverse("web:claim"), follow=True)

    assert response.redirect_chain[0][0] == reverse("web:home")
    assert "already linked to a university&#x27;s record" in response.content.decode()


def test_a_signed_up_researcher_is_offered_the_claim_and_claims(client_for, researcher, enrollment, university_staff):
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)
    client = client_for(researcher, HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("web:claim") in client.get(reverse("web:researcher-home")).content.decode()

    response = client.post(reverse("web:claim"), {"code": code}, follow=True)

    assert response.status_code == 200
    enrollment.person.refresh_from_db()
    assert enrollment.person.user == researcher
    page = client.get(reverse("web:researcher-home")).content.decode()
    assert enrollment.programme.name_ko in page
    assert 'data-testid="claim-record"' not in page, "a student with their university record claims no more"


def test_a_staff_login_cannot_claim_a_record(client_for, company_member, enrollment, university_staff):
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)

    response = client_for(company_member).post(reverse("web:claim"), {"code": code})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    enrollment.person.refresh_from_db()
    assert enrollment.person.user is None


# --- The API's rate limits apply to the forms too ---------------------------------------------------------


@pytest.fixture
def tight_limits(monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    rates = {
        "anon": None,
        "user": None,
        "register": "2/hour",
        "claim": "2/hour",
        "password_reset": "3/hour",
        "password_reset_email": "2/hour",
    }
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    yield
    cache.clear()


def test_signing_up_shares_the_apis_limit_per_address(client_for, db, tight_limits):
    api = APIClient().post("/api/v1/auth/register/", {**_signup(email="a@example.org"), "password": STRONG})
    page = client_for(None).post(reverse("web:signup"), _signup(email="b@example.org"))
    refused = client_for(None, HTTP_ACCEPT_LANGUAGE="en").post(reverse("web:signup"), _signup(email="c@example.org"))

    assert (api.status_code, page.status_code, refused.status_code) == (201, 302, 429)
    assert "Too many attempts" in str(refused.context["form"].non_field_errors())
    assert 'value="c@example.org"' in refused.content.decode(), "nothing typed is lost"
    assert Person.objects.count() == 2


def test_guessing_claim_codes_is_bounded(client_for, outsider, tight_limits):
    client = client_for(outsider)

    statuses = [client.post(reverse("web:claim"), {"code": f"7K2M-QX9P-4RT{n}"}).status_code for n in range(3)]

    assert statuses == [200, 200, 429]


def test_a_missing_page_is_a_page_of_the_site_not_json(client_for, researcher):
    response = client_for(researcher).get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert 'data-testid="page-title"' in response.content.decode()
    assert client_for(researcher).get("/api/v1/no-such-route/").json()["code"] == "not_found"


def test_asking_for_reset_links_is_bounded_per_address(client_for, db, tight_limits):
    client = client_for(None, HTTP_ACCEPT_LANGUAGE="en")

    statuses = [client.post(reverse("web:password-reset"), {"email": f"n{n}@example.org"}) for n in range(4)]

    assert [response.status_code for response in statuses] == [302, 302, 302, 429]
    assert "Too many attempts" in str(statuses[-1].context["form"].non_field_errors())


def test_an_inbox_gets_a_bounded_number_of_reset_links_and_the_page_does_not_tell(client_for, researcher, tight_limits):
    researcher.email = "seoyeon@example.ac.kr"
    researcher.save()

    responses = [
        client_for(None, REMOTE_ADDR=f"198.51.100.{n}").post(
            reverse("web:password-reset"), {"email": " Seoyeon@Example.ac.kr"}
        )
        for n in range(4)
    ]

    assert [r["Location"] for r in responses] == [reverse("web:password-reset-done")] * 4, "every answer alike"
    assert len(mail.outbox) == 2
