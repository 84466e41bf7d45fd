"""Roster files: the template, the import (dry run or real) and the export, for a university's own staff and
operators; and the record of past uploads. The work is `talent.roster`'s; these views parse and answer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talent.common.api import query_of
from talent.common.api_schema import ErrorSerializer
from talent.common.errors import InvalidInput
from talent.common.users import signed_in_user
from talent.registry import roles, selectors
from talent.registry.api.permissions import IsUniversityStaff
from talent.registry.api.schema import error_responses
from talent.registry.filters import EnrollmentFilter, StrictFilterBackend
from talent.registry.models import Enrollment, ImportBatch, Organization
from talent.registry.vocabulary import OrganizationKind
from talent.roster import services as roster

FORMATS = [str(f) for f in roster.RosterFormat]


class JsonErrors(DefaultContentNegotiation):
    """A file download answers whatever the client accepts; its errors are JSON."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


def _university(user: Any, university: Organization | None) -> Organization:
    """The university named, or the staff member's own; an operator must name one."""
    university = university or roles.university_of(user)
    if university is None:
        raise InvalidInput(_("Name the university (its organization id)."), field="university")
    return university


@extend_schema_field(OpenApiTypes.INT)
class UniversityField(serializers.PrimaryKeyRelatedField):
    """A university's id (organizations of other kinds are refused as unknown)."""

    def get_queryset(self) -> Any:
        return Organization.objects.filter(kind=OrganizationKind.UNIVERSITY)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The roster: CSV (UTF-8 or CP949/EUC-KR) or XLSX.")
    university = UniversityField(required=False, help_text="Default: your own university. Operators name one.")
    dry_run = serializers.BooleanField(default=False, help_text="Check and report, store nothing.")


class RowMessageSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Spreadsheet row (1 = the first); null: the file.")
    column = serializers.CharField(allow_null=True, help_text="The column's header as the file writes it.")
    message = serializers.CharField()


class DifferenceSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The column key (status: the status with the date it takes effect).")
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class RowOutcomeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=[str(a) for a in roster.RowAction])
    student_number = serializers.CharField(allow_blank=True)
    changes = serializers.ListField(child=serializers.CharField())
    messages = RowMessageSerializer(many=True)
    notices = RowMessageSerializer(
        many=True, help_text="Not errors: e.g. details of yours that differ from the registry's record of the person."
    )
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text="The row's values as read, by column key: dates as YYYY-MM-DD, statuses and genders by label.",
    )
    differences = DifferenceSerializer(many=True, help_text="For a changed row: each changed field, old and new.")


class TotalsSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = serializers.IntegerField()  # type: ignore[assignment]  # output only: never validates, so no .errors


class ImportResultSerializer(serializers.Serializer):
    batch = serializers.IntegerField(allow_null=True)
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    totals = TotalsSerializer()
    notices = RowMessageSerializer(many=True)
    rows = RowOutcomeSerializer(many=True)


class ImportRefusedSerializer(ErrorSerializer):
    result = ImportResultSerializer(required=False, help_text="Every row's outcome: nothing was stored.")


class ImportView(APIView):
    """Upload a roster. A dry run reports row by row; a real import stores every row or none."""

    permission_classes = [IsUniversityStaff]
    parser_classes = [MultiPartParser]  # a file: multipart only

    @extend_schema(
        summary="Import a roster file (dry run or real)",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: OpenApiResponse(ImportResultSerializer, description="Dry run: what would happen, row by row."),
            201: OpenApiResponse(ImportResultSerializer, description="Imported: every row stored."),
            400: OpenApiResponse(ImportRefusedSerializer, description="The file or some rows were refused."),
            **error_responses(401, 403, 409),
        },
    )
    def post(self, request: Request) -> Response:
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        result = roster.roster_import(
            actor=signed_in_user(request),
            university=_university(request.user, body.validated_data.get("university")),
            filename=upload.name or "",
            content=upload.read(settings.ROSTER_MAX_BYTES + 1),  # a byte more than allowed: the service refuses
            dry_run=body.validated_data["dry_run"],
        )
        data = ImportResultSerializer(result.as_dict()).data
        if not result.ok and not result.dry_run:
            refused = _("Nothing was imported: %(count)s rows have errors.") % {"count": result.errors}
            return Response({"detail": refused, "code": "roster_rows_invalid", "result": data}, status=400)
        return Response(data, status=status.HTTP_200_OK if result.dry_run else status.HTTP_201_CREATED)


