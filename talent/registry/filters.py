"""Query filters of the registry's lists, shared by the API (query parameters) and the pages (filter forms): what a
search or a filter matches is decided here once."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Concat
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from talent.registry.models import Enrollment
from talent.registry.vocabulary import EnrollmentStatus


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number: an id (one the caller cannot see simply matches nothing) or a year."""

    field_class = forms.IntegerField


class EnrollmentFilter(filters.FilterSet):
    programme = IntegerFilter(field_name="programme_id")
    school = IntegerFilter(field_name="programme__school_id")
    status = filters.MultipleChoiceFilter(choices=EnrollmentStatus.choices)
    admission_date = filters.DateFromToRangeFilter(help_text="admission_date_after / admission_date_before")
    search = filters.CharFilter(method="filter_search", help_text="Student number or name (Korean or Latin).")

    class Meta:
        model = Enrollment
        fields = ["programme", "school", "status", "admission_date", "search"]

    def filter_search(self, queryset: QuerySet[Enrollment], name: str, value: str) -> QuerySet[Enrollment]:
        queryset = queryset.alias(person_name_ko=Concat("person__family_name_ko", "person__given_name_ko"))
        for term in value.split():  # every word must match something: "Yuna Seo", "서윤아", "A2026"
            queryset = queryset.filter(
                Q(student_number__icontains=term)
                | Q(person_name_ko__icontains=term)
                | Q(person__family_name_latin__icontains=term)
                | Q(person__given_name_latin__icontains=term)
            )
        return queryset
