"""Browser sessions that know whose they are, so that a person (or an operator) can end every one of them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(AbstractBaseSession):
    """Django's database session with the signed-in login beside it (Django's documented way to extend the
    session table). Deleting a login deletes its sessions."""

    # Django's own fields, redeclared only to say that nobody types them: the session framework writes them.
    session_key = models.CharField(_("session key"), max_length=40, primary_key=True, editable=False)
    session_data = models.TextField(_("session data"), editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login"),
        editable=False,
    )

    class Meta:
        verbose_name = _("browser session")
        verbose_name_plural = _("browser sessions")
        indexes = [models.Index(fields=["user"], name="user_session_user_idx")]

    @classmethod
    def get_session_store_class(cls) -> type:
        from talent.accounts.sessions import SessionStore

        return SessionStore
