"""A run survives the death of its worker: real `celery worker` processes on the local Redis, one killed with
SIGKILL in the middle of a run; a second worker finishes it, once, with no duplicate proposal.

Needs CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/5): the embedded default runs tasks in-process, where there
is no worker to kill. The workers use this session's test database and a queue of their own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from talent.celery import app
from talent.matching import services
from talent.matching.models import Proposal, RunTrigger
from tests.matching.market import run_now

BROKER = os.environ.get("CELERY_BROKER_URL", "")
ROOT = Path(__file__).resolve().parents[2]
STALE_AFTER = 15.0  # well above a GIL-holding pause (loading the Kiwi model takes seconds on a busy machine)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not BROKER,
        reason="CELERY_BROKER_URL is unset: tasks run in-process, so there is no worker process to kill "
        "(run with CELERY_BROKER_URL=redis://127.0.0.1:6379/5)",
    ),
]


def wait_for(condition: Callable[[], bool], timeout: float, what: str, step: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")


class Workers:
    """`celery worker` subprocesses (the test app: runs pause between phases) on a queue of their own and this
    session's test database."""

    def __init__(self, logs: Path) -> None:
        self.queue = f"matching-test-{uuid.uuid4().hex[:10]}"
        self.logs = logs
        self.started: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.matching.worker_settings",
            "MATCHING_WORKER_DATABASE": connection.settings_dict["NAME"],
            "MATCHING_QUEUE": self.queue,
            "MATCHING_PHASE_PAUSE_SECONDS": "1",
            "MATCHING_STALE_AFTER_SECONDS": str(STALE_AFTER),
            "CELERY_VISIBILITY_TIMEOUT": "5",
        }

    def start(self, name: str) -> subprocess.Popen:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.matching.worker_app",
            "worker",
            "-Q",
            self.queue,
            "-c",
            "1",
        ]
        command += ["-P", "prefork", "-n", f"{name}-{self.queue}@%h"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        log = (self.logs / f"{name}.log").open("w")
        # Its own process group: SIGKILL reaches the pool process too, as when a machine dies.
        worker = subprocess.Popen(  # noqa: S603 - our own command line, no outside input
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        with app.connection_for_write() as broker:  # nothing of this test stays in Redis
            queue = self.queue
            redis = broker.default_channel.client  # type: ignore[attr-defined]  # kombu's Redis channel has one
            redis.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        for log in sorted(self.logs.glob("*.log")):
            sys.stderr.write(f"--- {log.name} (last lines)\n{''.join(log.read_text().splitlines(True)[-15:])}")


@pytest.fixture
def workers(tmp_path) -> Iterator[Workers]:
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_is_killed_mid_run_completes_once_on_another_worker(market, settings, workers):
    settings.MATCHING_QUEUE = workers.queue
    settings.MATCHING_STALE_AFTER_SECONDS = STALE_AFTER
    settings.MATCHING_RESEND_AFTER_SECONDS = 60
    first = workers.start("first")
    run = services.match_run_request(actor=None, trigger=RunTrigger.COMMAND)  # committed, then sent

    def mid_run() -> bool:
        run.refresh_from_db()
        return run.status == "running" and 20 <= run.progress < 95

    wait_for(mid_run, 90, "the first worker to be in the middle of the run")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("running", 1), "killed mid-run: still marked running"
    assert not Proposal.objects.exists(), "nothing half-written"

    workers.start("second")

    def finished() -> bool:
        services.match_run_sweep()  # what beat does every minute: notices the silent worker, queues the run again
        run.refresh_from_db()
        return run.status in ("succeeded", "failed")

    wait_for(finished, 90, "the second worker to finish the run", step=1.0)
    assert run.status == "succeeded", run.error
    assert run.attempts == 2
    pairs = list(Proposal.objects.values_list("expert_id", "problem_id"))
    assert max(Counter(pairs).values()) == 1, "no duplicate proposal"
    assert set(pairs) == {(market.lee.pk, market.weld.pk), (market.park.pk, market.wafer.pk)}
    assert set(Proposal.objects.values_list("run", flat=True)) == {run.pk}
    assert run.counts["proposals_new"] == 2
    assert run.invariants["holds"] is True

    again = run_now()  # here, in-process: a retried run gives the same proposals
    assert (again.counts["proposals_new"], again.counts["proposals_repeated"]) == (0, 2)
    assert again.counts["proposals_withdrawn"] == 0