FILE_FORMAT = OpenApiParameter("file_format", str, enum=FORMATS, default="xlsx", description="xlsx or csv")
FILE_RESPONSES = {
    (200, "text/csv"): OpenApiTypes.BINARY,
    (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
}


def _file(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=roster.content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # a roster holds personal data
    return response


class TemplateView(APIView):
    """An empty roster: Korean headers, the English alias row and an example row (skipped on import); the workbook
    lists the allowed values, your university's programmes among them, as drop-downs."""

    permission_classes = [IsUniversityStaff]
    content_negotiation_class = JsonErrors

    @extend_schema(summary="Download the roster template", parameters=[FILE_FORMAT], responses=FILE_RESPONSES)
    def get(self, request: Request) -> HttpResponse:
        fmt = roster.RosterFormat.of(request.query_params.get("file_format", "xlsx"))
        content = roster.roster_template(fmt, university=roles.university_of(request.user))
        return _file(content, fmt, roster.export_filename(None, fmt))


class ExportQuerySerializer(serializers.Serializer):
    university = UniversityField(required=False)
    file_format = serializers.ChoiceField(choices=FORMATS, default="xlsx")


class ExportView(generics.GenericAPIView[Enrollment]):
    """The university's roster in the template's format (it imports back to no change); the enrollment list's
    filters and sort, when given, narrow it to that list, as the enrollment page's download does."""

    permission_classes = [IsUniversityStaff]
    content_negotiation_class = JsonErrors
    filterset_class = EnrollmentFilter
    filter_backends = [StrictFilterBackend]

    def get_queryset(self) -> QuerySet[Enrollment]:
        return selectors.enrollment_list(user=self.request.user)

    @extend_schema(
        summary="Export your university's roster, or a filtered list of its enrollments",
        parameters=[FILE_FORMAT, OpenApiParameter("university", int, description="Default: your own university.")],
        responses={**FILE_RESPONSES, **error_responses(400, 401, 403)},
        filters=True,
    )
    def get(self, request: Request) -> HttpResponse:
        query = ExportQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        university = _university(request.user, query.validated_data.get("university"))
        fmt = query.validated_data["file_format"]
        filtered = set(request.query_params) - set(ExportQuerySerializer().fields)
        within = self.filter_queryset(self.get_queryset()) if filtered else None
        content = roster.roster_export(
            actor=signed_in_user(request), university=university, fmt=fmt, within=within, request=request
        )
        return _file(content, fmt, roster.export_filename(university, fmt))


class ImportBatchSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "university",
            "created_by",
            "created_at",
            "filename",
            "sha256",
            "size",
            "file_format",
            "encoding",
            "dry_run",
            "status",
            "row_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors",
            "refusal",
            "outcomes",
        ]


@extend_schema(summary="Your university's roster uploads, newest first")
class ImportBatchListView(generics.ListAPIView):
    serializer_class = ImportBatchSerializer
    permission_classes = [IsUniversityStaff]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> Any:
        return selectors.import_batch_list(user=self.request.user)


urlpatterns = [
    path("enrollments/import/", ImportView.as_view(), name="enrollment-import"),
    path("enrollments/import/template/", TemplateView.as_view(), name="enrollment-import-template"),
    path("enrollments/export/", ExportView.as_view(), name="enrollment-export"),
    path("import-batches/", ImportBatchListView.as_view(), name="import-batch-list"),
]
