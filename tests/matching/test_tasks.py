"""Runs from every door — the API with or without a broker, the admin, the command line, beat — and what happens
when the broker is down. The worker-kill test with real worker processes is in test_tasks_worker.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import InterfaceError, OperationalError
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask
from kombu import Connection
from rest_framework.test import APIClient

from talent.celery import app
from talent.matching import services, tasks
from talent.matching.models import MatchRun, Proposal
from talent.matching.schedules import BEAT_SCHEDULE
from tests import factories

IN_PROCESS = not os.environ.get("CELERY_BROKER_URL")
in_process_only = pytest.mark.skipif(
    not IN_PROCESS, reason="CELERY_BROKER_URL is set: tasks go to the broker, not in-process"
)


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """The Celery app pointed at a port where no broker listens (and not eager): what a Redis outage looks like."""
    saved = app.conf.task_always_eager, app.conf.broker_write_url
    # The write URL: the settings' namespaced CELERY_BROKER_URL shadows a plain `broker_url` set here.
    # Celery's stubs: `broker_write_url` is a read-only property and the connection pools are private.
    app.conf.task_always_eager, app.conf.broker_write_url = False, "redis://127.0.0.1:9/0"  # type: ignore[misc]
    app._pool = app.amqp._producer_pool = None  # type: ignore[attr-defined]
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_write_url = saved  # type: ignore[misc]
        app._pool = app.amqp._producer_pool = None  # type: ignore[attr-defined]


def test_a_run_requested_while_the_broker_is_down_is_kept_queued(ministry_analyst, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(ministry_analyst)

    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/match-runs/", {}, format="json")

    assert response.status_code == 202, "the request itself succeeds"
    run = MatchRun.objects.get(pk=response.data["id"])
    assert (run.status, run.enqueued_at) == ("queued", None), "kept for the sweeper, not lost"


@in_process_only
def test_once_the_broker_is_back_the_sweeper_sends_the_run_it_kept(
    market, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_RESEND_AFTER_SECONDS = 0
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(actor=None)

    with django_capture_on_commit_callbacks(execute=True):
        swept = services.match_run_sweep()

    run.refresh_from_db()
    assert swept["sent"] == 1
    assert run.status == "succeeded", "sent, and executed in-process"


@in_process_only
def test_without_a_broker_a_requested_run_executes_in_process(
    market, ministry_analyst, django_capture_on_commit_callbacks
):
    client = APIClient()
    client.force_authenticate(ministry_analyst)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/match-runs/", {"mode": "stable"}, format="json")

    run = MatchRun.objects.get(pk=response.data["id"])
    assert run.status == "succeeded", run.error
    assert Proposal.objects.filter(run=run).count() == 2


def test_run_match_is_acknowledged_late_limited_in_time_and_retries_only_database_outages():
    assert tasks.run_match.acks_late and tasks.run_match.reject_on_worker_lost
    soft, hard = tasks.run_match.soft_time_limit, tasks.run_match.time_limit
    assert soft is not None and hard is not None and 0 < soft < hard
    assert set(tasks.run_match.autoretry_for) == {OperationalError, InterfaceError}  # type: ignore[attr-defined]


@contextmanager
def memory_broker() -> Iterator[None]:
    """The Celery app sending to kombu's in-process broker (not eager): the messages wait there, one list per
    queue, as they would in Redis."""
    saved = app.conf.task_always_eager, app.conf.broker_write_url
    app.conf.task_always_eager, app.conf.broker_write_url = False, "memory://"  # type: ignore[misc]
    app._pool = app.amqp._producer_pool = None  # type: ignore[attr-defined]
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_write_url = saved  # type: ignore[misc]
        app._pool = app.amqp._producer_pool = None  # type: ignore[attr-defined]


def waiting(queue: str) -> list[str]:
    """The names of the tasks waiting in `queue` of the memory broker (one state per process), taken off it."""
    names = []
    with Connection("memory://") as connection, connection.SimpleQueue(queue) as messages:
        while messages.qsize():
            message = messages.get(timeout=1)
            message.ack()
            names.append(message.headers["task"])
    return names


@pytest.mark.parametrize("matching_queue", [None, "matching"])
def test_indexing_has_a_queue_of_its_own_so_a_bad_document_never_stands_before_a_run(
    matching_queue, db, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_QUEUE = matching_queue
    with memory_broker(), django_capture_on_commit_callbacks(execute=True):
        problem = factories.FieldProblemFactory()
        services.index_after_save(kind="field_problem", pk=problem.pk)
        services.match_run_request(actor=None)

    assert waiting(settings.MATCHING_INDEX_QUEUE) == ["talent.matching.tasks.index_texts"]
    assert waiting(matching_queue or "celery") == ["talent.matching.tasks.run_match"]


def test_the_indexing_task_is_limited_in_time():
    soft, hard = tasks.index_texts.soft_time_limit, tasks.index_texts.time_limit
    assert soft is not None and hard is not None and 0 < soft < hard <= 60


def test_the_task_executes_a_run_and_a_second_delivery_does_nothing(market):
    run = services.match_run_request(actor=None, enqueue=False)

    assert tasks.run_match(run.pk) == "succeeded"
    assert tasks.run_match(run.pk) == "not_claimable"
    assert Proposal.objects.count() == 2


def test_the_nightly_task_queues_a_run_and_the_sweeper_task_sweeps(db):
    run = MatchRun.objects.get(pk=tasks.nightly_match_run())

    assert (run.status, run.trigger, run.requested_by) == ("queued", "nightly", None)
    assert tasks.sweep_match_runs() == {"requeued": 0, "failed": 0, "sent": 0}


def test_the_nightly_run_joins_a_run_already_waiting_whatever_its_mode(ministry_analyst):
    waiting = services.match_run_request(actor=ministry_analyst, mode="max_fit", enqueue=False)

    assert tasks.nightly_match_run() == waiting.pk


def test_the_beat_schedule_names_registered_tasks_and_is_installed_idempotently(db):
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks

    call_command("setup_matching_schedules", stdout=StringIO())
    call_command("setup_matching_schedules", stdout=StringIO())

    installed = PeriodicTask.objects.filter(name__in=BEAT_SCHEDULE)
    assert installed.count() == 2
    nightly = installed.get(task="talent.matching.tasks.nightly_match_run")
    assert (nightly.crontab.hour, nightly.crontab.minute) == ("2", "30")


# --- The command line -----------------------------------------------------------------------------------------


def test_run_matching_runs_here_with_a_progress_bar(market):
    out, err = StringIO(), StringIO()

    call_command("run_matching", stdout=out, stderr=err)

    run = MatchRun.objects.get()
    assert (run.status, run.trigger) == ("succeeded", "command")
    assert f"match run #{run.pk} succeeded" in out.getvalue()
    assert "100/100" in err.getvalue()


def test_run_matching_refuses_to_run_beside_another_run(market):
    now = timezone.now()
    MatchRun.objects.create(status="running", attempts=1, started_at=now, heartbeat_at=now)

    with pytest.raises(CommandError, match="Another match run is running"):
        call_command("run_matching", stdout=StringIO(), stderr=StringIO())


def test_run_matching_explains_a_refusal(ministry_analyst):
    services.match_run_request(actor=ministry_analyst, mode="max_fit", enqueue=False)

    with pytest.raises(CommandError, match="already waiting"), translation.override("en"):
        call_command("run_matching", "--mode", "stable", stdout=StringIO(), stderr=StringIO())


def test_run_matching_on_the_workers_gives_up_following_after_its_timeout(market):
    with pytest.raises(CommandError, match="has not finished"):
        call_command("run_matching", "--queue", "--timeout", "0.5", stdout=StringIO(), stderr=StringIO())


# --- The admin ------------------------------------------------------------------------------------------------


def test_an_operator_starts_a_run_in_the_admin_and_reads_it(operator, client):
    client.force_login(operator)

    added = client.post("/admin/matching/matchrun/add/", {"mode": "max_fit"})
    run = MatchRun.objects.get()
    shown = client.get(f"/admin/matching/matchrun/{run.pk}/change/")

    assert added.status_code == 302
    assert (run.mode, run.trigger, run.requested_by) == ("max_fit", "admin", operator)
    assert shown.status_code == 200
    assert b'name="_save"' not in shown.content, "a run is read-only once started"


def test_a_run_refused_in_the_admin_is_shown_on_the_form(operator, client):
    waiting = services.match_run_request(actor=None, mode="stable", enqueue=False)
    client.force_login(operator)

    refused = client.post("/admin/matching/matchrun/add/", {"mode": "max_fit"}, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 200
    assert "match run is already waiting to start" in refused.content.decode()
    assert list(MatchRun.objects.values_list("pk", "mode")) == [(waiting.pk, "stable")]


def test_proposals_are_read_only_in_the_admin(market, operator, client):
    services.match_run_execute(run_id=services.match_run_request(actor=None, enqueue=False).pk)
    client.force_login(operator)
    proposal = Proposal.objects.first()
    assert proposal is not None

    assert client.get("/admin/matching/proposal/").status_code == 200
    assert client.get(f"/admin/matching/proposal/{proposal.pk}/change/").status_code == 200
    assert client.get("/admin/matching/proposal/add/").status_code == 403
