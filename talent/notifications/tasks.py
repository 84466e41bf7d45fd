"""Celery tasks of notifications: each takes ids, calls one service and is safe to run twice (a notification's mail
is sent at most once: see `services`)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from talent.notifications import services

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, autoretry_for=TRANSIENT, retry_backoff=5, max_retries=5)
def deliver_notification(notification_id: int) -> str:
    """Send one notification's mail (nothing when it is sent already, not due, or being sent)."""
    return services.notification_deliver(notification_id=notification_id)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, autoretry_for=TRANSIENT, max_retries=3)
def sweep_notifications() -> dict[str, int]:
    """Hand over again the queued mails that are due and that no worker took."""
    return services.notification_sweep()
