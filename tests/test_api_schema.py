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


#: The operations that take a file, the only ones that read a body other than JSON.
UPLOADS = {("/api/v1/enrollments/import/", "post"), ("/api/v1/reports/intake-plans/import/", "post")}


def test_every_body_is_json_but_a_file_upload(openapi):
    """The media types the schema names are the ones the views read (talent.common.api turns any other into a
    415): JSON, whose lists, objects and false a form cannot say, and multipart for a file."""
    content_types = {
        (path, method): sorted(operation["requestBody"]["content"])
        for path, operations in openapi["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert len(content_types) > 40  # every operation with a body, not a few
    for operation, media_types in content_types.items():
        expected = ["multipart/form-data"] if operation in UPLOADS else ["application/json"]
        assert media_types == expected, operation
    assert content_types.keys() >= UPLOADS


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
