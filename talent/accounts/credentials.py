"""What keeps a login signed in, and how it ends: API tokens expire (`API_TOKEN_MAX_AGE_DAYS`) and are replaced on
the next token sign-in; a changed or reset password ends every token and every other session of the login, however
it was changed (the page, the API, the reset link, the admin, `manage.py changepassword`); and a person, or an
operator for them, can sign the login out everywhere at once.

Browser sessions already end with a password change (Django compares each session with the password it was
opened under); here their rows go too. The session that changed the password is cycled by its view
(`update_session_auth_hash`: a new session key, still signed in).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from talent.accounts.models import UserSession
from talent.common.errors import InvalidInput, NotAllowed
from talent.registry import roles

logger = logging.getLogger(__name__)


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)


def token_expired(token: Token) -> bool:
    return token_expires_at(token) <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than `API_TOKEN_MAX_AGE_DAYS` (401, code
    `token_expired`): the script signs in again and gets a new one."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                _("This API token has expired: sign in again (POST /api/v1/auth/token/) for a new one."),
                code="token_expired",
            )
        return user, token


def auth_token_issue(*, user: User) -> Token:
    """The login's API token: the current one while it is valid, else a new one (an expired token is replaced)."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not token_expired(token):
            return token
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def auth_token_revoke(*, user: User) -> bool:
    """Revoke the login's API token; scripts using it are signed out. True if there was one."""
    deleted, _by_model = Token.objects.filter(user=user).delete()
    return bool(deleted)


def sign_out_everywhere(*, actor: User, user: User, keep_session: str | None = None) -> int:
    """End every API token and browser session of `user` (except the session `keep_session`, if given). The login
    itself may do it, and operators for any login. Returns how many tokens and sessions ended."""
    if actor.pk != user.pk and not roles.is_operator(actor):
        raise NotAllowed(_("Only an operator may sign someone else out."))
    with transaction.atomic():
        tokens, _tokens_by_model = Token.objects.filter(user=user).delete()
        sessions = UserSession.objects.filter(user=user)
        if keep_session:
            sessions = sessions.exclude(session_key=keep_session)
        ended, _sessions_by_model = sessions.delete()
    # Ids only: the log never carries a name.
    logger.info(
        "signed out everywhere: login %s by login %s (%s tokens, %s sessions)", user.pk, actor.pk, tokens, ended
    )
    return tokens + ended


def password_change(*, user: User, current_password: str, new_password: str) -> Token | None:
    """Change the login's password after checking the current one; the new one must pass the configured validators.
    Every token and other session of the login ends (`EndCredentialsOnPasswordChange`); returns a new API token if
    the login had one, so that the script that asked keeps working."""
    if not user.check_password(current_password):
        raise InvalidInput(_("The current password is not correct."), field="current_password")
    try:
        password_validation.validate_password(new_password, user=user)
    except ValidationError as refusal:
        raise InvalidInput(refusal.messages[0], errors={"new_password": list(refusal.messages)}) from refusal
    had_token = Token.objects.filter(user=user).exists()
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        return Token.objects.create(user=user) if had_token else None


class EndCredentialsOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its `password_changed` hook, which Django calls after every saved
    password change, whichever way it came: the login's tokens and sessions end. It refuses no password."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        Token.objects.filter(user=user).delete()
        UserSession.objects.filter(user=user).delete()

    def get_help_text(self) -> str:
        return _("Changing your password signs you out everywhere else: other browsers and API tokens.")
