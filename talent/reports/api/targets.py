"""The target reports API (/api/v1/reports/): the targets report, breakdowns, the trajectory, target versions
and snapshots.

Reads for the ministry and operators (the whole country) and university staff (their own university, see
talent.reports.scope); target revisions and snapshots for the ministry and operators only. Every table
downloads as CSV or XLSX with `?format=csv|xlsx`; `public=true` applies small-cell suppression.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talent.common.api import query_of
from talent.common.users import signed_in_user
from talent.registry.api.schema import error_responses
from talent.reports import exports, labels, selectors, services
from talent.reports.api.permissions import MayManageReports, MayReadReports, ReadOrManage
from talent.reports.arithmetic import Band
from talent.reports.models import AX_TRAINED, ReportSnapshot, Target
from talent.reports.scope import checked_as_of

# --- Formats ---------------------------------------------------------------------------------------------


class CSVRenderer(BaseRenderer):
    """Selected by `?format=csv`; the view returns the file itself (exports.download)."""

    media_type = "text/csv"
    format = "csv"
    charset: str | None = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return JSONRenderer().render(data)


class XLSXRenderer(CSVRenderer):
    media_type = exports.CONTENT_TYPES["xlsx"]
    format = "xlsx"
    charset = None


FORMAT_FIELD = serializers.ChoiceField(choices=["json", "csv", "xlsx"])


class ReportView(APIView):
    """JSON by default, a file with `?format=csv|xlsx`; errors are always JSON."""

    permission_classes = [IsAuthenticated, MayReadReports]
    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # DRF reads an empty `?format=` as no format at all: refuse it as the schema's enum does.
        if "format" in request.query_params:
            try:
                FORMAT_FIELD.run_validation(request.query_params["format"])
            except serializers.ValidationError as refused:
                raise serializers.ValidationError({"format": refused.detail}) from refused
        super().initial(request, *args, **kwargs)

    def download_format(self) -> str | None:
        file_format = self.request.accepted_renderer.format
        return file_format if file_format in exports.CONTENT_TYPES else None

    def handle_exception(self, exc: Exception) -> Response:
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv", "xlsx"],
    description="`csv` or `xlsx` downloads the table as a file (the same lines in both). A table of one target "
    "(a breakdown, the trajectory, the projection) ends with version notes: after the rows, a blank row, then one "
    "label and value a row naming the target version it was computed under — the target, the version number and "
    "the date that version is in force from; the projection's notes go on with its assumptions and back-test. "
    "The targets report names each row's version in its Version column instead. The notes are in the request's "
    "language, as the headers are.",
)
FILE_RESPONSES = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The table as CSV (UTF-8)."),
    (200, exports.CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY, description="The table as XLSX."),
}


# --- Serializers ----------------------------------------------------------------------------------------


class TargetSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    name_ko = serializers.CharField()
    name_en = serializers.CharField()
    basis = serializers.CharField(help_text="`trained` (graduates of counting programmes) or `returned`.")
    value = serializers.IntegerField(help_text="Persons to reach by the deadline.")
    start_date = serializers.DateField(help_text="Counting starts on this date.")
    deadline = serializers.DateField()
    effective_from = serializers.DateField(
        help_text="In force from this date: reports as of it or later use this version and the programmes "
        "counting then, until a newer version's date."
    )
    prior_completion_rate = serializers.DecimalField(max_digits=4, decimal_places=3, coerce_to_string=False)
    prior_weight = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class PaceSerializer(serializers.Serializer):
    window_start = serializers.DateField(help_text="The observed pace counts from here (a year back, or the start).")
    window_months = serializers.FloatField()
    gained = serializers.IntegerField(help_text="Persons gained within the window.")
    observed = serializers.FloatField(allow_null=True, help_text="Persons per month over the window.")
    required = serializers.FloatField(  # type: ignore[assignment]  # a response field named like a Field attribute
        allow_null=True, help_text="Persons per month needed from now to the deadline (national reports only)."
    )
    ratio = serializers.FloatField(allow_null=True, help_text="observed / required.")


class CompletionRateSerializer(serializers.Serializer):
    graduations = serializers.IntegerField(help_text="Counting enrollments that graduated since the start.")
    endings = serializers.IntegerField(help_text="... that graduated, withdrew or were dismissed since the start.")
    observed = serializers.FloatField(allow_null=True)
    prior = serializers.FloatField()
    prior_weight = serializers.IntegerField()
    used = serializers.FloatField(help_text="(graduations + prior × prior_weight) / (endings + prior_weight).")


class ActiveSerializer(serializers.Serializer):
    enrolled = serializers.IntegerField()
    on_leave = serializers.IntegerField()
    coursework_complete = serializers.IntegerField()
    total = serializers.IntegerField()


class TargetReportSerializer(serializers.Serializer):
    target = TargetSerializer()
    as_of = serializers.DateField()
    scope = serializers.CharField(help_text="`National`, or the university's name.")
    national = serializers.BooleanField()
    achieved = serializers.IntegerField(help_text="The headline: distinct persons counted on the date.")
    share_of_target = serializers.FloatField()
    months_left = serializers.FloatField()
    projected = serializers.IntegerField(help_text="Expected count by the deadline.")
    shortfall = serializers.IntegerField(help_text="Target − projected (0 when the projection reaches it).")
    pace = PaceSerializer()
    band = serializers.ChoiceField(choices=[b.value for b in Band], allow_null=True)
    band_label = serializers.SerializerMethodField()
    entrants = serializers.IntegerField(allow_null=True)
    active = ActiveSerializer(allow_null=True)
    expected_to_finish = serializers.IntegerField(allow_null=True)
    completion_rate = CompletionRateSerializer(allow_null=True)
    planned_returns = serializers.IntegerField(allow_null=True)

    def get_band_label(self, report: selectors.TargetReport) -> str | None:
        return str(labels.BAND_LABELS[Band(report.band)]) if report.band else None


class TargetsReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    targets = TargetReportSerializer(many=True)


class ReportQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="The report's date (YYYY-MM-DD); default today.")
    public = serializers.BooleanField(
        required=False, default=False, help_text="Apply small-cell suppression (counts below 5 shown as “<5”)."
    )


class VersionQuerySerializer(ReportQuerySerializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="A version of the target (its counting rules, value and deadline); default the version in "
        "force on the as-of date.",
    )


class HeadcountQuerySerializer(VersionQuerySerializer):
    target = serializers.CharField(required=False, default=AX_TRAINED, help_text="A target code.")
    by = serializers.CharField(
        help_text="university, school, region, ksic_section, degree_level, cohort, gender, origin (AX-TRAINED); "
        "university, region, ksic_section, cohort, gender, return_programme (OVERSEAS-RETURNED)."
    )


class HeadcountRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The group's id or code; `unspecified` when the record has none.")
    label = serializers.CharField(help_text="The group's name in the request's language.")  # type: ignore[assignment]  # a response field named like a Field attribute
    counts = serializers.DictField(child=serializers.JSONField(), help_text="Column -> count (or “<5”).")


class HeadcountSerializer(serializers.Serializer):
    target = TargetSerializer()
    as_of = serializers.DateField()
    scope = serializers.CharField()
    by = serializers.CharField()
    public = serializers.BooleanField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = HeadcountRowSerializer(many=True)
    total = serializers.DictField(child=serializers.JSONField())


class TrajectoryQuerySerializer(VersionQuerySerializer):
    target = serializers.CharField(required=False, default=AX_TRAINED)
    step = serializers.ChoiceField(choices=selectors.STEPS, required=False, default="month")


class TrajectoryPointSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="First day of the month or year.")
    end = serializers.DateField(help_text="Its last day, or the as-of date.")
    gained = serializers.IntegerField()
    achieved = serializers.IntegerField(help_text="Cumulative: the report's `achieved` on `end`.")


class PathPointSerializer(serializers.Serializer):
    on = serializers.DateField()
    value = serializers.FloatField()


class TrajectorySerializer(serializers.Serializer):
    target = TargetSerializer()
    as_of = serializers.DateField()
    scope = serializers.CharField()
    step = serializers.CharField()
    points = TrajectoryPointSerializer(many=True)
    straight_path = PathPointSerializer(many=True, help_text="From 0 at the start to the target at the deadline.")
    projection = PathPointSerializer(many=True, help_text="From today's count to the projected one.")


class TargetRevisionSerializer(serializers.Serializer):
    value = serializers.IntegerField(required=False, min_value=1, max_value=10_000_000)
    start_date = serializers.DateField(required=False)
    deadline = serializers.DateField(required=False)
    prior_completion_rate = serializers.DecimalField(
        max_digits=4, decimal_places=3, min_value=0, max_value=1, required=False
    )
    prior_weight = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000)
    effective_from = serializers.DateField(
        required=False,
        help_text="In force from this date (default today; not in the past, nor before the newest version's date).",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Why the target changes.")


class SnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    target = serializers.CharField(source="target.code")
    target_version = serializers.IntegerField(source="target.version")
    as_of = serializers.DateField()
    code_version = serializers.CharField()
    checksum = serializers.CharField()
    note = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class SnapshotDetailSerializer(SnapshotSerializer):
    figures = serializers.JSONField(help_text="The frozen figures: report, breakdowns, trajectory, basis.")


class SnapshotCreateSerializer(serializers.Serializer):
    target = serializers.CharField(default=AX_TRAINED)
    as_of = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RecomputeQuerySerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Recompute under this version of the target (default the snapshot's)."
    )


class ChangeSerializer(serializers.Serializer):
    figure = serializers.CharField(help_text="e.g. `report.achieved`, `breakdowns.university.rows.12.achieved`.")
    frozen = serializers.JSONField(allow_null=True)
    now = serializers.JSONField(allow_null=True)


class CorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["voided", "recorded_late"],
        help_text="`voided`: a status change was voided (the reason is the correction's); `recorded_late`: a change "
        "dated on or before the snapshot's date was recorded after it (its own reason).",
    )
    status = serializers.CharField(help_text="The status change concerned.")
    effective_date = serializers.DateField()
    university = serializers.CharField()
    reason = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class RecomputationSerializer(serializers.Serializer):
    snapshot = SnapshotSerializer()
    recomputed_at = serializers.DateTimeField()
    code_version = serializers.CharField(help_text="The code that recomputed (the snapshot names its own).")
    target_version = serializers.IntegerField(help_text="The target version recomputed under.")
    checksum_valid = serializers.BooleanField(help_text="The stored figures still match their checksum.")
    changed = serializers.BooleanField()
    changes = ChangeSerializer(many=True)
    programmes_no_longer_counting = serializers.DictField(child=serializers.CharField())
    programmes_now_counting = serializers.DictField(child=serializers.CharField())
    corrections = CorrectionSerializer(
        many=True, help_text="Why the records changed since the snapshot was frozen, newest first (at most 200)."
    )
    corrections_total = serializers.IntegerField()


# --- Views ----------------------------------------------------------------------------------------------


class TargetsView(ReportView):
    @extend_schema(
        tags=["reports"],
        summary="Every target's report on a date",
        description="Achieved, entrants, active students by status, projection, paces and status band of each "
        "target (the version in force). University staff get their own university's figures.",
        parameters=[ReportQuerySerializer, FORMAT_PARAMETER],
        responses={200: TargetsReportSerializer, **FILE_RESPONSES, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> HttpResponse:
        query = ReportQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        reports = selectors.target_reports(user=request.user, as_of=query.validated_data.get("as_of"))
        if file_format := self.download_format():
            return exports.download(exports.targets_table(reports, public=query.validated_data["public"]), file_format)
        as_of = reports[0].as_of if reports else checked_as_of(query.validated_data.get("as_of"))
        return Response(TargetsReportSerializer({"as_of": as_of, "targets": reports}).data)


class HeadcountView(ReportView):
    @extend_schema(
        tags=["reports"],
        summary="A target's figures broken down",
        description="Each person is in exactly one row (their first counting enrollment), so every column adds "
        "up to the total.",
        parameters=[HeadcountQuerySerializer, FORMAT_PARAMETER],
        responses={200: HeadcountSerializer, **FILE_RESPONSES, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> HttpResponse:
        query = HeadcountQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        params = query.validated_data
        table = selectors.headcount(
            user=request.user,
            code=params["target"],
            by=params["by"],
            as_of=params.get("as_of"),
            version=params.get("version"),
        )
        if file_format := self.download_format():
            return exports.download(exports.headcount_table(table, public=params["public"]), file_format)
        return Response(HeadcountSerializer(shown_headcount(table, public=params["public"])).data)


def shown_headcount(table: selectors.Headcount, *, public: bool) -> dict[str, Any]:
    rows: list[dict[str, Any]] = [row.counts for row in table.rows]
    total: dict[str, Any] = table.total
    if public:
        rows, total = exports.public_counts(table)
    return {
        "target": table.target,
        "as_of": table.as_of,
        "scope": table.scope,
        "by": table.by,
        "public": public,
        "columns": list(total),
        "rows": [{"key": r.key, "label": r.label, "counts": c} for r, c in zip(table.rows, rows, strict=True)],
        "total": total,
    }


class TrajectoryView(ReportView):
    @extend_schema(
        tags=["reports"],
        summary="A target's trajectory",
        description="Achieved per month (or year) from the start to the date, the straight path to the target "
        "and the projection to the deadline.",
        parameters=[TrajectoryQuerySerializer, FORMAT_PARAMETER],
        responses={200: TrajectorySerializer, **FILE_RESPONSES, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> HttpResponse:
        query = TrajectoryQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        params = query.validated_data
        path_ = selectors.trajectory(
            user=request.user,
            code=params["target"],
            as_of=params.get("as_of"),
            step=params["step"],
            version=params.get("version"),
        )
        if file_format := self.download_format():
            return exports.download(exports.trajectory_table(path_, public=params["public"]), file_format)
        return Response(TrajectorySerializer(path_).data)


class TargetVersionsView(generics.ListCreateAPIView):
    permission_classes = [IsAuthenticated, ReadOrManage]
    serializer_class = TargetSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Target]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no user
            return Target.objects.none()
        return selectors.target_versions(user=self.request.user, code=self.kwargs["code"])

    @extend_schema(
        tags=["reports"],
        summary="A target's versions, newest first",
        responses={200: TargetSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["reports"],
        summary="Revise a target (adds a version)",
        description="Fields left out are copied from the newest version; the new one is in force from "
        "`effective_from` (default today). Earlier versions, reports as of earlier dates and the snapshots "
        "computed against them stay as they were.",
        request=TargetRevisionSerializer,
        responses={201: TargetSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request, code: str) -> Response:
        data = TargetRevisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target: Target = services.target_revise(actor=signed_in_user(request), code=code, **data.validated_data)
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)


class SnapshotListView(generics.ListCreateAPIView):
    permission_classes = [IsAuthenticated, MayManageReports]
    serializer_class = SnapshotSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ReportSnapshot]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no user
            return ReportSnapshot.objects.none()
        return selectors.snapshot_list(user=self.request.user)

    @extend_schema(
        tags=["reports"],
        summary="Frozen reports, newest first",
        responses={200: SnapshotSerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["reports"],
        summary="Freeze a target's national report on a date",
        request=SnapshotCreateSerializer,
        responses={201: SnapshotDetailSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        data = SnapshotCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        snapshot = services.snapshot_freeze(
            actor=signed_in_user(request), code=params["target"], as_of=params.get("as_of"), note=params["note"]
        )
        return Response(SnapshotDetailSerializer(snapshot).data, status=status.HTTP_201_CREATED)


class SnapshotDetailView(APIView):
    permission_classes = [IsAuthenticated, MayManageReports]

    @extend_schema(
        tags=["reports"],
        summary="A frozen report, exactly as frozen",
        responses={200: SnapshotDetailSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        snapshot = selectors.snapshot_get_for_user(user=request.user, pk=pk)
        return Response(SnapshotDetailSerializer(snapshot).data)


class SnapshotRecomputeView(APIView):
    permission_classes = [IsAuthenticated, MayManageReports]

    @extend_schema(
        tags=["reports"],
        summary="Recompute a frozen report and show what changed",
        description="Computes the same report (date, and target version unless `version` asks for another) from "
        "today's records; lists every figure that differs and the programmes whose counting differs. Writes "
        "nothing.",
        parameters=[RecomputeQuerySerializer],
        responses={200: RecomputationSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        query = RecomputeQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        snapshot = selectors.snapshot_get_for_user(user=request.user, pk=pk)
        recomputation = services.snapshot_recompute(snapshot=snapshot, version=query.validated_data.get("version"))
        return Response(RecomputationSerializer(recomputation).data)


urlpatterns = [
    path("targets/", TargetsView.as_view(), name="reports-targets"),
    path("targets/<str:code>/versions/", TargetVersionsView.as_view(), name="reports-target-versions"),
    path("headcount/", HeadcountView.as_view(), name="reports-headcount"),
    path("trajectory/", TrajectoryView.as_view(), name="reports-trajectory"),
    path("snapshots/", SnapshotListView.as_view(), name="reports-snapshot-list"),
    path("snapshots/<int:pk>/", SnapshotDetailView.as_view(), name="reports-snapshot-detail"),
    path("snapshots/<int:pk>/recompute/", SnapshotRecomputeView.as_view(), name="reports-snapshot-recompute"),
]
