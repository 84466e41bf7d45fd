"""Shared plumbing of the registry services: the acting user's transaction, field assignment, saving."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pghistory
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from talent.common.db import concurrency_refusals, database_refusals, validate
from talent.common.errors import InvalidInput

Actor = User | None


@contextmanager
def acting(actor: Actor, action: str) -> Iterator[None]:
    """One transaction whose history rows carry the acting user and what they did. A race it loses (a deadlock,
    even at COMMIT) is a Conflict, not a server error."""
    with (
        concurrency_refusals(),
        transaction.atomic(),
        pghistory.context(user=actor.pk if actor else None, action=action),
    ):
        yield


def assign(instance: Any, fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(_("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(instance, name, value)


def save(instance: Any, *models: type, update_fields: Iterable[str] | None = None) -> None:
    validate(instance)
    with database_refusals(type(instance), *models):
        if update_fields is None:
            instance.save()
        else:
            instance.save(update_fields=[*update_fields, "updated_at"])


def clean_skills(skills: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for skill in skills:
        text = " ".join(str(skill).split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())
