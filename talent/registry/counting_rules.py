"""Which programmes count toward the AX target on a date, read from their counting rules' history.

A programme's rule in force on a date is its latest rule (by effective date, then as recorded) dated on or
before it; before its first rule's date, the first (the status the history began with). A programme without
a rule never counted. Programmes are few (hundreds): the rules are read in one query and folded here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from talent.registry.models import ProgrammeCountingRule

Rule = tuple[int, bool, datetime.date]  # programme id, counts, effective from (in recorded order)


def in_force(rules: Iterable[Rule], on: datetime.date) -> dict[int, bool]:
    """Each programme's rule in force on `on`, from its rules sorted by (programme, effective date, record)."""
    state: dict[int, bool] = {}
    for programme_id, counts, effective_from in rules:
        if programme_id not in state or effective_from <= on:
            state[programme_id] = counts
    return state


def counting_programme_ids(*, on: datetime.date) -> frozenset[int]:
    """The programmes whose graduates count under the rules in force on `on`."""
    rules = ProgrammeCountingRule.objects.order_by("programme_id", "effective_from", "id").values_list(
        "programme_id", "counts", "effective_from"
    )
    return frozenset(pk for pk, counts in in_force(rules, on).items() if counts)
