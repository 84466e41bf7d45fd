"""The notifications API: a user's own inbox (each message in their language), marking read, and their mail
settings (language, the kinds they receive no mail for)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from talent.common.api_schema import error_responses
from talent.common.users import signed_in_user
from talent.notifications import content, selectors, services
from talent.notifications.models import Notification, NotificationKind


class NotificationSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "message", "link", "created_at", "read_at", "email_status"]
        read_only_fields = fields

    def get_subject(self, notification: Notification) -> str:
        return str(NotificationKind(notification.kind).label)

    def get_message(self, notification: Notification) -> str:
        return content.body(notification)


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
        help_text=_("The notifications to mark read; all of yours when left out."),
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class SettingsSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    muted_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=NotificationKind.choices),
        required=False,
        max_length=len(NotificationKind.values),
        help_text=_("The kinds of notification you receive no email for (the inbox still shows them)."),
    )


@extend_schema_view(
    list=extend_schema(
        summary="My inbox",
        description="Your own notifications, newest first, each in your language.",
        responses={200: NotificationSerializer(many=True), **error_responses(401)},
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self) -> Any:
        return selectors.notification_list_for_user(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(
        summary="Mark notifications read",
        request=MarkReadSerializer,
        responses={200: MarkedSerializer, **error_responses(400, 401)},
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request) -> Response:
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(user=signed_in_user(request), ids=data.validated_data.get("ids"))
        return Response({"marked": marked})

    @extend_schema(
        methods=["GET"], summary="My notification settings", responses={200: SettingsSerializer, **error_responses(401)}
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change my notification settings",
        request=SettingsSerializer,
        responses={200: SettingsSerializer, **error_responses(400, 401)},
    )
    @action(detail=False, methods=["get", "patch"], url_path="settings", pagination_class=None)
    def preferences(self, request: Request) -> Response:
        user = signed_in_user(request)
        if request.method == "PATCH":
            data = SettingsSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            row = services.notification_settings_update(user=user, **data.validated_data)
        else:
            row = services.settings_of(user)
        return Response({"language": row.language, "muted_kinds": list(row.muted_kinds)})
