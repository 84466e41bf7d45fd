"""The outlook API (/api/v1/reports/outlook/): the cohort-flow projection of a "trained" target with the intake
plans in force, its 10th–90th percentile band, what it takes and the back-test; as JSON, CSV or XLSX (the
downloads carry the band and the assumptions). The arithmetic is talent.reports.projection's."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talent.common.api import query_of
from talent.common.api_schema import error_responses
from talent.common.users import signed_in_user
from talent.reports import exports, intake, outlook, scenarios
from talent.reports.api.permissions import MayManageReports
from talent.reports.api.targets import FILE_RESPONSES, FORMAT_PARAMETER, ReportView, TargetSerializer
from talent.reports.models import AX_TRAINED, ScenarioKind


class YearFigureSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    end = serializers.DateField(help_text="31 December, or the deadline.")
    expected = serializers.FloatField(help_text="Trained by `end`, cumulative (the mean of the projection).")
    low = serializers.IntegerField(help_text="10th percentile.")
    high = serializers.IntegerField(help_text="90th percentile.")


class ProjectionSerializer(serializers.Serializer):
    achieved = serializers.IntegerField()
    expected = serializers.FloatField(help_text="Trained by the deadline.")
    low = serializers.IntegerField(help_text="10th percentile by the deadline.")
    high = serializers.IntegerField(help_text="90th percentile by the deadline.")
    from_active = serializers.FloatField(help_text="Of `expected − achieved`: graduates of students active now.")
    from_plans = serializers.FloatField(help_text="... of the planned cohorts.")
    paths = serializers.IntegerField(help_text="Simulated futures behind the band.")
    by_year = YearFigureSerializer(many=True)


class RequirementSerializer(serializers.Serializer):
    intake_per_year = serializers.IntegerField(
        allow_null=True, help_text="Entrants a year from `from_year` that reach the target; null: none can."
    )
    from_year = serializers.IntegerField()
    to_year = serializers.IntegerField()
    expected_without = serializers.FloatField(help_text="Expected by the deadline without intake from `from_year`.")
    per_entrant = serializers.FloatField(help_text="Graduates by the deadline per yearly entrant, over the years.")


class BacktestSerializer(serializers.Serializer):
    made_on = serializers.DateField(help_text="The projection as of this date, with what was known then ...")
    for_date = serializers.DateField(help_text="... for the count on this date.")
    expected = serializers.FloatField()
    low = serializers.IntegerField()
    high = serializers.IntegerField()
    actual = serializers.IntegerField()
    error = serializers.FloatField(help_text="expected − actual.")
    relative_error = serializers.FloatField(allow_null=True, help_text="error / actual; null when actual is 0.")
    in_band = serializers.BooleanField()


class RatesSerializer(serializers.Serializer):
    level = serializers.CharField()
    graduate = serializers.FloatField(help_text="Share that graduates (posterior mean).")
    fast_track = serializers.FloatField()
    leave = serializers.FloatField()
    observed_endings = serializers.IntegerField(help_text="Students finished: what the rates rest on beyond the prior.")
    normal_months = serializers.IntegerField()


class OutlookSerializer(serializers.Serializer):
    target = TargetSerializer()
    as_of = serializers.DateField()
    projection = ProjectionSerializer()
    shortfall = serializers.IntegerField(help_text="Target − expected (0 when reached).")
    confident = serializers.BooleanField(help_text="False: too little data for one figure (read the band).")
    thin = serializers.DictField(
        child=serializers.IntegerField(), help_text="Degree level -> students finished, where the prior dominates."
    )
    requirement = RequirementSerializer()
    planned_by_year = serializers.DictField(child=serializers.IntegerField(), help_text="Year -> planned entrants.")
    unplanned = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="Year -> schools without any plan."
    )
    mix = serializers.DictField(child=serializers.FloatField(), help_text="Degree mix of a yearly intake.")
    backtest = BacktestSerializer(allow_null=True)
    rates = serializers.SerializerMethodField()

    @extend_schema_field(RatesSerializer(many=True))
    def get_rates(self, value: outlook.Outlook) -> list[dict[str, Any]]:
        return rates_of(value)


def rates_of(value: outlook.Outlook) -> list[dict[str, Any]]:
    rows = []
    for level, rates in value.rates.items():
        graduate, fast_track, leave = rates.shares
        rows.append(
            {
                "level": level,
                "graduate": round(graduate, 4),
                "fast_track": round(fast_track, 4),
                "leave": round(leave, 4),
                "observed_endings": rates.observed_endings,
                "normal_months": rates.normal_months,
            }
        )
    return rows


class OutlookQuerySerializer(serializers.Serializer):
    target = serializers.CharField(required=False, default=AX_TRAINED, help_text="A target counting graduates.")
    as_of = serializers.DateField(required=False, help_text="The date (YYYY-MM-DD); default today.")
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="A version of the target (its counting rules, value and deadline); default the version in "
        "force on the as-of date.",
    )


class OutlookView(ReportView):
    @extend_schema(
        tags=["reports"],
        summary="A target's projection with the planned intake, what it takes, and the back-test",
        description="Every current and planned cohort followed to the deadline with the registry's observed "
        "rates (drawn towards the target's prior while data are thin); the band is the 10th–90th percentile of "
        "10,000 simulated futures. University staff get their own university's outlook.",
        parameters=[OutlookQuerySerializer, FORMAT_PARAMETER],
        responses={200: OutlookSerializer, **FILE_RESPONSES, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> HttpResponse:
        query = OutlookQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        params = query.validated_data
        value = outlook.target_outlook(
            user=request.user, code=params["target"], as_of=params.get("as_of"), version=params.get("version")
        )
        if file_format := self.download_format():
            return exports.download(exports.outlook_table(value), file_format)
        return Response(OutlookSerializer(value).data)


urlpatterns = [path("outlook/", OutlookView.as_view(), name="reports-outlook")]


class ScenarioInputSerializer(serializers.Serializer):
    target = serializers.CharField(required=False, default=AX_TRAINED)
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**31 - 1,
        help_text="A version of the target (its value, deadline and counting rules); default the version in force "
        "today.",
    )
    kind = serializers.ChoiceField(choices=ScenarioKind.choices)
    from_year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="First year changed.")
    percent = serializers.FloatField(
        required=False, default=0.0, min_value=-100, max_value=1000, help_text="all_schools: +20 is 20% more."
    )
    school = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1)
    intake = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000)
    schools = serializers.IntegerField(required=False, default=0, min_value=0, max_value=100)
    name = serializers.CharField(required=False, default="", max_length=200, help_text="Given: the scenario is saved.")


class FiguresSerializer(serializers.Serializer):
    expected = serializers.FloatField(help_text="Trained by the deadline.")
    low = serializers.IntegerField()
    high = serializers.IntegerField()


class ScenarioResultSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    target_version = serializers.IntegerField(help_text="The version of the target the scenario was run under.")
    parameters = serializers.DictField(help_text="The change, as asked.")
    planned = FiguresSerializer(help_text="With the plans in force.")
    scenario = FiguresSerializer(help_text="With the scenario's plans.")
    moved = serializers.FloatField(help_text="scenario − planned, expected trained by the deadline.")
    planned_entrants = serializers.IntegerField()
    scenario_entrants = serializers.IntegerField()
    saved = serializers.IntegerField(allow_null=True, help_text="The saved scenario's id, or null.")

    def to_representation(self, instance: Any) -> Any:
        result = instance["result"]
        return {
            "as_of": result.as_of.isoformat(),
            "target_version": result.target.version,
            "parameters": result.change.parameters(),
            "planned": FiguresSerializer(result.planned).data,
            "scenario": FiguresSerializer(result.scenario).data,
            "moved": result.moved,
            "planned_entrants": result.planned_entrants,
            "scenario_entrants": result.scenario_entrants,
            "saved": instance["saved"],
        }


class SavedScenarioSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    target = serializers.CharField(source="target.code")
    target_version = serializers.IntegerField(source="target.version")
    as_of = serializers.DateField()
    kind = serializers.CharField()
    parameters = serializers.JSONField()
    figures = serializers.JSONField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class ScenarioView(APIView):
    permission_classes = [IsAuthenticated, MayManageReports]

    @extend_schema(
        tags=["reports"],
        summary="Saved scenarios, newest first",
        responses={200: SavedScenarioSerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        return Response(SavedScenarioSerializer(scenarios.scenario_list(user=request.user), many=True).data)

    @extend_schema(
        tags=["reports"],
        summary="Run a scenario on the planned intake (saved when named)",
        description="Trained by the deadline with the plans in force and with the scenario, under the target "
        "version asked for or the one in force today; no plan and no official figure changes. Refused: a year "
        "outside the target period or already entered, a scenario that changes nothing, a version the target "
        "does not have.",
        request=ScenarioInputSerializer,
        responses={200: ScenarioResultSerializer, 201: ScenarioResultSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        data = ScenarioInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = dict(data.validated_data)
        user = signed_in_user(request)
        school = intake.school_get_for_user(user=user, pk=params["school"]) if params["school"] else None
        change = scenarios.Change(
            kind=params["kind"],
            from_year=params["from_year"],
            percent=params["percent"],
            school=school,
            intake=params["intake"],
            schools=params["schools"],
        )
        result = scenarios.scenario_run(user=user, change=change, code=params["target"], version=params["version"])
        saved = scenarios.scenario_save(user=user, result=result, name=params["name"]) if params["name"] else None
        body = ScenarioResultSerializer({"result": result, "saved": saved.pk if saved else None}).data
        return Response(body, status=201 if saved else 200)


urlpatterns.append(path("scenarios/", ScenarioView.as_view(), name="reports-scenarios"))
