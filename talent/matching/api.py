"""The matching API: match runs (the ministry and operators start and watch them), proposals (a company and an
expert each see theirs, with why, and answer them), and near misses (why an expert was proposed nothing)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from talent.common.api_schema import error_responses
from talent.common.users import signed_in_user
from talent.matching import defaults, presentation, selectors, services
from talent.matching.models import (
    Answer,
    DeclineReason,
    MatchMode,
    MatchRun,
    NearMiss,
    Proposal,
    ProposalStatus,
    RunStatus,
    RunTrigger,
)
from talent.registry import services as registry_services
from talent.registry.api.permissions import GatePermission, HasPersonRecord, IsCompanyMember, IsUniversityStaff
from talent.registry.filters import IntegerFilter, StrictFilterBackend
from talent.registry.models import FieldProblem

# --- Serializers ------------------------------------------------------------------------------------------


class MatchRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchRun
        fields = [
            "id",
            "mode",
            "trigger",
            "status",
            "progress",
            "phase",
            "parameters",
            "counts",
            "timings",
            "invariants",
            "error",
            "attempts",
            "requested_by",
            "created_at",
            "started_at",
            "heartbeat_at",
            "finished_at",
        ]
        read_only_fields = fields


class MatchRunRequestSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=MatchMode.choices,
        default=defaults.MODE,
        help_text=_("`stable` (deferred acceptance: nobody would rather swap) or `max_fit` (largest total score)."),
    )


class ProblemBriefSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name_ko", read_only=True)
    # Declared so that the schema admits the blank region of a problem open to remote work.
    region = serializers.ChoiceField(
        choices=FieldProblem._meta.get_field("region").choices or [], allow_blank=True, read_only=True
    )

    class Meta:
        model = FieldProblem
        fields = ["id", "title", "organization", "organization_name", "ksic_section", "region", "remote", "status"]
        read_only_fields = fields


class ExpertCardSerializer(serializers.Serializer):
    """The expert as this reader may see them: a company sees only what the expert chose to share."""

    id = serializers.IntegerField()
    name = serializers.CharField(required=False)
    name_latin = serializers.CharField(required=False)
    email = serializers.EmailField(required=False, allow_null=True)
    affiliation = serializers.CharField(required=False, allow_null=True)
    summary_ko = serializers.CharField(required=False)
    summary_en = serializers.CharField(required=False)
    skills = serializers.ListField(child=serializers.CharField(), required=False)


ANSWER_HELP = _("`pending`, `accepted` or `declined`.")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=DeclineReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Optional: why, shown to the other side."),
    )


class ProposalSerializer(serializers.ModelSerializer):
    problem = ProblemBriefSerializer(read_only=True)
    expert = serializers.SerializerMethodField()
    # Plain strings in the schema: two enums of one choice set would need a settings-wide name override.
    expert_response = serializers.CharField(read_only=True, help_text=ANSWER_HELP)
    company_response = serializers.CharField(read_only=True, help_text=ANSWER_HELP)
    explanation_in_words = serializers.SerializerMethodField(
        help_text=_("Why, as phrases a person reads (in the request's language); the numbers are in `explanation`.")
    )
    # Declared so that the schema admits the blank reason of a proposal not declined, or declined without one.
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Why the declining side declined, when it said."),
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "run",
            "problem",
            "expert",
            "score",
            "explanation",
            "explanation_in_words",
            "status",
            "expert_response",
            "company_response",
            "decided_at",
            "decline_reason",
            "withdrawn_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_explanation_in_words(self, proposal: Proposal) -> list[str]:
        return presentation.in_words(proposal)

    @extend_schema_field(ExpertCardSerializer)
    def get_expert(self, proposal: Proposal) -> dict[str, Any]:
        card = presentation.expert_card_for(user=self.context["request"].user, proposal=proposal)
        shown = self.context.get("persons_shown")  # the view's set: it writes them to the access log
        if shown is not None and presentation.shows_personal_data(card):
            shown.add(proposal.expert.person_id)
        return card


class NearMissSerializer(serializers.ModelSerializer):
    problem = ProblemBriefSerializer(read_only=True)

    class Meta:
        model = NearMiss
        fields = ["id", "run", "problem", "score", "explanation"]
        read_only_fields = fields


class ProposalFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ProposalStatus.choices)
    problem = IntegerFilter(field_name="problem_id")
    run = IntegerFilter(field_name="run_id")

    class Meta:
        model = Proposal
        fields = ["status", "problem", "run"]


class MatchRunFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RunStatus.choices)

    class Meta:
        model = MatchRun
        fields = ["status", "mode", "trigger"]


# --- Views ------------------------------------------------------------------------------------------------


class MayRunMatching(GatePermission):
    gate = selectors.RUN_MATCHING  # the rule the service and the analyst's pages apply


READ_ERRORS = error_responses(401, 403, 404)
ANSWER_ERRORS = error_responses(401, 403, 404, 409)


@extend_schema_view(
    list=extend_schema(
        summary="Match runs",
        description="Every run, newest first, with its status, progress, counts, timings and checked invariants.",
        responses={200: MatchRunSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(
        summary="One match run (poll it to follow its progress)", responses={200: MatchRunSerializer, **READ_ERRORS}
    ),
)
class MatchRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, MayRunMatching]
    serializer_class = MatchRunSerializer
    filter_backends = [StrictFilterBackend, OrderingFilter]
    filterset_class = MatchRunFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> Any:
        return selectors.match_run_list(user=self.request.user)

    @extend_schema(
        summary="Start a match run",
        description="The run is queued and a worker picks it up; follow it at its URL. While a run of the same mode "
        "waits to start, the request joins it (the same run is returned); one of another mode is refused (409).",
        request=MatchRunRequestSerializer,
        responses={202: MatchRunSerializer, **error_responses(400, 401, 403, 409)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = MatchRunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.match_run_request(actor=signed_in_user(request), trigger=RunTrigger.API, **body.validated_data)
        return Response(MatchRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(
        summary="Proposals",
        description="A company member sees the proposals for its own company's problems, showing of each expert "
        "only what the expert shares (and never an expert who withdrew consent); an expert sees their own; a "
        "university's staff see their own students' proposals (read only). Proposals a newer run withdrew are "
        "listed only when asked for (`?status=withdrawn`), as the pages leave them out.",
        responses={200: ProposalSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(summary="One proposal, with why", responses={200: ProposalSerializer, **READ_ERRORS}),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, IsCompanyMember | HasPersonRecord | IsUniversityStaff]
    serializer_class = ProposalSerializer
    filter_backends = [StrictFilterBackend, OrderingFilter]
    filterset_class = ProposalFilter
    ordering_fields = ["score", "created_at"]
    ordering = ["-score", "id"]

    def get_queryset(self) -> Any:
        if self.action == "list" and "status" not in self.request.query_params:
            return selectors.proposal_list_listed(user=self.request.user)  # as the pages list them
        return selectors.proposal_list_for_user(user=self.request.user)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        persons = getattr(self, "_persons_shown", None)
        if persons and response.status_code == status.HTTP_200_OK:
            registry_services.access_log_record(
                actor=signed_in_user(request), person_ids=persons, action=f"proposal_{self.action}", request=request
            )
        return super().finalize_response(request, response, *args, **kwargs)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        self._persons_shown: set[int] = context.setdefault("persons_shown", set())
        return context

    @extend_schema(
        summary="Accept a proposal",
        description="The expert or a member of the problem's company answers for their side; once both have "
        "accepted, the pair holds a place of each side's capacity. An answer is final. Refused (409) when this "
        "side has answered already (`proposal_answered`), the other side declined (`proposal_decided`), a side has "
        "no room left, or a newer run withdrew the proposal (`proposal_withdrawn`).",
        request=None,
        responses={200: ProposalSerializer, **ANSWER_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        proposal = services.proposal_answer(
            actor=signed_in_user(request), proposal=self.get_object(), answer=Answer.ACCEPTED
        )
        return Response(self.get_serializer(proposal).data)

    @extend_schema(
        summary="Decline a proposal",
        description="Either side declines, optionally with a reason shown to the other side: the proposal is "
        "declined and the pair is never proposed again. Refused (409) as accepting is, when this side has answered "
        "or the proposal is decided or withdrawn.",
        request=DeclineSerializer,
        responses={200: ProposalSerializer, **ANSWER_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_answer(
            actor=signed_in_user(request), proposal=self.get_object(), answer=Answer.DECLINED, **data.validated_data
        )
        return Response(self.get_serializer(proposal).data)


@extend_schema_view(
    list=extend_schema(
        summary="My near misses",
        description="When the latest run proposed you nothing: the problems you came closest to, your score, the "
        "lowest score the problem accepted, and the skills and terms that matched or were missing.",
        responses={200: NearMissSerializer(many=True), **error_responses(401, 403)},
    ),
)
class NearMissViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, IsAdminUser | HasPersonRecord]  # IsAdminUser: operators (staff)
    serializer_class = NearMissSerializer
    ordering = ["-score", "id"]

    def get_queryset(self) -> Any:
        return selectors.near_miss_list_for_user(user=self.request.user).order_by(*self.ordering)
