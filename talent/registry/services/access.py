"""The access log: every read of a person's record by someone other than that person."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from talent.common.client_address import client_address
from talent.registry.models import AccessLog
from talent.registry.services._base import Actor


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
    path = request.get_full_path()[:300] if request is not None else ""
    address = client_address(request) if request is not None else None
    AccessLog.objects.bulk_create(
        [AccessLog(user=actor, person_id=pid, action=action, path=path, ip_address=address) for pid in ids]
    )
    return len(ids)
