"""Beat schedule of identity: the nightly search for probable duplicates. No Django imports: settings import this."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "identity: nightly probable duplicates": {
        "task": "talent.identity.tasks.find_candidates_nightly",
        "schedule": crontab(hour=3, minute=15),  # CELERY_TIMEZONE, after the nightly match run
    },
}
