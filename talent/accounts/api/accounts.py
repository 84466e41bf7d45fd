"""Signing up and signing in: a returning researcher registers; browsers sign in with a session, scripts with
a token; a student links their login to their university record with a claim code.

Every password check goes through `django.contrib.auth.authenticate(request, ...)`, so that django-axes counts
failures: the fifth wrong password for a username from one address locks it out for the cool-off time
(`AXES_COOLOFF_HOURS`), and the lockout is answered here with 429, a JSON body and `Retry-After`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talent.accounts.credentials import auth_token_issue, auth_token_revoke
from talent.accounts.lockout import LockedOut
from talent.accounts.services import (
    REGISTRATION_PERSON_FIELDS,
    account_register,
    claim_code_redeem,
)
from talent.common.throttles import ScopedRateThrottle
from talent.common.users import signed_in_user
from talent.registry import selectors
from talent.registry.api.schema import ErrorSerializer, error_responses
from talent.registry.models import Person

LOCKED_OUT = OpenApiResponse(
    ErrorSerializer,
    description="Too many failed sign-ins for this username from this address: locked for the cool-off time "
    "(`Retry-After` gives the seconds; code `locked_out`), or too many requests (code `throttled`).",
)
WRONG_CREDENTIALS = OpenApiResponse(
    ErrorSerializer, description="The username or password is not correct (code `invalid_credentials`)."
)
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests: `Retry-After` gives the seconds.")


# --- Permissions ------------------------------------------------------------------------------------------


def _handles(request: Request, view: Any) -> bool:
    """Whether the view answers this method at all: if not, DRF's 405 should be the answer, not a 403."""
    method = (request.method or "").lower()
    return method in view.http_method_names and hasattr(view, method)


class IsAnonymous(BasePermission):
    """Registering is for people without a login; a signed-in user signs out first."""

    message = gettext_lazy("You are already signed in: sign out before registering a new account.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return not request.user.is_authenticated or not _handles(request, view)


class CsrfChecked(BasePermission):
    """A session login is a browser form: without the CSRF token it is refused (login CSRF), like Django's
    own login view. DRF checks CSRF only for requests that are already signed in with a session."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if _handles(request, view):
            SessionAuthentication().enforce_csrf(request)  # raises PermissionDenied (403) on failure
        return True


# --- Signing in: shared by the session and the token login -------------------------------------------


def _authenticate(request: Request, username: str, password: str) -> User:
    """Check a password the way django-axes sees it: failures are counted per username and address."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(request)
    if user is None:
        raise exceptions.AuthenticationFailed(_("The username or password is not correct."), code="invalid_credentials")
    return user


# --- Serializers ------------------------------------------------------------------------------------------


class AccountPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "family_name_ko", "given_name_ko", "family_name_latin", "given_name_latin", "email"]
        read_only_fields = fields


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class RegisterSerializer(serializers.ModelSerializer):
    """A new login and its person record. The username defaults to the email address."""

    username = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text=gettext_lazy("Defaults to the email address.")
    )
    password = serializers.CharField(
        write_only=True,
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=gettext_lazy("At least 10 characters, not only digits, not a common password."),
    )
    researcher = serializers.BooleanField(
        default=True, help_text=gettext_lazy("Also create an empty returning-researcher profile.")
    )
    consent_required = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Consent to the required items of the privacy notice (the /privacy/ page): without it the "
            "registration is refused (400, under errors.consent_required)."
        ),
    )
    consent_optional = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy("Consent to the optional items (gender); a gender is refused without it."),
    )

    class Meta:
        model = Person
        fields = [
            "username",
            "password",
            "email",
            "researcher",
            "consent_required",
            "consent_optional",
            *REGISTRATION_PERSON_FIELDS,
        ]
        extra_kwargs = {"email": {"required": True, "allow_blank": False}}


class AccountSerializer(serializers.Serializer):
    """Who is signed in: the username, and their person record if the login has one."""

    username = serializers.CharField()
    person = AccountPersonSerializer(allow_null=True)


class RegistrationSerializer(AccountSerializer):
    token = serializers.CharField(help_text=gettext_lazy("API token: send `Authorization: Token <token>`."))


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("Send `Authorization: Token <token>` with each request."))
    username = serializers.CharField()


class SessionStateSerializer(serializers.Serializer):
    authenticated = serializers.BooleanField()
    username = serializers.CharField(allow_null=True)


class ClaimSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=40, help_text=gettext_lazy("The code from your university, e.g. 7K2M-QX9P-4RTA.")
    )


def _account(user: User) -> dict[str, Any]:
    return AccountSerializer({"username": user.get_username(), "person": selectors.own_person(user=user)}).data


