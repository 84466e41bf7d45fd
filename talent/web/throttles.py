"""The API's rate limits on the pages' forms too: signing up and claiming a record share one budget per address
(or per login) with `/api/v1/auth/register/` and `/api/v1/auth/claim/`, so a form is no way around them.

The rates are the API's (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`, scopes `register` and `claim`).
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle


class _PageThrottle(SimpleRateThrottle):
    """DRF's scoped throttle, with ScopedRateThrottle's cache keys (user id, else address), for a Django view."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request: Any, view: Any) -> str:
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def throttled(request: HttpRequest, scope: str) -> str | None:
    """Count one attempt of `scope`; the message to show when it is over the limit, else None."""
    throttle = _PageThrottle(scope)
    if throttle.allow_request(request, None):
        return None
    minutes = max(1, math.ceil((throttle.wait() or 60) / 60))
    return _("Too many attempts from here: try again in %(minutes)d minutes.") % {"minutes": minutes}
