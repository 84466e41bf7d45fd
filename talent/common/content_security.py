"""Content-Security-Policy on every response: scripts, styles, fonts, images and requests from this site only,
no inline script or style, no plugins, no framing. A script injected into a page (a name with markup that escaped
escaping) then does not run.

Our templates keep every script and style in static files (no `<script>` body, no `style=` or `on…=` attribute);
the API documentation uses drf-spectacular's split view, whose start-up script is a file too. Images may also be
`data:` URLs (the documentation's icons).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
