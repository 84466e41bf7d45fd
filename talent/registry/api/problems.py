"""Companies' field problems: company members draft, edit, open and close their own; researchers read open ones.

A problem always belongs to the poster's company: `organization` is never read from a member's request.
Operators post on a company's behalf and must name it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from talent.common.users import signed_in_user
from talent.registry import roles, selectors, services
from talent.registry.api.schema import error_responses
from talent.registry.filters import FieldProblemFilter, StrictFilterBackend
from talent.registry.models import FieldProblem, Organization
from talent.registry.vocabulary import OrganizationKind


class IsCompanyMemberOrResearcherReading(BasePermission):
    """Company members (and operators) manage problems; a researcher may only read (the open ones)."""

    message = _("Only members of a company (or an operator) may manage field problems; researchers may read them.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if roles.is_operator(user) or roles.company_of(user) is not None:
            return True
        return request.method in SAFE_METHODS and selectors.own_person(user=user) is not None


class FieldProblemSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name_ko", read_only=True)

    class Meta:
        model = FieldProblem
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "description",
            "ksic_section",
            "skills_wanted",
            "region",
            "remote",
            "experts_wanted",
            "status",
            "opened_at",
            "closed_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["organization", "status", "opened_at", "closed_at", "created_by"]
        extra_kwargs: dict[str, dict[str, Any]] = {
            # The choices already name every region; the model's validator would refuse the blank that
            # a remote problem may leave (Django skips validators for blanks, DRF does not).
            "region": {"validators": []},
        }


class OperatorFieldProblemSerializer(FieldProblemSerializer):
    """An operator posting on a company's behalf names the company."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.COMPANY),
        help_text=_("The company this problem belongs to (operators only)."),
        error_messages={"required": _("Name the company this field problem belongs to.")},
    )

    class Meta(FieldProblemSerializer.Meta):
        read_only_fields = ["status", "opened_at", "closed_at", "created_by"]


ERRORS_READ = error_responses(401, 403, 404)
ERRORS_WRITE = error_responses(400, 401, 403, 404, 409)


@extend_schema_view(
    list=extend_schema(
        summary="Field problems",
        description="A company's own problems in every status; researchers see open problems; operators all.",
        responses={200: FieldProblemSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(summary="One field problem", responses={200: FieldProblemSerializer, **ERRORS_READ}),
)
class FieldProblemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated, IsCompanyMemberOrResearcherReading]
    serializer_class = FieldProblemSerializer
    filter_backends = [StrictFilterBackend, OrderingFilter]
    filterset_class = FieldProblemFilter
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.field_problem_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "create" and roles.company_of(self.request.user) is None:
            return OperatorFieldProblemSerializer
        return FieldProblemSerializer

    @extend_schema(
        summary="Draft a field problem",
        description="The problem belongs to the member's own company (an `organization` in the body is ignored); "
        "operators must name the company with `organization`. It starts as a draft.",
        request=FieldProblemSerializer,
        responses={201: FieldProblemSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        organization = fields.pop("organization", None) or roles.company_of(request.user)
        # Operators name the company (their serializer requires it); the permission lets in only members otherwise.
        assert organization is not None, "a field problem is posted for a company"
        problem = services.field_problem_create(actor=signed_in_user(request), organization=organization, **fields)
        return Response(FieldProblemSerializer(problem).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a field problem",
        description="A draft or open problem of one's own company; a closed problem can no longer be edited (409).",
        responses={200: FieldProblemSerializer, **ERRORS_WRITE},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        problem = self.get_object()
        serializer = self.get_serializer(problem, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        problem = services.field_problem_update(
            actor=signed_in_user(request), problem=problem, **serializer.validated_data
        )
        return Response(FieldProblemSerializer(problem).data)

    @extend_schema(
        summary="Open a draft field problem to matching",
        request=None,
        responses={200: FieldProblemSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str | None = None) -> Response:
        problem = services.field_problem_open_and_announce(actor=signed_in_user(request), problem=self.get_object())
        return Response(FieldProblemSerializer(problem).data)

    @extend_schema(
        summary="Close a field problem",
        request=None,
        responses={200: FieldProblemSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        problem = services.field_problem_close(actor=signed_in_user(request), problem=self.get_object())
        return Response(FieldProblemSerializer(problem).data)


router = SimpleRouter()
router.register("problems", FieldProblemViewSet, basename="field-problem")
urlpatterns = router.urls
