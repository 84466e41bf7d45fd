"""The production shape, end to end: `python -m tests.fleet.check`.

Starts each process of the Procfile (gunicorn web, Celery worker, beat) against DATABASE_URL, CELERY_BROKER_URL and
CACHE_URL with DEBUG off, waits for /readyz, runs a match run through the real worker, opens a field problem so
the web queues a run the worker executes (carrying the request's id into the worker's log), reads /metrics, then
breaks parts and watches the fleet notice and recover: the worker killed (readiness says so; a new worker brings it
back), the web killed and restarted. Prints each step with its time; exits 1 at the first failure.

The database named by DATABASE_URL is migrated and EMPTIED (`flush`) before the check's few records: give it a
database of its own (.ci/run makes talent_fleet).
Each process runs in its own process group, as honcho would start it, so that one can be killed alone (honcho stops
them all when one exits); `honcho check` validates the Procfile itself.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTED = time.monotonic()


class Failed(Exception):
    pass


def say(message: str) -> None:
    sys.stdout.write(f"[{time.monotonic() - STARTED:6.1f} s] {message}\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, condition: Callable[[], Any], timeout: float, step: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise Failed(f"gave up after {timeout:.0f} s waiting for {what}")


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310 - loopback
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                return response.status, dict(response.headers), _decode(response.read(), response.headers)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), _decode(error.read(), error.headers)
        except OSError:
            return -1, {}, None


def _decode(raw: bytes, headers: Any) -> Any:
    if "json" in (headers.get("Content-Type") or ""):
        return json.loads(raw)
    return raw.decode(errors="replace")


class Fleet:
    """The Procfile's processes, each in a process group of its own, logging to files."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.commands = dict(
            line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if re.match(r"^\w+:", line)
        )
        self.running: dict[str, subprocess.Popen] = {}
        self.starts: dict[str, int] = {}

    def start(self, name: str) -> None:
        self.starts[name] = self.starts.get(name, 0) + 1
        log = (self.logs / f"{name}.{self.starts[name]}.log").open("w")
        self.running[name] = subprocess.Popen(  # noqa: S603 - the Procfile's own command line
            ["/bin/sh", "-c", f"exec {self.commands[name].strip()}"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str, sig: signal.Signals = signal.SIGKILL) -> None:
        process = self.running.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=60)

    def stop_all(self) -> None:
        for name in list(self.running):
            process = self.running.pop(name)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)

    def log_text(self, name: str) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.logs.glob(f"{name}.*.log")))

    def alive(self, name: str) -> bool:
        return name in self.running and self.running[name].poll() is None


