"""The access log: every read of a person's record by someone other than that person."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from talent.common.client_address import client_address
from talent.registry.models import AccessLog
from talent.registry.services._base import Actor
from talent.registry.validators import looks_like_resident_registration_number


def access_log_record(
    *,
    actor: Actor | AnonymousUser,
    person_ids: Iterable[int | None],
    action: str,
    request: HttpRequest | None = None,
) -> int:
    """Append one row per person read by `actor` (their own record is not logged). Returns rows written."""
    if actor is None or not actor.is_authenticated:
        return 0
    own = getattr(getattr(actor, "person", None), "pk", None)
    ids = sorted({pid for pid in person_ids if pid is not None and pid != own})
    if not ids:
        return 0
    path = logged_path(request) if request is not None else ""
    address = client_address(request) if request is not None else None
    AccessLog.objects.bulk_create(
        [AccessLog(user=actor, person_id=pid, action=action, path=path, ip_address=address) for pid in ids]
    )
    return len(ids)


def logged_path(request: HttpRequest) -> str:
    """The request's path as the log keeps it: the route's own words and the object ids (digits), never the query
    string nor any other value a caller put in the URL (those become "-")."""
    match = request.resolver_match
    if match is None:
        return ""
    given = {str(value) for value in [*match.args, *match.kwargs.values()]}
    segments = ["-" if segment in given and not segment.isdigit() else segment for segment in request.path.split("/")]
    path = "/".join(segments)[:300]
    return "" if looks_like_resident_registration_number(path) else path
