"""Shared API plumbing: the exception handler that maps DomainErrors to JSON, and pagination."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import exception_handler as drf_exception_handler

from talent.common.db import concurrency_conflict, validation_error_to_domain
from talent.common.errors import (
    SERVER_ERROR_MESSAGE,
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotFound,
    TooManyAttempts,
)
from talent.common.request_limits import too_large_message

logger = logging.getLogger(__name__)

_Instance = TypeVar("_Instance")

STATUS_OF = {InvalidInput: 400, NotAllowed: 403, NotFound: 404, Conflict: 409, TooManyAttempts: 429}


def _status_for(error: DomainError) -> int:
    for kind, code in STATUS_OF.items():
        if isinstance(error, kind):
            return code
    return status.HTTP_400_BAD_REQUEST


def _body(detail: str, code: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "code": code}
    if errors:
        body["errors"] = errors
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error is JSON `{"detail", "code", "errors"?}` in the request's language; never a stack trace."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(_body(too_large_message(limit), "request_too_large"), status=413)
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, a malformed multipart body
        return Response(_body(_("The request is malformed."), "parse_error"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response(_body(_media_type_refusal(context["request"]), "unsupported_media_type"), status=415)
    if isinstance(exc, DjangoValidationError):
        exc = validation_error_to_domain(exc)
    exc = concurrency_conflict(exc) or exc  # a lost race outside a service's transaction
    if isinstance(exc, DomainError):
        refusal = Response(_body(str(exc), exc.code, exc.as_dict()), status=_status_for(exc))
        if isinstance(exc, TooManyAttempts) and exc.wait is not None:
            refusal["Retry-After"] = str(exc.wait)
        return refusal
    if isinstance(exc, IntegrityError):
        return Response(
            _body(_("This change conflicts with another record; nothing was saved."), "conflict"),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        first = _first_message(errors)
        return Response(_body(first, "invalid", errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (Http404, DjangoPermissionDenied, exceptions.APIException)):
        response = drf_exception_handler(exc, context)
        if response is not None:
            detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
            code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
            response.data = _body(str(detail), str(code))
        return response
    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
    return Response(
        _body(str(SERVER_ERROR_MESSAGE), "server_error"),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def _media_type_refusal(request: Any) -> str:
    """Which media types the operation reads, and the one it was sent (without its parameters, e.g. a boundary)."""
    accepted = ", ".join(parser.media_type for parser in request.parsers)
    sent = (request.content_type or "").split(";")[0].strip()[:80]
    if not sent:
        return _("Send the body as %(accepted)s, with a Content-Type header that says so.") % {"accepted": accepted}
    return _("Send the body as %(accepted)s: this operation does not read “%(sent)s”.") % {
        "accepted": accepted,
        "sent": sent,
    }


def _first_message(errors: Any) -> str:
    while isinstance(errors, (dict, list)) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors) if errors else _("Invalid input.")


class Pagination(PageNumberPagination):
    """25 rows a page, `page_size` up to 100 (more is cut to 100). A page or page size that is not a whole number
    of 1 or more is refused (400) rather than read as the default: a typo must not pass for an answer."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        for name in (self.page_query_param, self.page_size_query_param):
            raw = request.query_params.get(name)
            if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
                raise exceptions.ValidationError(
                    {name: [_("Give a whole number of 1 or more (got “%(value)s”).") % {"value": raw[:40]}]}
                )
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


def query_of(request: Any) -> dict[str, str]:
    """The query string for a query serializer, each parameter once. A plain dict, not the QueryDict: DRF reads
    a QueryDict by HTML-form rules, where an empty value (`?by=`) counts as absent and is silently ignored."""
    return dict(request.query_params.dict())


def updated_instance(serializer: BaseSerializer[_Instance]) -> _Instance:
    """The object an update's serializer was made with (DRF's UpdateModelMixin always gives it one)."""
    instance = serializer.instance
    assert instance is not None, "an update serializer has the instance it updates"
    return instance
