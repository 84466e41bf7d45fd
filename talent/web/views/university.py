"""University staff's pages: their schools and programmes, their students' enrollments with the status timeline
and status changes, admitting a student, correcting an enrollment's details, the fast track to a doctorate, claim
codes, and the roster import and export (talent.web.views.roster).

The same rules as the API's: staff of a university (and operators) only, anyone else is refused (403); another
university's enrollment is not found (404). Every read of a person's record is written to the access log.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import include, path, re_path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.registry import roles, selectors, services
from talent.registry.filters import DEFAULT_ENROLLMENT_SORT, SORT_LABELS
from talent.registry.models import Enrollment, EnrollmentEvent, Person
from talent.registry.services import enrollments as enrollment_services
from talent.registry.services.identity import differs_message
from talent.registry.services.people import PersonFields
from talent.registry.vocabulary import EnrollmentStatus
from talent.reports import statistics
from talent.roster.services import RosterFormat, content_type, export_filename, roster_export
from talent.web.access import allowed_by
from talent.web.forms import add_domain_error, posted, submit
from talent.web.forms.university import (
    AdmitForm,
    AdmittedPersonForm,
    ClaimCodeForm,
    EnrollmentForm,
    EnrollmentPageFilter,
    FastTrackForm,
    TransitionForm,
    VoidForm,
)

PAGE_SIZE = 25


university_staff_only = allowed_by(roles.UNIVERSITY_STAFF)


def _enrollment(request: HttpRequest, pk: int, action: str) -> Enrollment:
    """The enrollment a page shows (its getter logs the read) or, for a submission, changes (not a read)."""
    if request.method == "POST":
        return selectors.enrollment_get_for_change(user=request.user, pk=pk)
    return selectors.enrollment_get_for_user(user=request.user, pk=pk, request=request, action=action)


@university_staff_only
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programme_list(user=request.user).order_by("degree_level", "name_ko")
    schools = selectors.graduate_school_list(user=request.user).prefetch_related(
        Prefetch("programmes", queryset=programmes)
    )
    context = {
        "university": roles.university_of(request.user),
        "schools": schools.order_by("name_ko", "id"),
        "headcounts": _headcounts(statistics.enrollment_statistics(user=request.user, by="programme")),
    }
    return render(request, "web/university/home.html", context)


def _headcounts(figures: statistics.EnrollmentStatistics) -> dict[str, object]:
    """The statistics' persons by programme and status today, as a table: the statuses anyone has, in the order of
    a course of study; each cell with the enrollment list's filter that shows who it counts."""
    statuses = [s for s in EnrollmentStatus if figures.total.by_status[s].enrollments]
    rows = [
        {
            "label": group.label,
            "programme": group.key,
            "persons": group.persons,
            "cells": [(status, group.by_status[status].persons) for status in statuses],
        }
        for group in figures.groups
    ]
    total = [(status, figures.total.by_status[status].persons) for status in statuses]
    persons = figures.total.persons
    return {"as_of": figures.as_of, "statuses": statuses, "rows": rows, "total": total, "persons": persons}


def _filtered(request: HttpRequest) -> EnrollmentPageFilter:
    """The enrollments the user may see, filtered and sorted as the query asks (the API's filter set)."""
    return EnrollmentPageFilter(request.GET, queryset=selectors.enrollment_list(user=request.user), request=request)


@university_staff_only
@require_GET
def enrollment_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.enrollment_reads_logged(
        page, user=request.user, action="enrollment_list", request=request
    )
    context = {
        "filter": filterset,
        "page": page,
        "columns": _columns(filterset),
        "formats": list(RosterFormat),
        "may_export": roles.university_of(request.user) is not None,
    }
    return render(request, "web/university/enrollment_list.html", context)


