"""A university's students: enrollments with their persons, status changes and their history, the fast track
to a doctorate, and claim codes. Only the university's own staff (and operators) see any of it; every read of
a person's record is written to the access log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from talent.common.api import updated_instance
from talent.common.users import signed_in_user
from talent.registry import selectors, services
from talent.registry.api.catalogue import ScopedPrimaryKeyRelatedField
from talent.registry.api.permissions import IsUniversityStaff
from talent.registry.api.schema import error_responses
from talent.registry.filters import EnrollmentFilter, StrictFilterBackend
from talent.registry.models import Enrollment, EnrollmentEvent, EnrollmentEventVoid, Person, Programme
from talent.registry.services.claims import claim_code_issue, claim_codes_revoke
from talent.registry.services.people import normalise_person_fields
from talent.registry.validators import validate_national_researcher_number, validate_orcid
from talent.registry.vocabulary import AdvisorRole, CompletionRoute, EnrollmentStatus

LIST = error_responses(400, 401, 403, 404)  # a bad filter value; a page past the last
DETAIL = error_responses(401, 403, 404)
CHANGE = error_responses(400, 401, 403, 404, 409)


def _persons(user: Any) -> QuerySet[Person]:
    return selectors.person_list(user=user)


def _programmes(user: Any) -> QuerySet[Programme]:
    return selectors.programme_list(user=user)


def _advisors(user: Any) -> QuerySet[Person]:
    return selectors.advisor_list(user=user, role=AdvisorRole.ADVISOR)


def _co_advisors(user: Any) -> QuerySet[Person]:
    return selectors.advisor_list(user=user, role=AdvisorRole.CO_ADVISOR)


class EnrolledPersonSerializer(serializers.ModelSerializer):
    has_login = serializers.SerializerMethodField(help_text="Whether the person has linked a login (claimed).")

    class Meta:
        model = Person
        fields = [
            "id",
            "family_name_ko",
            "given_name_ko",
            "family_name_latin",
            "given_name_latin",
            "birth_date",
            "gender",
            "nationality",
            "email",
            "orcid",
            "national_researcher_number",
            "has_login",
        ]
        # Uniqueness is the service's check (a nested serializer does not know which person it edits).
        extra_kwargs = {
            "orcid": {"validators": [validate_orcid]},
            "national_researcher_number": {"validators": [validate_national_researcher_number]},
        }

    def get_has_login(self, person: Person) -> bool:
        return person.user_id is not None


class EnrollmentSerializer(serializers.ModelSerializer):
    """An enrollment as its university sees it; PATCH corrects its details and its person's."""

    person = EnrolledPersonSerializer(required=False)
    school = serializers.IntegerField(source="programme.school_id", read_only=True)
    advisor = ScopedPrimaryKeyRelatedField(
        scope=_advisors, required=False, allow_null=True, help_text="A university advisor appointed at your university."
    )
    co_advisor = ScopedPrimaryKeyRelatedField(
        scope=_co_advisors,
        required=False,
        allow_null=True,
        help_text="A company co-advisor appointed at your university.",
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "person",
            "programme",
            "school",
            "university",
            "student_number",
            "admission_date",
            "expected_completion",
            "status",
            "status_since",
            "next_change_on",
            "completion_route",
            "advisor",
            "co_advisor",
            "progressed_to",
        ]
        # The status changes only through a transition; programme and university are fixed once admitted.
        read_only_fields = [
            "id",
            "programme",
            "university",
            "status",
            "status_since",
            "next_change_on",
            "progressed_to",
        ]
        # The service validates the record as a whole; a database rule's refusal names its field
        # (the model's CONSTRAINT_ERROR_FIELDS), e.g. a student number already used at the university.
        validators: list = []

    def to_representation(self, instance: Enrollment) -> dict[str, Any]:
        """The person as the enrollment's university recorded them (never another university's values)."""
        data = super().to_representation(instance)
        if "person" in data:
            data["person"] = EnrolledPersonSerializer(selectors.person_as_recorded(instance), context=self.context).data
        return data


