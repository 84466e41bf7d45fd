"""The client's address: one rule for the throttles, the login lockout (django-axes) and the access log.

`TRUSTED_PROXIES` is how many reverse proxies stand in front of the application, each appending the address it
received the request from to `X-Forwarded-For`. The client is then the entry that many places from the right;
anything left of it was written by the client and is ignored (a forged header cannot buy a fresh throttle budget).
With no trusted proxy (the default) the header is ignored altogether and the address is `REMOTE_ADDR`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent `request`, as far as the trusted proxies vouch for it."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request did not come through them all, so nothing in it is vouched for.
        return remote
    return _valid(forwarded[-proxies]) or remote
