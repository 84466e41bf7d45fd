"""What a vocabulary edition's data migration writes (0006, 0009): the shipped concepts a database lacks, added as
shipped, each without the terms a concept there already has. A term belongs to one concept (the admin refuses a
second), and a concept an operator wrote keeps its terms; an entry left with fewer than two different terms links
nothing and is not added. Concepts the database has, edited or not, are not touched. (Not a migration: Django's
loader skips modules whose name starts with "_".)"""

from collections.abc import Iterable
from typing import Any

from talent.matching.concepts import term_key

TERM_LISTS = ("ko", "en", "abbr")


def entries_to_add(
    entries: Iterable[dict[str, Any]], existing: Iterable[tuple[str, list[str]]]
) -> list[dict[str, Any]]:
    """Of the shipped `entries`, those to add to a vocabulary holding the `existing` concepts ((key, terms) each),
    less the terms those concepts have."""
    existing = list(existing)
    keys = {key for key, _ in existing}
    taken = {term_key(term) for _, terms in existing for term in terms}
    additions = []
    for entry in entries:
        if entry["key"] in keys:
            continue
        kept = {name: [term for term in entry.get(name, []) if term_key(term) not in taken] for name in TERM_LISTS}
        if len({term_key(term) for terms in kept.values() for term in terms}) >= 2:
            additions.append({**entry, **kept})
    return additions


def add_shipped_concepts(concept_model: Any, entries: Iterable[dict[str, Any]]) -> None:
    """Add `entries_to_add` of `entries` through the migration's historical AxConcept model."""
    existing = [
        (key, [*ko, *en, *abbr])
        for key, ko, en, abbr in concept_model.objects.values_list("key", "terms_ko", "terms_en", "abbreviations")
    ]
    concept_model.objects.bulk_create(
        [
            concept_model(
                key=entry["key"],
                terms_ko=entry["ko"],
                terms_en=entry["en"],
                abbreviations=entry["abbr"],
                ksic_divisions=entry.get("ksic", []),
                shipped=True,
            )
            for entry in entries_to_add(entries, existing)
        ]
    )
