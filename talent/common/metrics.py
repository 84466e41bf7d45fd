"""Prometheus metrics: request latency by route, task durations and outcomes, queue depth, match run phases and the
time the reports take to compute.

Under gunicorn (several processes) and Celery's prefork pool, PROMETHEUS_MULTIPROC_DIR names a folder every process
of the machine writes to; `/metrics` adds them up (`make serve` sets and empties it). Without it (the development
server), the metrics are the process's own. `/metrics` answers a loopback or private address, or anyone sending
`Authorization: Bearer $METRICS_TOKEN` when that is set; everyone else gets 404.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

from talent.common.client_address import client_address

logger = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
LONG_BUCKETS = (0.05, 0.25, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 1800.0)

REQUESTS = Counter(
    "talent_http_requests", "Requests answered, by route name, method and status.", ["route", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "talent_http_request_duration_seconds",
    "Time to answer a request, by route name.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
TASKS = Counter("talent_tasks", "Celery tasks finished, by task and outcome.", ["task", "outcome"])
TASK_SECONDS = Histogram(
    "talent_task_duration_seconds", "Time a Celery task ran, by task.", ["task"], buckets=LONG_BUCKETS
)
MATCH_RUN_PHASE_SECONDS = Histogram(
    "talent_match_run_phase_seconds", "Time each phase of a finished match run took.", ["phase"], buckets=LONG_BUCKETS
)
REPORT_SECONDS = Histogram(
    "talent_report_compute_seconds",
    "Time to compute a report's figures, by report.",
    ["report"],
    buckets=LATENCY_BUCKETS,
)


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route, method, str(status)).inc()
    REQUEST_SECONDS.labels(route, method).observe(seconds)


def observe_task(*, task: str, outcome: str, seconds: float) -> None:
    TASKS.labels(task, outcome).inc()
    TASK_SECONDS.labels(task).observe(seconds)


def timed_report(report: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate the function that computes a report: its duration goes to talent_report_compute_seconds."""

    def decorate(compute: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(compute)
        def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            started = time.perf_counter()
            try:
                return compute(*args, **kwargs)
            finally:
                REPORT_SECONDS.labels(report).observe(time.perf_counter() - started)

        return timed

    return decorate


class QueueDepth(Collector):
    """Messages waiting in each Celery queue, read from the broker when /metrics is scraped."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("talent_queue_depth", "Messages waiting in a Celery queue.", labels=["queue"])
        if not settings.TASKS_IN_PROCESS:
            from talent.celery import app

            queues = [
                "celery",
                settings.MATCHING_INDEX_QUEUE,
                *([settings.MATCHING_QUEUE] if settings.MATCHING_QUEUE else []),
            ]
            try:
                with app.connection_for_read() as connection:
                    channel: Any = connection.default_channel
                    for queue in queues:
                        # Not passive: on Redis a queue no worker has bound yet is simply empty, not an error.
                        family.add_metric([queue], channel.queue_declare(queue=queue).message_count)
            except Exception as error:  # noqa: BLE001 - a scrape without the gauge beats a failed scrape
                logger.warning("queue depth not read (%s)", type(error).__name__)
        yield family


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
    else:
        combined = CollectorRegistry()
        combined.register(_Own())
    combined.register(QueueDepth())
    return combined


class _Own(Collector):
    """This process's own metrics (no multiprocess folder)."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def _serve_worker_metrics(sender: Any = None, **_: Any) -> None:
    """A Celery worker with WORKER_METRICS_PORT serves its own /metrics (for machines without a web process)."""
    port = int(getattr(settings, "WORKER_METRICS_PORT", 0) or 0)
    if port:
        from prometheus_client import start_http_server

        start_http_server(port, addr=os.environ.get("WORKER_METRICS_ADDR", "127.0.0.1"), registry=registry())


def connect() -> None:
    from celery import signals

    signals.worker_ready.connect(_serve_worker_metrics, weak=False, dispatch_uid="talent-worker-metrics")


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    address = client_address(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return ip.is_loopback or ip.is_private


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(status=404)
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
