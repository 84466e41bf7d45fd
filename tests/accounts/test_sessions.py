"""Sign-ins end: API tokens expire; a changed or reset password ends every token and every other session (the
browser that changed it stays signed in under a new session key); a person signs out everywhere, and an operator
signs a login out everywhere, from the API, the pages or the admin."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from talent.accounts.models import UserSession

TOKEN = "/api/v1/auth/token/"
LOGIN = "/api/v1/auth/login/"
PASSWORD_CHANGE = "/api/v1/auth/password/"
EVERYWHERE = "/api/v1/auth/sign-out-everywhere/"
ME = "/api/v1/me/"
PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password
NEW_PASSWORD = "새-암호는-충분히-길다-2027"


def script_token(username: str = "researcher", password: str = PASSWORD) -> str:
    response = APIClient().post(TOKEN, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.data
    return response.data["token"]


def script(token: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def signed_in(client: Client) -> bool:
    return client.get(LOGIN).json()["authenticated"]


# --- Expiry -----------------------------------------------------------------------------------------------


def test_a_token_older_than_the_setting_is_refused_and_signing_in_again_gives_a_new_one(researcher, settings):
    settings.API_TOKEN_MAX_AGE_DAYS = 30
    old = script_token()
    Token.objects.filter(key=old).update(created=timezone.now() - datetime.timedelta(days=31))

    refused = script(old).get(ME)
    new = script_token()

    assert refused.status_code == 401
    assert refused.json()["code"] == "token_expired"
    assert "expired" in refused.json()["detail"]
    assert new != old
    assert script(new).get(ME).status_code == 200
    assert script(old).get(ME).status_code == 401


def test_a_token_within_the_setting_works_and_stays_the_same(researcher, settings):
    settings.API_TOKEN_MAX_AGE_DAYS = 30
    token = script_token()
    Token.objects.filter(key=token).update(created=timezone.now() - datetime.timedelta(days=29))

    assert script(token).get(ME).status_code == 200
    assert script_token() == token


# --- Password change and reset ----------------------------------------------------------------------------


def test_a_password_changed_through_the_api_ends_every_other_sign_in_and_rotates_the_token(researcher):
    old_token = script_token()
    elsewhere = browser(researcher)

    response = script(old_token).post(
        PASSWORD_CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 200, response.json()
    new_token = response.json()["token"]
    assert new_token and new_token != old_token
    assert script(old_token).get(ME).status_code == 401
    assert script(new_token).get(ME).status_code == 200
    assert not signed_in(elsewhere)
    assert get_user_model().objects.get(pk=researcher.pk).check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(researcher):
    token = script_token()

    response = script(token).post(
        PASSWORD_CHANGE, {"current_password": "not-my-password", "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert "current_password" in response.json()["errors"]
    assert script(token).get(ME).status_code == 200
    assert get_user_model().objects.get(pk=researcher.pk).check_password(PASSWORD)


def test_a_weak_new_password_is_refused_with_the_rules(researcher):
    response = script(script_token()).post(
        PASSWORD_CHANGE, {"current_password": PASSWORD, "new_password": "12345678"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["new_password"]


def test_the_page_cycles_this_browsers_session_and_ends_the_others(researcher):
    here, elsewhere = browser(researcher), browser(researcher)
    token = script_token()
    before = here.cookies["sessionid"].value

    response = here.post(
        reverse("web:security"),
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert here.cookies["sessionid"].value != before, "the session key is cycled"
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert script(token).get(ME).status_code == 401
    assert list(UserSession.objects.filter(user=researcher).values_list("session_key", flat=True)) == [
        here.cookies["sessionid"].value
    ]


def test_a_password_reset_by_email_ends_every_token_and_session(researcher):
    researcher.email = "seoyeon@example.ac.kr"
    researcher.save()
    token, elsewhere = script_token(), browser(researcher)
    visitor = Client()
    visitor.post(reverse("web:password-reset"), {"email": "seoyeon@example.ac.kr"})
    found = re.search(r"https?://[^/]+(/password-reset/\S+/)", str(mail.outbox[0].body))
    assert found is not None
    form = visitor.get(found.group(1), follow=True)

    done = visitor.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done["Location"] == reverse("web:password-reset-complete")
    assert script(token).get(ME).status_code == 401
    assert not signed_in(elsewhere)
    assert not UserSession.objects.filter(user=researcher).exists()


def test_a_password_set_any_other_way_ends_the_tokens_too(researcher):
    """The admin's password form and `manage.py changepassword` both end in set_password() and save()."""
    token = script_token()

    researcher.set_password(NEW_PASSWORD)
    researcher.save()

    assert script(token).get(ME).status_code == 401


