"""The registry's statistics (/api/v1/statistics/): counts for the ministry, operators and (their own)
universities, under the same permission, scope and as-of date as the target reports.

Counts only: no response here carries a name, an email or a person's id.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talent.common.api import query_of
from talent.registry.api.schema import error_responses
from talent.reports import field_projects, statistics
from talent.reports.api.permissions import MayReadReports

# --- Serializers ---------------------------------------------------------------------------------------


class BreakdownSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Value -> count; every value listed.")


class RegistryTotalsSerializer(serializers.Serializer):
    persons = serializers.IntegerField()
    enrollments_by_status = BreakdownSerializer()
    schools_by_track = BreakdownSerializer()
    programmes_by_degree_level = BreakdownSerializer()
    returning_researchers_by_programme = BreakdownSerializer(
        help_text="Researcher profiles by return programme (`unspecified` when none is given)."
    )
    expert_profiles_with_consent = serializers.IntegerField()
    field_problems_by_status = BreakdownSerializer()


class EnrollmentHeadcountSerializer(serializers.Serializer):
    enrollments = serializers.IntegerField()
    persons = serializers.IntegerField(help_text="Distinct persons: a person with two enrollments counts once.")


class EnrollmentCountsSerializer(EnrollmentHeadcountSerializer):
    by_status = serializers.DictField(
        child=EnrollmentHeadcountSerializer(), help_text="Status -> counts; every status listed."
    )


class EnrollmentGroupSerializer(EnrollmentCountsSerializer):
    key = serializers.CharField(help_text="The group's id or code (an organization, school or programme id, ...).")
    label = serializers.CharField(help_text="The group's name in the request's language.")  # type: ignore[assignment]  # a response field named like a Field attribute


class EnrollmentStatisticsSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="The date the statuses are counted on.")
    by = serializers.CharField(allow_null=True)
    total = EnrollmentCountsSerializer()
    groups = EnrollmentGroupSerializer(many=True)


class EnrollmentStatisticsQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        help_text="Count each enrollment's status on this date (YYYY-MM-DD), from its events; default today, "
        "a future date is refused.",
    )
    by = serializers.ChoiceField(choices=statistics.GROUPING_NAMES, required=False, help_text="Group the counts by.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Name the allowed groupings in the refusal, in the request's language.
        self.fields["by"].error_messages["invalid_choice"] = _(
            "Unknown grouping “{input}”; use one of: %(allowed)s."
        ) % {"allowed": ", ".join(statistics.GROUPING_NAMES)}


class ProjectGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The school's id or the KSIC section's code.")
    label = serializers.CharField(help_text="The group's name in the request's language.")  # type: ignore[assignment]  # a response field named like a Field attribute
    engagements = serializers.IntegerField(
        help_text="By school: the engagements its students do as AX projects; by section: every engagement."
    )
    students = serializers.IntegerField(help_text="Distinct persons with an AX project.")
    completed = serializers.IntegerField(help_text="Distinct persons who graduated through their AX project.")


class FieldProjectsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    engagements = serializers.IntegerField(help_text="Engagements started on or before `as_of`.")
    engagements_active = serializers.IntegerField(help_text="Of those, not closed by `as_of`.")
    engagements_closed = serializers.DictField(
        child=serializers.IntegerField(), help_text="Outcome -> engagements closed by `as_of`; every outcome listed."
    )
    students = serializers.IntegerField(help_text="Distinct persons with an AX project linked by `as_of`.")
    completed = serializers.IntegerField(help_text="Of those, who graduated through it by `as_of`.")
    by_school = ProjectGroupSerializer(many=True)
    by_section = ProjectGroupSerializer(many=True)


class AsOfQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, help_text="Count as of this date (YYYY-MM-DD); default today, a future date is refused."
    )


# --- Views ---------------------------------------------------------------------------------------------


class RegistryStatisticsView(APIView):
    permission_classes = [IsAuthenticated, MayReadReports]

    @extend_schema(
        tags=["statistics"],
        summary="Totals of the registry",
        description="Persons, enrollments by status, schools by track, programmes by degree level, returning "
        "researchers by return programme, consenting experts and field problems by status. University staff "
        "get their own university's figures.",
        responses={200: RegistryTotalsSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        totals = statistics.registry_totals(user=request.user)
        return Response(RegistryTotalsSerializer(totals).data)


class EnrollmentStatisticsView(APIView):
    permission_classes = [IsAuthenticated, MayReadReports]

    @extend_schema(
        tags=["statistics"],
        summary="Enrollments and persons by status",
        description="Counts of enrollments and distinct persons by the status in force on `as_of` (default "
        "today); optionally grouped. University staff get their own university's figures.",
        parameters=[EnrollmentStatisticsQuerySerializer],
        responses={200: EnrollmentStatisticsSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = EnrollmentStatisticsQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        figures = statistics.enrollment_statistics(user=request.user, **query.validated_data)
        return Response(EnrollmentStatisticsSerializer(figures).data)


class FieldProjectsView(APIView):
    permission_classes = [IsAuthenticated, MayReadReports]

    @extend_schema(
        tags=["statistics"],
        summary="Engagements and AX-project completions",
        description="Engagements started, under way and closed by outcome; AX graduate students with an AX project "
        "and those who completed through it, by graduate school and KSIC section, as of `as_of` (default today). "
        "University staff get their own students' figures.",
        parameters=[AsOfQuerySerializer],
        responses={200: FieldProjectsSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = AsOfQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        figures = field_projects.field_projects(user=request.user, **query.validated_data)
        return Response(FieldProjectsSerializer(figures).data)


urlpatterns = [
    path("statistics/registry/", RegistryStatisticsView.as_view(), name="statistics-registry"),
    path("statistics/enrollments/", EnrollmentStatisticsView.as_view(), name="statistics-enrollments"),
    path("statistics/field-projects/", FieldProjectsView.as_view(), name="statistics-field-projects"),
]
