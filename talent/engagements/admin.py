"""Operators read engagements here (view only: the two sides start and close them) and link AX graduate students'
enrollments to an engagement as their AX project through the same service as the university's staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from talent.common.users import signed_in_user
from talent.engagements import services
from talent.engagements.models import AXProject, Engagement
from talent.registry.admin.base import ReadOnlyAdmin, ServiceAdmin


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ("id", "proposal", "status", "outcome", "started_at", "closed_at", "ax_projects_agreed_at")
    list_filter = ("status", "outcome")
    list_select_related = ("proposal",)
    ordering = ("-started_at",)


@admin.register(AXProject)
class AXProjectAdmin(ServiceAdmin):
    """Linking is `ax_project_link` (the company's agreement, an active enrollment, nothing else linked to it);
    a link is never edited or deleted here: its history is the audit trail."""

    list_display = ("id", "engagement", "enrollment", "linked_at", "linked_by")
    list_select_related = ("engagement", "enrollment", "linked_by")
    raw_id_fields = ("engagement", "enrollment")
    fields = ("engagement", "enrollment")
    ordering = ("-linked_at",)

    def can_update(self, obj: Any) -> bool:
        return False

    def create(self, request: HttpRequest, form: forms.ModelForm) -> AXProject:
        data = form.cleaned_data
        return services.ax_project_link(
            actor=signed_in_user(request), engagement=data["engagement"], enrollment=data["enrollment"]
        )
