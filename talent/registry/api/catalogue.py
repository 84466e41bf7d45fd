"""The catalogue: organizations (every signed-in user), AX graduate schools and their programmes (a university's
own staff manage them; the ministry reads them all and decides which programmes count toward the target)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from talent.common.api import updated_instance
from talent.common.users import signed_in_user
from talent.registry import roles, selectors, services
from talent.registry.api.permissions import IsUniversityStaffOrMinistryReading
from talent.registry.api.schema import error_responses
from talent.registry.filters import IntegerFilter
from talent.registry.models import GraduateSchool, Organization, Programme, ProgrammeCountingRule
from talent.registry.services import catalogue_updates
from talent.registry.vocabulary import DegreeLevel, OrganizationKind, SchoolTrack

LIST = error_responses(400, 401, 403, 404)  # a bad filter value; a page past the last
DETAIL = error_responses(401, 403, 404)
WRITE = error_responses(400, 401, 403, 409)
CHANGE = error_responses(400, 401, 403, 404, 409)


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a row the caller may see (a selector decides); any other id reads as unknown, never as forbidden."""

    default_error_messages = {
        "does_not_exist": _('Unknown id "{pk_value}": there is no such record among those you may use.'),
    }

    def __init__(self, *, scope: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(self.context["request"].user)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> BoundedManyRelatedField:
        """A list of these ids, at most MAX_IDS_IN_A_LIST of them (DRF's own many_init, bounded)."""
        list_kwargs: dict[str, Any] = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return BoundedManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)