def production_env(port: int, metrics_dir: Path) -> dict[str, str]:
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        if not os.environ.get(name):
            raise Failed(f"{name} is not set: the fleet check runs against real PostgreSQL and Redis")
    return {
        **os.environ,
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # loopback, no TLS terminator in front
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "WORKER_CONCURRENCY": "1",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "READY_WORKER_STALE_SECONDS": "6",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise Failed(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SETUP = """
from rest_framework.authtoken.models import Token
from talent.registry import services
from tests import factories
analyst = factories.UserFactory(username=f"fleet-analyst-{RUN}")
factories.MembershipFactory(user=analyst, organization=factories.MinistryFactory())
member = factories.UserFactory(username=f"fleet-company-{RUN}")
company = factories.CompanyFactory()
factories.MembershipFactory(user=member, organization=company)
for _ in range(3):
    factories.ExpertProfileFactory()
problem = factories.FieldProblemFactory(organization=company, status="draft")
print("SETUP", Token.objects.create(user=analyst).key, Token.objects.create(user=member).key, problem.pk)
"""


def run_until_done(http: Http, token: str, run_id: int, timeout: float = 240) -> dict:
    def finished() -> dict | None:
        status, _, body = http.call("GET", f"/api/v1/match-runs/{run_id}/", token)
        return body if status == 200 and body["status"] in {"succeeded", "failed"} else None

    body = wait_for(f"match run {run_id} to finish", finished, timeout, step=1)
    if body["status"] != "succeeded":
        raise Failed(f"match run {run_id} failed: {body.get('error') or body}")
    return body


def ready(http: Http) -> dict | None:
    status, _, body = http.call("GET", "/readyz")
    return body if status == 200 else None


def check(fleet: Fleet, http: Http, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - honcho validates the Procfile
        [str(BIN / "honcho"), "check", "-f", "Procfile"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise Failed(f"honcho check refused the Procfile: {result.stdout}{result.stderr}")
    say("Procfile: honcho check passes")

    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "flush", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    out = manage(env, "shell", "-c", f"RUN = {secrets.token_hex(4)!r}\n{SETUP}")
    analyst, member, problem = next(line for line in out.splitlines() if line.startswith("SETUP")).split()[1:]
    say("database migrated and emptied; an analyst, a company with a draft problem and three experts")

    for name in ("web", "worker", "beat"):
        fleet.start(name)
    body = wait_for("/readyz to say ready", lambda: ready(http), 180)
    say(f"web, worker and beat up: /readyz {body['checks']}")

    status, _, run = http.call("POST", "/api/v1/match-runs/", analyst, {"mode": "stable"})
    if status not in {200, 201, 202}:
        raise Failed(f"starting a match run answered {status}: {run}")
    done = run_until_done(http, analyst, run["id"])
    say(f"match run {run['id']} through the worker: {done['status']}, {done.get('counts')}")

    status, headers, opened = http.call("POST", f"/api/v1/problems/{problem}/open/", member)
    if status != 200:
        raise Failed(f"opening the problem answered {status}: {opened}")
    request_id = headers.get("X-Request-ID")
    status, _, runs = http.call("GET", "/api/v1/match-runs/?ordering=-id", analyst)
    latest = max(runs["results"], key=lambda r: r["id"])
    if latest["id"] == run["id"]:
        raise Failed("opening the problem queued no match run")
    run_until_done(http, analyst, latest["id"])
    say(f"problem opened by the web (request {request_id}): run {latest['id']} queued there, executed by the worker")

    def task_line_with_request_id() -> bool:
        for line in fleet.log_text("worker").splitlines():
            payload = line[line.find("{") :]
            try:
                record = json.loads(payload)
            except ValueError:
                continue
            if not isinstance(record, dict):
                continue
            if record.get("event") == "task" and record.get("request_id") == request_id:
                return record["task"] == "talent.matching.tasks.run_match"
        return False

    wait_for("the worker's task line carrying the request id", task_line_with_request_id, 30)
    say("the worker's JSON task line carries the web request's id")

    status, _, edited = http.call(
        "PATCH", f"/api/v1/problems/{problem}/", member, {"description": "사출 성형 불량을 비전 검사로 검출합니다."}
    )
    if status != 200:
        raise Failed(f"editing the problem's description answered {status}: {edited}")
    wait_for(
        "the worker to index the edited problem", lambda: _task_done(fleet, "talent.matching.tasks.index_texts"), 60
    )
    say("the edited problem's text indexed by the worker, from the indexing queue")

    status, _, metrics = http.call("GET", "/metrics")
    expected = [
        'talent_http_requests_total{method="GET",route="readyz",status="200"}',
        'talent_tasks_total{outcome="success",task="talent.matching.tasks.run_match"}',
        'talent_match_run_phase_seconds_count{phase="total"}',
        'talent_queue_depth{queue="celery"}',
        'talent_queue_depth{queue="indexing"}',
    ]
    missing = [name for name in expected if name not in str(metrics)]
    if status != 200 or missing:
        raise Failed(f"/metrics answered {status}, without {missing}")
    say("/metrics: request, task, match run phase and queue depth series")

    fleet.kill("worker")
    body = wait_for("/readyz to notice the dead worker", lambda: _not_ready(http), 60)
    say(f"worker killed (SIGKILL): /readyz 503, failed {body['failed']}")
    fleet.start("worker")
    wait_for("/readyz after a new worker", lambda: ready(http), 120)
    say("a new worker: /readyz ready again")

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    status, _, body = http.call("GET", "/readyz")
    if status != 200 and body and "database" in body.get("failed", []):
        raise Failed(f"the first request after PostgreSQL dropped every connection failed: {body}")
    wait_for("/readyz after PostgreSQL dropped every connection", lambda: ready(http), 60)
    say(f"PostgreSQL dropped all {killed[0] if killed else 0} connections of the fleet: the next request reconnected")

    fleet.kill("web")
    if http.call("GET", "/healthz")[0] != -1:
        raise Failed("the web still answers after being killed")
    fleet.start("web")
    wait_for("/healthz after restarting the web", lambda: http.call("GET", "/healthz")[0] == 200, 120)
    wait_for("/readyz after restarting the web", lambda: ready(http), 60)
    say("web killed and restarted: /healthz and /readyz answer again")

    if not fleet.alive("beat"):
        raise Failed(f"beat died:\n{fleet.log_text('beat')[-2000:]}")
    say("beat stayed up throughout")


def _task_done(fleet: Fleet, task: str) -> bool:
    """Whether the worker logged a successful run of `task` (its JSON task line)."""
    for line in fleet.log_text("worker").splitlines():
        try:
            record = json.loads(line[line.find("{") :])
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("event") == "task" and record.get("task") == task:
            return record.get("outcome") == "success"
    return False


def _not_ready(http: Http) -> dict | None:
    status, _, body = http.call("GET", "/readyz")
    return body if status == 503 and "worker" in body.get("failed", []) else None


def main() -> int:
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="talent-fleet-"))
    env = production_env(port, work / "metrics")
    (work / "metrics").mkdir()
    fleet = Fleet(env, work)
    try:
        check(fleet, Http(f"http://127.0.0.1:{port}"), env)
    except Failed as failure:
        say(f"FAILED: {failure}")
        for name in ("web", "worker", "beat"):
            sys.stderr.write(f"--- {name} (last lines)\n{fleet.log_text(name)[-3000:]}\n")
        return 1
    finally:
        fleet.stop_all()
    shutil.rmtree(work, ignore_errors=True)
    say("fleet check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
