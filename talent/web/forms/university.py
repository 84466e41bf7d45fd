"""Forms of the university staff's pages. They parse input only; the registry's services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from talent.registry import lifecycle, roles, selectors
from talent.registry.filters import EnrollmentFilter, EnrollmentOrdering
from talent.registry.models import REASON_MAX_LENGTH, Enrollment, GraduateSchool, Organization, Person, Programme
from talent.registry.services import enrollments as enrollment_services
from talent.registry.services.advisors import ADVISOR_FIELDS
from talent.registry.services.enrollments import ENROLLMENT_FIELDS
from talent.registry.services.people import PERSON_FIELDS
from talent.registry.vocabulary import CompletionRoute, DegreeLevel, EnrollmentStatus
from talent.web.forms import DATE, ServiceForm, model_label

if TYPE_CHECKING:
    from talent.registry.roles import User


def _programmes(request: HttpRequest | None) -> QuerySet[Programme]:
    return selectors.programme_list(user=request.user) if request is not None else Programme.objects.none()


def _schools(request: HttpRequest | None) -> QuerySet[GraduateSchool]:
    return selectors.graduate_school_list(user=request.user) if request is not None else GraduateSchool.objects.none()


class EnrollmentPageFilter(EnrollmentFilter):
    """The API's enrollment filters with the same query names, as a form: programmes and schools to pick from,
    statuses to tick, and two labelled dates instead of one range."""

    search = filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Student number or name (Korean or Latin)."),
    )
    school = filters.ModelChoiceFilter(
        field_name="programme__school", queryset=_schools, label=_("Graduate school"), empty_label=_("All")
    )
    programme = filters.ModelChoiceFilter(queryset=_programmes, label=_("Programme"), empty_label=_("All"))
    status = filters.MultipleChoiceFilter(
        choices=EnrollmentStatus.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    admission_date = None  # replaced by the two dates below (the API's query names)
    admission_date_after = filters.DateFilter(
        field_name="admission_date",
        lookup_expr="gte",
        label=_("Admitted on or after"),
        widget=DATE,
    )
    admission_date_before = filters.DateFilter(
        field_name="admission_date",
        lookup_expr="lte",
        label=_("Admitted on or before"),
        widget=DATE,
    )
    ordering = EnrollmentOrdering(label=_("Sort by"), empty_label=_("Newest admissions first"))

    class Meta:
        model = Enrollment
        fields = [
            "search",
            "school",
            "programme",
            "status",
            "admission_date_after",
            "admission_date_before",
            "ordering",
        ]


class TransitionForm(forms.Form):
    """A status change: the choices are the moves the status machine allows after the last recorded change.
    Nothing is pre-selected: a status and a date must be chosen. A change that ends or completes a course of
    study is confirmed on a second step (`confirmed`), which says what will happen."""

    status = forms.ChoiceField(label=_("New status"))
    effective_date = forms.DateField(
        label=_("Effective date"),
        widget=DATE,
        help_text=_("Today or a past date; a later date schedules the change, which takes effect on that day."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Needed for completing coursework, graduating, withdrawing, dismissal and the fast track."),
    )
    completion_route = forms.ChoiceField(
        label=_("Completion route"),
        required=False,
        choices=[("", _("Unchanged")), *CompletionRoute.choices],
        help_text=_("Set it with this change if it is decided now (e.g. when coursework completes)."),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, enrollment: Enrollment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The fast track to a doctorate links a new enrollment: its own page (FastTrackForm) records it.
        legal = enrollment_services.next_statuses(enrollment)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        choices = [(s, EnrollmentStatus(s).label) for s in legal if s != EnrollmentStatus.PROGRESSED]
        status.choices = [("", _("Choose the new status")), *choices] if choices else []

    def needs_confirmation(self) -> bool:
        return self.cleaned_data["status"] in lifecycle.REASONED_STATUSES and not self.cleaned_data["confirmed"]

    def transition_fields(self) -> dict[str, Any]:
        fields = dict(self.cleaned_data)
        fields.pop("confirmed")
        fields["completion_route"] = fields.get("completion_route") or None
        return fields


class VoidForm(forms.Form):
    """A correction of one change: why (required by the service)."""

    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX_LENGTH
    )


class EnrollmentForm(ServiceForm):
    """An enrollment's details, as `enrollment_update` takes them; its status changes only by a status change."""

    class Meta:
        model = Enrollment
        fields = list(ENROLLMENT_FIELDS)
        widgets = {"admission_date": DATE, "expected_completion": DATE}
        help_texts = {
            "advisor": _("One of the university advisors appointed at your university."),
            "co_advisor": _("One of the company co-advisors appointed at your university."),
        }

    def __init__(self, *args: Any, user: User, university: Organization | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Advisors are picked among those appointed (the service checks the enrollment's university again).
        for name, role in ADVISOR_FIELDS.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = selectors.advisor_list(user=user, role=role, university=university)


class AdmitForm(EnrollmentForm):
    """A new enrollment in one of the user's programmes, as `enrollment_admit` takes it (the API's admit fields)."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=model_label(Enrollment, "programme"))

    class Meta(EnrollmentForm.Meta):
        fields = ["programme", *ENROLLMENT_FIELDS]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, university=roles.university_of(user), **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.programme_list(user=user).order_by("school__name_ko", "degree_level", "name_ko")


class AdmittedPersonForm(ServiceForm):
    """A person new to the registry, admitted with their first enrollment. No resident registration number."""

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {"birth_date": DATE}


class FastTrackForm(forms.Form):
    """An enrolled master's student continues into a doctorate at the same university (the API's fast-track body)."""

    doctoral_programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Doctoral programme"))
    student_number = forms.CharField(
        label=_("Student number in the doctorate"),
        max_length=20,
        help_text=_("The new enrollment's student number; the master's enrollment keeps its own."),
    )
    effective_date = forms.DateField(label=_("Effective date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX_LENGTH
    )

    def __init__(self, *args: Any, user: User, enrollment: Enrollment, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"effective_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # The doctorates the fast track may lead to; the service checks again.
        doctoral = selectors.programme_list(user=user).filter(
            school__university=enrollment.university_id, degree_level__in=[DegreeLevel.PHD, DegreeLevel.INTEGRATED]
        )
        field = self.fields["doctoral_programme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = doctoral.order_by("school__name_ko", "name_ko")


class ClaimCodeForm(forms.Form):
    student_number = forms.CharField(
        label=_("Student number"),
        max_length=20,
        help_text=_("A new code replaces the student's earlier unused codes."),
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("CSV or Excel workbook (.xlsx), with the template's headers in the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class RosterConfirmForm(forms.Form):
    """The checked file, named by its SHA-256: the page keeps it between the preview and the import."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
