"""The OpenAPI schema is generated without a single warning and is valid OpenAPI: a warning means the schema
guesses somewhere (an untyped field, a view it cannot read), and a guess is where the schema stops telling the
truth. The schema's conformance with real responses is tests/test_api_fuzz.py's."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


def test_the_schema_has_no_warning_and_is_valid_openapi():
    """On failure, pytest shows the warnings (captured stderr), each naming its view and field."""
    GENERATOR_STATS.reset()  # warnings are counted per process: count this generation's only
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


@pytest.fixture(scope="module")
def openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _body(openapi: dict, path: str, method: str) -> dict:
    return openapi["paths"][f"/api/v1/{path}"][method]["requestBody"]


def test_closing_an_account_declares_its_password_body(openapi):
    body = _body(openapi, "me/", "delete")
    assert body["required"] is True
    schema = body["content"]["application/json"]["schema"]
    assert openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]["required"] == ["password"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("enrollments/", "post"),
        ("advisor-appointments/", "post"),
        ("me/expert-profile/", "put"),
        ("me/consent/", "put"),
    ],
)
def test_a_body_with_nested_objects_or_lists_is_json_only(openapi, path, method):
    """A form cannot carry a person's details inside an enrollment, a list, or a required box left unticked."""
    assert list(_body(openapi, path, method)["content"]) == ["application/json"]


def test_a_flat_body_may_also_be_a_form(openapi):
    assert set(_body(openapi, "problems/{id}/", "patch")["content"]) == {"application/json"}  # skills: a list
    assert "application/x-www-form-urlencoded" in _body(openapi, "auth/token/", "post")["content"]


def test_values_that_may_be_null_or_blank_say_so(openapi):
    schemas = openapi["components"]["schemas"]
    assert schemas["ImportBatch"]["properties"]["created_by"]["nullable"] is True
    assert schemas["EnrollmentEvent"]["properties"]["recorded_by"]["nullable"] is True
    assert schemas["ExpertCard"]["properties"]["email"]["nullable"] is True
    assert schemas["OwnResearcherProfile"]["properties"]["korean_affiliation_name"]["nullable"] is True
    region = schemas["ProblemBrief"]["properties"]["region"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in region, "a remote problem's region is blank"


@pytest.mark.parametrize("path", ["reports/headcount/", "reports/trajectory/", "reports/outlook/", "reports/targets/"])
def test_the_reports_format_says_the_downloads_name_their_target_version(openapi, path):
    (parameter,) = [p for p in openapi["paths"][f"/api/v1/{path}"]["get"]["parameters"] if p["name"] == "format"]
    assert "version notes" in parameter["description"] and "Version column" in parameter["description"]
