"""Admin of the reports: target versions (a revision adds a version from a date through the service), snapshots
(read-only: they are frozen) and intake plans (read-only versions; approval through the service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.registry.vocabulary import EnrollmentStatus
from talent.reports import intake, selectors, services
from talent.reports.models import IntakePlan, ReportSnapshot, Scenario, Target


class TargetRevisionForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "code",
            "value",
            "start_date",
            "deadline",
            "effective_from",
            "prior_completion_rate",
            "prior_weight",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "effective_from" in self.fields:
            self.fields["effective_from"].required = False  # today, as the service takes it


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Adding a target here adds the next version of an existing code (fields copied from the version in
    force unless given); versions are never changed or deleted."""

    form = TargetRevisionForm
    list_display = (
        "code",
        "version",
        "value",
        "start_date",
        "deadline",
        "effective_from",
        "prior_completion_rate",
        "created_at",
    )
    list_filter = ("code",)
    ordering = ("code", "-version")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Target, form: Any, change: bool) -> None:
        try:
            revised = services.target_revise(
                actor=signed_in_user(request),
                code=obj.code,
                value=obj.value,
                start_date=obj.start_date,
                deadline=obj.deadline,
                prior_completion_rate=obj.prior_completion_rate,
                prior_weight=obj.prior_weight,
                effective_from=obj.effective_from,
                note=obj.note,
            )
        except DomainError as refusal:
            messages.error(request, str(refusal))
            return
        obj.pk = revised.pk


def correction_line(correction: selectors.Correction) -> str:
    """One correction to a snapshot's records as an operator reads it: which change, what happened to it, why."""
    values = {
        "status": EnrollmentStatus(correction.status).label,
        "date": correction.effective_date.isoformat(),
        "university": correction.university,
        "reason": correction.reason or "—",
        "when": f"{correction.recorded_at:%Y-%m-%d %H:%M}",
    }
    if correction.kind == "voided":
        return _("%(status)s from %(date)s (%(university)s): voided on %(when)s — %(reason)s") % values
    return _("%(status)s from %(date)s (%(university)s): recorded late, on %(when)s — %(reason)s") % values


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    """Snapshots, read-only (they are frozen), each with the corrections to its records since it was frozen:
    why a recomputation may differ (the same list as the API's recompute)."""

    list_display = ("target", "as_of", "code_version", "checksum", "created_by", "created_at")
    list_select_related = ("target", "created_by")
    list_filter = ("target__code",)
    readonly_fields = (
        "target",
        "as_of",
        "code_version",
        "figures",
        "checksum",
        "note",
        "created_by",
        "created_at",
        "corrections",
    )

    @admin.display(description=gettext_lazy("corrections to its records since it was frozen"))
    def corrections(self, snapshot: ReportSnapshot) -> SafeString | str:
        found, total = selectors.snapshot_corrections(snapshot=snapshot, target=snapshot.target)
        if not found:
            return _("None: the records it was computed from are as they were when it was frozen.")
        items = format_html_join("", "<li>{}</li>", ((correction_line(c),) for c in found))
        more = (
            format_html("<p>{}</p>", _("The newest %(shown)s of %(total)s.") % {"shown": len(found), "total": total})
            if total > len(found)
            else ""
        )
        return format_html('<ul data-testid="snapshot-corrections">{}</ul>{}', items, more)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IntakePlan)
class IntakePlanAdmin(admin.ModelAdmin):
    """Every version of every plan, read-only (versions are never changed); the ministry's approval of the
    proposed plans in force goes through the service, as on the intake page."""

    list_display = ("school", "year", "degree_level", "version", "intake", "state", "source", "created_at")
    list_select_related = ("school", "created_by")
    list_filter = ("year", "degree_level", "state", "school")
    readonly_fields = (
        "school",
        "year",
        "degree_level",
        "version",
        "intake",
        "state",
        "source",
        "note",
        "created_by",
        "created_at",
    )
    actions = ["approve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Approve the selected proposed plans"))
    def approve(self, request: HttpRequest, queryset: QuerySet[IntakePlan]) -> None:
        approved = 0
        for plan in queryset.select_related("school"):
            try:
                intake.intake_plan_approve(actor=signed_in_user(request), plan=plan)
            except DomainError as refusal:
                messages.error(request, f"{plan}: {refusal}")
            else:
                approved += 1
        if approved:
            messages.success(request, _("%(count)s plans approved.") % {"count": approved})


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    """Saved scenarios, read-only: they are kept as saved (the scenarios page and API make them)."""

    list_display = ("name", "target", "as_of", "kind", "created_by", "created_at")
    list_select_related = ("target", "created_by")
    readonly_fields = ("target", "name", "as_of", "kind", "parameters", "figures", "created_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
