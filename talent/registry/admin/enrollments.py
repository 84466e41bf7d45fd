"""Enrollments with their full status history, and the operator's way to record a status change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from talent.common.errors import DomainError
from talent.common.forms import add_domain_error
from talent.common.users import signed_in_user
from talent.registry import selectors, services
from talent.registry.admin.base import (
    PersonNameSearch,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceAdmin,
    field_label,
    service_fields,
)
from talent.registry.admin.people import through_person
from talent.registry.models import REASON_MAX_LENGTH, Enrollment, EnrollmentEvent, PersonAsRecorded
from talent.registry.services import enrollments as enrollment_services
from talent.registry.services.enrollments import ENROLLMENT_FIELDS
from talent.registry.services.people import PERSON_FIELDS
from talent.registry.vocabulary import CompletionRoute, EnrollmentStatus

EVENT_FIELDS = ("sequence", "previous_status", "status", "effective_date", "reason", "actor", "recorded_at")


def correction_text(event: EnrollmentEvent) -> str:
    """A voided change's correction (why, who, when); a scheduled one says so; empty when it simply stands."""
    if event.voided:
        void = event.void
        return _("voided: %(reason)s (%(actor)s, %(when)s)") % {
            "reason": void.reason,
            "actor": void.actor or "—",
            "when": f"{void.recorded_at:%Y-%m-%d %H:%M}",
        }
    return str(_("scheduled")) if event.scheduled else ""


class EnrollmentEventInline(ReadOnlyInline):
    """The status history, oldest first. Events are append-only: nothing here can be added or changed."""

    model = EnrollmentEvent
    fields = (*EVENT_FIELDS, "correction")
    readonly_fields = (*EVENT_FIELDS, "correction")
    ordering = ("effective_date", "sequence")
    verbose_name_plural = _("status history")

    def get_queryset(self, request: HttpRequest) -> QuerySet[EnrollmentEvent]:
        return super().get_queryset(request).select_related("actor", "void__actor")

    @admin.display(description=_("correction"))
    def correction(self, event: EnrollmentEvent) -> str:
        return correction_text(event)


def next_statuses(enrollment: Enrollment) -> list[str]:
    """What the operator may record next. The fast track links a new enrollment: it has its own service."""
    return [status for status in enrollment_services.next_statuses(enrollment) if status != EnrollmentStatus.PROGRESSED]


class StatusChangeForm(forms.Form):
    # A plain text field shown as a list of the legal next statuses: the service decides what is legal,
    # so a stale page (another change recorded meanwhile) gets the service's explanation.
    status = forms.CharField(label=_("New status"), widget=forms.Select)
    effective_date = forms.DateField(label=field_label(EnrollmentEvent, "effective_date"), widget=AdminDateWidget)
    reason = forms.CharField(
        label=field_label(EnrollmentEvent, "reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    completion_route = forms.ChoiceField(
        label=field_label(Enrollment, "completion_route"),
        choices=[("", _("unchanged")), *CompletionRoute.choices],
        required=False,
        help_text=_("Record it with the graduation: thesis or AX research project."),
    )

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.choices = [
            ("", _("Choose the new status")),
            *[(s, EnrollmentStatus(s).label) for s in statuses],
        ]

    def transition(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "effective_date": data["effective_date"],
            "reason": data["reason"],
            "completion_route": data["completion_route"] or None,
        }


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX_LENGTH
    )


