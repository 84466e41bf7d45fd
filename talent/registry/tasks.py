"""Celery tasks of the registry: each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from talent.registry import services


@shared_task(soft_time_limit=300, time_limit=360, autoretry_for=(OperationalError, InterfaceError), max_retries=3)
def refresh_enrollment_statuses() -> int:
    """Scheduled status changes due today take effect (idempotent: what is up to date is left alone)."""
    return services.enrollment_statuses_refresh()


@shared_task(soft_time_limit=300, time_limit=360, autoretry_for=(OperationalError, InterfaceError), max_retries=3)
def refresh_programmes_counting() -> int:
    """Counting rules dated today take effect on the programmes' flags (idempotent)."""
    return services.programmes_counting_refresh()
