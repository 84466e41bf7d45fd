"""/metrics: Prometheus series for requests by route, tasks, match run phases and report computation, shown to
loopback and private addresses or to the holder of METRICS_TOKEN, and to nobody else."""

from __future__ import annotations

import pytest
from celery import signals
from prometheus_client import REGISTRY

from talent.matching import services as matching
from talent.matching.models import MatchRun
from talent.matching.tasks import run_match
from talent.reports.selectors import target_reports
from tests.registry.api.test_request_logs import echo_request_id


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_request_is_counted_and_timed_by_its_route_name(client):
    before = sample("talent_http_requests_total", route="healthz", method="GET", status="200")
    client.get("/healthz")
    client.get("/healthz")
    assert sample("talent_http_requests_total", route="healthz", method="GET", status="200") == before + 2
    assert sample("talent_http_request_duration_seconds_count", route="healthz", method="GET") >= 2

    body = client.get("/metrics").content.decode()  # the test client's address is 127.0.0.1
    assert 'talent_http_requests_total{method="GET",route="healthz",status="200"}' in body
    assert "talent_http_request_duration_seconds_bucket" in body


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "shown"),
    [
        ("127.0.0.1", None, 0, True),
        ("10.2.0.7", None, 0, True),
        ("1.1.1.1", None, 0, False),
        ("10.0.0.2", "1.1.1.1", 1, False),  # through the proxy from the internet: not internal
        ("10.0.0.2", "1.1.1.1", 0, True),  # no proxy trusted: the header is ignored, the peer is internal
    ],
)
def test_metrics_are_shown_to_internal_addresses_only(client, settings, remote, forwarded, proxies, shown):
    settings.TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    response = client.get("/metrics", REMOTE_ADDR=remote, **extra)
    assert response.status_code == (200 if shown else 404)


def test_a_metrics_token_opens_them_to_any_address(client, settings):
    settings.METRICS_TOKEN = "scrape-7f3a9c21d04e"
    assert (
        client.get("/metrics", REMOTE_ADDR="1.1.1.1", HTTP_AUTHORIZATION="Bearer scrape-7f3a9c21d04e").status_code
        == 200
    )
    assert client.get("/metrics", REMOTE_ADDR="1.1.1.1", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_tasks_are_counted_by_outcome():
    before = sample("talent_tasks_total", task="tests.echo_request_id", outcome="success")
    echo_request_id.apply()
    assert sample("talent_tasks_total", task="tests.echo_request_id", outcome="success") == before + 1
    assert sample("talent_task_duration_seconds_count", task="tests.echo_request_id") >= 1


@pytest.mark.django_db
def test_a_finished_match_run_reports_the_time_of_each_phase():
    run = matching.match_run_request(actor=None, enqueue=False)
    MatchRun.objects.filter(pk=run.pk).update(timings={"score": 1.5, "assign": 0.25, "total": 2.0})
    before = sample("talent_match_run_phase_seconds_count", phase="score")
    signals.task_postrun.send(sender=run_match, task_id="t-1", task=run_match, args=[run.pk], state="SUCCESS")
    assert sample("talent_match_run_phase_seconds_count", phase="score") == before + 1
    assert sample("talent_match_run_phase_seconds_sum", phase="total") >= 2.0


@pytest.mark.django_db
def test_computing_the_target_reports_is_timed(ministry_analyst):
    before = sample("talent_report_compute_seconds_count", report="target_report")
    reports = target_reports(user=ministry_analyst)
    assert sample("talent_report_compute_seconds_count", report="target_report") == before + len(reports) > before
