"""Password checks outside sign-in, counted by django-axes as failed sign-ins.

Closing an account asks for the password. Without this, the close form and `DELETE /api/v1/me/` would let
whoever holds a signed-in session or a token guess the password without limit, past sign-in's lockout. Here a
wrong password counts as a failed sign-in for the login's username from that address, and a locked login is
refused before its password is checked. `request` is the request django-axes sees: Django's, or DRF's (whose
attributes stay on DRF's request, so axes' middleware leaves the API's JSON answer alone).
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed

from talent.accounts.services import account_delete
from talent.common.errors import InvalidInput


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def is_locked_out(request: Any, user: User) -> bool:
    """Whether too many wrong passwords for this login from this address lock it for now."""
    return AxesProxyHandler.is_locked(request, _credentials(user))


def account_delete_counted(request: Any, user: User, password: str) -> bool:
    """`account_delete`, a wrong password counted as a failed sign-in (the caller checks `is_locked_out`)."""
    try:
        return account_delete(user=user, password=password)
    except InvalidInput as refusal:
        if "password" in refusal.as_dict():
            user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
        raise
