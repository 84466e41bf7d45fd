"""DRF's throttles, keyed on the one client-address rule (`talent.common.client_address`) instead of DRF's own
reading of `X-Forwarded-For`. Settings and views name these classes, never DRF's."""

from __future__ import annotations

from typing import Any

from rest_framework import throttling

from talent.common.client_address import client_address


class _ClientAddressIdent:
    def get_ident(self, request: Any) -> str:
        return client_address(request) or "unknown"


class AnonRateThrottle(_ClientAddressIdent, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ClientAddressIdent, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_ClientAddressIdent, throttling.ScopedRateThrottle):
    pass


class SimpleRateThrottle(_ClientAddressIdent, throttling.SimpleRateThrottle):
    pass
