"""Celery application. Later issues add tasks in `talent/<app>/tasks.py`; they are discovered here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent.settings")

# Django's task class gives `delay_on_commit()`: a task enqueued in a transaction is sent after commit.
app = Celery("talent", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
