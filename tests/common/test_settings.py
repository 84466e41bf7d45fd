"""Settings come only from the environment; production (DEBUG off) fails closed, naming every missing setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CACHE_URL", "CELERY_BROKER_URL", "TASKS_IN_PROCESS"}
OURS |= {"TRUSTED_PROXIES", "CONN_MAX_AGE"}
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "registry.example.kr",
    "CACHE_URL": "rediscache://127.0.0.1:6379/4",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/4",
}
MISSING = ["SECRET_KEY", "ALLOWED_HOSTS", "CACHE_URL", "CELERY_BROKER_URL"]


def load_settings(*names: str, **env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with only `env` of ours set; print the `names` asked for."""
    environment = {k: v for k, v in os.environ.items() if k not in OURS}
    environment.update({"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", **env})
    values = ", ".join(f"s.{name}" for name in ("DEBUG", "SESSION_COOKIE_SECURE", "LANGUAGE_CODE", *names))
    code = f"import talent.settings as s; print(repr(({values},)))"
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    assert result.stderr.count("Refusing to start in production") == 1, result.stderr
    return result.stderr.split("Refusing to start in production", 1)[1]


def test_production_with_nothing_set_refuses_naming_each_missing_setting_in_one_message():
    message = refusal(load_settings(DEBUG="false"))
    for name in MISSING:
        assert f"- {name}:" in message


@pytest.mark.parametrize("missing", MISSING)
def test_production_refuses_without_each_setting_and_names_only_that_one(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    message = refusal(load_settings(**env))
    assert f"- {missing}:" in message
    assert [name for name in MISSING if f"- {name}:" in message] == [missing]


@pytest.mark.parametrize("cache_url", ["locmemcache://", "dummycache://", "filecache:///tmp/talent-cache"])
def test_production_refuses_a_cache_each_process_keeps_to_itself(cache_url):
    message = refusal(load_settings(**{**PRODUCTION, "CACHE_URL": cache_url}))
    assert "- CACHE_URL:" in message
    assert cache_url.split("://")[0] in message


def test_production_runs_tasks_in_process_only_when_told_so():
    env = {k: v for k, v in PRODUCTION.items() if k != "CELERY_BROKER_URL"}
    result = load_settings("TASKS_IN_PROCESS", **env, TASKS_IN_PROCESS="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, True, 'ko', True)"


def test_production_settings_load_when_complete_with_secure_cookies_and_workers_for_tasks():
    result = load_settings("TASKS_IN_PROCESS", 'DATABASES["default"]["CONN_MAX_AGE"]', **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, True, 'ko', False, 60)"


def test_the_development_server_closes_its_connections_after_each_request():
    # runserver opens a thread (and so a connection) per request: persistent ones would pile up.
    result = load_settings('DATABASES["default"]["CONN_MAX_AGE"]')
    assert result.stdout.strip() == "(True, False, 'ko', 0)", result.stderr


def test_the_forwarded_protocol_is_believed_only_behind_a_trusted_proxy():
    direct = load_settings("SECURE_PROXY_SSL_HEADER", 'REST_FRAMEWORK["NUM_PROXIES"]', **PRODUCTION)
    assert direct.stdout.strip() == "(False, True, 'ko', None, 0)", direct.stderr
    proxied = load_settings("SECURE_PROXY_SSL_HEADER", **PRODUCTION, TRUSTED_PROXIES="1")
    assert proxied.stdout.strip() == "(False, True, 'ko', ('HTTP_X_FORWARDED_PROTO', 'https'))", proxied.stderr


def test_korean_is_the_default_language_and_english_is_available():
    assert load_settings().stdout.strip() == "(True, False, 'ko')"
    assert load_settings(LANGUAGE_CODE="en").stdout.strip() == "(True, False, 'en')"


def start_web(static_root: Path) -> subprocess.CompletedProcess:
    """Load the web application (what gunicorn does) in production with its static files in `static_root`."""
    environment = {k: v for k, v in os.environ.items() if k not in OURS}
    environment.update({**PRODUCTION, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    environment["STATIC_ROOT"] = str(static_root)
    return subprocess.run(
        [sys.executable, "-c", "import talent.wsgi"], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_web_refuses_to_start_without_collected_static_files_and_starts_once_collected(tmp_path):
    refused = start_web(tmp_path / "static")
    assert refused.returncode != 0
    assert "Refusing to serve in production (DEBUG is off) without the static files" in refused.stderr
    assert "collectstatic" in refused.stderr, refused.stderr

    environment = {k: v for k, v in os.environ.items() if k not in OURS}
    environment.update({**PRODUCTION, "STATIC_ROOT": str(tmp_path / "static")})
    collect = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=environment, check=True)  # noqa: S603 - our own manage.py
    started = start_web(tmp_path / "static")
    assert started.returncode == 0, started.stderr

    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {"web/site.css": "web/site.1.css"}}')
    stale = start_web(tmp_path / "static")
    assert stale.returncode != 0
    assert "static files are not collected" in stale.stderr, stale.stderr
