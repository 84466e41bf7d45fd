"""The intake plans API (/api/v1/reports/intake-plans/): the plans in force, a school's staff proposing a
figure, the ministry approving or setting one, every version of a plan, and a sheet's import. The rules are
talent.reports.intake's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talent.common.api import query_of
from talent.common.api_schema import ErrorSerializer, error_responses
from talent.common.users import signed_in_user
from talent.registry.vocabulary import DegreeLevel
from talent.reports import intake
from talent.reports.models import IntakePlanSource, IntakePlanState


class IntakePlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    school = serializers.IntegerField(source="school_id")
    school_name = serializers.CharField(source="school.name_ko")
    year = serializers.IntegerField()
    degree_level = serializers.ChoiceField(choices=DegreeLevel.choices)
    version = serializers.IntegerField(help_text="Each change or approval adds a version; the newest is in force.")
    intake = serializers.IntegerField(help_text="Planned entrants (persons).")
    state = serializers.ChoiceField(
        choices=IntakePlanState.choices,
        help_text="`proposed` by the school, `approved` by the ministry, or `overridden` (set by the ministry).",
    )
    source = serializers.ChoiceField(choices=IntakePlanSource.choices)  # type: ignore[assignment]  # a response field named like a Field attribute
    note = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class IntakePlanQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2020, max_value=2100)
    school = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class IntakePlanInputSerializer(serializers.Serializer):
    school = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The graduate school's id.")
    year = serializers.IntegerField(min_value=2020, max_value=2100)
    degree_level = serializers.ChoiceField(choices=DegreeLevel.choices)
    intake = serializers.IntegerField(
        min_value=0,
        max_value=1_000_000,
        help_text="Planned entrants; at most 10 times the school's largest cohort (40 for a new school).",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2_000)


class ApprovalSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2_000)


class SheetRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV or XLSX; header row: 대학원 (school: id or name), 연도 (year), 과정 (degree level), "
        "모집정원 (intake)."
    )


class SheetProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Spreadsheet row (1 = the first).")
    column = serializers.CharField(help_text="school, year, degree_level or intake.")
    message = serializers.CharField()


class SheetResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    recorded = serializers.IntegerField(help_text="Rows that added a version.")
    unchanged = serializers.IntegerField(help_text="Rows equal to the plan in force (nothing added).")
    errors = SheetProblemSerializer(many=True)  # type: ignore[assignment]  # output only: never validates


class SheetRefusedSerializer(ErrorSerializer):
    result = SheetResultSerializer(required=False, help_text="Every row's problems: nothing was imported.")


class IntakePlanListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        summary="The intake plans in force",
        description="The newest version of each school's plan per year and degree level: every school for the "
        "ministry, their own university's for staff. A school, year and level absent here has no plan.",
        parameters=[IntakePlanQuerySerializer],
        responses={200: IntakePlanSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = IntakePlanQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        plans = intake.intake_plan_list(user=request.user, **query.validated_data)
        return Response(IntakePlanSerializer(plans, many=True).data)

    @extend_schema(
        tags=["reports"],
        summary="Plan a school's intake (a new version)",
        description="Proposed when the school's staff enter it; set by the ministry (overridden) when the "
        "ministry does. A year whose intake happened (1 March) is refused, as is a negative or absurd intake. "
        "The same figure again adds nothing (200).",
        request=IntakePlanInputSerializer,
        responses={
            200: OpenApiResponse(IntakePlanSerializer, description="Unchanged: the plan in force."),
            201: IntakePlanSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    def post(self, request: Request) -> Response:
        data = IntakePlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = dict(data.validated_data)
        actor = signed_in_user(request)
        school = intake.school_get_for_user(user=actor, pk=params.pop("school"))
        before = intake.plans_in_force(schools=[school.pk])
        plan = intake.intake_plan_set(actor=actor, school=school, **params)
        created = all(existing.pk != plan.pk for existing in before)
        return Response(IntakePlanSerializer(plan).data, status=201 if created else 200)


class IntakePlanVersionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        summary="Every version of a plan (its school, year and degree level), newest first",
        responses={200: IntakePlanSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = intake.intake_plan_get_for_user(user=request.user, pk=pk)
        return Response(IntakePlanSerializer(intake.intake_plan_versions(user=request.user, plan=plan), many=True).data)


class IntakePlanApproveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        summary="Approve a school's proposed plan (ministry)",
        description="Adds a version, approved, with the proposed intake. Only the plan in force, and only while "
        "it is proposed (409 otherwise).",
        request=ApprovalSerializer,
        responses={201: IntakePlanSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = ApprovalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = signed_in_user(request)
        plan = intake.intake_plan_get_for_user(user=actor, pk=pk)
        approved = intake.intake_plan_approve(actor=actor, plan=plan, note=data.validated_data["note"])
        return Response(IntakePlanSerializer(approved).data, status=status.HTTP_201_CREATED)


class IntakePlanImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]  # a file: multipart only

    @extend_schema(
        tags=["reports"],
        summary="Import intake plans from a sheet (all rows or none)",
        request={"multipart/form-data": SheetRequestSerializer},
        responses={
            200: SheetResultSerializer,
            400: OpenApiResponse(SheetRefusedSerializer, description="The file or some rows were refused."),
            **error_responses(401, 403),
        },
    )
    def post(self, request: Request) -> Response:
        body = SheetRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        content = body.validated_data["file"].read(settings.ROSTER_MAX_BYTES + 1)
        result = intake.intake_plan_import(actor=signed_in_user(request), content=content)
        data: Any = SheetResultSerializer(result).data
        if result.errors:
            return Response({"detail": intake.sheet_refusal(result), "code": "sheet_rows_invalid", "result": data}, 400)
        return Response(data)


urlpatterns = [
    path("intake-plans/", IntakePlanListView.as_view(), name="reports-intake-plans"),
    path("intake-plans/import/", IntakePlanImportView.as_view(), name="reports-intake-plans-import"),
    path("intake-plans/<int:pk>/versions/", IntakePlanVersionsView.as_view(), name="reports-intake-plan-versions"),
    path("intake-plans/<int:pk>/approve/", IntakePlanApproveView.as_view(), name="reports-intake-plan-approve"),
]
