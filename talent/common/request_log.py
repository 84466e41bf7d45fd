"""One log line (and the metrics) per request: request id, route name, role, status and duration.

The outermost middleware: it sets the request id every other log line of the request carries (and the Celery tasks
the request queues, see `talent.common.task_log`), and returns it as `X-Request-ID`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from talent.common import metrics
from talent.common.logs import current_request_id, new_request_id

logger = logging.getLogger("talent.request")


def route_of(request: HttpRequest) -> str:
    """The URL pattern's name (`enrollment-detail`, `web:university-enrollments`): never the path with its ids."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


def role_of(request: HttpRequest) -> str:
    """The role the request was served as, from what the request already loaded (logging costs no query):
    anonymous, operator, the organization's kind (university, company, ministry, institute), person (a login with
    no organization), or signed-in when the view never asked which."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "anonymous"  # nothing read the session: the view did not need a user
    if not user.is_authenticated:
        return "anonymous"
    if user.is_staff:
        return "operator"
    fields = user._state.fields_cache
    if "membership" not in fields:
        return "signed-in"
    membership = fields["membership"]
    if membership is None:
        return "person"
    organization = membership._state.fields_cache.get("organization")
    return str(organization.kind) if organization is not None else "member"


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            route = route_of(request)
            logger.info(
                "%s %s %s",
                request.method,
                route,
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "route": route,
                    "role": role_of(request),
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                },
            )
            metrics.observe_request(
                route=route, method=request.method or "", status=response.status_code, seconds=duration
            )
            response["X-Request-ID"] = request_id
            return response
        finally:
            current_request_id.reset(token)
