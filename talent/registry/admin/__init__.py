"""The Django admin of the registry, for operators. Every write goes through `talent.registry.services`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from talent.registry.admin import audit, enrollments, history, organizations, people, problems, schedules

__all__ = ["audit", "enrollments", "history", "organizations", "people", "problems", "schedules"]

admin.site.site_header = _("AX Talent Registry")
admin.site.site_title = _("AX Talent Registry administration")
