"""Oversized and malformed requests are the caller's fault: a 4xx in JSON with a message in their language, never a
500, and nothing logged at ERROR."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

PROBLEMS = "/api/v1/problems/"
REGISTER = "/api/v1/auth/register/"


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level(logging.INFO)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


def _post(client, path, body, **extra):
    return client.generic("POST", path, body, content_type="application/json", **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [PROBLEMS, REGISTER])
def test_a_json_body_over_the_limit_answers_413_in_json(client, path, no_errors_logged):
    body = b'{"title": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b'"}'

    response = _post(client, path, body, HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}" in response.json()["detail"]


@pytest.mark.parametrize("path", [PROBLEMS, REGISTER])
def test_json_nested_fifty_thousand_deep_answers_400(client, company_member, path, no_errors_logged):
    if path == PROBLEMS:
        client.force_login(company_member)  # a signed-in company reaches the parser; sign-up is anonymous
    body = b"[" * 50_000 + b"]" * 50_000

    response = _post(client, path, body)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("ko", "요청이 너무 큽니다"), ("en", "The request is too large")])
def test_a_form_body_over_the_limit_answers_413_with_a_page_in_the_browsers_language(
    client, language, heading, no_errors_logged
):
    body = "username=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)

    response = client.generic(
        "POST",
        "/accounts/login/",
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"accept-language": language},
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'lang="{language}"' in page and heading in page
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}" in page


def test_a_list_of_ten_thousand_ids_is_refused_before_any_is_looked_up(
    client, operator, university, company, django_assert_max_num_queries, no_errors_logged
):
    client.force_login(operator)
    body = {
        "university": university.pk,
        "name_ko": "신설 AX 대학원",
        "track": "open",
        "selection_year": 2027,
        "support_start": "2027-03-01",
        "support_end": "2031-02-28",
        "convergence_fields": ["energy"],
        "consortium_companies": [company.pk] * 10_000,
    }

    with django_assert_max_num_queries(20):
        response = client.post("/api/v1/graduate-schools/", body, content_type="application/json")

    assert response.status_code == 400
    assert "20" in response.json()["errors"]["consortium_companies"][0]
