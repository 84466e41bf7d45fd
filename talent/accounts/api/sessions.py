"""Ending sign-ins: changing one's password (every other sign-in ends, the script that asked gets a new token),
signing out everywhere, and an operator signing a login out everywhere. The rules are `talent.accounts.credentials`'."""

from __future__ import annotations

from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talent.accounts import lockout
from talent.accounts.api.accounts import LOCKED_OUT
from talent.accounts.credentials import sign_out_everywhere
from talent.common.users import signed_in_user
from talent.registry.api.schema import error_responses


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    new_password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=gettext_lazy("At least 10 characters, not only digits, not a common password."),
    )


class PasswordChangedSerializer(serializers.Serializer):
    token = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy("The login's new API token (null when it had none): the old one no longer works."),
    )


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Change my password",
        description="Checks the current password (a wrong one counts as a failed sign-in: after five, 429 with "
        "code `locked_out`) and sets the new one, which must pass the password rules (`errors.new_password`). "
        "Every API token and every other browser session of the login ends; this browser's session gets a new "
        "key and stays signed in; a login that had a token gets a new one in the answer.",
        request=PasswordChangeSerializer,
        responses={200: PasswordChangedSerializer, **error_responses(400, 401), 429: LOCKED_OUT},
    )
    def post(self, request: Request) -> Response:
        body = PasswordChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = signed_in_user(request)
        token = lockout.password_change(request, user, **body.validated_data)
        if request.session.session_key:  # a browser session: cycled, still signed in
            update_session_auth_hash(request._request, user)
        return Response(PasswordChangedSerializer({"token": token.key if token else None}).data)


class SignOutEverywhereView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Sign out everywhere",
        description="Ends every API token and every browser session of the signed-in login, this one included.",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        sign_out_everywhere(actor=user, user=user)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserSignOutView(APIView):
    permission_classes = [IsAuthenticated, IsAdminUser]  # IsAdminUser: operators (staff)

    @extend_schema(
        summary="Sign a login out everywhere (operators)",
        description="Ends every API token and browser session of the login with this id, e.g. when its "
        "credentials may have leaked. Operators only.",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = get_object_or_404(get_user_model(), pk=pk)
        sign_out_everywhere(actor=signed_in_user(request), user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("auth/password/", PasswordChangeView.as_view(), name="auth-password"),
    path("auth/sign-out-everywhere/", SignOutEverywhereView.as_view(), name="auth-sign-out-everywhere"),
    path("auth/users/<int:pk>/sign-out-everywhere/", UserSignOutView.as_view(), name="auth-user-sign-out"),
]
