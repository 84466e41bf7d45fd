"""Third-party apps under names the admin can show in Korean: django-axes and django-pghistory give their
AppConfig no verbose_name, so the admin would title their sections "Axes" and "Pghistory" in any language."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from pghistory.apps import PGHistoryConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lockout")


class HistoryConfig(PGHistoryConfig):
    verbose_name = _("Change history")
