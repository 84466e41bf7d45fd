"""Operators watch the outbox here: each notification's mail status, failed attempts and last error (view only;
the workers and the sweeper send)."""

from __future__ import annotations

from django.contrib import admin

from talent.notifications.models import Notification
from talent.registry.admin.base import ReadOnlyAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "kind",
        "recipient",
        "created_at",
        "email_status",
        "email_attempts",
        "email_error",
        "email_next_attempt_at",
        "email_sent_at",
        "read_at",
    )
    list_filter = ("email_status", "kind")
    list_select_related = ("recipient",)
    ordering = ("-created_at",)
