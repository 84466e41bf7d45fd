"""Bounds on what a request may send: its body, and how deeply its JSON nests.

A body larger than the limit is refused before anything reads it (413, JSON under /api/); a JSON document nested
deeper than a parser can follow is refused as malformed (400). Neither is the server's fault, so neither is logged
as an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


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
