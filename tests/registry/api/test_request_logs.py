"""One JSON log line per request and per task, each with a request id (carried into the tasks a request queues),
the route's name, the role, status and duration; never a name, email, birth date, identifier, password or token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from celery import Celery
from django.urls import reverse
from rest_framework.test import APIClient

from talent.celery import app
from talent.common.logs import JsonFormatter, RequestIdFilter, current_request_id
from talent.common.task_log import HEADER
from tests.registry.api.test_university_api import ENROLLMENTS, _admission

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password
PERSON = {
    "family_name_ko": "황보",
    "given_name_ko": "서준",
    "family_name_latin": "Hwangbo",
    "given_name_latin": "Seojun",
    "birth_date": "2001-04-09",
    "gender": "male",
    "nationality": "KR",
    "email": "seojun.hwangbo@example.ac.kr",
}


@app.task(name="tests.echo_request_id")
def echo_request_id() -> str | None:
    return current_request_id.get()


class Lines:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def parsed(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def of(self, event: str) -> list[dict]:
        return [line for line in self.parsed() if line.get("event") == event]


@pytest.fixture
def json_log() -> Iterator[Lines]:
    """Everything logged at the configured level, as the production JSON formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield Lines(stream)
    finally:
        root.removeHandler(handler)


def test_a_days_work_leaves_no_personal_value_in_the_logs(world, api_as, client, json_log):
    staff = api_as("university_a")
    body = _admission(world, person=PERSON, student_number="B2026777")
    admitted = staff.post(ENROLLMENTS, body, format="json")
    assert admitted.status_code == 201, admitted.data
    staff.get(ENROLLMENTS, {"search": "황보"})
    staff.get(f"{ENROLLMENTS}{admitted.data['id']}/")
    staff.post(ENROLLMENTS, {**body, "person": {**PERSON, "birth_date": "not-a-date"}}, format="json")
    token = APIClient().post("/api/v1/auth/token/", {"username": "staff-a", "password": PASSWORD}, format="json")
    assert token.status_code == 200
    client.post(reverse("web:login"), {"username": PERSON["email"], "password": "wrong-guess-2030"})
    client.post(reverse("web:login"), {"username": "staff-a", "password": PASSWORD})
    client.get(reverse("web:university-enrollments"))

    requests = json_log.of("request")
    assert len(requests) == 8
    secrets = [*PERSON.values(), "B2026777", PASSWORD, "wrong-guess-2030", token.data["token"], "staff-a"]
    secrets = [value for value in secrets if value not in {"male", "KR"}]
    assert [value for value in secrets if value in json_log.text] == []


def test_each_request_is_one_line_with_its_route_name_role_status_and_id(world, api_as, json_log):
    enrollment = world.enrollment_a
    response = api_as("university_a").get(f"{ENROLLMENTS}{enrollment.id}/", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")

    [line] = json_log.of("request")
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001", "a load balancer's id is kept"
    assert line["request_id"] == "lb-7f3a9c21-0001"
    assert (line["method"], line["route"], line["role"], line["status"]) == (
        "GET",
        "enrollment-detail",
        "university",
        200,
    )
    assert str(enrollment.id) not in line["route"]
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"


def test_an_id_that_does_not_look_like_one_is_replaced(world, api_as, json_log):
    response = api_as("anonymous").get("/api/v1/no-such-route/", HTTP_X_REQUEST_ID="<script>")
    [line] = json_log.of("request")
    assert response["X-Request-ID"] != "<script>"
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["route"], line["role"], line["status"]) == ("unmatched", "anonymous", 404)


def test_a_task_run_in_process_logs_its_line_under_the_request_id(json_log):
    token = current_request_id.set("req-0123456789")
    try:
        assert echo_request_id.apply().get() == "req-0123456789"
    finally:
        current_request_id.reset(token)
    [line] = json_log.of("task")
    assert (line["task"], line["outcome"], line["request_id"]) == ("tests.echo_request_id", "success", "req-0123456789")


def test_a_task_sent_to_the_workers_carries_the_request_id_in_its_message():
    broker = Celery("probe", broker="memory://")
    token = current_request_id.set("req-abcdef012345")
    try:
        broker.send_task("tests.echo_request_id", queue="probe")
    finally:
        current_request_id.reset(token)
    with broker.connection_for_read() as connection:
        message = connection.SimpleQueue("probe").get(timeout=5)
        message.ack()
    assert message.headers[HEADER] == "req-abcdef012345"