class PersonAsRecordedInline(admin.StackedInline):
    """The person as the enrollment's university recorded them, once the person is shared: what that university
    reads (services.recorded). Read-only: the university corrects it; the Person is the registry's record."""

    model = PersonAsRecorded
    fields = readonly_fields = (*PERSON_FIELDS, "updated_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(PersonNameSearch, ServiceAdmin):
    person_path = "person__"
    list_display = (
        "student_number",
        "person",
        "programme",
        "university",
        "status",
        "status_since",
        "admission_date",
        "expected_completion",
    )
    list_filter = ("status", "programme__degree_level", "university", "programme__school", "admission_date")
    search_fields = ("student_number", *through_person("person__"), "programme__name_ko")
    list_select_related = ("person", "programme__school", "university")
    autocomplete_fields = ("person", "programme", "advisor", "co_advisor")
    ordering = ("-admission_date", "student_number")
    inlines = (EnrollmentEventInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrollment]:
        return super().get_queryset(request).select_related("person", "programme__school", "university")

    def get_inlines(self, request: HttpRequest, obj: Enrollment | None) -> Any:
        if obj is None:
            return ()
        # A shared person's record as this enrollment's university keeps it (what that university reads).
        shared = PersonAsRecorded.objects.filter(enrollment=obj).exists()
        return (PersonAsRecordedInline, *self.inlines) if shared else self.inlines

    def get_fieldsets(self, request: HttpRequest, obj: Enrollment | None = None) -> Any:
        details = ("student_number", "admission_date", "expected_completion", "completion_route")
        advisors = ("advisor", "co_advisor")
        if obj is None:
            return ((None, {"fields": ("person", "programme", *details, *advisors)}),)
        return (
            (None, {"fields": ("person", "programme", "university", *details, *advisors)}),
            (_("Status"), {"fields": ("status", "status_since", "progressed_to")}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> tuple[str, ...]:
        # The person and programme are fixed at admission; the status follows the recorded events.
        return ("person", "programme", "university", "status", "status_since", "progressed_to") if obj else ()

    def create(self, request: HttpRequest, form: forms.ModelForm) -> Enrollment:
        data = form.cleaned_data
        return services.enrollment_admit(
            actor=signed_in_user(request),
            person=data["person"],
            programme=data["programme"],
            **service_fields(data, ENROLLMENT_FIELDS),
        )

    def update(self, request: HttpRequest, obj: Enrollment, form: forms.ModelForm) -> Enrollment:
        return services.enrollment_update(
            actor=signed_in_user(request), enrollment=obj, **service_fields(form.cleaned_data, ENROLLMENT_FIELDS)
        )

    def object_tools(self, request: HttpRequest, obj: Enrollment) -> list[dict[str, Any]]:
        tools = super().object_tools(request, obj)
        if next_statuses(obj) and self.has_change_permission(request, obj):
            tools.insert(0, {"label": _("Record status change"), "url": self._url("status_change", obj)})
        return tools

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.status_change_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_status_change"
        void = self.admin_site.admin_view(self.event_void_view)
        void_name = f"{self.opts.app_label}_{self.opts.model_name}_event_void"
        # Before the default patterns, whose "<path:object_id>/" would take these too.
        return [
            path("<path:object_id>/status/", view, name=name),
            path("<path:object_id>/status/<int:event_pk>/void/", void, name=void_name),
            *super().get_urls(),
        ]

    def event_void_view(self, request: HttpRequest, object_id: str, event_pk: int) -> HttpResponse:
        """Void the latest change (or cancel a scheduled one) through `enrollment_event_void`, with a reason."""
        enrollment = self.get_object(request, unquote(object_id))
        if enrollment is None:
            raise Http404
        if not self.has_change_permission(request, enrollment):
            raise PermissionDenied
        event = selectors.enrollment_event_get(enrollment=enrollment, pk=event_pk)
        form = VoidForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                services.enrollment_event_void(
                    actor=signed_in_user(request), event=event, reason=form.cleaned_data["reason"]
                )
            except DomainError as refusal:
                add_domain_error(form, refusal)
            else:
                message = _("Voided: %(status)s from %(date)s.") % {
                    "status": event.get_status_display(),
                    "date": event.effective_date.isoformat(),
                }
                self.log_change(request, enrollment, message)
                self.message_user(request, message, messages.SUCCESS)
                return redirect(self._url("status_change", enrollment))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Void a change"),
            "opts": self.opts,
            "original": enrollment,
            "event": event,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/registry/enrollment/event_void.html", context)

    def _url(self, view: str, enrollment: Enrollment) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}", args=[enrollment.pk])

    def status_change_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Record a status change through `enrollment_transition`; a refusal is shown and nothing written."""
        enrollment = self.get_object(request, unquote(object_id))
        if enrollment is None:
            raise Http404
        if not self.has_change_permission(request, enrollment):
            raise PermissionDenied
        statuses = next_statuses(enrollment)
        history = list(selectors.enrollment_history(enrollment=enrollment))
        form = StatusChangeForm(request.POST if request.method == "POST" else None, statuses=statuses)
        if form.is_bound and form.is_valid():
            try:
                event = services.enrollment_transition(
                    actor=signed_in_user(request), enrollment=enrollment, **form.transition()
                )
            except DomainError as refusal:
                add_domain_error(form, refusal)
            else:
                message = _("Recorded: %(status)s from %(date)s.") % {
                    "status": event.get_status_display(),
                    "date": event.effective_date.isoformat(),
                }
                self.log_change(request, enrollment, message)
                self.message_user(request, message, messages.SUCCESS)
                return redirect(self._url("change", enrollment))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record status change"),
            "opts": self.opts,
            "original": enrollment,
            "form": form,
            "statuses": statuses,
            "history": history,
            "voidable": enrollment_services.voidable_change([e for e in history if not e.voided]),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/registry/enrollment/status_change.html", context)


@admin.register(EnrollmentEvent)
class EnrollmentEventAdmin(PersonNameSearch, ReadOnlyAdmin):
    """Every status change of every enrollment, read-only: the database refuses updates and deletes."""

    person_path = "enrollment__person__"
    list_display = ("enrollment", *EVENT_FIELDS, "correction")
    list_filter = ("status", "previous_status", "effective_date")
    search_fields = ("enrollment__student_number", *through_person("enrollment__person__"), "reason")
    list_select_related = ("enrollment__person", "actor", "void__actor")
    ordering = ("-recorded_at", "-sequence")

    @admin.display(description=_("correction"))
    def correction(self, event: EnrollmentEvent) -> str:
        return correction_text(event)