#: The most ids one list in a request may name: each is looked up, so a longer list is refused before any is.
MAX_IDS_IN_A_LIST = 20


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """A list of related ids refused whole, before any lookup, when longer than MAX_IDS_IN_A_LIST."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list | tuple) and len(data) > MAX_IDS_IN_A_LIST:
            message = serializers.ListField.default_error_messages["max_length"]
            raise serializers.ValidationError(str(message).format(max_length=MAX_IDS_IN_A_LIST), code="max_length")
        return super().to_internal_value(data)


def _universities(user: Any) -> QuerySet[Organization]:
    return selectors.organization_list(user=user).filter(kind=OrganizationKind.UNIVERSITY)


def _companies(user: Any) -> QuerySet[Organization]:
    return selectors.organization_list(user=user).filter(kind=OrganizationKind.COMPANY)


def _schools(user: Any) -> QuerySet[GraduateSchool]:
    return selectors.graduate_school_list(user=user)


def _writer(serializer: serializers.Serializer) -> Any:
    """The signed-in user whose role narrows what they may write; None while the schema is generated
    (so that the schema shows every field some role may write)."""
    view = serializer.context.get("view")
    if view is None or getattr(view, "swagger_fake_view", False):
        return None
    return serializer.context["request"].user


# --- Organizations ------------------------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "kind", "name_ko", "name_en", "region", "ksic_section"]  # the view only reads


class OrganizationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=OrganizationKind.choices)
    region = filters.CharFilter(help_text="ISO 3166-2:KR code, e.g. KR-11.")
    ksic_section = filters.CharFilter(help_text="KSIC section letter, e.g. C.")

    class Meta:
        model = Organization
        fields = ["kind", "region", "ksic_section"]


@extend_schema_view(
    list=extend_schema(summary="List organizations", responses={200: OrganizationSerializer, **LIST}),
    retrieve=extend_schema(summary="An organization", responses={200: OrganizationSerializer, **DETAIL}),
)
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Universities, companies, research institutes and the ministry: public facts for every signed-in user."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["name_ko", "name_en", "kind", "region"]
    ordering = ["kind", "name_ko", "id"]

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.organization_list(user=self.request.user)


# --- Graduate schools ---------------------------------------------------------------------------------


class GraduateSchoolSerializer(serializers.ModelSerializer):
    university: serializers.PrimaryKeyRelatedField[Organization] = ScopedPrimaryKeyRelatedField(
        scope=_universities,
        required=False,
        help_text="Named by operators (required from them); university staff always create in their own "
        "university, whatever they send.",
    )
    consortium_companies = ScopedPrimaryKeyRelatedField(scope=_companies, many=True, required=False)

    class Meta:
        model = GraduateSchool
        fields = [
            "id",
            "university",
            "name_ko",
            "name_en",
            "track",
            "selection_year",
            "support_start",
            "support_end",
            "convergence_fields",
            "consortium_companies",
        ]
        validators: list = []  # the service validates the record as a whole

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        user = _writer(self)
        if user is not None and not roles.is_operator(user):
            fields["university"].read_only = True  # staff never name a university: theirs is used
        return fields


class GraduateSchoolChangeSerializer(GraduateSchoolSerializer):
    """A correction: the school stays in its university."""

    university: serializers.PrimaryKeyRelatedField[Organization] = serializers.PrimaryKeyRelatedField(read_only=True)


class GraduateSchoolFilter(filters.FilterSet):
    university = IntegerFilter(field_name="university_id")
    track = filters.ChoiceFilter(choices=SchoolTrack.choices)
    selection_year = IntegerFilter()
    convergence_field = filters.CharFilter(method="filter_convergence_field", help_text="e.g. robotics")

    class Meta:
        model = GraduateSchool
        fields = ["university", "track", "selection_year", "convergence_field"]

    def filter_convergence_field(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(convergence_fields__contains=[value])


@extend_schema_view(
    list=extend_schema(summary="List AX graduate schools", responses={200: GraduateSchoolSerializer, **LIST}),
    create=extend_schema(summary="Create a graduate school", responses={201: GraduateSchoolSerializer, **WRITE}),
    retrieve=extend_schema(summary="A graduate school", responses={200: GraduateSchoolSerializer, **DETAIL}),
    partial_update=extend_schema(
        summary="Correct a graduate school", responses={200: GraduateSchoolChangeSerializer, **CHANGE}
    ),
)
class GraduateSchoolViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A university's staff manage its AX graduate schools; the ministry reads every school."""

    permission_classes = [IsUniversityStaffOrMinistryReading]
    filterset_class = GraduateSchoolFilter
    ordering_fields = ["name_ko", "name_en", "selection_year", "support_start"]
    ordering = ["university__name_ko", "name_ko", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[GraduateSchool]:
        return selectors.graduate_school_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return GraduateSchoolChangeSerializer if self.action == "partial_update" else GraduateSchoolSerializer

    def perform_create(self, serializer: serializers.BaseSerializer[GraduateSchool]) -> None:
        user, fields = signed_in_user(self.request), dict(serializer.validated_data)
        if roles.university_of(user) is not None:
            fields["university"] = roles.university_of(user)  # staff always work in their own university
        serializer.instance = services.graduate_school_create(actor=user, **fields)

    def perform_update(self, serializer: serializers.BaseSerializer[GraduateSchool]) -> None:
        serializer.instance = catalogue_updates.graduate_school_update(
            actor=signed_in_user(self.request), school=updated_instance(serializer), **serializer.validated_data
        )


# --- Programmes ---------------------------------------------------------------------------------------


class IsUniversityStaffOrMinistryCounting(BasePermission):
    """University staff manage their own programmes; the ministry reads them all and may PATCH
    `counts_toward_target` (the service refuses any other change from the ministry)."""

    message = _("Only university staff, the ministry or an operator may see this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if roles.is_operator(user) or roles.university_of(user) is not None:
            return True
        return roles.is_ministry(user) and request.method in ("GET", "HEAD", "OPTIONS", "PATCH")


class ProgrammeSerializer(serializers.ModelSerializer):
    """A programme; created by its university's staff, never counting toward the target until the ministry says."""

    school: serializers.PrimaryKeyRelatedField[GraduateSchool] = ScopedPrimaryKeyRelatedField(
        scope=_schools, help_text="One of your university's schools."
    )
    university = serializers.IntegerField(source="school.university_id", read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "school",
            "university",
            "name_ko",
            "name_en",
            "degree_level",
            "normal_duration_months",
            "counts_toward_target",
        ]
        read_only_fields = ["counts_toward_target"]
        validators: list = []  # the service validates the record as a whole


class ProgrammeChangeSerializer(ProgrammeSerializer):
    """A correction (the programme stays in its school), or the ministry's decision whether it counts (from a
    date: a counting rule, and a new version of the target from that date)."""

    school: serializers.PrimaryKeyRelatedField[GraduateSchool] = serializers.PrimaryKeyRelatedField(read_only=True)
    counting_from = serializers.DateField(
        required=False,
        write_only=True,
        help_text="With `counts_toward_target`: from which date (default today; not in the past). Reports as of "
        "earlier dates keep the rules they were computed under.",
    )
    counting_note = serializers.CharField(
        required=False, write_only=True, allow_blank=True, help_text="With `counts_toward_target`: why."
    )

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "counting_from", "counting_note"]
        read_only_fields: list[str] = []
        extra_kwargs = {
            "counts_toward_target": {
                "help_text": "Whether graduates count toward the AX target: set by the ministry or an operator "
                "(ignored from a university's staff)."
            }
        }

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        user = _writer(self)
        if user is not None and not roles.may_set_counting(user):
            for name in ("counts_toward_target", "counting_from", "counting_note"):
                fields[name].read_only = True
        return fields


class CountingRuleSerializer(serializers.ModelSerializer):
    """One decision on whether a programme counts toward the AX target, from a date (append-only)."""

    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)

    class Meta:
        model = ProgrammeCountingRule
        fields = ["counts", "effective_from", "note", "created_by", "created_at"]


