"""Load on the production shape: N concurrent users for D seconds against gunicorn on loopback.

    python bench/load.py [--users 50] [--duration 60] [--url http://127.0.0.1:8000]

Without --url it starts the Procfile's web process itself (gunicorn, talent/gunicorn_conf.py; WEB_CONCURRENCY as
set, default 2 × cores + 1) with DEBUG off against DATABASE_URL and CACHE_URL (both required; tasks in-process:
no route here queues one), after seeding the demo data if the database is empty (`seed_demo --if-empty
--allow-production`). Every virtual user comes from 127.0.0.1, so the per-address throttles are raised for the run
(they would answer 429 by design).

Each user signs in once, then loops over the routes in turn: the ministry dashboard, the university's enrollment
list (page), an API list (enrollments, token), a sign-in (form GET + POST), and the roster preview (a 20-row CSV
upload, dry run). Then the same users hit /healthz for the same time: the floor of this server on this machine.
Prints per route: requests, errors, req/s, p50/p95/p99 (ms).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = os.environ.get("DEMO_PASSWORD", "ax-demo-2030!")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def roster_csv(user: int) -> bytes:
    """A small roster for the preview: the template's headers, 20 students of a programme the demo has."""
    header = "student_number,family_name_ko,given_name_ko,birth_date,programme,admission_date\n"
    rows = [f"L{user:03d}{n:04d},김,하늘{n},2000-01-{n % 28 + 1:02d},1,2026-03-02\n" for n in range(20)]
    return (header + "".join(rows)).encode()


class PlainHttpSession(requests.Session):
    """A browser session for plain HTTP on loopback: production marks its cookies Secure (no TLS in front here),
    which a client would otherwise keep to itself; the server's settings stay production's."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        for cookie in self.cookies:
            cookie.secure = False
        return super().request(*args, **kwargs)


class User:
    def __init__(self, base: str, number: int) -> None:
        self.base = base
        self.number = number
        self.ministry = self._signed_in("demo-ministry")
        self.university = self._signed_in("demo-university")
        self.token = requests.post(
            f"{base}/api/v1/auth/token/", json={"username": "demo-university", "password": PASSWORD}, timeout=60
        ).json()["token"]
        self.routes: Routes = [
            ("dashboard", lambda: self.ministry.get(f"{base}/dashboard/", timeout=60)),
            ("enrollment list", lambda: self.university.get(f"{base}/university/enrollments/", timeout=60)),
            ("api enrollments", self._api_list),
            ("sign-in", self._sign_in),
            ("roster preview", self._roster_preview),
        ]

    def _signed_in(self, username: str) -> requests.Session:
        session = PlainHttpSession()
        login = session.get(f"{self.base}/login/", timeout=60)
        token = CSRF.search(login.text)
        data = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""}
        response = session.post(login.url, data=data, headers={"Referer": login.url}, timeout=60)
        if response.status_code >= 400 or "sessionid" not in session.cookies:
            raise SystemExit(f"could not sign in as {username}: {response.status_code} (is the demo data loaded?)")
        return session

    def _api_list(self) -> requests.Response:
        headers = {"Authorization": f"Token {self.token}"}
        return requests.get(f"{self.base}/api/v1/enrollments/", headers=headers, timeout=60)

    def _sign_in(self) -> requests.Response:
        session = PlainHttpSession()
        login = session.get(f"{self.base}/login/", timeout=60)
        token = CSRF.search(login.text)
        data = {
            "username": "demo-researcher",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        response = session.post(login.url, data=data, headers={"Referer": login.url}, timeout=60, allow_redirects=False)
        if response.status_code != 302:
            response.status_code = 599  # the form came back: the sign-in failed
        return response

    def _roster_preview(self) -> requests.Response:
        page = self.university.get(f"{self.base}/university/roster/", timeout=60)
        token = CSRF.search(page.text)
        files = {"file": (f"roster-{self.number}.csv", roster_csv(self.number), "text/csv")}
        data = {"csrfmiddlewaretoken": token.group(1) if token else ""}
        return self.university.post(page.url, data=data, files=files, headers={"Referer": page.url}, timeout=60)


Routes = list[tuple[str, Callable[[], requests.Response]]]


def hammer(users: list[Routes], seconds: float) -> dict:
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def loop(routes: Routes) -> None:
        i = 0
        while time.monotonic() < stop_at:
            name, call = routes[i % len(routes)]
            i += 1
            started = time.perf_counter()
            try:
                failed = call().status_code >= 400
            except requests.RequestException:
                failed = True
            elapsed = time.perf_counter() - started
            with lock:
                samples[name].append(elapsed)
                errors[name] += failed

    threads = [threading.Thread(target=loop, args=(routes,)) for routes in users]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.monotonic() - started, "samples": samples, "errors": errors}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def report(title: str, result: dict) -> None:
    print(f"\n{title} ({result['seconds']:.0f} s)")
    print(f"  {'route':<18}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, values in result["samples"].items():
        rate = len(values) / result["seconds"]
        p50, p95, p99 = (percentile(values, p) for p in (50, 95, 99))
        print(f"  {name:<18}{len(values):>9}{result['errors'][name]:>8}{rate:>8.1f}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")
    every = [x for values in result["samples"].values() for x in values]
    errors = sum(result["errors"].values())
    mean = statistics.fmean(every) * 1000 if every else 0.0
    print(f"  {'all':<18}{len(every):>9}{errors:>8}{len(every) / result['seconds']:>8.1f}  (mean {mean:.0f} ms)")


def start_web(port: int) -> subprocess.Popen:
    for name in ("DATABASE_URL", "CACHE_URL"):
        if not os.environ.get(name):
            raise SystemExit(f"{name} is not set: the load runs on the production shape (PostgreSQL, Redis cache)")
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "TASKS_IN_PROCESS": "true",
        "PORT": str(port),
        "THROTTLE_ANON": "1000000/minute",
        "THROTTLE_USER": "1000000/minute",
        "AXES_FAILURE_LIMIT": "1000000",
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }
    env.pop("CELERY_BROKER_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    seed = [*manage, "seed_demo", "--if-empty", "--allow-production", "-v0"]
    subprocess.run(seed, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "talent.wsgi:application",
        "--config",
        "python:talent.gunicorn_conf",
    ]
    web = subprocess.Popen(  # noqa: S603 - our own command line
        command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return web
        except requests.RequestException:
            pass
        time.sleep(0.5)
    os.killpg(web.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not answer /healthz within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--url", help="a server already running (otherwise gunicorn is started here)")
    args = parser.parse_args()

    web = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        web = start_web(port)
        base = f"http://127.0.0.1:{port}"
    try:
        print(f"{args.users} users, {args.duration:.0f} s per phase, against {base} (cores: {os.cpu_count()})")
        users = [User(base, n) for n in range(args.users)]
        report("routes", hammer([user.routes for user in users], args.duration))
        health: Routes = [("healthz", lambda: requests.get(f"{base}/healthz", timeout=60))]
        report("floor: /healthz on the same server", hammer([health for _ in users], args.duration))
    finally:
        if web is not None:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(timeout=60)


if __name__ == "__main__":
    main()
