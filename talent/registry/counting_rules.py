"""Which programmes count toward the AX target on a date, read from their counting rules' history.

A programme's rule in force on a date is its latest rule (by effective date, then as recorded) dated on or
before it; before its first rule's date, the first (the status the history began with). A programme without
a rule never counted. Programmes are few (hundreds): the rules are read in one query and folded here.

A version of the target reads the rules as they were recorded when it was made (`recorded_through`, the newest
rule then): two changes decided the same day, from the same date, make two versions that count differently.
A programme's first rule (how it began) is read by every version, as a programme made later is read as it began.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Max

from talent.common.db import serialise
from talent.registry.models import ProgrammeCountingRule

Rule = tuple[int, bool, datetime.date]  # programme id, counts, effective from (in recorded order)


def in_force(rules: Iterable[Rule], on: datetime.date) -> dict[int, bool]:
    """Each programme's rule in force on `on`, from its rules sorted by (programme, effective date, record)."""
    state: dict[int, bool] = {}
    for programme_id, counts, effective_from in rules:
        if programme_id not in state or effective_from <= on:
            state[programme_id] = counts
    return state


def counting_programme_ids(*, on: datetime.date, recorded_through: int | None = None) -> frozenset[int]:
    """The programmes whose graduates count under the rules in force on `on`, of the rules recorded up to the
    rule `recorded_through` (None: every rule) and each programme's first."""
    rows = list(
        ProgrammeCountingRule.objects.order_by("programme_id", "effective_from", "id").values_list(
            "programme_id", "counts", "effective_from", "id"
        )
    )
    first: dict[int, int] = {}
    for programme_id, _counts, _day, rule_id in rows:
        first[programme_id] = min(first.get(programme_id, rule_id), rule_id)
    rules = [
        (programme_id, counts, day)
        for programme_id, counts, day, rule_id in rows
        if recorded_through is None or rule_id <= recorded_through or rule_id == first[programme_id]
    ]
    return frozenset(pk for pk, counts in in_force(rules, on).items() if counts)


def newest_rule_id() -> int | None:
    """The newest rule recorded: a version of the target made now reads the rules up to it."""
    return ProgrammeCountingRule.objects.aggregate(newest=Max("id"))["newest"]


def serialise_changes() -> None:
    """Changes of which programmes count take their turns (until the transaction ends): a rule is numbered and its
    target version made in one turn, so a version never reads a rule a concurrent change numbered before it."""
    serialise("programme_counting_rules", 0)
