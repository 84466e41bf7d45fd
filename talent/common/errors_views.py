"""Error pages: under /api/ a 404 or 500 is JSON like every other API error; elsewhere Django's pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from talent.common.errors import SERVER_ERROR_MESSAGE


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        body = {
            "detail": str(SERVER_ERROR_MESSAGE),
            "code": "server_error",
        }
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
