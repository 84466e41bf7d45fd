"""Bounds on what a request may send: its body, its media type, and how deeply its JSON nests.

A body larger than the limit is refused before anything reads it (413, JSON under /api/); an empty form sent to an
API operation that reads no form is refused (415), as its parsers refuse a form with a body; a JSON document nested
deeper than a parser can follow is refused as malformed (400). None is the server's fault, so none is logged as an
error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request, is_form_media_type


def body_limit(request: HttpRequest) -> int:
    """Bytes a request may send: a file upload (multipart) the largest roster and its form beside it, anything
    else DATA_UPLOAD_MAX_MEMORY_SIZE."""
    form_limit: int = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type == "multipart/form-data":
        return int(settings.ROSTER_MAX_BYTES) + form_limit
    return form_limit


def too_large_message(limit: int) -> str:
    return _("The request is larger than %(limit)s bytes, the most this service accepts.") % {"limit": f"{limit:,}"}


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    """JSON under /api/, else a page in the language the browser asks for (this runs before the session and the
    locale middleware, so the language comes from the language cookie or Accept-Language)."""
    with translation.override(translation.get_language_from_request(request)):
        message = too_large_message(limit)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
        page = render_to_string("413.html", {"message": message})
    return HttpResponse(page, status=413)


class RequestBodyLimitMiddleware:
    """413 for a body whose declared length passes the limit, before the session, the user or a view reads it. A
    body sent without a length is bounded when read (Django's RequestDataTooBig, which the API answers with 413)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return too_large_response(request, limit)
        return self.get_response(request)


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser; a document nested deeper than the parser can follow is malformed input (400), not a
    RecursionError (500)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON is nested too deeply to be read.")) from exc


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, and an EMPTY form body refused (415) by an operation that reads no form. A form with a body
    is refused by the parsers when the operation reads it; but DRF reads an empty body of a form media type as an
    empty form without asking a parser, and a serializer reads a box missing from a form as unticked (false), so an
    empty `PUT /me/consent/` sent as a form would withdraw the consent. Refused here, before the view, as DRF refuses
    a response type the client cannot accept (406). An operation that reads no body at all (signing out everywhere)
    never asks the parsers, and a browser's form post of it keeps working."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        media_type = request.content_type or ""
        if (
            request.method not in SAFE_METHODS
            and is_form_media_type(media_type)
            and _empty_body(request)
            and not any(is_form_media_type(parser.media_type) for parser in request.parsers or ())
        ):
            raise UnsupportedMediaType(media_type)
        chosen: tuple[BaseRenderer, str] = super().select_renderer(request, renderers, format_suffix)
        return chosen


def _empty_body(request: Request) -> bool:
    """Whether the request sends no body (DRF's own test: a length of 0 or none)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) == 0
    except ValueError:
        return False
