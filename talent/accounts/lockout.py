"""Password checks outside sign-in, counted by django-axes as failed sign-ins: closing an account, changing a password.

Closing an account asks for the password. Without this, the close form and `DELETE /api/v1/me/` would let
whoever holds a signed-in session or a token guess the password without limit, past sign-in's lockout. Here a
wrong password counts as a failed sign-in for the login's username from that address, and a locked login is
refused before its password is checked. `request` is the request django-axes sees: Django's, or DRF's (whose
attributes stay on DRF's request, so axes' middleware leaves the API's JSON answer alone).
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from talent.accounts import credentials
from talent.accounts.services import account_delete
from talent.common.errors import InvalidInput, TooManyAttempts


class LockedOut(TooManyAttempts):
    """Too many wrong passwords for this login from this address (HTTP 429; `wait`: seconds until it may try,
    None when only an operator unlocks it)."""

    default_code = "locked_out"

    def __init__(self, request: Any) -> None:
        cool_off = get_cool_off(request)
        if cool_off is None:
            message = _("Too many failed sign-ins: this account is locked. Ask an operator to unlock it.")
        else:
            minutes = max(1, round(cool_off.total_seconds() / 60))
            message = _(
                "Too many failed sign-ins for this account from your address: it is locked for %(minutes)d "
                "minutes. Try again later."
            ) % {"minutes": minutes}
        super().__init__(message)
        self.wait = int(cool_off.total_seconds()) if cool_off else None


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def is_locked_out(request: Any, user: User) -> bool:
    """Whether too many wrong passwords for this login from this address lock it for now."""
    return AxesProxyHandler.is_locked(request, _credentials(user))


def account_close(request: Any, user: User, password: str) -> bool:
    """Close the login (`account_delete`), as the page and the API both do: a locked login is refused (LockedOut)
    before its password is checked, and a wrong password counts as a failed sign-in. Returns whether the person
    record was kept (a university's records refer to it)."""
    if is_locked_out(request, user):
        raise LockedOut(request)
    try:
        return account_delete(user=user, password=password)
    except InvalidInput as refusal:
        if "password" in refusal.as_dict():
            user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
        raise


def password_change(request: Any, user: User, current_password: str, new_password: str) -> Token | None:
    """Change the password (`credentials.password_change`), as the page and the API both do: a locked login is
    refused before the current password is checked, and a wrong one counts as a failed sign-in. Returns the
    login's new API token if it had one."""
    if is_locked_out(request, user):
        raise LockedOut(request)
    try:
        return credentials.password_change(user=user, current_password=current_password, new_password=new_password)
    except InvalidInput as refusal:
        if "current_password" in refusal.as_dict():
            user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
        raise
