"""Write matching's beat schedule (nightly run, sweeper) into django-celery-beat's tables; safe to repeat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_celery_beat.schedulers import ModelEntry

from talent.celery import app
from talent.matching.schedules import BEAT_SCHEDULE


class Command(BaseCommand):
    help = "Create or update the periodic tasks of matching (nightly match run, stale-run sweeper)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, entry in BEAT_SCHEDULE.items():
            ModelEntry.from_entry(name, app=app, **entry)
            self.stdout.write(f"{name}: {entry['task']}")
