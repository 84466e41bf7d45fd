"""Settings of the Celery workers that test_tasks_worker.py starts: the project's own, on the test session's
database, consuming a queue of their own, with a run slowed down (a pause between phases that worker_app.py adds,
heartbeats going on) so that the test can kill a worker in the middle of it."""

import os

from talent.settings import *  # noqa: F403
from talent.settings import CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES

DATABASES["default"]["NAME"] = os.environ["MATCHING_WORKER_DATABASE"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
MATCHING_QUEUE = os.environ["MATCHING_QUEUE"]
MATCHING_STALE_AFTER_SECONDS = float(os.environ.get("MATCHING_STALE_AFTER_SECONDS", "5"))
# Look for messages a dead worker left unacknowledged every second, not every 100 seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
