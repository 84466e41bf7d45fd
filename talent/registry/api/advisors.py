"""A university's advisor appointments: whom its staff may name as their students' advisors (faculty) and co-advisors
(companies' engineers). Only the university's own staff (and operators) see or make them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from talent.common.users import signed_in_user
from talent.registry import roles, selectors
from talent.registry.api.catalogue import ScopedPrimaryKeyRelatedField
from talent.registry.api.enrollments import EnrolledPersonSerializer
from talent.registry.api.permissions import IsUniversityStaff
from talent.registry.api.schema import error_responses
from talent.registry.models import AdvisorAppointment, Organization, Person
from talent.registry.services.advisors import advisor_appoint
from talent.registry.vocabulary import OrganizationKind


def _persons(user: Any) -> QuerySet[Person]:
    return selectors.person_list(user=user)


def _universities(user: Any) -> QuerySet[Organization]:
    universities = selectors.organization_list(user=user).filter(kind=OrganizationKind.UNIVERSITY)
    if roles.is_operator(user):
        return universities
    own = roles.university_of(user)
    return universities.filter(pk=own.pk) if own is not None else universities.none()


class AdvisorAppointmentSerializer(serializers.ModelSerializer):
    """An appointment; POST appoints a person already known (`person_id`) or a new one (`person`)."""

    person = EnrolledPersonSerializer(required=False)
    person_id = ScopedPrimaryKeyRelatedField(
        scope=_persons, write_only=True, required=False, help_text="An existing person you may see."
    )
    university = ScopedPrimaryKeyRelatedField(
        scope=_universities, required=False, help_text="Your university (the default); an operator names one."
    )

    class Meta:
        model = AdvisorAppointment
        fields = ["id", "university", "role", "person", "person_id", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators: list = []  # the service validates; a repeated appointment is refused next to `person`

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("person_id" in attrs):
            raise serializers.ValidationError(
                {"person": [_("Give either the new person's details or an existing person_id (one of the two).")]}
            )
        if "university" not in attrs:
            own = roles.university_of(self.context["request"].user)
            if own is None:
                raise serializers.ValidationError({"university": [_("Name the university that appoints.")]})
            attrs["university"] = own
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="Your university's advisors and co-advisors",
        responses={200: AdvisorAppointmentSerializer, **error_responses(400, 401, 403, 404)},
    ),
    create=extend_schema(
        summary="Appoint an advisor or co-advisor (a person already known, or a new one)",
        responses={201: AdvisorAppointmentSerializer, **error_responses(400, 401, 403, 409)},
    ),
)
class AdvisorAppointmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Only appointed persons may be named as an enrollment's advisor or co-advisor."""

    serializer_class = AdvisorAppointmentSerializer
    permission_classes = [IsUniversityStaff]
    ordering_fields = ["created_at", "role"]
    ordering = ["role", "id"]

    def get_queryset(self) -> QuerySet[AdvisorAppointment]:
        return selectors.advisor_appointment_list(user=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        shown = selectors.reads_logged(
            page or [], user=request.user, person_of=lambda a: a.person_id, action="advisor_list", request=request
        )
        return self.get_paginated_response(self.get_serializer(shown, many=True).data)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = advisor_appoint(
            actor=signed_in_user(self.request),
            university=data["university"],
            role=data["role"],
            person=data.get("person_id"),
            new_person=data.get("person"),
        )


router = SimpleRouter()
router.register("advisor-appointments", AdvisorAppointmentViewSet, basename="advisor-appointment")
urlpatterns = router.urls
