"""The broker down when a run is asked for: the request succeeds, the run waits as queued, and once the broker is
back the sweeper (beat, every minute) sends it exactly once. A real Redis of the test's own, started late."""

from __future__ import annotations

import datetime
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.utils import timezone
from rest_framework.test import APIClient

from talent.celery import app
from talent.matching import services
from talent.matching.models import MatchRun, RunStatus

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="needs the redis-server program (apt-get install redis)")


class Broker:
    """A Redis on a port of its own, down until started."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(REDIS_SERVER),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)

    def waiting(self, queue: str) -> int:
        return int(redis.Redis(port=self.port).llen(queue))

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _use(broker_url: str, write_url: str, eager: bool) -> None:
    conf: Any = app.conf  # celery's settings object; broker_url is read-only only to its type stubs
    conf.broker_url = broker_url
    # Sends go to the write URL: another test may have left it set explicitly, and it shadows broker_url.
    conf.broker_write_url = write_url
    conf.task_always_eager = eager
    # The cached connection and producer pools: the next send connects to the new URL.
    vars(app)["_pool"] = None
    vars(app.amqp)["_producer_pool"] = None


@pytest.fixture
def broker(settings) -> Iterator[Broker]:
    before = (app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager)
    outage = Broker()
    settings.TASKS_IN_PROCESS = False
    settings.CELERY_BROKER_URL = outage.url
    _use(outage.url, outage.url, eager=False)
    try:
        yield outage
    finally:
        _use(*before)
        outage.stop()


@pytest.mark.django_db(transaction=True)
def test_a_run_asked_for_while_the_broker_is_down_is_sent_once_when_it_is_back(broker, ministry_analyst, settings):
    client = APIClient()
    client.force_authenticate(ministry_analyst)

    response = client.post("/api/v1/match-runs/", {}, format="json")

    assert response.status_code in {200, 201, 202}, response.content
    run = MatchRun.objects.get(pk=response.json()["id"])
    assert (run.status, run.enqueued_at) == (RunStatus.QUEUED, None), "kept, not lost"

    broker.start()
    # Beat's sweeper resends a queued run nobody took once it is MATCHING_RESEND_AFTER_SECONDS old: be there.
    resend_after = datetime.timedelta(seconds=settings.MATCHING_RESEND_AFTER_SECONDS + 1)
    MatchRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - resend_after)
    services.match_run_sweep()
    services.match_run_sweep()  # beat's next minute: the run is already with the broker

    assert broker.waiting("celery") == 1, "sent once, never twice"
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED and run.enqueued_at is not None
