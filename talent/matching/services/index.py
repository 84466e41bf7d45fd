"""The stored index terms of experts and problems.

The registry's services cannot call matching, so a run first re-tokenises the experts and problems of its pool
whose text changed since they were indexed (a hash of the text is stored beside the terms) and stores the new
terms; unchanged rows are read back, never re-tokenised. The web process never loads the Kiwi model: terms are
computed in the worker, by the first run after a profile or problem is saved.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from talent.matching import text
from talent.matching.models import ExpertIndex, ProblemIndex

# Bump when `text.tokenize` changes what it returns: every stored index is then recomputed once.
INDEX_VERSION = "1"


def _source_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join((INDEX_VERSION, *parts)).encode()).hexdigest()


def refresh_index(
    experts: list[dict[str, Any]], problems: list[dict[str, Any]]
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[str, int]]:
    """The stored terms of each pool row, re-tokenising (and storing) only the rows whose text changed."""
    expert_texts = {e["id"]: (e["summary_ko"], e["summary_en"]) for e in experts}
    problem_texts = {p["id"]: (p["title"], p["description"]) for p in problems}
    expert_terms, expert_changed = _refresh(ExpertIndex, "expert_id", expert_texts)
    problem_terms, problem_changed = _refresh(ProblemIndex, "problem_id", problem_texts)
    return expert_terms, problem_terms, {"experts_tokenised": expert_changed, "problems_tokenised": problem_changed}


def _refresh(
    model: type[ExpertIndex] | type[ProblemIndex], key: str, texts: dict[int, tuple[str, ...]]
) -> tuple[dict[int, list[str]], int]:
    hashes = {pk: _source_hash(*parts) for pk, parts in texts.items()}
    stored = {
        pk: (source_hash, tokens)
        for pk, source_hash, tokens in model.objects.filter(**{f"{key}__in": list(texts)}).values_list(
            key, "source_hash", "tokens"
        )
    }
    terms = {pk: stored[pk][1] for pk in texts if pk in stored and stored[pk][0] == hashes[pk]}
    changed = sorted(pk for pk in texts if pk not in terms)
    if changed:
        fresh = text.tokenize(["\n".join(texts[pk]) for pk in changed])
        now = timezone.now()
        rows = [
            model(**{key: pk, "tokens": tokens, "source_hash": hashes[pk], "indexed_at": now})
            for pk, tokens in zip(changed, fresh, strict=True)
        ]
        with transaction.atomic():
            model.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=[key.removesuffix("_id")],
                update_fields=["tokens", "source_hash", "indexed_at"],
            )
        terms.update(zip(changed, fresh, strict=True))
    return terms, len(changed)
