"""The stored index terms of experts and problems.

Terms are computed when a profile or problem is saved: the registry sends `matching_text_saved` after commit and
matching's receiver calls `index_after_save`, which enqueues a small task for
that row (run in-process when no broker is configured). A hash of the text is stored beside the terms, so a text
that did not change is never tokenised again.

Each run still checks its pool first (`refresh_index`) and tokenises the rows whose stored hash does not match:
rows written by bulk loaders (seed_demo, the benchmarks) that call no hook, and rows whose task failed or has not
run yet. Indexing never fails a save: a failure is logged with the row's kind and id only.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from talent.matching import text
from talent.matching.models import ExpertIndex, IndexTerms, ProblemIndex
from talent.registry.models import ExpertProfile, FieldProblem
from talent.registry.vocabulary import ProblemStatus

logger = logging.getLogger(__name__)

# Bump when `text.tokenize` changes what it returns: every stored index is then recomputed once. The nouns added
# to the analyser (`text.ANALYSER_SIGNATURE`) count too, without a bump.
# 2: a full stop no longer sticks to the last English word; 3: texts bounded, long runs cut; 4: long nonsense cut
INDEX_VERSION = "4"


@dataclass(frozen=True)
class _Source:
    """A registry model whose text is indexed: where its terms are stored, and which fields make its text."""

    model: type[models.Model]
    index: type[ExpertIndex] | type[ProblemIndex]
    key: str
    fields: tuple[str, ...]


#: The kinds the registry names when it calls `index_after_save`.
SOURCES = {
    "expert_profile": _Source(ExpertProfile, ExpertIndex, "expert_id", ("summary_ko", "summary_en")),
    "field_problem": _Source(FieldProblem, ProblemIndex, "problem_id", ("title", "description")),
}


def _source_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join((INDEX_VERSION, text.ANALYSER_SIGNATURE, *parts)).encode()).hexdigest()


def index_after_save(*, kind: str, pk: int) -> None:
    """Called (through the registry's `matching_text_saved` signal) after an expert profile or field problem was
    committed: a task stores its terms if its text changed. Never raises: the save is kept, and the next run indexes
    the row."""
    from talent.matching import tasks  # tasks import the services

    try:
        tasks.index_texts.delay(kind, [pk])  # on the indexing queue (CELERY_TASK_ROUTES)
    except Exception as error:  # noqa: BLE001 - the save is committed; the next run indexes the row
        logger.warning(
            "index terms of %s %s not computed after save (%s); the next match run computes them",
            kind,
            pk,
            type(error).__name__,
        )


def index_texts(*, kind: str, ids: Iterable[int]) -> int:
    """Store the terms of these expert profiles or field problems (`kind` as in SOURCES) whose text changed since
    they were indexed; the number tokenised. Idempotent: rows indexed with their current text, and rows gone, are
    skipped."""
    source = SOURCES[kind]
    rows = source.model._default_manager.filter(pk__in=list(ids)).values_list("pk", *source.fields)
    _terms, tokenised = _refresh(source.index, source.key, {pk: tuple(parts) for pk, *parts in rows})
    return tokenised


def refresh_index(
    experts: Sequence[Mapping[str, Any]], problems: Sequence[Mapping[str, Any]]
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[str, int]]:
    """The stored terms of each pool row, re-tokenising (and storing) only the rows whose text changed."""
    expert_source, problem_source = SOURCES["expert_profile"], SOURCES["field_problem"]
    expert_texts = {e["id"]: tuple(e[name] for name in expert_source.fields) for e in experts}
    problem_texts = {p["id"]: tuple(p[name] for name in problem_source.fields) for p in problems}
    expert_terms, expert_changed = _refresh(ExpertIndex, expert_source.key, expert_texts)
    problem_terms, problem_changed = _refresh(ProblemIndex, problem_source.key, problem_texts)
    return expert_terms, problem_terms, {"experts_tokenised": expert_changed, "problems_tokenised": problem_changed}


def _refresh(model: type[IndexTerms], key: str, texts: dict[int, tuple[str, ...]]) -> tuple[dict[int, list[str]], int]:
    hashes = {pk: _source_hash(*parts) for pk, parts in texts.items()}
    stored = {
        pk: (source_hash, tokens)
        for pk, source_hash, tokens in model._default_manager.filter(**{f"{key}__in": list(texts)}).values_list(
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
            model._default_manager.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=[key.removesuffix("_id")],
                update_fields=["tokens", "source_hash", "indexed_at"],
            )
        terms.update(zip(changed, fresh, strict=True))
    return terms, len(changed)


def registry_documents(
    *, full_experts: Collection[int], full_problems: Collection[int]
) -> tuple[list[list[str]], list[list[str]]]:
    """(stored terms, skills) of every indexed document of the registry that a run does not score, for document
    frequencies only: profiles of experts who consented to matching but are unavailable or whose capacity is full
    (`full_experts`), closed problems and open ones that want nobody more (`full_problems`). Profiles of experts who
    did not consent and draft problems are not read."""
    experts = ExpertIndex.objects.filter(
        models.Q(expert__consent_to_matching=True, expert__available=False) | models.Q(expert_id__in=list(full_experts))
    ).values_list("tokens", "expert__skills")
    problems = ProblemIndex.objects.filter(
        models.Q(problem__status=ProblemStatus.CLOSED) | models.Q(problem_id__in=list(full_problems))
    ).values_list("tokens", "problem__skills_wanted")
    rows = [*experts, *problems]
    return [tokens for tokens, _skills in rows], [skills for _tokens, skills in rows]
