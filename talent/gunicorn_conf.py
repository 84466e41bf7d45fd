"""gunicorn's configuration for the web process (Procfile `web`): every number from the environment.

    WEB_CONCURRENCY   worker processes (default: 2 × cores + 1)
    WEB_THREADS       threads per worker (default 1: sync workers; >1 uses gthread)
    WEB_TIMEOUT       seconds a request may take before its worker is restarted (default 60)
    WEB_GRACEFUL_TIMEOUT  seconds a stopping worker gets to finish its requests (default 30)
    WEB_MAX_REQUESTS  requests after which a worker is replaced, with jitter (default 2000; 0: never)
    HOST, PORT        where to listen (default 127.0.0.1:8000; honcho passes PORT)

Requests are logged by the application (one JSON line each, with a request id): gunicorn's access log is off.
With PROMETHEUS_MULTIPROC_DIR set (`make serve` empties it before starting), each worker writes its metrics
there and /metrics adds them up.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _int("WEB_THREADS", 1)
timeout = _int("WEB_TIMEOUT", 60)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
max_requests = _int("WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
keepalive = 5
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The heartbeat file of each worker: on tmpfs when there is one, so a slow disk cannot make a worker look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs, gunicorn's own advice
proc_name = "talent-web"


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exits stops counting toward the live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
