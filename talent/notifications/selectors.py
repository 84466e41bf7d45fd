"""Every read of notifications: a user sees only their own inbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from talent.notifications.models import Notification

if TYPE_CHECKING:
    from talent.registry.roles import User


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)
