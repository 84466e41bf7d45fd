"""The evidence of a probable duplicate in words an operator reads (the API keeps the stable codes of
`linkage.LEVELS`): which field, how it compares, and whether that speaks for the same person."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from talent.identity.linkage import FIELDS, IDENTIFIER_KINDS, LEVELS

FIELD_LABELS: dict[str, Promise] = {
    "korean_name": _("Name (Korean)"),
    "family_latin": _("Family name (Latin)"),
    "given_latin": _("Given name (Latin)"),
    "birth_date": _("Birth date"),
    "email": _("Email"),
    "identifiers": _("ORCID iD / researcher number"),
}

SHARED_LABELS: dict[str, Promise] = {
    "orcid": _("ORCID iD"),
    "researcher_number": _("National researcher number"),
    "email": _("Email"),
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


_SHARED = _("held by both records (by one of them as a university gave it)")


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
    """The candidate's evidence (`{"fields": {field: level}, "shared": [kind]}`) as lines to show: first the
    identifiers both records hold (their own, or given for them by a university), then each field in FIELDS order."""
    fields = evidence.get("fields")
    levels = fields if isinstance(fields, Mapping) else {}
    shared = evidence.get("shared")
    kinds = shared if isinstance(shared, list) else []
    lines = [
        EvidenceLine(f"shared_{kind}", str(SHARED_LABELS[kind]), str(_SHARED), "agrees")
        for kind in IDENTIFIER_KINDS
        if kind in kinds
    ]
    for field in FIELDS:
        level = levels.get(field)
        if not isinstance(level, str) or (level not in LEVELS[field] and level != "missing"):
            continue
        lines.append(EvidenceLine(field, str(FIELD_LABELS[field]), str(LEVEL_LABELS[level]), _weight(level)))
    return lines
