"""The signed-in user of a request, for the views whose permission already requires one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest
    from rest_framework.request import Request


def signed_in_user(request: HttpRequest | Request) -> User:
    """`request.user` as a user account: the view's permission (or the admin site) let only those in, so an
    anonymous visitor here is refused (403) rather than passed on to a service as its actor."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user
