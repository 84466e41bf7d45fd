"""Faults the fleet lives through: the Redis cache unreachable (pages still served, throttles let requests through,
readiness says so) and PostgreSQL restarting under a kept connection (the next request reconnects)."""

from __future__ import annotations

import logging

import psycopg
import pytest
from django.core.cache import cache
from django.db import close_old_connections, connection
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from talent.common import cache as resilient

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "talent.common.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def test_an_unreachable_cache_is_a_miss_not_an_error(cache_down, caplog, monkeypatch):
    monkeypatch.setattr(resilient, "_last_warning", 0.0)  # as in a process that has not warned yet
    with caplog.at_level(logging.WARNING, logger="talent.common.cache"):
        cache.set("k", "v")
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        assert cache.add("k", "v") is False
        assert cache.get_many(["k"]) == {}
        cache.delete("k")
    assert "cache unreachable" in caplog.text
    assert caplog.text.count("cache unreachable") <= 1, "one warning per 30 s, not one per call"


@pytest.mark.django_db
def test_with_the_cache_down_pages_are_served_and_the_throttle_lets_requests_through(cache_down, client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": None})
    statuses = [APIClient().get("/api/v1/schema/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200], "throttling degrades open while its counts cannot be kept"
    assert client.get("/login/").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "cache" in ready.json()["failed"]


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_between_requests_costs_no_request(client):
    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60  # production's kept connections
    try:
        assert client.get("/readyz").json()["checks"]["database"] == "ok"
        backend = connection.connection.info.backend_pid
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [backend])
        # What every request of a real server starts with (the test client leaves it out): the kept connection
        # is health-checked on its first use in the request.
        close_old_connections()
        response = client.get("/readyz")
        assert response.json()["checks"]["database"] == "ok"
        assert connection.connection.info.backend_pid != backend
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = kept
        connection.close()
