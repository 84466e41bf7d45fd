"""The engagements API: each side lists and opens its engagements (with the contact the expert's consent allows)
and closes one with an outcome; the company agrees to AX projects and a university's staff link their students to
it as their AX project; the ministry reads the counts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from talent.common.api_schema import error_responses
from talent.common.users import signed_in_user
from talent.engagements import selectors, services
from talent.engagements.models import NOTE_MAX_LENGTH, UNLINK_REASON_MAX_LENGTH, Engagement, Outcome
from talent.matching.api import ExpertCardSerializer, ProblemBriefSerializer
from talent.matching.presentation import shows_personal_data
from talent.registry import services as registry_services
from talent.registry.api.permissions import GatePermission


class CompanyContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    contact_name = serializers.CharField(help_text=_("The member who accepted for the company."))
    contact_email = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    expert = ExpertCardSerializer(help_text=_("Only the fields the expert's consent shares with this reader."))
    company = CompanyContactSerializer()


class AXProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    university = serializers.CharField()
    school = serializers.CharField()
    degree_level = serializers.CharField()
    linked_at = serializers.DateTimeField()
    unlinked_at = serializers.DateTimeField(allow_null=True, help_text=_("Null while the AX project stands."))
    unlink_reason = serializers.CharField(help_text=_("Shown to the student's own university and operators only."))
    enrollment = serializers.IntegerField(
        allow_null=True, help_text=_("Shown to the student's own university and operators only.")
    )


class EngagementSerializer(serializers.ModelSerializer):
    problem = ProblemBriefSerializer(source="proposal.problem", read_only=True)
    contact = serializers.SerializerMethodField()
    ax_projects = serializers.SerializerMethodField()

    class Meta:
        model = Engagement
        fields = [
            "id",
            "proposal",
            "problem",
            "contact",
            "status",
            "outcome",
            "note",
            "started_at",
            "closed_at",
            "ax_projects_agreed_at",
            "ax_projects",
        ]
        read_only_fields = fields

    @extend_schema_field(AXProjectSerializer(many=True))
    def get_ax_projects(self, engagement: Engagement) -> list[dict[str, Any]]:
        rows = selectors.ax_project_list(user=self.context["request"].user, engagement=engagement)
        return AXProjectSerializer(rows, many=True).data  # type: ignore[return-value]

    @extend_schema_field(ContactSerializer)
    def get_contact(self, engagement: Engagement) -> dict[str, Any]:
        contact = selectors.engagement_contact(user=self.context["request"].user, engagement=engagement)
        shown = self.context.get("persons_shown")
        if shown is not None and shows_personal_data(contact["expert"]):
            shown.add(engagement.proposal.expert.person_id)
        return contact


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")


class LinkSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(min_value=1, help_text=_("An active enrollment of your university."))


class UnlinkSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=UNLINK_REASON_MAX_LENGTH, help_text=_("Why the AX project is unlinked."))


class CountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_outcome = serializers.DictField(child=serializers.IntegerField())
    by_section = serializers.DictField(child=serializers.IntegerField(), help_text=_("By the problem's KSIC section."))


class SeesCounts(GatePermission):
    gate = selectors.SEE_COUNTS


@extend_schema_view(
    list=extend_schema(
        summary="My engagements",
        description="The expert's own engagements, a company's on its problems, a university's of its students; "
        "the ministry reads counts only (`/engagements/counts/`).",
        responses={200: EngagementSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(
        summary="An engagement", responses={200: EngagementSerializer, **error_responses(401, 403, 404)}
    ),
)
class EngagementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = EngagementSerializer
    ordering = ["-started_at", "-id"]

    def get_queryset(self) -> Any:
        return selectors.engagement_list_for_user(user=self.request.user).order_by(*self.ordering)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        self._persons_shown: set[int] = context.setdefault("persons_shown", set())
        return context

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        persons = getattr(self, "_persons_shown", None)
        if persons and response.status_code == status.HTTP_200_OK:
            registry_services.access_log_record(
                actor=signed_in_user(request), person_ids=persons, action=f"engagement_{self.action}", request=request
            )
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        summary="Close an engagement",
        description="The expert or a member of the company closes it with an outcome and a short note; closed is "
        "final (409 `engagement_closed`).",
        request=CloseSerializer,
        responses={200: EngagementSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        engagement = services.engagement_close(
            actor=signed_in_user(request), engagement=self.get_object(), **data.validated_data
        )
        return Response(self.get_serializer(engagement).data)

    @extend_schema(
        summary="Agree to AX projects",
        description="A member of the problem's company agrees that universities' staff link AX graduate students to "
        "the engagement as their AX project (403 for anyone else, 409 `engagement_closed`).",
        request=None,
        responses={200: EngagementSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="agree-ax-projects")
    def agree_ax_projects(self, request: Request, pk: str | None = None) -> Response:
        actor, engagement = signed_in_user(request), self.get_object()
        engagement = services.engagement_agree_to_ax_projects(actor=actor, engagement=engagement)
        return Response(self.get_serializer(engagement).data)

    @extend_schema(
        summary="Link a student's AX project",
        description="The student's university's staff link an active enrollment to the engagement as its AX project "
        "(its completion route becomes AX project). Refused with nothing written: a student of another university "
        "(403); a closed engagement, one the company has not agreed to, an enrollment not active or with an AX "
        "project already (409).",
        request=LinkSerializer,
        responses={201: EngagementSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="ax-projects")
    def ax_projects(self, request: Request, pk: str | None = None) -> Response:
        data = LinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        engagement = self.get_object()
        enrollment = selectors.ax_project_enrollment(pk=data.validated_data["enrollment"])
        services.ax_project_link(actor=signed_in_user(request), engagement=engagement, enrollment=enrollment)
        engagement.refresh_from_db()
        return Response(self.get_serializer(engagement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Unlink a student's AX project",
        description="The student's university's staff unlink one of the engagement's AX projects with a reason: it is "
        "kept as unlinked (reports as of an earlier date still count it) and the enrollment's completion route goes "
        "back to what it was before the link. Refused with nothing written: a student of another university (403), "
        "no reason (400), a project already unlinked or an enrollment no longer active (409).",
        request=UnlinkSerializer,
        responses={200: EngagementSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"ax-projects/(?P<project>[0-9]{1,9})/unlink")
    def unlink_ax_project(self, request: Request, pk: str | None = None, project: str = "") -> Response:
        data = UnlinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        engagement = self.get_object()
        ax_project = selectors.ax_project_of_engagement(engagement=engagement, pk=int(project))
        services.ax_project_unlink(actor=signed_in_user(request), project=ax_project, **data.validated_data)
        engagement.refresh_from_db()
        return Response(self.get_serializer(engagement).data)

    @extend_schema(
        summary="Engagement counts",
        description="How many engagements there are, by status, outcome and KSIC section (the ministry, operators).",
        responses={200: CountsSerializer, **error_responses(401, 403)},
    )
    @action(detail=False, methods=["get"], permission_classes=[IsAuthenticated, SeesCounts], pagination_class=None)
    def counts(self, request: Request) -> Response:
        return Response(CountsSerializer(selectors.engagement_counts()).data)
