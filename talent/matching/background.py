"""The shipped background corpus: short Korean and English technical texts across many fields
(`data/background_corpus.txt`, written by hand, its origin noted in the file), counted with every run's pool when
document frequencies are computed. With a small pool, IDF from the pool alone swings: a word that three of forty
postings happen to share weighs like a field's own word. Texts from outside the pool's fields keep words that every
technical text uses (데이터, 분석, 시스템, model) common, and leave a field's own words rare.

Analysed once per process (one batch call of the analyser), as the pool's texts are (`text.tokenize`). No ORM.
"""

from __future__ import annotations

import functools
from pathlib import Path

from talent.matching.text import tokenize

BACKGROUND_CORPUS = Path(__file__).resolve().parent / "data" / "background_corpus.txt"


def corpus_documents(path: Path = BACKGROUND_CORPUS) -> list[str]:
    """The corpus's documents: paragraphs separated by blank lines, comment lines (#) left out."""
    documents: list[str] = []
    lines: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#"):
            continue
        if line.strip():
            lines.append(line.strip())
        elif lines:
            documents.append(" ".join(lines))
            lines = []
    return documents


@functools.cache
def background_terms() -> tuple[tuple[str, ...], ...]:
    """The analysed terms of each document of the shipped corpus (cached for the process)."""
    return tuple(tuple(terms) for terms in tokenize(corpus_documents()))
