"""The health probe tells a load balancer whether the database (and broker, when configured) answer."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    expected_broker = "in-process" if settings.TASKS_IN_PROCESS else "ok"
    assert body["checks"]["broker"] == expected_broker
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_down_when_the_broker_is_unreachable(client, settings):
    settings.TASKS_IN_PROCESS = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "down"
