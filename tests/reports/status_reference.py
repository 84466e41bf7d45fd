"""The status of an enrollment on a date, read in plain Python from its events: the oracle that
test_counting_reference.py checks the SQL counting against (production reads statuses in SQL, in the selectors)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StatusPoint:
    status: str
    effective_date: datetime.date
    sequence: int


def status_on(events: Iterable[StatusPoint], on: datetime.date) -> str | None:
    """The status in force on `on`: the last event effective on or before that date (None before admission)."""
    current: StatusPoint | None = None
    for event in events:
        if event.effective_date > on:
            continue
        if current is None or (event.effective_date, event.sequence) > (current.effective_date, current.sequence):
            current = event
    return current.status if current else None
