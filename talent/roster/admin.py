"""Roster uploads: every import batch (read-only), and the operator's page to upload a roster for a university."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from talent.common.errors import DomainError
from talent.common.forms import add_domain_error
from talent.registry.admin.base import ReadOnlyAdmin
from talent.registry.models import ImportBatch, Organization
from talent.registry.vocabulary import OrganizationKind
from talent.roster import services as roster


class RosterUploadForm(forms.Form):
    university = forms.ModelChoiceField(
        label=_("university"), queryset=Organization.objects.filter(kind=OrganizationKind.UNIVERSITY)
    )
    file = forms.FileField(label=_("Roster file"), help_text=_("CSV (UTF-8 or CP949/EUC-KR) or Excel (.xlsx)."))
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False, initial=True, help_text=_("Check every row and report; store nothing.")
    )


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Every roster upload with its counts and problems; the upload page imports a new one."""

    list_display = (
        "created_at",
        "university",
        "filename",
        "status",
        "refusal",
        "dry_run",
        "row_count",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "created_by",
    )
    list_filter = ("status", "refusal", "dry_run", "university", "created_at")
    list_select_related = ("university", "created_by")
    search_fields = ("filename", "sha256", "university__name_ko")
    date_hierarchy = "created_at"
    change_list_template = "admin/registry/importbatch/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.upload_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_upload"
        return [path("upload/", view, name=name), *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a roster through `roster_import`: the result (or the refusal) is shown on the same page."""
        if not request.user.is_staff or not self.has_view_permission(request):
            raise PermissionDenied
        form = RosterUploadForm(request.POST or None, request.FILES or None)
        result = None
        if form.is_bound and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = roster.roster_import(
                    actor=request.user,
                    university=form.cleaned_data["university"],
                    filename=upload.name or "",
                    content=upload.read(settings.ROSTER_MAX_BYTES + 1),  # enough for the service to refuse
                    dry_run=form.cleaned_data["dry_run"],
                )
            except DomainError as refusal:
                add_domain_error(form, refusal)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload a roster"),
            "form": form,
            "result": result,
            "problem_rows": [row for row in result.rows if row.messages] if result else [],
        }
        return TemplateResponse(request, "admin/registry/importbatch/upload.html", context)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "may_upload": request.user.is_staff})
