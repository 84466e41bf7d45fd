"""Forms of the university staff's pages. They parse input only; the registry's services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from talent.registry import lifecycle, selectors
from talent.registry.api.enrollments import EnrollmentFilter
from talent.registry.models import Enrollment, GraduateSchool, Programme
from talent.registry.vocabulary import CompletionRoute, EnrollmentStatus


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
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    admission_date_before = filters.DateFilter(
        field_name="admission_date",
        lookup_expr="lte",
        label=_("Admitted on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Enrollment
        fields = ["search", "school", "programme", "status", "admission_date_after", "admission_date_before"]


class TransitionForm(forms.Form):
    """A status change: the choices are the moves the status machine allows from the current status."""

    status = forms.ChoiceField(label=_("New status"))
    effective_date = forms.DateField(label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    completion_route = forms.ChoiceField(
        label=_("Completion route"),
        required=False,
        choices=[("", _("Unchanged")), *CompletionRoute.choices],
        help_text=_("Set it with this change if it is decided now (e.g. when coursework completes)."),
    )

    def __init__(self, *args: Any, enrollment: Enrollment, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"effective_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # The fast track to a doctorate links a new enrollment: the API's fast-track action records it.
        legal = lifecycle.legal_next(enrollment.status, degree_level=enrollment.programme.degree_level)
        self.fields["status"].choices = [
            (s, EnrollmentStatus(s).label) for s in legal if s != EnrollmentStatus.PROGRESSED
        ]

    def transition_fields(self) -> dict[str, Any]:
        fields = dict(self.cleaned_data)
        fields["completion_route"] = fields.get("completion_route") or None
        return fields


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
