"""The security baseline: deploy checks pass in production, passwords are hashed with Argon2 and must
be strong, the API throttles, and an error never shows a stack trace."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_checks_pass_under_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CACHE_URL"}}
    env.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="registry.example.kr")
    env.update(CACHE_URL="rediscache://127.0.0.1:6379/4", CELERY_BROKER_URL="redis://127.0.0.1:6379/4")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_argon2_is_the_password_hasher_outside_tests():
    from django.contrib.auth.hashers import make_password

    import talent.settings as configured

    # The autouse fixture swaps in a fast hasher for the suite; the configured default is Argon2.
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=configured.PASSWORD_HASHERS):
        assert make_password("장문의-안전한-비밀번호-2030").startswith("argon2$")


@pytest.mark.parametrize(
    "password",
    ["short1!", "12345678901234", "password1234", "qwertyuiop"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("한강-물결-2030-AX!")


@api_view(["GET"])
@permission_classes([AllowAny])
def _broken_view(request):
    raise RuntimeError("secret internal detail /srv/app/talent/x.py line 12")


urlpatterns = [path("broken/", _broken_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_an_unexpected_error_is_json_without_a_stack_trace(caplog):
    response = APIClient().get("/broken/")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error"
    assert "secret internal detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_anonymous_requests_are_throttled(monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None, "register": None})
    client = APIClient()
    statuses = [client.get("/api/v1/schema/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()
