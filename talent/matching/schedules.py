"""Beat schedule of matching: the nightly run, and the sweeper that rescues runs a dead worker left behind.

Settings merge it (`CELERY_BEAT_SCHEDULE = {**matching_schedules.BEAT_SCHEDULE}`); django-celery-beat's database
scheduler copies these entries into its PeriodicTask table when beat starts, so they can be paused in the admin.
`manage.py setup_schedules` writes the same rows without starting beat. No Django imports: settings import this.
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "matching: nightly run": {
        "task": "talent.matching.tasks.nightly_match_run",
        "schedule": crontab(hour=2, minute=30),  # CELERY_TIMEZONE, Asia/Seoul by default
    },
    "matching: sweep stale and forgotten runs": {
        "task": "talent.matching.tasks.sweep_match_runs",
        "schedule": 60.0,
    },
}
