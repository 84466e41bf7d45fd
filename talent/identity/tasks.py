"""Celery tasks of identity: ids in, one service, safe to run twice (a refresh only converges)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from talent.identity import services

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(acks_late=True, soft_time_limit=900, time_limit=960, autoretry_for=TRANSIENT, max_retries=3)
def find_candidates_nightly() -> dict[str, float]:
    """Every person against everyone (blocked), the model fitted again; open pairs no longer found withdrawn."""
    refresh = services.candidates_refresh()
    return {"persons": refresh.persons, "compared": refresh.compared, "found": refresh.found, "s": refresh.seconds}


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, autoretry_for=TRANSIENT, max_retries=3)
def find_candidates_for(person_ids: list[int]) -> int:
    """The probable duplicates of persons just created or changed."""
    return services.candidates_refresh(person_ids=person_ids).found
