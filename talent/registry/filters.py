"""Query filters of the registry's lists, shared by the API (query parameters) and the pages (filter forms): what a
search or a filter matches is decided here once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, F, OrderBy, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from talent.registry import vocabulary
from talent.registry.models import Enrollment, FieldProblem
from talent.registry.vocabulary import EnrollmentStatus, ProblemStatus


class StrictFilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, except that a filter given in the query must be read: django-filter drops an
    empty value and reads a boolean it does not understand ("yes", "null") as no filter, so a typo lists
    everything. Here both answer 400 naming the filter. An empty sort (`?ordering=`) is the default order: it
    narrows nothing, so it hides nothing."""

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        cleaned = filterset.form.cleaned_data
        sorts = {name for name, f in filterset.filters.items() if isinstance(f, filters.OrderingFilter)}
        unread = {
            parameter: [
                _("This filter was given without a value it understands (got “%(value)s”).") % {"value": raw[:40]}
            ]
            for parameter, name in _parameters(filterset.form)
            if name not in sorts
            for raw in request.query_params.getlist(parameter)[:1]
            if not raw.strip() or cleaned.get(name) in (None, "", [])
        }
        if unread:
            raise ValidationError(unread)
        return filterset.qs


def _parameters(form: forms.Form) -> list[tuple[str, str]]:
    """(query parameter, form field) pairs: a range filter reads two parameters, `<name>_after` and `_before`."""
    pairs = []
    for name, field in form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        pairs += [(f"{name}_{suffix}", name) for suffix in suffixes] if suffixes else [(name, name)]
    return pairs


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number: an id (one the caller cannot see simply matches nothing) or a year."""

    field_class = forms.IntegerField


def _shown(name: str) -> Coalesce:
    """A person field of an enrollment as its university reads it: its own record of a shared person
    (PersonAsRecorded, joined only when there is one), else the Person's (selectors.person_as_recorded)."""
    return Coalesce(f"recorded__{name}", f"person__{name}")


#: What each sort key of the enrollment lists orders by (the API's `ordering` and the page's column headers). The
#: status sorts in the order of a course of study (admitted first), not by its code.
_STATUS_ORDER = Case(*(When(status=code, then=Value(rank)) for rank, code in enumerate(EnrollmentStatus.values)))
ENROLLMENT_SORTS: dict[str, tuple[Any, ...]] = {
    "student_number": (F("student_number"),),
    "name": (_shown("family_name_ko"), _shown("given_name_ko"), _shown("family_name_latin")),
    "programme": (F("programme__name_ko"),),
    "admission_date": (F("admission_date"),),
    "status": (_STATUS_ORDER,),
    "status_since": (F("status_since"),),
    "expected_completion": (F("expected_completion"),),
}
SORT_LABELS = {
    "student_number": gettext_lazy("Student number"),
    "name": gettext_lazy("Name"),
    "programme": gettext_lazy("Programme"),
    "admission_date": gettext_lazy("Admission date"),
    "status": gettext_lazy("Status"),
    "status_since": gettext_lazy("Status since"),
    "expected_completion": gettext_lazy("Expected completion"),
}
#: Without a sort asked for: the newest admissions first, then by student number.
DEFAULT_ENROLLMENT_SORT = ("-admission_date", "student_number")


class EnrollmentOrdering(filters.OrderingFilter):
    """Sort keys, each with its descending twin ("-status"); several may be given, comma-separated. Ties (and no
    sort at all) fall back to DEFAULT_ENROLLMENT_SORT and the id, so a page never shuffles between requests. Empty
    dates sort last whichever the direction."""

    descending_fmt = gettext_lazy("%s (descending)")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields=[(key, key) for key in ENROLLMENT_SORTS], field_labels=SORT_LABELS, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        keys = [key for key in (value or []) if key] + list(DEFAULT_ENROLLMENT_SORT)
        terms: list[OrderBy] = []
        for key in keys:
            descending = key.startswith("-")
            for expression in ENROLLMENT_SORTS[key.lstrip("-")]:
                terms.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return qs.order_by(*terms, "id")


class EnrollmentFilter(filters.FilterSet):
    programme = IntegerFilter(field_name="programme_id")
    school = IntegerFilter(field_name="programme__school_id")
    status = filters.MultipleChoiceFilter(choices=EnrollmentStatus.choices)
    admission_date = filters.DateFromToRangeFilter(help_text="admission_date_after / admission_date_before")
    search = filters.CharFilter(method="filter_search", help_text="Student number or name (Korean or Latin).")
    ordering = EnrollmentOrdering(
        help_text="Sort keys, comma-separated; a leading '-' sorts descending. Default: -admission_date,student_number."
    )

    class Meta:
        model = Enrollment
        fields = ["programme", "school", "status", "admission_date", "search", "ordering"]

    def filter_search(self, queryset: QuerySet[Enrollment], name: str, value: str) -> QuerySet[Enrollment]:
        # The names the university reads (its own record of a shared person): another university's spelling of the
        # same person finds nothing.
        queryset = queryset.alias(
            person_name_ko=Concat(_shown("family_name_ko"), _shown("given_name_ko")),
            person_family_latin=_shown("family_name_latin"),
            person_given_latin=_shown("given_name_latin"),
        )
        for term in value.split():  # every word must match something: "Yuna Seo", "서윤아", "A2026"
            queryset = queryset.filter(
                Q(student_number__icontains=term)
                | Q(person_name_ko__icontains=term)
                | Q(person_family_latin__icontains=term)
                | Q(person_given_latin__icontains=term)
            )
        return queryset


@extend_schema_field({"type": "string", "enum": list(vocabulary.ksic_sections())})
class KsicSectionFilter(filters.ChoiceFilter):
    """A KSIC section letter: the schema lists the sections, so a client knows what the filter accepts."""


class FieldProblemFilter(filters.FilterSet):
    """A company's problem list: by status, KSIC section, region and remote work, and words of the title or the
    description (every word must match one of them)."""

    status = filters.MultipleChoiceFilter(choices=ProblemStatus.choices)
    ksic_section = KsicSectionFilter(choices=vocabulary.ksic_choices)
    search = filters.CharFilter(method="filter_search", help_text="Words of the title or the description.")

    class Meta:
        model = FieldProblem
        fields = ["status", "ksic_section", "region", "remote", "search"]

    def filter_search(self, queryset: QuerySet[FieldProblem], name: str, value: str) -> QuerySet[FieldProblem]:
        for term in value.split()[:20]:
            queryset = queryset.filter(Q(title__icontains=term) | Q(description__icontains=term))
        return queryset
