"""The privacy notice on the pages and in the API: consented at sign-up (refused beside the box without the
required part), asked at the first sign-in of someone a university registered, shown and withdrawable in "my
data", downloadable, and the policy page open to everyone."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from talent.registry import privacy
from tests import factories
from tests.web.test_accounts_pages import _signup


@pytest.fixture
def student(db):
    """A student a university registered, signing in for the first time: no consent yet."""
    user = factories.UserFactory(username="first-sign-in")
    return factories.PersonFactory(user=user, gender="male", consented=False)


def test_sign_up_without_the_required_consent_is_refused_beside_its_box(client_for, db):
    response = client_for(None).post(reverse("web:signup"), _signup(consent_required=""))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-consent_required"' in page
    assert "필수 항목에 대한 동의" in page
    assert not get_user_model().objects.filter(email="minjun.park@example.org").exists()


def test_a_gender_without_the_optional_consent_is_refused_beside_the_optional_box(client_for, db):
    response = client_for(None).post(reverse("web:signup"), _signup(gender="female", consent_optional=""))

    assert 'data-testid="error-consent_optional"' in response.content.decode()
    assert not get_user_model().objects.exists()


def test_the_sign_up_page_shows_the_items_purpose_retention_and_right_to_refuse(client_for, db):
    page = client_for(None).get(reverse("web:signup")).content.decode()

    for heading in ("수집 항목", "수집·이용 목적", "보유·이용 기간", "동의를 거부할 권리"):
        assert heading in page
    assert "필수 항목" in page and "선택 항목" in page


def test_the_first_sign_in_asks_for_consent_then_goes_on(client_for, student):
    client = client_for(student.user)

    asked = client.get(reverse("web:researcher-home"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("web:privacy-consent"))

    refused = client.post(reverse("web:privacy-consent"), {"consent_optional": "on"})
    assert 'data-testid="error-consent_required"' in refused.content.decode()

    given = client.post(reverse("web:privacy-consent"), {"consent_required": "on", "next": "/me/"})
    assert given["Location"] == "/me/"
    assert client.get(reverse("web:researcher-home")).status_code == 200
    student.refresh_from_db()
    assert student.gender == ""  # the optional item was not consented to: it is not kept


def test_data_rights_do_not_wait_for_consent(client_for, student):
    client = client_for(student.user)
    assert client.get(reverse("web:my-data")).status_code == 200
    assert client.get(reverse("web:my-data-download")).status_code == 200


def test_my_data_lists_the_consents_and_withdraws_the_optional_one(client_for, researcher):
    client = client_for(researcher)
    page = client.get(reverse("web:my-data")).content.decode()
    assert 'data-testid="privacy-consents"' in page and privacy.NOTICE_VERSION in page

    client.post(reverse("web:privacy-withdraw-optional"))

    page = client.get(reverse("web:my-data")).content.decode()
    assert 'data-testid="withdraw-optional"' not in page  # nothing optional stands any more
    download = json.loads(client.get(reverse("web:my-data-download")).content)
    assert [(c["scope"], c["withdrawn_at"] is None) for c in download["privacy_consents"]] == [
        ("required", True),
        ("optional", False),
    ]


def test_the_privacy_policy_is_open_to_everyone_and_linked_from_every_page(client_for, db):
    client = client_for(None)
    assert client.get(reverse("web:privacy-policy")).status_code == 200
    assert reverse("web:privacy-policy") in client.get(reverse("web:login")).content.decode()


def test_the_api_lists_and_records_consents(student):
    api = APIClient()
    api.force_authenticate(student.user)

    assert api.get("/api/v1/me/privacy-consents/").data == []
    refused = api.post("/api/v1/me/privacy-consents/", {"consent_optional": True}, format="json")
    assert refused.status_code == 400 and "consent_required" in refused.data["errors"]

    given = api.post("/api/v1/me/privacy-consents/", {"consent_required": True}, format="json")
    assert given.status_code == 200
    assert [(c["notice_version"], c["scope"]) for c in given.data] == [(privacy.NOTICE_VERSION, "required")]


def test_registering_through_the_api_needs_the_required_consent(db):
    body = {**_signup(), "consent_required": False}
    body.pop("password_again")
    refused = APIClient().post("/api/v1/auth/register/", body, format="json")
    assert refused.status_code == 400 and "consent_required" in refused.data["errors"]
