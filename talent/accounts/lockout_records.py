"""What django-axes writes down about a sign-in (the username typed, the user agent, the path, the query and form
fields) passes through the registry's resident-registration-number redaction first: a number typed as a username
or put in a header is never stored in axes' tables (settings: AXES_USERNAME_CALLABLE, AXES_HANDLER)."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.http import HttpRequest, QueryDict

from talent.registry.validators import redact_resident_registration_numbers

_REQUEST_TEXTS = ("axes_user_agent", "axes_path_info", "axes_http_accept")


def username_for_lockout(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username axes counts failures against (as axes finds it), redacted when it holds an RRN."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")  # axes' default, set by axes.conf
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return redact_resident_registration_numbers(username) if isinstance(username, str) else username


def _redacted(query: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key, values in query.lists():
        clean.setlist(
            redact_resident_registration_numbers(key), [redact_resident_registration_numbers(v) for v in values]
        )
    return clean


class _RedactedRequest:
    """The request as axes reads it for its records: GET and POST redacted; everything else, and every attribute
    axes sets (the lockout flags its middleware reads), is the real request's."""

    def __init__(self, request: HttpRequest) -> None:
        object.__setattr__(self, "_request", request)
        object.__setattr__(self, "GET", _redacted(request.GET))
        object.__setattr__(self, "POST", _redacted(request.POST))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._request, name, value)


def _for_records(request: Any) -> Any:
    if request is None:
        return None
    for name in _REQUEST_TEXTS:
        value = getattr(request, name, None)
        if isinstance(value, str):
            setattr(request, name, redact_resident_registration_numbers(value))
    return _RedactedRequest(request)


class RedactingAxesHandler(AxesDatabaseHandler):
    """axes' database handler, given the redacted request for what it records."""

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request=_for_records(request), **kwargs)

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, _for_records(request), user, **kwargs)

    def user_logged_out(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_out(sender, _for_records(request), user, **kwargs)
