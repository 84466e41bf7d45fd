"""The AX vocabulary: operators' edits (admin), reloading the shipped file, and the concepts a run scores with.

A term belongs to one concept only: the same term in two concepts would link every text that uses it to both, so
such an edit is refused with the concept that already has it. Synonyms are the terms of one concept, never links
from term to term, so a cycle of synonyms cannot be written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from talent.common.errors import InvalidInput
from talent.matching.concepts import Concept, concept_from_entry, shipped_entries, term_key
from talent.matching.models import AxConcept

CONCEPT_FIELDS = ("key", "terms_ko", "terms_en", "abbreviations", "ksic_divisions")


def _refuse(error: ValidationError) -> InvalidInput:
    errors = {field: list(messages) for field, messages in error.message_dict.items()}
    first = next(iter(errors.values()))[0]
    return InvalidInput(first, errors=errors)


def _check_terms_unique(concept: AxConcept) -> None:
    """Refuse a term that another concept already has (compared without case and spaces)."""
    mine = {term_key(term): term for term in concept.all_terms}
    others = AxConcept.objects.exclude(pk=concept.pk).values_list("key", "terms_ko", "terms_en", "abbreviations")
    clashes = []
    for key, *lists in others:
        for term in (term for terms in lists for term in terms):
            if term_key(term) in mine:
                clashes.append(
                    _("“%(term)s” is already a term of the concept “%(key)s”.")
                    % {"term": mine[term_key(term)], "key": key}
                )
    if clashes:
        raise InvalidInput(clashes[0], errors={"terms_ko": clashes})


def _save(concept: AxConcept) -> AxConcept:
    try:
        concept.full_clean()
    except ValidationError as error:
        raise _refuse(error) from None
    _check_terms_unique(concept)
    concept.save()
    return concept


def _cleaned(values: Iterable[str]) -> list[str]:
    return [" ".join(term.split()) for term in values]


@transaction.atomic
def ax_concept_create(
    *,
    actor: Any,
    key: str,
    terms_ko: Sequence[str] = (),
    terms_en: Sequence[str] = (),
    abbreviations: Sequence[str] = (),
    ksic_divisions: Sequence[str] = (),
) -> AxConcept:
    """A new concept of the vocabulary (an operator's); refused with a message if a term is empty, too long,
    repeated, or already another concept's."""
    del actor  # recorded by the history trigger's context (the admin request)
    concept = AxConcept(
        key=key,
        terms_ko=_cleaned(terms_ko),
        terms_en=_cleaned(terms_en),
        abbreviations=_cleaned(abbreviations),
        ksic_divisions=[division.strip().upper() for division in ksic_divisions],
    )
    return _save(concept)


@transaction.atomic
def ax_concept_update(*, actor: Any, concept: AxConcept, **fields: Any) -> AxConcept:
    """Change a concept's terms or divisions (same rules as `ax_concept_create`); its key stays."""
    del actor
    concept = AxConcept.objects.select_for_update().get(pk=concept.pk)
    for name in ("terms_ko", "terms_en", "abbreviations"):
        if name in fields:
            setattr(concept, name, _cleaned(fields[name]))
    if "ksic_divisions" in fields:
        concept.ksic_divisions = [division.strip().upper() for division in fields["ksic_divisions"]]
    return _save(concept)


@transaction.atomic
def ax_vocabulary_load(*, entries: Iterable[dict[str, Any]] | None = None) -> dict[str, int]:
    """Load the shipped vocabulary file (or `entries` in its format): each concept created or brought back to the
    file's terms, by key, in one transaction; concepts operators added are left alone. Counts per outcome."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for entry in shipped_entries() if entries is None else entries:
        shipped = concept_from_entry(entry)
        values = {
            "terms_ko": list(shipped.terms_ko),
            "terms_en": list(shipped.terms_en),
            "abbreviations": list(shipped.abbreviations),
            "ksic_divisions": list(shipped.ksic_divisions),
        }
        concept = AxConcept.objects.select_for_update().filter(key=shipped.key).first()
        if concept is None:
            concept, outcome = AxConcept(key=shipped.key, shipped=True, **values), "created"
        elif all(getattr(concept, name) == value for name, value in values.items()) and concept.shipped:
            counts["unchanged"] += 1
            continue
        else:
            for name, value in values.items():
                setattr(concept, name, value)
            concept.shipped, outcome = True, "updated"
        try:
            _save(concept)
        except InvalidInput as refusal:
            raise InvalidInput(
                _("The vocabulary's concept “%(key)s” was refused: %(reason)s")
                % {"key": shipped.key, "reason": refusal}
            ) from None
        counts[outcome] += 1
    return counts


def ax_concepts() -> tuple[Concept, ...]:
    """Every concept of the vocabulary, as the scorer takes them (ordered by key, so equal vocabularies are equal)."""
    rows = AxConcept.objects.order_by("key").values_list(*CONCEPT_FIELDS)
    return tuple(
        Concept(key=key, terms_ko=tuple(ko), terms_en=tuple(en), abbreviations=tuple(abbr), ksic_divisions=tuple(ksic))
        for key, ko, en, abbr, ksic in rows
    )
