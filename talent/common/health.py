"""Liveness and readiness probes for a load balancer or an orchestrator.

`/healthz`: the process answers (nothing else is touched: a database outage must not get every web process
restarted). `/readyz`: this process can serve: the database answers with every migration applied, the shared
cache and the broker answer when configured, and a Celery worker's heartbeat is recent (when tasks go to
workers). 503 names the check that failed. Neither says a version or an error text: anyone may call them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
OK, DOWN = "ok", "down"
LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")
_migrated = False  # once every migration is applied, it stays so for the life of the process


def _database() -> str:
    global _migrated
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if not _migrated:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "migrations pending"
        _migrated = True
    return OK


def _cache() -> str:
    if settings.CACHES["default"]["BACKEND"] in LOCAL_CACHES:
        return "local"
    probe, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(probe, value, timeout=10)
    answered = cache.get(probe)
    cache.delete(probe)
    return OK if answered == value else DOWN


def _broker() -> str:
    if settings.TASKS_IN_PROCESS:
        return "in-process"
    from talent.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return OK


def _worker() -> str:
    if settings.TASKS_IN_PROCESS:
        return "in-process"
    from talent.common.models import WorkerHeartbeat

    stale_after = float(getattr(settings, "READY_WORKER_STALE_SECONDS", 60))
    recent = WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - timedelta(seconds=stale_after))
    return OK if recent.exists() else "no recent heartbeat"


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "cache": _cache, "broker": _broker, "worker": _worker}
PASSING = {OK, "local", "in-process"}


def _run(name: str, check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - a probe answers "down"; the log says which check and the error type
        # Only the type: a driver's message can hold a host name, a user or a password from the URL.
        logger.warning("readiness check %s failed (%s)", name, type(error).__name__, extra={"check": name})
        return DOWN


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": OK})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {name: _run(name, check) for name, check in CHECKS.items()}
    if checks["database"] != OK and checks["worker"] == DOWN:
        checks["worker"] = "unknown"  # the heartbeats live in the database
    ready = all(value in PASSING for value in checks.values())
    failed = sorted(name for name, value in checks.items() if value not in PASSING)
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks, "failed": failed}, status=200 if ready else 503
    )
