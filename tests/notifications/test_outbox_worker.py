"""The outbox with the real broker and a real worker: the broker is down while both sides accept (the answers
succeed, the mails wait as queued); once it is back, beat's sweeper hands them over and the worker sends each
exactly once — handing them over again, as a retry or a duplicate delivery would, sends nothing twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.db import connection
from rest_framework.test import APIClient

from talent.celery import app
from talent.notifications import services, tasks
from talent.notifications.models import EmailStatus, Notification
from tests.matching.market import run_now
from tests.matching.test_broker_outage import REDIS_SERVER, Broker, _use

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(REDIS_SERVER is None, reason="needs the redis-server program (apt-get install redis)"),
]


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")


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


@pytest.fixture
def worker_for(tmp_path) -> Iterator[Callable[[Broker], Path]]:
    started: list[subprocess.Popen] = []
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    def start(broker: Broker) -> Path:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "NOTIFICATIONS_WORKER_DATABASE": connection.settings_dict["NAME"],
            "NOTIFICATIONS_MAIL_DIR": str(mail_dir),
            "CELERY_BROKER_URL": broker.url,
        }
        command = [sys.executable, "-m", "celery", "-A", "talent", "worker", "-c", "1", "-P", "solo"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"outbox-{broker.port}@%h"]
        log = (tmp_path / "worker.log").open("w")
        started.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        )
        return mail_dir

    try:
        yield start
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=30)
        log = tmp_path / "worker.log"
        if log.exists():
            sys.stderr.write(f"--- worker log (last lines)\n{''.join(log.read_text().splitlines(True)[-15:])}")


def drained(broker: Broker) -> bool:
    client = redis.Redis(port=broker.port)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


@pytest.mark.django_db(transaction=True)
def test_mails_of_answers_given_while_the_broker_was_down_are_sent_once_when_it_is_back(
    market, broker, worker_for, settings
):
    market.other_company_member.email = "member@nuri.example.com"
    market.other_company_member.save()
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    for user in (market.park_user, market.other_company_member):
        client = APIClient()
        client.force_authenticate(user)
        assert client.post(f"/api/v1/proposals/{proposal.pk}/accept/").status_code == 200

    waiting = Notification.objects.exclude(kind="proposals_new")
    assert waiting.count() == 3, "the company told of the expert's answer; both told the engagement started"
    assert set(waiting.values_list("email_status", "email_enqueued_at")) == {(EmailStatus.QUEUED, None)}
    Notification.objects.filter(kind="proposals_new").update(email_status=EmailStatus.SKIPPED)

    broker.start()
    mail_dir = worker_for(broker)
    services.notification_sweep()  # beat's sweeper, the next minute
    wait_for(lambda: not waiting.filter(email_status=EmailStatus.QUEUED).exists(), 60, "the worker to send")
    assert set(waiting.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    assert len(list(mail_dir.iterdir())) == 3

    for pk in waiting.values_list("pk", flat=True):  # a retry, a duplicate delivery, the sweeper again
        tasks.deliver_notification.apply_async(args=(pk,))
        tasks.deliver_notification.apply_async(args=(pk,))
    services.notification_sweep()
    wait_for(lambda: drained(broker), 60, "the worker to take every task")
    time.sleep(1)

    assert len(list(mail_dir.iterdir())) == 3, "nothing sent twice"
