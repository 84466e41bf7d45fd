"""Beat schedule of the registry: statuses whose scheduled change has taken effect are brought up to date.

The status shown everywhere (lists, filters, API, the counting tables) is the one in force today: the database
derives it when a change is recorded, and this job re-derives, every hour, the enrollments whose next scheduled
change (`next_change_on`) is due, so a change takes effect on its date without anyone acting. Reports do not wait
for it: they read such enrollments from their events. No Django imports: settings import this.
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "registry: scheduled status changes take effect": {
        "task": "talent.registry.tasks.refresh_enrollment_statuses",
        "schedule": crontab(minute=1),  # hourly, first at 00:01 (CELERY_TIMEZONE, Asia/Seoul by default)
    },
    # A programme's counting rule dated ahead shows on its flag from its date (reports read the rules themselves).
    "registry: counting rules take effect": {
        "task": "talent.registry.tasks.refresh_programmes_counting",
        "schedule": crontab(minute=2),
    },
}
