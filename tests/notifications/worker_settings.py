"""Settings of the Celery worker that test_outbox_worker.py starts: the project's own, on the test session's
database, writing its mail as files into a folder the test reads."""

import os

from talent.settings import *  # noqa: F403
from talent.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["NOTIFICATIONS_WORKER_DATABASE"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["NOTIFICATIONS_MAIL_DIR"]