# --- Signing out everywhere -------------------------------------------------------------------------------


def test_a_person_signs_out_everywhere_through_the_api(researcher, outsider):
    token, elsewhere, other = script_token(), browser(researcher), browser(outsider)
    here = browser(researcher)

    response = here.post(EVERYWHERE)

    assert response.status_code == 204
    assert script(token).get(ME).status_code == 401
    assert not signed_in(elsewhere)
    assert not signed_in(here)
    assert signed_in(other), "another login's session is untouched"


def test_a_person_signs_out_everywhere_from_the_page(researcher):
    token, elsewhere, here = script_token(), browser(researcher), browser(researcher)

    response = here.post(reverse("web:sign-out-everywhere"))

    assert response["Location"] == reverse("web:login")
    assert script(token).get(ME).status_code == 401
    assert not signed_in(elsewhere)
    assert not signed_in(here)


def test_the_security_page_links_from_the_header_and_offers_both(researcher):
    page = browser(researcher).get(reverse("web:security"))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="sign-out-everywhere"' in html
    assert 'name="current_password"' in html
    assert f'href="{reverse("web:security")}"' in html


def test_an_operator_signs_a_login_out_everywhere_through_the_api(operator, researcher):
    token, elsewhere = script_token(), browser(researcher)
    client = APIClient()
    client.force_authenticate(operator)

    response = client.post(f"/api/v1/auth/users/{researcher.pk}/sign-out-everywhere/")

    assert response.status_code == 204
    assert script(token).get(ME).status_code == 401
    assert not signed_in(elsewhere)


def test_only_operators_sign_someone_else_out(researcher, outsider):
    token = script_token()
    client = APIClient()
    client.force_authenticate(outsider)

    response = client.post(f"/api/v1/auth/users/{researcher.pk}/sign-out-everywhere/")

    assert response.status_code == 403
    assert script(token).get(ME).status_code == 200


def test_an_operator_signs_logins_out_everywhere_from_the_admin(operator, researcher):
    token, elsewhere = script_token(), browser(researcher)
    admin = Client()
    admin.force_login(operator)

    response = admin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_every_sign_in", "_selected_action": [researcher.pk]},
    )

    assert response.status_code == 302
    assert script(token).get(ME).status_code == 401
    assert not signed_in(elsewhere)
    assert signed_in(admin), "the operator's own session stays"


@pytest.mark.parametrize("ended_by", ["api", "page"])
def test_signing_out_everywhere_leaves_no_session_row_behind(researcher, ended_by):
    clients = [browser(researcher) for _ in range(3)]
    assert UserSession.objects.filter(user=researcher).count() == 3

    if ended_by == "api":
        clients[0].post(EVERYWHERE)
    else:
        clients[0].post(reverse("web:sign-out-everywhere"))

    assert not UserSession.objects.filter(user=researcher).exists()


def test_changing_the_password_is_no_way_around_the_sign_in_lockout(researcher):
    """Five wrong current passwords lock the login (django-axes), as at sign-in: then even the right one is refused."""
    client = script(script_token())
    guesses = [
        client.post(PASSWORD_CHANGE, {"current_password": f"guess-{n}", "new_password": NEW_PASSWORD}, format="json")
        for n in range(5)
    ]
    assert [guess.status_code for guess in guesses] == [400] * 5

    response = client.post(PASSWORD_CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert get_user_model().objects.get(pk=researcher.pk).check_password(PASSWORD)