# --- Views ------------------------------------------------------------------------------------------------


class RegisterView(APIView):
    permission_classes = [IsAnonymous]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        summary="Register as a returning researcher",
        description="Creates a login, its person record and (unless `researcher` is false) an empty "
        "returning-researcher profile, and returns an API token. The password must be at least 10 characters, "
        "not only digits, not a common password and not like the username, email or names: each problem is "
        "listed under `errors.password`. Signed-in users get 403. Throttled per address (scope `register`).",
        request=RegisterSerializer,
        responses={201: RegistrationSerializer, **error_responses(400, 403), 429: THROTTLED},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = account_register(**serializer.validated_data)
        body = {"username": registration.user.get_username(), "person": registration.person}
        return Response(RegistrationSerializer({**body, "token": registration.token.key}).data, status=201)


class TokenView(APIView):
    """Token sign-in for scripts (POST) and revoking one's own token (DELETE)."""

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        summary="Get an API token (sign in a script)",
        description="Exchanges a username and password for the login's API token (the same token until it "
        "expires, `API_TOKEN_MAX_AGE_DAYS` after it was issued, or is revoked; a password change or reset revokes "
        "it). An expired token answers 401 with code `token_expired`: sign in again here. Wrong credentials: "
        "401 with code `invalid_credentials`. The fifth wrong password for a "
        "username from one address locks it for the cool-off time: 429 with code `locked_out`, even with the "
        "right password, until the time has passed.",
        request=CredentialsSerializer,
        responses={200: TokenSerializer, **error_responses(400), 401: WRONG_CREDENTIALS, 429: LOCKED_OUT},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = _authenticate(request, **credentials.validated_data)
        token = auth_token_issue(user=user)
        # A token sign-in is a sign-in: last_login is updated and django-axes forgets the earlier failures.
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response(TokenSerializer({"token": token.key, "username": user.get_username()}).data)

    @extend_schema(
        summary="Revoke my API token",
        description="Scripts using the token are signed out; the next token sign-in creates a new one.",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def delete(self, request: Request) -> Response:
        auth_token_revoke(user=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoginView(APIView):
    """Session sign-in for the browser (JSON). The CSRF cookie comes from a GET of this same URL."""

    permission_classes = [AllowAny, CsrfChecked]

    @extend_schema(
        summary="Session state (and the CSRF cookie)",
        description="Whether this browser is signed in. Sets the `csrftoken` cookie that the sign-in POST "
        "must echo in the `X-CSRFToken` header.",
        responses={200: SessionStateSerializer},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        get_token(request._request)  # makes the CSRF middleware send the cookie
        user = request.user
        username = user.get_username() if user.is_authenticated else None
        return Response(SessionStateSerializer({"authenticated": user.is_authenticated, "username": username}).data)

    @extend_schema(
        summary="Sign in (browser session)",
        description="Checks the username and password and starts a session (cookie `sessionid`). Needs the CSRF "
        "token (`X-CSRFToken` header, from the cookie set by GET). Wrong credentials: 401 with code "
        "`invalid_credentials`; after five failures: 429 with code `locked_out`.",
        request=CredentialsSerializer,
        responses={200: AccountSerializer, **error_responses(400, 403), 401: WRONG_CREDENTIALS, 429: LOCKED_OUT},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = _authenticate(request, **credentials.validated_data)
        login(request, user)
        return Response(_account(user))


class LogoutView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Sign out (browser session)",
        description="Ends the session; signing out when not signed in does nothing. A session needs the CSRF "
        "token. An API token stays valid: revoke it with DELETE /api/v1/auth/token/, or end every token and "
        "session with POST /api/v1/auth/sign-out-everywhere/.",
        request=None,
        responses={204: None, **error_responses(403)},
    )
    def post(self, request: Request) -> Response:
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClaimView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    # Guessing codes is bounded by the same rate as creating accounts: both are the first step of a login.
    throttle_scope = "claim"

    @extend_schema(
        summary="Claim my student record",
        description="Links the signed-in login, which has no personal record yet, to the record a university "
        "issued the claim code for. A wrong, used or expired code: 400 (`errors.code`); a login that already "
        "has a record, or a record already claimed: 409. Throttled (scope `register`).",
        request=ClaimSerializer,
        responses={200: AccountPersonSerializer, **error_responses(400, 401, 409), 429: THROTTLED},
    )
    def post(self, request: Request) -> Response:
        serializer = ClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = claim_code_redeem(user=signed_in_user(request), code=serializer.validated_data["code"])
        return Response(AccountPersonSerializer(person).data)


urlpatterns = [
    path("auth/register/", RegisterView.as_view(), name="auth-register"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/claim/", ClaimView.as_view(), name="auth-claim"),
]
