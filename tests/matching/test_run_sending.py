"""A run is handed to the workers after the request's transaction commits; if handing it over fails, the
request still succeeds and the run stays queued for the sweeper."""

from __future__ import annotations

import logging

import pytest

from talent.matching import services, tasks
from talent.matching.models import MatchRun, RunStatus


@pytest.mark.django_db(transaction=True)
def test_a_failure_to_send_the_run_is_logged_and_the_run_stays_queued(ministry_analyst, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise RuntimeError("the worker pool refused the message")

    monkeypatch.setattr(tasks.run_match, "apply_async", refuse)

    with caplog.at_level(logging.ERROR):
        run = services.match_run_request(actor=ministry_analyst)

    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    assert MatchRun.objects.get(pk=run.pk).enqueued_at is None
    assert "send_run" in caplog.text
