"""Celery tasks of matching: each takes ids, calls one service and is safe to run twice.

`run_match` is acknowledged only after it finishes and requeued if its worker process dies (acks_late,
reject_on_worker_lost), so a killed run is delivered again; the run's own claim makes a second delivery harmless.
Only database outages are retried; any other failure is recorded on the MatchRun by the service. `index_texts`
stores the terms of a profile or problem just saved; if it fails, the next run's own check indexes the row.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from talent.matching import services
from talent.matching.services._base import setting

logger = logging.getLogger(__name__)

RUN_SOFT_TIME_LIMIT = int(setting("RUN_SOFT_TIME_LIMIT"))
TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=RUN_SOFT_TIME_LIMIT,
    time_limit=RUN_SOFT_TIME_LIMIT + 60,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def run_match(run_id: int) -> str:
    """Execute one match run (claimed by a conditional update: a duplicate delivery does nothing)."""
    return str(services.match_run_execute(run_id=run_id))


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, autoretry_for=TRANSIENT, max_retries=3)
def sweep_match_runs() -> dict[str, int]:
    """Requeue (or fail) runs whose worker died, and send again the queued runs no worker took."""
    return services.match_run_sweep()


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, autoretry_for=TRANSIENT, max_retries=3)
def nightly_match_run() -> int:
    """The nightly run: queued like any other (or joining the one already waiting)."""
    return services.match_run_request_nightly().pk


# The analyser's work on one text is bounded (text.bounded): a few hundred milliseconds at worst, so these limits
# only stop a task that hangs; the queue moves on, and the next run indexes what it left.
@shared_task(acks_late=True, soft_time_limit=20, time_limit=30, autoretry_for=TRANSIENT, retry_backoff=5, max_retries=3)
def index_texts(kind: str, ids: list[int]) -> int:
    """Store the index terms of saved expert profiles or field problems whose text changed (a text already indexed
    is skipped). A failure is logged with the kind and ids only, never the text: the next run indexes the rows."""
    try:
        return services.index_texts(kind=kind, ids=ids)
    except TRANSIENT:
        raise
    except Exception as error:  # noqa: BLE001 - logged without the text; the next run indexes the rows
        logger.warning("index terms of %s %s not computed (%s)", kind, ids, type(error).__name__)
        return 0
