"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: database with migrations, cache, broker
and a worker's heartbeat), as a load balancer reads them: 503 names the failed check, and nothing else is said."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from celery import signals
from django.utils import timezone

from talent.common import heartbeat
from talent.common.models import WorkerHeartbeat

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


class Consumer:
    """What Celery's worker_ready signal is sent by: a consumer with the worker's host name."""

    def __init__(self, hostname: str) -> None:
        self.hostname = hostname


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")  # no database access is allowed in this test: a query would fail it
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_is_migrated_and_tasks_run_in_process(client, settings):
    settings.TASKS_IN_PROCESS = True
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == body["checks"]["worker"] == "in-process"
    assert set(body) == {"status", "checks", "failed"}, "no version, no error text"


@pytest.mark.django_db
def test_readyz_names_the_broker_and_the_worker_when_neither_answers(client, settings):
    settings.TASKS_IN_PROCESS = False
    settings.CELERY_BROKER_URL = DEAD_REDIS
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker", "worker"]
    assert body["checks"]["broker"] == "down"
    assert body["checks"]["worker"] == "no recent heartbeat"
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_says_the_shared_cache_is_down(client, settings):
    settings.TASKS_IN_PROCESS = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    response = client.get("/readyz")
    assert (response.status_code, response.json()["failed"]) == (503, ["cache"])


@pytest.mark.django_db
def test_a_worker_is_ready_while_its_heartbeat_is_recent(settings):
    from talent.common.health import _worker

    settings.TASKS_IN_PROCESS = False
    settings.READY_WORKER_STALE_SECONDS = 60
    assert _worker() == "no recent heartbeat"
    heartbeat.beat("worker-1@registry-3")
    assert _worker() == "ok"
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=61))
    assert _worker() == "no recent heartbeat"


@pytest.mark.django_db(transaction=True)
def test_a_started_worker_beats_until_it_shuts_down(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.2
    name = "worker-7@registry-3"
    signals.worker_ready.send(sender=Consumer(name))
    try:
        deadline = time.monotonic() + 30
        while WorkerHeartbeat.objects.filter(hostname=name).count() == 0:
            assert time.monotonic() < deadline, "no heartbeat within 30 s"
            time.sleep(0.1)
        first = WorkerHeartbeat.objects.get(hostname=name).seen_at
        while WorkerHeartbeat.objects.get(hostname=name).seen_at == first:
            assert time.monotonic() < deadline, "the heartbeat did not advance"
            time.sleep(0.1)
    finally:
        signals.worker_shutting_down.send(sender=name, sig="TERM", how="Warm", exitcode=0)
    assert not WorkerHeartbeat.objects.filter(hostname=name).exists()
    assert not [t for t in threading.enumerate() if t.name == "talent-heartbeat"]
