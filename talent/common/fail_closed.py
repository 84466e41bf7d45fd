"""Production fails closed: with DEBUG off, the settings refuse to load until every setting a fleet of processes
needs is given. One message names each missing setting, so a deploy is fixed in one pass.

Plain Python over the environment (no Django settings yet): `talent/settings.py` calls it before anything else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

#: CACHE_URL schemes (django-environ) of a cache every process shares. A per-process cache (locmem, dummy, file
#: on one machine) silently breaks the throttles, the lockout and the roster's preview → confirm step as soon as
#: there are two gunicorn workers.
SHARED_CACHE_SCHEMES = frozenset({"redis", "rediss", "rediscache"})

_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})


def production_problems(environ: Mapping[str, str]) -> list[str]:
    """What a production start (DEBUG off) lacks, one line per missing or unsafe setting; empty when ready."""
    problems: list[str] = []
    if not environ.get("SECRET_KEY", "").strip():
        problems.append(
            "SECRET_KEY: set a long random value (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(60))'`)"
        )
    if not [host for host in environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]:
        problems.append("ALLOWED_HOSTS: the host names this site answers to, comma-separated")
    cache_url = environ.get("CACHE_URL", "").strip()
    if urlsplit(cache_url).scheme not in SHARED_CACHE_SCHEMES:
        found = f" (got {urlsplit(cache_url).scheme or 'nothing'}://)" if cache_url else ""
        problems.append(f"CACHE_URL: a Redis cache shared by every process, e.g. rediscache://host:6379/1{found}")
    in_process = environ.get("TASKS_IN_PROCESS", "").strip().lower() in _TRUE
    if not environ.get("CELERY_BROKER_URL", "").strip() and not in_process:
        problems.append(
            "CELERY_BROKER_URL: the broker of the Celery workers, e.g. redis://host:6379/0 "
            "(or TASKS_IN_PROCESS=true to run match runs inside web requests, on purpose)"
        )
    return problems


def refuse_unsafe_production(environ: Mapping[str, str]) -> None:
    """Raise ImproperlyConfigured naming every missing setting, if there is one."""
    problems = production_problems(environ)
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production (DEBUG is off) without these settings "
            "(운영 모드에서는 아래 설정 없이 시작하지 않습니다):\n"
            + "\n".join(f"  - {problem}" for problem in problems)
            + "\nSet them in the environment, or DEBUG=true for a development machine."
        )


#: The manifest `collectstatic` writes (ManifestStaticFilesStorage's name): which files were collected.
STATIC_MANIFEST = "staticfiles.json"


def static_files_problem(static_root: Path, needed: Iterable[str]) -> str | None:
    """Why production cannot serve its static files from `static_root`, or None. `needed` are the files the
    code ships (the static finders' paths). Without them every page that names one answers 500."""
    manifest = static_root / STATIC_MANIFEST
    if not manifest.is_file():
        return f"no collected static files in {static_root} (no {STATIC_MANIFEST})"
    collected = json.loads(manifest.read_text(encoding="utf-8")).get("paths", {})
    missing = sorted(set(needed) - set(collected))
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        return f"{len(missing)} static files are not collected in {static_root}: {shown}"
    return None


def refuse_uncollected_static(static_root: Path, needed: Iterable[str]) -> None:
    """Raise ImproperlyConfigured, saying what to run, when production's static files are not all collected."""
    problem = static_files_problem(static_root, needed)
    if problem:
        raise ImproperlyConfigured(
            "Refusing to serve in production (DEBUG is off) without the static files "
            "(운영 모드에서는 정적 파일을 모으지 않고 시작하지 않습니다): "
            + problem
            + ". Run `python manage.py collectstatic --no-input` (make serve does) with the same STATIC_ROOT."
        )
