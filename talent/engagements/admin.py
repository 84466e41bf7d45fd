"""Operators read engagements here (view only: the two sides start and close them)."""

from __future__ import annotations

from django.contrib import admin

from talent.engagements.models import Engagement
from talent.registry.admin.base import ReadOnlyAdmin


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ("id", "proposal", "status", "outcome", "started_at", "closed_at")
    list_filter = ("status", "outcome")
    list_select_related = ("proposal",)
    ordering = ("-started_at",)
