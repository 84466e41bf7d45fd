"""The API fuzzed against its own OpenAPI schema (schemathesis): no response is a 500 and every
documented response matches the schema. Bounded examples per operation keep CI fast."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from talent.wsgi import application
from tests import factories

MAX_EXAMPLES = 8
# What the issue asks: no 500, and every response documented and matching the schema. (Schemathesis'
# data-acceptance checks are left out: a well-formed id that does not exist is rightly a 404.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


# The schema is read from the app itself at collection (no database needed for that).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(db):
    """Called as a WSGI app, Django closes the database connection after each request (the test client
    avoids that): keep it open for the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token_for(user) -> dict[str, str]:
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@pytest.fixture
def operator_headers(db):
    return _token_for(factories.UserFactory(username="fuzz-operator", is_staff=True, is_superuser=True))


@pytest.fixture
def university_headers(db):
    user = factories.UserFactory(username="fuzz-staff")
    university = factories.UniversityFactory(name_ko="퍼즈대학교")
    factories.MembershipFactory(user=user, organization=university)
    factories.ProgrammeFactory(school=factories.GraduateSchoolFactory(university=university))
    return _token_for(user)


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_holds_its_schema_for_an_operator(case, operator_headers):
    case.call_and_validate(headers=operator_headers, checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_holds_its_schema_for_university_staff(case, university_headers):
    case.call_and_validate(headers=university_headers, checks=CHECKS)
