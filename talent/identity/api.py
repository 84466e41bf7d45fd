"""The operators' identity queue: probable duplicates with their evidence (decide: same person, or not), merges
(made from a pair or directly, and undone), and details a university gave that differ from a person's record.
Operators only: everyone else gets 403."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from talent.common.users import signed_in_user
from talent.identity import selectors, services
from talent.identity.models import CandidateStatus, DuplicateCandidate
from talent.registry.api.permissions import IsOperator
from talent.registry.api.schema import error_responses
from talent.registry.models import IdentityDisagreement, Person, PersonMerge
from talent.registry.services.identity import identity_disagreement_resolve
from talent.registry.services.merges import person_merge

PERSON_ID_MAX = 2**63 - 1  # a person id is a bigint: a larger number is bad input, not a database error
LIST = error_responses(400, 401, 403, 404)
DETAIL = error_responses(401, 403, 404)
CHANGE = error_responses(400, 401, 403, 404, 409)


class PersonSideSerializer(serializers.ModelSerializer):
    """One side of a pair: what linkage compared, and how much each record holds."""

    enrollments = serializers.SerializerMethodField()
    has_login = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "family_name_ko",
            "given_name_ko",
            "family_name_latin",
            "given_name_latin",
            "birth_date",
            "email",
            "orcid",
            "national_researcher_number",
            "enrollments",
            "has_login",
        ]

    def get_enrollments(self, person: Person) -> int:
        return person.enrollments.count()

    def get_has_login(self, person: Person) -> bool:
        return person.user_id is not None


class CandidateSerializer(serializers.ModelSerializer):
    person_a = PersonSideSerializer(read_only=True)
    person_b = PersonSideSerializer(read_only=True)
    evidence = serializers.DictField(
        read_only=True,
        help_text='{"fields": {field: agreement level}, "shared": [identifier]}: levels exact, romanisation_variant, '
        "day_month_swapped, different, missing, ...; shared (when any): orcid, researcher_number, email, the "
        "identifiers both persons hold (one of them as a university gave it): such a pair is shown whatever its score.",
    )
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)

    class Meta:
        model = DuplicateCandidate
        fields = [
            "id",
            "person_a",
            "person_b",
            "score",
            "evidence",
            "status",
            "found_at",
            "decided_by",
            "decided_at",
            "merge",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    same = serializers.BooleanField(help_text="true: the same person (merge them); false: not the same (remembered).")
    survivor = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=PERSON_ID_MAX,
        help_text="Which of the pair stays (default: the older record, person_a).",
    )


class MergeSerializer(serializers.ModelSerializer):
    merged_by = serializers.CharField(source="merged_by.username", read_only=True, default=None)
    undone_by = serializers.CharField(source="undone_by.username", read_only=True, default=None)
    evidence = serializers.DictField(read_only=True)
    moved = serializers.DictField(read_only=True, help_text="Rows moved, by model and field: their ids.")

    class Meta:
        model = PersonMerge
        fields = [
            "id",
            "survivor",
            "merged",
            "reason",
            "evidence",
            "moved",
            "taken",
            "merged_by",
            "merged_at",
            "undone_by",
            "undone_at",
        ]
        read_only_fields = fields


class MergeRequestSerializer(serializers.Serializer):
    survivor = serializers.IntegerField(min_value=1, max_value=PERSON_ID_MAX, help_text="The person who stays.")
    merged = serializers.IntegerField(
        min_value=1, max_value=PERSON_ID_MAX, help_text="The person merged into the survivor."
    )


class DisagreementSerializer(serializers.ModelSerializer):
    university = serializers.CharField(source="university.name_ko", read_only=True)

    class Meta:
        model = IdentityDisagreement
        fields = ["id", "person", "enrollment", "university", "field", "submitted", "status", "created_at"]
        read_only_fields = fields


class ResolveSerializer(serializers.Serializer):
    take = serializers.BooleanField(help_text="true: the submitted value replaces the stored one; false: keep it.")


class StatusFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CandidateStatus.choices, required=False, default=CandidateStatus.OPEN)


@extend_schema_view(
    list=extend_schema(
        summary="Probable duplicates, most probable first", responses={200: CandidateSerializer, **LIST}
    ),
    retrieve=extend_schema(
        summary="A probable duplicate with its evidence", responses={200: CandidateSerializer, **DETAIL}
    ),
)
class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"[0-9]+"  # ids are numbers: anything else is a 404, never a database error
    permission_classes = [IsOperator]
    serializer_class = CandidateSerializer

    def get_queryset(self) -> QuerySet[DuplicateCandidate]:
        wanted = StatusFilterSerializer(data=self.request.query_params)
        wanted.is_valid(raise_exception=True)
        return selectors.candidate_list(user=self.request.user, status=wanted.validated_data["status"])

    def get_object(self) -> DuplicateCandidate:
        return selectors.candidate_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="Decide: the same person (merge) or not",
        request=DecisionSerializer,
        responses={200: CandidateSerializer, **CHANGE},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        survivor = body.validated_data.get("survivor")
        decided = services.candidate_decide(
            actor=signed_in_user(request),
            candidate=self.get_object(),
            same=body.validated_data["same"],
            survivor=selectors.person_get_for_operator(user=request.user, pk=survivor)
            if survivor is not None
            else None,
        )
        return Response(CandidateSerializer(decided).data)


@extend_schema_view(
    list=extend_schema(summary="Merges, newest first", responses={200: MergeSerializer, **LIST}),
    retrieve=extend_schema(
        summary="A merge: who, when, evidence, what moved", responses={200: MergeSerializer, **DETAIL}
    ),
    create=extend_schema(
        summary="Merge two persons directly", request=MergeRequestSerializer, responses={201: MergeSerializer, **CHANGE}
    ),
)
class MergeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"[0-9]+"  # ids are numbers: anything else is a 404, never a database error
    permission_classes = [IsOperator]
    serializer_class = MergeSerializer

    def get_queryset(self) -> QuerySet[PersonMerge]:
        return selectors.merge_list(user=self.request.user)

    def get_object(self) -> PersonMerge:
        return selectors.merge_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = MergeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        merge = person_merge(
            actor=signed_in_user(request),
            survivor=selectors.person_get_for_operator(user=request.user, pk=body.validated_data["survivor"]),
            merged=selectors.person_get_for_operator(user=request.user, pk=body.validated_data["merged"]),
        )
        return Response(MergeSerializer(merge).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Undo a merge", request=None, responses={200: MergeSerializer, **CHANGE})
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str | None = None) -> Response:
        undone = services.merge_undo(actor=signed_in_user(request), merge=self.get_object())
        return Response(MergeSerializer(undone).data)


@extend_schema_view(
    list=extend_schema(
        summary="Open differences between a university's details and a person's record",
        responses={200: DisagreementSerializer, **LIST},
    ),
)
class DisagreementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"[0-9]+"  # ids are numbers: anything else is a 404, never a database error
    permission_classes = [IsOperator]
    serializer_class = DisagreementSerializer

    def get_queryset(self) -> QuerySet[IdentityDisagreement]:
        return selectors.disagreement_list(user=self.request.user)

    @extend_schema(
        summary="Keep the stored value or take the submitted one",
        request=ResolveSerializer,
        responses={200: DisagreementSerializer, **CHANGE},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        disagreement = selectors.disagreement_get_for_user(user=request.user, pk=self.kwargs["pk"])
        identity_disagreement_resolve(
            actor=signed_in_user(request), disagreement=disagreement, take=body.validated_data["take"]
        )
        disagreement.refresh_from_db()
        return Response(DisagreementSerializer(disagreement).data)


router = SimpleRouter()
router.register("identity/candidates", CandidateViewSet, basename="identity-candidate")
router.register("identity/merges", MergeViewSet, basename="identity-merge")
router.register("identity/disagreements", DisagreementViewSet, basename="identity-disagreement")
urlpatterns = router.urls