class ProgrammeFilter(filters.FilterSet):
    school = IntegerFilter(field_name="school_id")
    university = IntegerFilter(field_name="school__university_id")
    degree_level = filters.ChoiceFilter(choices=DegreeLevel.choices)
    counts_toward_target = filters.BooleanFilter()

    class Meta:
        model = Programme
        fields = ["school", "university", "degree_level", "counts_toward_target"]


@extend_schema_view(
    list=extend_schema(summary="List programmes", responses={200: ProgrammeSerializer, **LIST}),
    create=extend_schema(summary="Create a programme", responses={201: ProgrammeSerializer, **WRITE}),
    retrieve=extend_schema(summary="A programme", responses={200: ProgrammeSerializer, **DETAIL}),
    partial_update=extend_schema(
        summary="Correct a programme, or (ministry) decide whether it counts toward the target",
        responses={200: ProgrammeChangeSerializer, **CHANGE},
    ),
)
class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A university's staff manage its programmes; the ministry reads them and sets `counts_toward_target`."""

    permission_classes = [IsUniversityStaffOrMinistryCounting]
    filterset_class = ProgrammeFilter
    ordering_fields = ["name_ko", "name_en", "degree_level", "normal_duration_months"]
    ordering = ["school__name_ko", "degree_level", "name_ko", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programme_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ProgrammeChangeSerializer if self.action == "partial_update" else ProgrammeSerializer

    def perform_create(self, serializer: serializers.BaseSerializer[Programme]) -> None:
        serializer.instance = services.programme_create(actor=signed_in_user(self.request), **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer[Programme]) -> None:
        serializer.instance = catalogue_updates.programme_update(
            actor=signed_in_user(self.request), programme=updated_instance(serializer), **serializer.validated_data
        )

    @extend_schema(
        summary="A programme's counting rules, oldest first",
        description="Whether the programme counts toward the AX target, from which date, why and who decided. "
        "On a date the latest rule dated on or before it is in force (before the first one's date, the first).",
        responses={200: CountingRuleSerializer(many=True), **DETAIL},
    )
    @action(detail=True, methods=["get"], url_path="counting-rules", pagination_class=None, filter_backends=[])
    def counting_rules(self, request: Request, pk: str) -> Response:
        programme = self.get_object()
        rules = programme.counting_rules.select_related("created_by").order_by("effective_from", "id")
        return Response(CountingRuleSerializer(rules, many=True).data)


router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("graduate-schools", GraduateSchoolViewSet, basename="graduate-school")
router.register("programmes", ProgrammeViewSet, basename="programme")
urlpatterns = router.urls