def roster_attachment(content: bytes, fmt: str, filename: str) -> HttpResponse:
    """A roster file to download: never cached (it holds personal data)."""
    response = HttpResponse(content, content_type=content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


#: The list's columns, each sorted by the filter set's sort key of the same name.
LIST_COLUMNS = ("student_number", "name", "programme", "admission_date", "status", "status_since")


def _columns(filterset: EnrollmentPageFilter) -> list[dict[str, str]]:
    """The list's column headers: each links to its sort (ascending first, then the other way) and says, for
    assistive technology (aria-sort), whether the list is sorted by it."""
    ordering = filterset.form.cleaned_data.get("ordering") if filterset.is_valid() else None
    first = ordering[0] if ordering else DEFAULT_ENROLLMENT_SORT[0]
    descending = first.startswith("-")
    columns = []
    for key in LIST_COLUMNS:
        current = first.lstrip("-") == key
        columns.append(
            {
                "key": key,
                "label": str(SORT_LABELS[key]),
                "ordering": f"-{key}" if current and not descending else key,
                "aria": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


@university_staff_only
@require_GET
def enrollment_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered, sorted list as the roster export writes it (the roster exporter logs every read); the
    university's own staff only (an operator exports a university's roster through the API)."""
    university = roles.university_of(request.user)
    if university is None:
        raise PermissionDenied(_("Roster import and export are for a university's staff."))
    filterset = _filtered(request)
    if not filterset.is_valid():
        messages.error(request, _("The list's filters have errors: correct them before exporting."))
        return redirect(f"{reverse('web:university-enrollments')}?{request.GET.urlencode()}")
    content = roster_export(
        actor=signed_in_user(request), university=university, fmt=fmt, within=filterset.qs, request=request
    )
    return roster_attachment(content, fmt, export_filename(university, fmt))


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The enrollment, its status timeline (changes scheduled ahead and voided ones too) and the status change
    form; a change that ends or completes a course of study is shown for confirmation before it is recorded."""
    enrollment = _enrollment(request, pk, "enrollment_detail")
    form = TransitionForm(request.POST or None, enrollment=enrollment)
    confirming = False
    if request.method == "POST" and form.is_valid():
        try:
            if form.needs_confirmation():
                fields = form.transition_fields()
                fields.pop("completion_route")
                services.enrollment_transition_check(actor=signed_in_user(request), enrollment=enrollment, **fields)
                confirming = True
            else:
                event = services.enrollment_transition(
                    actor=signed_in_user(request), enrollment=enrollment, **form.transition_fields()
                )
                messages.success(request, _scheduled_or_recorded(event))
                return redirect("web:university-enrollment", pk=enrollment.pk)
        except DomainError as error:
            add_domain_error(form, error)
    events = list(selectors.enrollment_history(enrollment=enrollment))
    codes = list(selectors.claim_code_list(user=request.user).filter(person_id=enrollment.person_id)[:5])
    now = timezone.now()
    context = {
        "enrollment": enrollment,
        "events": events,
        "voidable": enrollment_services.voidable_change([e for e in events if not e.voided]),
        "codes": codes,
        "revocable": any(code.used_at is None and code.expires_at > now for code in codes),
        "form": form,
        "confirming": confirming,
        "may_fast_track": _may_fast_track(enrollment),
        "now": now,
    }
    return render(request, "web/university/enrollment_detail.html", context)


def _scheduled_or_recorded(event: EnrollmentEvent) -> str:
    if event.scheduled:
        return _("The status change is scheduled: it takes effect on %(date)s.") % {
            "date": event.effective_date.isoformat()
        }
    return _("The status change is recorded.")


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def enrollment_event_void(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    """Void a change recorded by mistake, or cancel a scheduled one: the page says what the status goes back to and
    asks why; the service decides whether the change may be voided."""
    enrollment = _enrollment(request, pk, "enrollment_event_void")
    event = selectors.enrollment_event_get(enrollment=enrollment, pk=event_pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_event_void(
                actor=signed_in_user(request), event=event, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if event.effective_date > timezone.localdate():
                messages.success(request, _("The scheduled change is cancelled."))
            else:
                messages.success(request, _("The change is voided; the status is derived again without it."))
            return redirect("web:university-enrollment", pk=enrollment.pk)
    context = {"enrollment": enrollment, "event": event, "form": form}
    return render(request, "web/university/event_void.html", context)


# --- Admitting, correcting, the fast track: the API's services, one form each ------------------------------------


def _may_fast_track(enrollment: Enrollment) -> bool:
    return EnrollmentStatus.PROGRESSED in enrollment_services.next_statuses(enrollment)


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def enrollment_admit(request: HttpRequest) -> HttpResponse:
    """Admit a person new to the registry: their details and the enrollment, kept together or not at all."""
    return _admit(request, person=None)


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def person_admit(request: HttpRequest, pk: int) -> HttpResponse:
    """Admit a person already in the registry, as the API's `person_id` does: only a person the staff member may
    see (the university's own students and advisors); anyone else is not found. Nobody is searched for here."""
    if request.method == "POST":
        person = _one_person(request, pk)
    else:
        person = selectors.person_get_for_user(user=request.user, pk=pk, request=request, action="person_admit")
    return _admit(request, person=person)


def _one_person(request: HttpRequest, pk: int) -> Person:
    """The person being admitted by a submission (the admission is in the history, not a read)."""
    return get_object_or_404(selectors.person_list(user=request.user), pk=pk)


def _admit(request: HttpRequest, *, person: Person | None) -> HttpResponse:
    """One service admits the person (a new one with their details, or one already known): every problem is shown
    next to its field, on the person's form or the enrollment's."""
    form = AdmitForm(posted(request), user=request.user)
    person_form = AdmittedPersonForm(posted(request)) if person is None else None
    forms = [f for f in (form, person_form) if f is not None]
    if form.is_bound and all([f.is_valid() for f in forms]):  # a list: every form shows its errors
        new_person = cast(PersonFields, person_form.cleaned_data) if person_form is not None else None
        try:
            enrollment = services.enrollment_admit(
                actor=signed_in_user(request), person=person, new_person=new_person, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error, *forms[1:])
        else:
            messages.success(request, _("The student is admitted."))
            differing = selectors.admission_differences(enrollment=enrollment)
            if differing:
                messages.warning(request, differs_message(differing))
            return redirect("web:university-enrollment", pk=enrollment.pk)
    context = {"form": form, "person_form": person_form, "person": person}
    return render(request, "web/university/admit.html", context)


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def enrollment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk, "enrollment_edit")
    form = EnrollmentForm(posted(request), instance=enrollment, user=request.user, university=enrollment.university)
    if submit(
        form, lambda data: services.enrollment_update(actor=signed_in_user(request), enrollment=enrollment, **data)
    ):
        messages.success(request, _("The enrollment's details are saved."))
        return redirect("web:university-enrollment", pk=enrollment.pk)
    if form.is_bound:
        enrollment.refresh_from_db()  # a refused change leaves the service's assignments on the object
    return render(request, "web/university/enrollment_form.html", {"form": form, "enrollment": enrollment})


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def enrollment_fast_track(request: HttpRequest, pk: int) -> HttpResponse:
    """An enrolled master's student continues into a doctorate: the page shows the new, linked enrollment."""
    enrollment = _enrollment(request, pk, "enrollment_fast_track")
    form = FastTrackForm(posted(request), user=request.user, enrollment=enrollment)
    doctoral = submit(
        form, lambda data: services.enrollment_fast_track(actor=signed_in_user(request), enrollment=enrollment, **data)
    )
    if doctoral:
        messages.success(request, _("The fast track is recorded: this is the student's new doctoral enrollment."))
        return redirect("web:university-enrollment", pk=doctoral.pk)
    context = {"form": form, "enrollment": enrollment, "may_fast_track": _may_fast_track(enrollment)}
    return render(request, "web/university/fast_track.html", context)


def _issued(request: HttpRequest, enrollment: Enrollment) -> HttpResponse:
    """Issue a claim code and show it, once: the page is never cached."""
    claim, code = services.claim_code_issue(actor=signed_in_user(request), enrollment=enrollment)
    messages.success(request, _("A claim code is issued. It is shown only on this page."))
    context = {"enrollment": enrollment, "claim": claim, "code": code}
    response = render(request, "web/university/claim_code_issued.html", context)
    add_never_cache_headers(response)
    return response


@university_staff_only
@require_POST
def enrollment_claim_code(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = selectors.enrollment_get_for_change(user=request.user, pk=pk)
    try:
        return _issued(request, enrollment)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("web:university-enrollment", pk=enrollment.pk)


@university_staff_only
@require_POST
def enrollment_claim_code_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop the student's valid claim code at once (a code given to the wrong person, or lost)."""
    enrollment = selectors.enrollment_get_for_change(user=request.user, pk=pk)
    try:
        revoked = services.claim_codes_revoke(actor=signed_in_user(request), enrollment=enrollment)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if revoked:
            messages.success(request, _("The claim code is revoked: it no longer works."))
        else:
            messages.info(request, _("There was no valid claim code to revoke."))
    return redirect(reverse("web:university-enrollment", kwargs={"pk": enrollment.pk}) + "#claim")


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def claim_codes(request: HttpRequest) -> HttpResponse:
    form = ClaimCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["student_number"].strip()
        # Student numbers are unique within a university only: look in the user's own (an operator, who belongs
        # to none, issues codes from the enrollment's page instead).
        university = roles.university_of(request.user)
        enrollments = selectors.enrollment_list(user=request.user).filter(university=university, student_number=number)
        enrollment = enrollments.first() if university is not None else None
        if enrollment is None:
            form.add_error("student_number", _("None of your university's students has this student number."))
        else:
            try:
                return _issued(request, enrollment)
            except DomainError as error:
                add_domain_error(form, error)
    page = Paginator(selectors.claim_code_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.reads_logged(
        page, user=request.user, person_of=lambda code: code.person_id, action="claim_code_list", request=request
    )
    context = {"form": form, "page": page, "now": timezone.now()}
    return render(request, "web/university/claim_codes.html", context)


urlpatterns = [
    path("university/", home, name="university-home"),
    path("university/enrollments/", enrollment_list, name="university-enrollments"),
    re_path(
        r"^university/enrollments/export\.(?P<fmt>csv|xlsx)$",
        enrollment_list_export,
        name="university-enrollments-export",
    ),
    path("university/enrollments/admit/", enrollment_admit, name="university-admit"),
    path("university/persons/<int:pk>/admit/", person_admit, name="university-admit-person"),
    path("university/enrollments/<int:pk>/", enrollment_detail, name="university-enrollment"),
    path("university/enrollments/<int:pk>/edit/", enrollment_edit, name="university-enrollment-edit"),
    path(
        "university/enrollments/<int:pk>/changes/<int:event_pk>/void/",
        enrollment_event_void,
        name="university-enrollment-event-void",
    ),
    path("university/enrollments/<int:pk>/fast-track/", enrollment_fast_track, name="university-fast-track"),
    path("university/enrollments/<int:pk>/claim-code/", enrollment_claim_code, name="university-claim-code"),
    path(
        "university/enrollments/<int:pk>/claim-code/revoke/",
        enrollment_claim_code_revoke,
        name="university-claim-code-revoke",
    ),
    path("university/claim-codes/", claim_codes, name="university-claim-codes"),
    path("university/roster/", include("talent.web.views.roster")),
]
