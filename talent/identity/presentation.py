"""The evidence of a probable duplicate in words an operator reads (the API keeps the stable codes of
`linkage.LEVELS`): which field, how it compares, and whether that speaks for the same person."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from talent.identity.linkage import FIELDS, LEVELS

FIELD_LABELS: dict[str, Promise] = {
    "korean_name": _("Name (Korean)"),
    "family_latin": _("Family name (Latin)"),
    "given_latin": _("Given name (Latin)"),
    "birth_date": _("Birth date"),
    "email": _("Email"),
    "identifiers": _("ORCID iD / researcher number"),
}

LEVEL_LABELS: dict[str, Promise] = {
    "exact": _("the same"),
    "one_syllable_differs": _("one syllable differs"),
    "same_romanisation": _("another romanisation of the same name (e.g. Jung / Jeong)"),
    "romanisation_variant": _("another romanisation (spacing, hyphen or spelling)"),
    "similar": _("similar spelling"),
    "day_month_swapped": _("day and month swapped"),
    "one_part_differs": _("one part (year, month or day) differs"),
    "same_mailbox_name": _("the same mailbox name at another domain"),
    "different": _("different"),
    "missing": _("missing on one side"),
}


@dataclass(frozen=True)
class EvidenceLine:
    field: str
    label: str
    comparison: str
    #: "agrees", "close", "differs" or "unknown": what the line says about the pair being one person.
    weight: str


def _weight(level: str) -> str:
    if level == "missing":
        return "unknown"
    if level == "different":
        return "differs"
    return "agrees" if level == "exact" else "close"


def evidence_in_words(evidence: Mapping[str, object]) -> list[EvidenceLine]:
    """The candidate's evidence (`{"fields": {field: level}}`), in FIELDS order, as lines to show."""
    fields = evidence.get("fields")
    levels = fields if isinstance(fields, Mapping) else {}
    lines = []
    for field in FIELDS:
        level = levels.get(field)
        if not isinstance(level, str) or (level not in LEVELS[field] and level != "missing"):
            continue
        lines.append(EvidenceLine(field, str(FIELD_LABELS[field]), str(LEVEL_LABELS[level]), _weight(level)))
    return lines
