"""The API reads JSON, and a file upload multipart: a body of any other media type is refused with 415 in the
project's error format, before anything is written. (A form cannot say "a list", "an object" or "false", so a junk
form body used to be read as every field left out, and accepted.)"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from talent.registry.models import Enrollment, ImportBatch, ResearcherProfile
from tests.registry.api.conftest import _module_world, world  # noqa: F401 - fixtures shared with the API tests
from tests.roster.conftest import csv_bytes

RESEARCHER_PROFILE = "/api/v1/me/researcher-profile/"
ROSTER_IMPORT = "/api/v1/enrollments/import/"
CONSENT = "/api/v1/me/consent/"

#: What schemathesis sent: a JSON array as the body of a multipart request.
FORM_BODIES = [
    pytest.param("multipart/form-data; boundary=fuzz", "[1, 2, 3]", id="multipart-array"),
    pytest.param("multipart/form-data; boundary=fuzz", "--fuzz\r\njunk\r\n--fuzz--\r\n", id="multipart-junk"),
    pytest.param("application/x-www-form-urlencoded", "phd_year=2017", id="urlencoded"),
]


def _client(user, language: str = "en") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("content_type", "body"), FORM_BODIES)
def test_a_form_body_to_a_json_operation_is_refused_and_nothing_is_saved(researcher, content_type, body):
    response = _client(researcher).generic("PUT", RESEARCHER_PROFILE, body, content_type=content_type)

    assert response.status_code == 415, response.content
    assert response.json()["code"] == "unsupported_media_type"
    sent = content_type.split(";")[0]
    assert response.json()["detail"] == f"Send the body as application/json: this operation does not read “{sent}”."
    assert not ResearcherProfile.objects.exists(), "a refused PUT must not create the profile"


def test_the_refusal_is_in_korean_by_default(researcher):
    response = _client(researcher, "ko").generic(
        "PUT", RESEARCHER_PROFILE, "[1, 2, 3]", content_type="multipart/form-data; boundary=fuzz"
    )

    assert response.status_code == 415
    assert response.json()["detail"] == (
        "본문을 application/json 형식으로 보내 주세요. 이 작업은 “multipart/form-data” 형식을 읽지 않습니다."
    )


def test_the_same_array_sent_as_json_is_refused_as_invalid_input(researcher):
    response = _client(researcher).generic("PUT", RESEARCHER_PROFILE, "[1, 2, 3]", content_type="application/json")

    assert response.status_code == 400
    assert not ResearcherProfile.objects.exists()


def test_a_roster_file_is_still_uploaded_as_multipart(university_staff, ms_programme):
    upload = SimpleUploadedFile("명단.csv", csv_bytes())

    response = _client(university_staff).post(ROSTER_IMPORT, {"file": upload}, format="multipart")

    assert response.status_code == 201, response.data
    assert Enrollment.objects.count() == 3


def test_a_roster_upload_is_multipart_only(university_staff, ms_programme):
    response = _client(university_staff).post(ROSTER_IMPORT, {"file": "명단.csv"}, format="json")

    assert response.status_code == 415
    assert response.json()["detail"] == (
        "Send the body as multipart/form-data: this operation does not read “application/json”."
    )
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=fuzz", "application/x-www-form-urlencoded"])
def test_an_empty_form_body_is_refused_too_not_read_as_every_box_unticked(world, content_type):  # noqa: F811
    """DRF reads an empty body of a form media type as an empty form without asking a parser; as a form, the
    required `consent_to_matching` left out would read as false and withdraw the consent."""
    expert = world.researcher_person.expert_profile
    assert expert.consent_to_matching

    response = _client(world.users["researcher"]).generic("PUT", CONSENT, "", content_type=content_type)

    assert response.status_code == 415, response.content
    assert response.json()["code"] == "unsupported_media_type"
    expert.refresh_from_db()
    assert expert.consent_to_matching


def test_an_empty_form_is_still_an_upload_s_to_refuse_as_it_sees_fit(university_staff, ms_programme):
    """The check asks the operation's parsers: an upload reads forms, so its own rule answers (a file is needed)."""
    response = _client(university_staff).generic(
        "POST", ROSTER_IMPORT, "", content_type="multipart/form-data; boundary=fuzz"
    )

    assert response.status_code == 400
    assert "file" in response.json()["errors"]