class EnrollmentAdmitSerializer(EnrollmentSerializer):
    """Admit a person: either a new person's details (`person`) or a person already known (`person_id`)."""

    person_id = ScopedPrimaryKeyRelatedField(
        scope=_persons, write_only=True, required=False, help_text="An existing person you may see."
    )
    programme = ScopedPrimaryKeyRelatedField(scope=_programmes, help_text="One of your university's programmes.")

    class Meta(EnrollmentSerializer.Meta):
        fields = [*EnrollmentSerializer.Meta.fields, "person_id"]
        read_only_fields = ["id", "university", "status", "status_since", "next_change_on", "progressed_to"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("person_id" in attrs):
            raise serializers.ValidationError(
                {"person": [_("Give either the new person's details or an existing person_id (one of the two).")]}
            )
        return attrs


class AdmissionSerializer(EnrollmentSerializer):
    """An admission as the admitting university sees it: the person as it sent them (when it sent details), and
    which of those details differ from the registry's record of that person (kept for an operator to review)."""

    differing_fields = serializers.SerializerMethodField(
        help_text="Person fields you sent that differ from the registry's record of this person (identified by the "
        "ORCID iD or national researcher number you gave). The record is not changed; an operator reviews them."
    )

    class Meta(EnrollmentSerializer.Meta):
        fields = [*EnrollmentSerializer.Meta.fields, "differing_fields"]

    def get_differing_fields(self, enrollment: Enrollment) -> list[str]:
        return selectors.admission_differences(enrollment=enrollment)

    def to_representation(self, instance: Enrollment) -> dict[str, Any]:
        data = super().to_representation(instance)
        sent = self.context.get("sent_person")
        if sent is not None:  # what the university sent, never what another university stored
            probe = Person(pk=instance.person_id, **normalise_person_fields(sent))
            data["person"] = EnrolledPersonSerializer(probe, context=self.context).data
        return data


class FastTrackSerializer(serializers.Serializer):
    doctoral_programme = ScopedPrimaryKeyRelatedField(scope=_programmes)
    student_number = serializers.CharField(max_length=20)
    effective_date = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many codes stopped working.")


class ClaimCodeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Shown once: hand it to the student. Only a hash is kept.")
    person = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


@extend_schema_view(
    list=extend_schema(summary="List your university's enrollments", responses={200: EnrollmentSerializer, **LIST}),
    create=extend_schema(
        summary="Admit a person to a programme",
        request=EnrollmentAdmitSerializer,
        responses={201: AdmissionSerializer, **error_responses(400, 401, 403, 409)},
    ),
    retrieve=extend_schema(summary="An enrollment", responses={200: EnrollmentSerializer, **DETAIL}),
    partial_update=extend_schema(
        summary="Correct an enrollment's details and its person's", responses={200: EnrollmentSerializer, **CHANGE}
    ),
)
class EnrollmentViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Your university's students. Every read is written to the access log."""

    permission_classes = [IsUniversityStaff]
    filterset_class = EnrollmentFilter
    # The filter set sorts too (its `ordering`, shared with the enrollment page): DRF's OrderingFilter is not used.
    filter_backends = [StrictFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Enrollment]:
        return selectors.enrollment_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return EnrollmentAdmitSerializer if self.action == "create" else EnrollmentSerializer

    def get_object(self) -> Enrollment:
        """Reading one enrollment is logged by its getter; the writes on it are in its history instead."""
        user, pk = self.request.user, self.kwargs["pk"]
        if self.action == "retrieve":
            return selectors.enrollment_get_for_user(user=user, pk=pk, request=self.request)
        return selectors.enrollment_get_for_change(user=user, pk=pk)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None, "every list is paginated (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS)"
        shown = selectors.enrollment_reads_logged(page, user=request.user, action="enrollment_list", request=request)
        return self.get_paginated_response(self.get_serializer(shown, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        new_person, person = fields.pop("person", None), fields.pop("person_id", None)
        enrollment = services.enrollment_admit(
            actor=signed_in_user(request), person=person, new_person=new_person, **fields
        )
        context = {**self.get_serializer_context(), "sent_person": new_person}
        return Response(AdmissionSerializer(enrollment, context=context).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: serializers.BaseSerializer[Enrollment]) -> None:
        fields = dict(serializer.validated_data)
        person_fields = fields.pop("person", None)
        serializer.instance = services.enrollment_update(
            actor=signed_in_user(self.request),
            enrollment=updated_instance(serializer),
            person_fields=person_fields,
            **fields,
        )

    @extend_schema(
        summary="Fast track: an enrolled master's student continues into a doctorate",
        request=FastTrackSerializer,
        responses={201: EnrollmentSerializer, **CHANGE},
    )
    @action(detail=True, methods=["post"], url_path="fast-track", url_name="fast-track")
    def fast_track(self, request: Request, pk: str | None = None) -> Response:
        enrollment = self.get_object()
        body = FastTrackSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        doctoral = services.enrollment_fast_track(
            actor=signed_in_user(request), enrollment=enrollment, **body.validated_data
        )
        data = EnrollmentSerializer(doctoral, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Issue a one-time claim code so the student can link their own login",
        request=None,
        responses={201: ClaimCodeSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="claim-code", url_name="claim-code")
    def claim_code(self, request: Request, pk: str | None = None) -> Response:
        claim, code = claim_code_issue(actor=signed_in_user(request), enrollment=self.get_object())
        body = {"code": code, "person": claim.person_id, "expires_at": claim.expires_at}
        response = Response(ClaimCodeSerializer(body).data, status=status.HTTP_201_CREATED)
        add_never_cache_headers(response)  # the code is a secret: no cache may keep it
        return response

    @extend_schema(
        summary="Revoke the student's unused claim codes (they stop working at once)",
        request=None,
        responses={200: RevokedSerializer, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="claim-code/revoke", url_name="claim-code-revoke")
    def claim_code_revoke(self, request: Request, pk: str | None = None) -> Response:
        revoked = claim_codes_revoke(actor=signed_in_user(request), enrollment=self.get_object())
        return Response(RevokedSerializer({"revoked": revoked}).data)


class EnrollmentEventVoidSerializer(serializers.ModelSerializer):
    """The correction that voided a change: why, who, when. POST records one (`reason` required)."""

    recorded_by = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = EnrollmentEventVoid
        fields = ["event", "reason", "recorded_by", "recorded_at"]
        read_only_fields = ["event", "recorded_at"]


class EnrollmentEventSerializer(serializers.ModelSerializer):
    """One status change. POST records a new one, now or scheduled ahead (a future effective date, within the
    horizon); the enrollment's status follows on the change's date. A voided change stays, with its correction."""

    # Declared so that the schema admits the blank previous status of the first event.
    previous_status = serializers.ChoiceField(choices=EnrollmentStatus.choices, allow_blank=True, read_only=True)
    recorded_by = serializers.CharField(source="actor.username", read_only=True, default=None, allow_null=True)
    completion_route = serializers.ChoiceField(
        choices=CompletionRoute.choices,
        write_only=True,
        required=False,
        help_text="Optionally set the completion route with this change (e.g. when coursework completes).",
    )
    scheduled = serializers.BooleanField(read_only=True, help_text="A standing change that takes effect after today.")
    voided = EnrollmentEventVoidSerializer(
        source="void", read_only=True, allow_null=True, default=None, help_text="The correction that voided it."
    )

    class Meta:
        model = EnrollmentEvent
        fields = [
            "id",
            "sequence",
            "status",
            "previous_status",
            "effective_date",
            "reason",
            "completion_route",
            "recorded_by",
            "recorded_at",
            "scheduled",
            "voided",
        ]
        read_only_fields = ["id", "sequence", "recorded_at"]


class EnrollmentEventFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=EnrollmentStatus.choices)
    effective_date = filters.DateFromToRangeFilter()

    class Meta:
        model = EnrollmentEvent
        fields = ["status", "effective_date"]


@extend_schema_view(
    get=extend_schema(summary="An enrollment's status history", responses={200: EnrollmentEventSerializer, **LIST}),
    post=extend_schema(
        summary="Record a status change (effective-dated, with a reason)",
        responses={201: EnrollmentEventSerializer, **CHANGE},
    ),
)
class EnrollmentTransitionsView(generics.ListCreateAPIView):
    """The status history of one of your university's enrollments, oldest first; POST appends a change."""

    serializer_class = EnrollmentEventSerializer
    permission_classes = [IsUniversityStaff]
    filterset_class = EnrollmentEventFilter
    ordering_fields = ["effective_date", "sequence"]
    ordering = ["effective_date", "sequence"]

    enrollment: Enrollment

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        # Another university's enrollment is not found, whatever the request carries; reading the history is logged.
        if request.method == "POST":
            self.enrollment = selectors.enrollment_get_for_change(user=request.user, pk=kwargs["pk"])
        else:
            self.enrollment = selectors.enrollment_get_for_user(
                user=request.user, pk=kwargs["pk"], request=request, action="enrollment_history"
            )

    def get_queryset(self) -> QuerySet[EnrollmentEvent]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no enrollment
            return EnrollmentEvent.objects.none()
        return selectors.enrollment_history(enrollment=self.enrollment)

    def perform_create(self, serializer: serializers.BaseSerializer[EnrollmentEvent]) -> None:
        serializer.instance = services.enrollment_transition(
            actor=signed_in_user(self.request), enrollment=self.enrollment, **serializer.validated_data
        )


@extend_schema_view(
    post=extend_schema(
        summary="Void a change recorded by mistake, or cancel a scheduled one (a correction, with a reason)",
        responses={201: EnrollmentEventVoidSerializer, **CHANGE},
    ),
)
class EnrollmentEventVoidView(generics.CreateAPIView):
    """Void one of your university's enrollment's changes: only the latest standing one, never the admission.
    The change stays in the history with its correction; the status is derived again from what stands."""

    serializer_class = EnrollmentEventVoidSerializer
    permission_classes = [IsUniversityStaff]

    def perform_create(self, serializer: serializers.BaseSerializer[EnrollmentEventVoid]) -> None:
        enrollment = selectors.enrollment_get_for_change(user=self.request.user, pk=self.kwargs["pk"])
        event = selectors.enrollment_event_get(enrollment=enrollment, pk=self.kwargs["event_pk"])
        serializer.instance = services.enrollment_event_void(
            actor=signed_in_user(self.request), event=event, reason=serializer.validated_data["reason"]
        )


router = SimpleRouter()
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
urlpatterns = [
    *router.urls,
    path("enrollments/<int:pk>/transitions/", EnrollmentTransitionsView.as_view(), name="enrollment-transitions"),
    path(
        "enrollments/<int:pk>/transitions/<int:event_pk>/void/",
        EnrollmentEventVoidView.as_view(),
        name="enrollment-event-void",
    ),
]
