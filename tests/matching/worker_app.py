"""The Celery app of the workers that test_tasks_worker.py starts (`celery -A tests.matching.worker_app`): the
project's own, with a pause of MATCHING_PHASE_PAUSE_SECONDS (environment, default 1) after each phase of a run, so
that the test can kill a worker in the middle of one. The pause lives here: production runs carry no test hook."""

from __future__ import annotations

import os
import time

import django

django.setup()  # before the matching services are imported (their models need the app registry)

from talent.celery import app  # noqa: E402 - after django.setup()
from talent.matching.services import execution  # noqa: E402

__all__ = ["app"]

PAUSE_SECONDS = float(os.environ.get("MATCHING_PHASE_PAUSE_SECONDS", "1"))
_phase = execution._Tracker.phase


def _phase_then_pause(tracker: execution._Tracker, name: str, progress: int) -> None:
    _phase(tracker, name, progress)
    time.sleep(PAUSE_SECONDS)


execution._Tracker.phase = _phase_then_pause  # type: ignore[method-assign,assignment]
