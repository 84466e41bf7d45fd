"""Beat schedule of notifications: the outbox's sweeper. No Django imports: settings import this."""

from __future__ import annotations

from typing import Any

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "notifications: send queued mail": {
        "task": "talent.notifications.tasks.sweep_notifications",
        "schedule": 60.0,
    },
}
