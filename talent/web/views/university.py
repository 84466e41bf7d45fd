"""University staff's pages: their schools and programmes, their students' enrollments with the status timeline
and status changes, claim codes, and the roster import and export (talent.web.views.roster).

The same rules as the API's: staff of a university (and operators) only, anyone else is refused (403); another
university's enrollment is not found (404). Every read of a person's record is written to the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import include, path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talent.common.errors import DomainError
from talent.registry import roles, selectors, services
from talent.registry.api.permissions import IsUniversityStaff
from talent.registry.models import Enrollment
from talent.web.access import allowed_by
from talent.web.forms import add_domain_error
from talent.web.forms.university import ClaimCodeForm, EnrollmentPageFilter, TransitionForm

PAGE_SIZE = 25


university_staff_only = allowed_by(IsUniversityStaff)


def _enrollment(request: HttpRequest, pk: int) -> Enrollment:
    return get_object_or_404(selectors.enrollment_list(user=request.user), pk=pk)


def _log_reads(request: HttpRequest, person_ids: list[int], action: str) -> None:
    services.access_log_record(actor=request.user, person_ids=person_ids, action=action, request=request)


@university_staff_only
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programme_list(user=request.user).order_by("degree_level", "name_ko")
    schools = selectors.graduate_school_list(user=request.user).prefetch_related(
        Prefetch("programmes", queryset=programmes)
    )
    context = {"university": roles.university_of(request.user), "schools": schools.order_by("name_ko", "id")}
    return render(request, "web/university/home.html", context)


@university_staff_only
@require_GET
def enrollment_list(request: HttpRequest) -> HttpResponse:
    enrollments = selectors.enrollment_list(user=request.user).order_by("-admission_date", "student_number", "id")
    filterset = EnrollmentPageFilter(request.GET, queryset=enrollments, request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _log_reads(request, [e.person_id for e in page], "enrollment_list")
    return render(request, "web/university/enrollment_list.html", {"filter": filterset, "page": page})


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk)
    form = TransitionForm(request.POST or None, enrollment=enrollment)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_transition(actor=request.user, enrollment=enrollment, **form.transition_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The status change is recorded."))
            return redirect("web:university-enrollment", pk=enrollment.pk)
    _log_reads(request, [enrollment.person_id], "enrollment_detail")
    context = {
        "enrollment": enrollment,
        "events": selectors.enrollment_history(enrollment=enrollment),
        "codes": selectors.claim_code_list(user=request.user).filter(person_id=enrollment.person_id)[:5],
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "web/university/enrollment_detail.html", context)


def _issued(request: HttpRequest, enrollment: Enrollment) -> HttpResponse:
    """Issue a claim code and show it, once: the page is never cached."""
    claim, code = services.claim_code_issue(actor=request.user, enrollment=enrollment)
    messages.success(request, _("A claim code is issued. It is shown only on this page."))
    context = {"enrollment": enrollment, "claim": claim, "code": code}
    response = render(request, "web/university/claim_code_issued.html", context)
    add_never_cache_headers(response)
    return response


@university_staff_only
@require_POST
def enrollment_claim_code(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk)
    try:
        return _issued(request, enrollment)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("web:university-enrollment", pk=enrollment.pk)


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
    _log_reads(request, [code.person_id for code in page], "claim_code_list")
    context = {"form": form, "page": page, "now": timezone.now()}
    return render(request, "web/university/claim_codes.html", context)


urlpatterns = [
    path("university/", home, name="university-home"),
    path("university/enrollments/", enrollment_list, name="university-enrollments"),
    path("university/enrollments/<int:pk>/", enrollment_detail, name="university-enrollment"),
    path("university/enrollments/<int:pk>/claim-code/", enrollment_claim_code, name="university-claim-code"),
    path("university/claim-codes/", claim_codes, name="university-claim-codes"),
    path("university/roster/", include("talent.web.views.roster")),
]
