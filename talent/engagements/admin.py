"""Operators read engagements here (view only: the two sides start and close them) and link AX graduate students'
enrollments to an engagement as their AX project, or unlink one, through the same services as the university's staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talent.common.users import signed_in_user
from talent.engagements import services
from talent.engagements.models import UNLINK_REASON_MAX_LENGTH, AXProject, Engagement
from talent.registry.admin.base import ReadOnlyAdmin, RegistryForm, ServiceAdmin


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ("id", "proposal", "status", "outcome", "started_at", "closed_at", "ax_projects_agreed_at")
    list_filter = ("status", "outcome")
    list_select_related = ("proposal",)
    ordering = ("-started_at",)


#: What a project's page shows (read only); a standing project's page adds the reason to unlink it.
SHOWN = ("engagement", "enrollment", "linked_at", "linked_by", "unlinked_at", "unlinked_by", "unlink_reason")


class UnlinkForm(RegistryForm):
    """A standing AX project's page: the reason to unlink it (the service refuses an empty one)."""

    reason = forms.CharField(
        label=_("Reason for unlinking"),
        required=False,
        max_length=UNLINK_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Saving with a reason unlinks the project; the enrollment's completion route goes back."),
    )

    class Meta:
        model = AXProject
        fields: tuple[str, ...] = ()


@admin.register(AXProject)
class AXProjectAdmin(ServiceAdmin):
    """Linking is `ax_project_link` (the company's agreement, an active enrollment, nothing else linked to it);
    unlinking, on a standing project's page, is `ax_project_unlink` (a reason; the row is kept). A link is never
    deleted: its history is the audit trail."""

    list_display = ("id", "engagement", "enrollment", "linked_at", "linked_by", "unlinked_at")
    list_filter = (("unlinked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("engagement", "enrollment", "linked_by")
    raw_id_fields = ("engagement", "enrollment")
    ordering = ("-linked_at",)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None:
            kwargs["form"] = UnlinkForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else SHOWN

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [(None, {"fields": ("engagement", "enrollment")})]
        return [(None, {"fields": (*SHOWN, "reason") if self.can_update(obj) else SHOWN})]

    def can_update(self, obj: Any) -> bool:
        return obj.unlinked_at is None

    def create(self, request: HttpRequest, form: forms.ModelForm) -> AXProject:
        data = form.cleaned_data
        return services.ax_project_link(
            actor=signed_in_user(request), engagement=data["engagement"], enrollment=data["enrollment"]
        )

    def update(self, request: HttpRequest, obj: Any, form: forms.ModelForm) -> AXProject:
        return services.ax_project_unlink(
            actor=signed_in_user(request), project=obj, reason=form.cleaned_data["reason"]
        )
