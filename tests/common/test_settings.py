"""Settings come only from the environment; production refuses to start without a secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update({"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", **env})
    code = "import talent.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.LANGUAGE_CODE)"
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_production_settings_refuse_to_load_without_a_secret_key():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_load_with_a_secret_key_and_secure_cookies():
    result = load_settings(DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "ko"]


def test_korean_is_the_default_language_and_english_is_available():
    result = load_settings(LANGUAGE_CODE="en")
    assert result.stdout.split()[-1] == "en"
