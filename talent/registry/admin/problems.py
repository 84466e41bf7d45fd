"""Companies' field problems: drafted, opened to matching, closed — each through its service."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.registry import services
from talent.registry.admin.base import ServiceAdmin, service_fields
from talent.registry.models import FieldProblem
from talent.registry.services.problems import PROBLEM_FIELDS
from talent.registry.vocabulary import ProblemStatus


@admin.register(FieldProblem)
class FieldProblemAdmin(ServiceAdmin):
    list_display = (
        "title",
        "organization",
        "ksic_section",
        "region",
        "remote",
        "experts_wanted",
        "status",
        "opened_at",
        "closed_at",
    )
    list_filter = ("status", "ksic_section", "remote", "region")
    search_fields = (
        "title",
        "description",
        "skills_wanted__icontains",
        "organization__name_ko",
        "organization__name_en",
    )
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    ordering = ("-created_at",)
    actions = ("open_problems", "close_problems")
    status_fields = ("status", "opened_at", "closed_at", "created_by")

    def get_readonly_fields(self, request: HttpRequest, obj: FieldProblem | None = None) -> tuple[str, ...]:
        # The company is fixed once posted; the status changes only by the open and close actions.
        return ("organization", *self.status_fields) if obj else ()

    def get_fieldsets(self, request: HttpRequest, obj: FieldProblem | None = None) -> tuple:
        fields = ("organization", *PROBLEM_FIELDS)
        if obj is None:
            return ((None, {"fields": fields}),)
        return ((None, {"fields": fields}), (_("Status"), {"fields": self.status_fields}))

    def can_update(self, obj: FieldProblem) -> bool:
        return obj.status != ProblemStatus.CLOSED

    def create(self, request: HttpRequest, form: forms.ModelForm) -> FieldProblem:
        data = form.cleaned_data
        return services.field_problem_create(
            actor=signed_in_user(request), organization=data["organization"], **service_fields(data, PROBLEM_FIELDS)
        )

    def update(self, request: HttpRequest, obj: FieldProblem, form: forms.ModelForm) -> FieldProblem:
        return services.field_problem_update(
            actor=signed_in_user(request), problem=obj, **service_fields(form.cleaned_data, PROBLEM_FIELDS)
        )

    @admin.action(description=_("Open the selected field problems to matching"), permissions=["change"])
    def open_problems(self, request: HttpRequest, queryset: QuerySet[FieldProblem]) -> None:
        done = self._apply(request, queryset, services.field_problem_open_and_announce)
        if done:
            message = ngettext("%(count)d field problem opened.", "%(count)d field problems opened.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Close the selected field problems"), permissions=["change"])
    def close_problems(self, request: HttpRequest, queryset: QuerySet[FieldProblem]) -> None:
        done = self._apply(request, queryset, services.field_problem_close)
        if done:
            message = ngettext("%(count)d field problem closed.", "%(count)d field problems closed.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    def _apply(
        self, request: HttpRequest, queryset: QuerySet[FieldProblem], service: Callable[..., FieldProblem]
    ) -> int:
        """Each problem on its own: one refused (e.g. already closed) does not stop the others."""
        done = 0
        for problem in queryset.select_related("organization"):
            try:
                service(actor=signed_in_user(request), problem=problem)
            except DomainError as refusal:
                self.message_user(request, f"{problem}: {refusal}", messages.ERROR)
            else:
                done += 1
        return done
