"""A person's own data: their record, returning-researcher profile and overseas positions, expert profile,
availability and consent to matching; a download of everything held about them; closing their account.

Only logins with a person record get here (HasPersonRecord); every object is reached through that record,
so another person's data is simply not found. The link to the login (`user`) is never readable or writable.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talent.accounts import lockout
from talent.accounts.api.accounts import LOCKED_OUT
from talent.accounts.presentation import personal_data_download
from talent.common.api import updated_instance
from talent.common.users import signed_in_user
from talent.registry import selectors, services
from talent.registry.api.permissions import HasPersonRecord
from talent.registry.api.schema import error_responses
from talent.registry.models import ExpertProfile, OverseasPosition, Person, PrivacyConsent, ResearcherProfile
from talent.registry.services.people import EXPERT_FIELDS, PERSON_FIELDS, POSITION_FIELDS, RESEARCHER_FIELDS

# --- Serializers ------------------------------------------------------------------------------------------


class OwnPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", *PERSON_FIELDS]


class OwnPositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = OverseasPosition
        fields = ["id", *POSITION_FIELDS]


class OwnResearcherProfileSerializer(serializers.ModelSerializer):
    # A method, not a `source` with a default: DRF leaves a defaulted field out of a PATCH's answer.
    korean_affiliation_name = serializers.SerializerMethodField()
    positions = OwnPositionSerializer(many=True, read_only=True)
    years_abroad = serializers.FloatField(read_only=True, help_text=gettext_lazy("Derived from the positions."))
    eligible_for_return_track = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("Korean nationality, a STEM or medical PhD and at least five years abroad."),
    )

    class Meta:
        model = ResearcherProfile
        fields = [
            *RESEARCHER_FIELDS,
            "korean_affiliation_name",
            "positions",
            "years_abroad",
            "eligible_for_return_track",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def get_korean_affiliation_name(self, profile: ResearcherProfile) -> str | None:
        return profile.korean_affiliation.name_ko if profile.korean_affiliation is not None else None

    def to_representation(self, instance: ResearcherProfile) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["years_abroad"] = round(data["years_abroad"], 2)
        return data


class OwnExpertProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertProfile
        fields = [*EXPERT_FIELDS, "consent_to_matching", "shared_fields", "consent_updated_at", "updated_at"]
        read_only_fields = ["consent_to_matching", "shared_fields", "consent_updated_at", "updated_at"]


class OwnConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertProfile
        fields = ["consent_to_matching", "shared_fields", "consent_updated_at"]
        read_only_fields = ["consent_updated_at"]
        extra_kwargs = {
            "consent_to_matching": {"required": True},
            "shared_fields": {"help_text": gettext_lazy("What a matched company may see; cleared on withdrawal.")},
        }


class PrivacyConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrivacyConsent
        fields = ["notice_version", "scope", "given_at", "withdrawn_at"]
        read_only_fields = fields


class PrivacyConsentGiveSerializer(serializers.Serializer):
    consent_required = serializers.BooleanField(
        default=False, help_text=gettext_lazy("Consent to the required items of the notice in force (needed).")
    )
    consent_optional = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy("Consent to the optional items; false withdraws an earlier one and deletes them."),
    )


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=gettext_lazy("Your current password, to confirm."),
    )


# --- Views ------------------------------------------------------------------------------------------------

READ_ERRORS = error_responses(401, 403, 404)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)


class OwnRecordView(generics.GenericAPIView):
    permission_classes = [IsAuthenticated, HasPersonRecord]

    def own_person(self) -> Person:
        return cast(Person, selectors.own_person(user=self.request.user))  # HasPersonRecord: there is one


@extend_schema_view(
    get=extend_schema(summary="My record", responses={200: OwnPersonSerializer, **READ_ERRORS}),
    patch=extend_schema(
        summary="Edit my record",
        description="Names, birth date, gender, nationality, email, ORCID iD, national researcher number. "
        "Anything that looks like a resident registration number is refused (400).",
        responses={200: OwnPersonSerializer, **WRITE_ERRORS},
    ),
    delete=extend_schema(
        summary="Close my account",
        description="Needs the current password. Removes the login, its API token, the researcher profile with "
        "its positions, the expert profile and consent. A record that a university's enrollment refers to "
        "stays, without a login (universities must keep enrollment records); otherwise it is deleted too.",
        request=AccountDeleteSerializer,
        responses={204: None, **WRITE_ERRORS, 429: LOCKED_OUT},
    ),
)
class MeView(OwnRecordView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = OwnPersonSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> Person:
        return self.own_person()

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        fields = serializer.validated_data
        serializer.instance = services.person_update(
            actor=signed_in_user(self.request), person=updated_instance(serializer), **fields
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        confirmation = AccountDeleteSerializer(data=request.data)
        confirmation.is_valid(raise_exception=True)
        lockout.account_close(request, signed_in_user(request), confirmation.validated_data["password"])
        request.session.flush()  # this browser is signed out; other sessions find their login gone
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        summary="My returning-researcher profile",
        description="404 until one is saved with PUT or PATCH.",
        responses={200: OwnResearcherProfileSerializer, **READ_ERRORS},
    ),
    put=extend_schema(
        summary="Save my returning-researcher profile",
        description="Creates the profile if there is none. Overseas positions are edited under /me/positions/.",
        responses={200: OwnResearcherProfileSerializer, **WRITE_ERRORS},
    ),
    patch=extend_schema(
        summary="Edit my returning-researcher profile",
        description="Creates the profile if there is none.",
        responses={200: OwnResearcherProfileSerializer, **WRITE_ERRORS},
    ),
)
class ResearcherProfileView(OwnRecordView, generics.RetrieveUpdateAPIView):
    serializer_class = OwnResearcherProfileSerializer

    def get_object(self) -> ResearcherProfile | None:
        profile = getattr(self.own_person(), "researcher_profile", None)
        if profile is None and self.request.method == "GET":
            raise exceptions.NotFound(_("You have no returning-researcher profile yet: save one to create it."))
        return profile

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.researcher_profile_save(
            actor=signed_in_user(self.request), person=self.own_person(), **serializer.validated_data
        )


class OwnPositionsView(OwnRecordView):
    serializer_class = OwnPositionSerializer

    def get_queryset(self) -> Any:
        return selectors.overseas_position_list(user=self.request.user)


@extend_schema_view(
    get=extend_schema(
        summary="My overseas positions", responses={200: OwnPositionSerializer(many=True), **error_responses(401, 403)}
    ),
    post=extend_schema(
        summary="Add an overseas position",
        description="A position is outside Korea and cannot end before it starts (400). Needs a "
        "returning-researcher profile first (409).",
        responses={201: OwnPositionSerializer, **error_responses(400, 401, 403, 409)},
    ),
)
class PositionListView(OwnPositionsView, generics.ListCreateAPIView):
    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.overseas_position_add(
            actor=signed_in_user(self.request), person=self.own_person(), **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(summary="One of my overseas positions", responses={200: OwnPositionSerializer, **READ_ERRORS}),
    patch=extend_schema(
        summary="Correct an overseas position",
        description="A position is outside Korea and cannot end before it starts (400).",
        responses={200: OwnPositionSerializer, **WRITE_ERRORS},
    ),
    delete=extend_schema(summary="Remove an overseas position", responses={204: None, **READ_ERRORS}),
)
class PositionDetailView(OwnPositionsView, generics.RetrieveUpdateDestroyAPIView):
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.overseas_position_update(
            actor=signed_in_user(self.request), position=updated_instance(serializer), **serializer.validated_data
        )

    def perform_destroy(self, instance: OverseasPosition) -> None:
        services.overseas_position_delete(actor=signed_in_user(self.request), position=instance)


def _own_expert_profile(view: OwnRecordView, *, required: bool) -> ExpertProfile | None:
    profile = getattr(view.own_person(), "expert_profile", None)
    if profile is None and required:
        raise exceptions.NotFound(_("You have no expert profile yet: save one to offer your expertise."))
    return profile


@extend_schema_view(
    get=extend_schema(
        summary="My expert profile and availability",
        description="404 until one is saved with PUT or PATCH.",
        responses={200: OwnExpertProfileSerializer, **READ_ERRORS},
    ),
    put=extend_schema(
        summary="Save my expert profile",
        description="Skills, summaries, KSIC sections, regions, remote work, capacity and availability. Creates "
        "the profile if there is none. Consent is given under /me/consent/.",
        responses={200: OwnExpertProfileSerializer, **WRITE_ERRORS},
    ),
    patch=extend_schema(
        summary="Edit my expert profile or availability",
        description='E.g. `{"available": false}` takes a break from matching. Creates the profile if there is none.',
        responses={200: OwnExpertProfileSerializer, **WRITE_ERRORS},
    ),
)
class ExpertProfileView(OwnRecordView, generics.RetrieveUpdateAPIView):
    serializer_class = OwnExpertProfileSerializer

    def get_object(self) -> ExpertProfile | None:
        return _own_expert_profile(self, required=self.request.method == "GET")

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.expert_profile_save(
            actor=signed_in_user(self.request), person=self.own_person(), **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(summary="My consent to matching", responses={200: OwnConsentSerializer, **READ_ERRORS}),
    put=extend_schema(
        summary="Give or withdraw consent to matching",
        description="`consent_to_matching: true` with the fields a matched company may see; `false` withdraws "
        "consent and clears the shared fields. Needs an expert profile (404 without).",
        responses={200: OwnConsentSerializer, **WRITE_ERRORS},
    ),
)
class ConsentView(OwnRecordView, generics.RetrieveUpdateAPIView):
    serializer_class = OwnConsentSerializer
    http_method_names = ["get", "put", "head", "options"]

    def get_object(self) -> ExpertProfile | None:
        return _own_expert_profile(self, required=True)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.expert_consent_set(
            actor=signed_in_user(self.request), profile=updated_instance(serializer), **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(
        summary="My consents to the privacy notice",
        description="Every consent given, to which version of the notice and which part (required or optional "
        "items), when, and when an optional one was withdrawn.",
        responses={200: PrivacyConsentSerializer(many=True), **READ_ERRORS},
    ),
    post=extend_schema(
        summary="Consent to the privacy notice in force",
        description="The required part is needed (400 under errors.consent_required without it); the optional "
        "part is optional, and leaving it out withdraws an earlier optional consent (the optional items are "
        "deleted). Answers the consents after the change.",
        request=PrivacyConsentGiveSerializer,
        responses={200: PrivacyConsentSerializer(many=True), **WRITE_ERRORS},
    ),
)
class PrivacyConsentView(OwnRecordView):
    serializer_class = PrivacyConsentSerializer
    queryset = PrivacyConsent.objects.none()  # for the schema: the views read the own person's consents
    pagination_class = None

    def get(self, request: Request) -> Response:
        consents = selectors.privacy_consent_list(person=self.own_person())
        return Response(PrivacyConsentSerializer(consents, many=True).data)

    def post(self, request: Request) -> Response:
        given = PrivacyConsentGiveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        person = self.own_person()
        services.privacy_consent_give(
            actor=signed_in_user(request),
            person=person,
            required=given.validated_data["consent_required"],
            optional=given.validated_data["consent_optional"],
        )
        return Response(PrivacyConsentSerializer(selectors.privacy_consent_list(person=person), many=True).data)


class ExportView(APIView):
    permission_classes = [IsAuthenticated, HasPersonRecord]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Download all my data",
        description="A JSON file (`Content-Disposition: attachment`) with the login, the record, the researcher "
        "profile and positions, the expert profile and consent, enrollments with their status histories, "
        "who read the record (organization, action, time; never the reader's name), and the sections other apps "
        "add (matching: the match proposals made to the person, with score, "
        "explanation, status and answers, and the near misses of the latest run).",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The export."), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> HttpResponse:
        return personal_data_download(user=signed_in_user(request))


urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("me/researcher-profile/", ResearcherProfileView.as_view(), name="me-researcher-profile"),
    path("me/positions/", PositionListView.as_view(), name="me-position-list"),
    # Any id reaches the view, so that a malformed one gets the API's JSON 404 rather than Django's page.
    re_path(r"^me/positions/(?P<pk>[^/]+)/$", PositionDetailView.as_view(), name="me-position-detail"),
    path("me/expert-profile/", ExpertProfileView.as_view(), name="me-expert-profile"),
    path("me/consent/", ConsentView.as_view(), name="me-consent"),
    path("me/privacy-consents/", PrivacyConsentView.as_view(), name="me-privacy-consents"),
    path("me/export/", ExportView.as_view(), name="me-export"),
]
