"""`make run` stays up: the development server under parallel clients answers every request and leaves no
database connection behind (it used to keep one per request thread until PostgreSQL said "too many clients")."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CLIENTS, REQUESTS = 8, 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our own loopback server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return -1


def others_connected() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def devserver(transactional_db, tmp_path):
    """`manage.py runserver` (threaded, as `make run` starts it) with the settings' own defaults."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.common.devserver_settings", DEVSERVER_DATABASE=connection.settings_dict["NAME"]
    )
    log = (tmp_path / "runserver.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while get(f"{url}/healthz") != 200:
            assert server.poll() is None, (tmp_path / "runserver.log").read_text()
            assert time.monotonic() < deadline, "the development server did not answer within 120 s"
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_eight_parallel_clients_get_every_answer_and_leave_no_connection_open(devserver):
    def client(_: int) -> list[int]:
        return [get(f"{devserver}/healthz") for _ in range(REQUESTS)]

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [status for answers in pool.map(client, range(CLIENTS)) for status in answers]

    assert len(statuses) == CLIENTS * REQUESTS
    assert [s for s in statuses if s != 200] == []
    # Each request's thread closed its connection: at most the last few are still closing.
    deadline = time.monotonic() + 10
    while others_connected() > 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert others_connected() == 0
