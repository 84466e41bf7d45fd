"""The API's rate limits on the pages' forms too: signing up and claiming a record share one budget per address
(or per login) with `/api/v1/auth/register/` and `/api/v1/auth/claim/`, so a form is no way around them.
Asking for a password reset link has two budgets of its own: per address, and per email address asked for.

The rates are the API's (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`, scopes `register`, `claim`,
`password_reset` and `password_reset_email`).
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from talent.common.throttles import SimpleRateThrottle


class _PageThrottle(SimpleRateThrottle):
    """DRF's scoped throttle, with ScopedRateThrottle's cache keys (user id, else address), for a Django view."""

    def __init__(self, scope: str, ident: str | None = None) -> None:
        self.scope = scope
        self.ident = ident
        super().__init__()

    def get_cache_key(self, request: Any, view: Any) -> str:
        ident = self.ident or (request.user.pk if request.user.is_authenticated else self.get_ident(request))
        return self.cache_format % {"scope": self.scope, "ident": ident}


def throttled(request: HttpRequest, scope: str, *, about: str | None = None) -> str | None:
    """Count one attempt of `scope` (by login or address, or by `about`: kept only as a hash); the message to
    show when it is over the limit, else None."""
    ident = hashlib.sha256(about.encode()).hexdigest() if about is not None else None
    throttle = _PageThrottle(scope, ident)
    # DRF's throttle on a page's HttpRequest, with no view: get_cache_key above reads only its user and address.
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return None
    minutes = max(1, math.ceil((throttle.wait() or 60) / 60))
    return _("Too many attempts from here: try again in %(minutes)d minutes.") % {"minutes": minutes}
