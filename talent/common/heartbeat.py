"""The Celery worker's heartbeat: each worker writes the time into its WorkerHeartbeat row every few seconds, so
`/readyz` can tell that some worker is alive without asking the broker to broadcast.

A thread of the worker's main process beats (the pool processes run the tasks); the row goes when the worker stops
cleanly. The database is the one place every web process on every machine can read.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from celery import signals
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)
_stop = threading.Event()
_threads: list[threading.Thread] = []


def interval() -> float:
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 10))


def beat(hostname: str) -> None:
    """Record that the worker `hostname` is alive now."""
    from talent.common.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:200], defaults={"seen_at": timezone.now(), "pid": os.getpid()}
    )


def _beat_forever(hostname: str) -> None:
    while not _stop.is_set():
        try:
            close_old_connections()
            beat(hostname)
        except Exception as error:  # noqa: BLE001 - a missed beat is what readiness reports; keep beating
            logger.warning("worker heartbeat not written (%s)", type(error).__name__)
        _stop.wait(interval())
    connection.close()


def _worker_ready(sender: Any = None, **_: Any) -> None:
    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    _stop.clear()
    thread = threading.Thread(target=_beat_forever, args=(hostname,), name="talent-heartbeat", daemon=True)
    _threads.append(thread)
    thread.start()


def _worker_stopping(sender: Any = None, **_: Any) -> None:
    from talent.common.models import WorkerHeartbeat

    _stop.set()
    while _threads:  # a beat under way would write the row again after it is removed
        _threads.pop().join(timeout=30)
    hostname = sender if isinstance(sender, str) else getattr(sender, "hostname", None) or socket.gethostname()
    try:
        WorkerHeartbeat.objects.filter(hostname=hostname[:200]).delete()
    except Exception as error:  # noqa: BLE001 - the row then goes stale, which readiness reads the same way
        logger.warning("worker heartbeat not removed (%s)", type(error).__name__)


def connect() -> None:
    signals.worker_ready.connect(_worker_ready, weak=False, dispatch_uid="talent-heartbeat-start")
    signals.worker_shutting_down.connect(_worker_stopping, weak=False, dispatch_uid="talent-heartbeat-stop")
