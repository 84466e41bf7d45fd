"""Celery tasks carry the id of the request that queued them, and each task writes one log line when it ends.

Connected in `CommonConfig.ready()`, so the web (which publishes) and the workers (which run) both have them.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import signals

from talent.common import metrics
from talent.common.logs import current_request_id, new_request_id

logger = logging.getLogger("talent.task")
HEADER = "talent_request_id"
_started: dict[str, tuple[float, Any]] = {}


def _add_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = current_request_id.get()
    if headers is not None and request_id and HEADER not in headers:
        headers[HEADER] = request_id


def _request_id_of(task: Any) -> str | None:
    request = task.request
    offered = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    return offered if isinstance(offered, str) else None


def _task_started(task_id: str, task: Any, **_: Any) -> None:
    # In-process (eager) tasks run inside the request: they keep its id. A worker takes it from the message.
    request_id = current_request_id.get() or new_request_id(_request_id_of(task))
    _started[task_id] = (time.perf_counter(), current_request_id.set(request_id))


def _task_ended(task_id: str, task: Any, state: str | None = None, **_: Any) -> None:
    started, token = _started.pop(task_id, (None, None))
    duration = time.perf_counter() - started if started is not None else 0.0
    outcome = (state or "UNKNOWN").lower()
    logger.info(
        "task %s %s",
        task.name,
        outcome,
        extra={
            "event": "task",
            "task": task.name,
            "task_id": task_id,
            "outcome": outcome,
            "queue": (getattr(task.request, "delivery_info", None) or {}).get("routing_key"),
            "duration_ms": round(duration * 1000, 1),
        },
    )
    metrics.observe_task(task=task.name, outcome=outcome, seconds=duration)
    if token is not None:
        current_request_id.reset(token)


def connect() -> None:
    signals.before_task_publish.connect(_add_request_id, weak=False, dispatch_uid="talent-request-id")
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="talent-task-started")
    signals.task_postrun.connect(_task_ended, weak=False, dispatch_uid="talent-task-ended")
