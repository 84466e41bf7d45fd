"""The bilingual AX vocabulary as the scorer uses it: concepts, each named by Korean terms, English terms and
abbreviations (잔존수명 / remaining useful life / RUL), found in the analysed terms of texts and skills on both
sides, so that a Korean posting and an English-only profile share the concept where they share no word.

Each concept's terms go through the same analysis as texts (`text.tokenize`: Kiwi nouns, English stems, case), and
a term is found wherever its terms follow one another in a document, written together or apart: 가상계측 and
가상 계측 are the same term, "remaining useful life" matches "remaining useful lives". A found concept adds one
term, `CONCEPT_PREFIX` + key, to the document. The shipped vocabulary is data
(`talent/matching/data/ax_vocabulary.json`), loaded into the database (`AxConcept`), where operators extend it.
Pure: no ORM.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talent.matching.text import GENERIC_TERMS, tokenize

SHIPPED_VOCABULARY = Path(__file__).resolve().parent / "data" / "ax_vocabulary.json"
# ":" never occurs in an analysed term (Kiwi splits at it), so no word of a text can pass for a concept.
CONCEPT_PREFIX = "ax:"
# An analysed term shorter than this (one syllable, one letter) would be found everywhere: it is not looked for.
MIN_FORM_LENGTH = 2
MAX_TERM_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept: its key, its terms in Korean and English, abbreviations, and the KSIC divisions it belongs to
    (empty for a concept of every sector, such as anomaly detection)."""

    key: str
    terms_ko: tuple[str, ...]
    terms_en: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()
    ksic_divisions: tuple[str, ...] = ()

    @property
    def label_ko(self) -> str:
        return (self.terms_ko or self.abbreviations or self.terms_en or (self.key,))[0]

    @property
    def label_en(self) -> str:
        return (self.terms_en or self.abbreviations or self.terms_ko or (self.key,))[0]

    @property
    def terms(self) -> tuple[str, ...]:
        return (*self.terms_ko, *self.terms_en, *self.abbreviations)

    def as_label(self) -> dict[str, str]:
        return {"key": self.key, "ko": self.label_ko, "en": self.label_en}


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Concepts by key, and each analysed term form (the terms run together) → the keys of its concepts."""

    concepts: dict[str, Concept]
    forms: dict[str, tuple[str, ...]]
    prefixes: frozenset[str] = field(repr=False)

    def find(self, terms: Sequence[str]) -> list[str]:
        """The keys of the concepts whose terms occur in `terms` (analysed terms, in order), once per occurrence:
        the longest term found at a position wins, and the search goes on after it (so "virtual metrology" is
        found as itself, not also as metrology)."""
        found: list[str] = []
        forms, prefixes = self.forms, self.prefixes
        start, count = 0, len(terms)
        while start < count:
            joined, stop = terms[start], start + 1
            longest: tuple[str, ...] = ()
            end = start + 1
            while True:
                keys = forms.get(joined)
                if keys:
                    longest, end = keys, stop
                if joined not in prefixes or stop >= count:
                    break
                joined += terms[stop]
                stop += 1
            found.extend(longest)
            start = end
        return found

    def annotate(self, terms: Sequence[str]) -> list[str]:
        """`terms` followed by one concept term per concept occurrence found in them."""
        return [*terms, *(CONCEPT_PREFIX + key for key in self.find(terms))]

    def divisions(self, concept_terms: Iterable[str]) -> Counter[str]:
        """How often each KSIC division is named by the concepts among `concept_terms` (any terms; others ignored)."""
        counts: Counter[str] = Counter()
        for term in concept_terms:
            if term.startswith(CONCEPT_PREFIX):
                concept = self.concepts.get(term[len(CONCEPT_PREFIX) :])
                if concept is not None:
                    counts.update(concept.ksic_divisions)
        return counts

    def label(self, concept_term: str) -> dict[str, str] | None:
        """{key, ko, en} of a concept term, None for any other term."""
        if not concept_term.startswith(CONCEPT_PREFIX):
            return None
        concept = self.concepts.get(concept_term[len(CONCEPT_PREFIX) :])
        return concept.as_label() if concept else None


EMPTY = Vocabulary(concepts={}, forms={}, prefixes=frozenset())


def _hangul(text: str) -> int:
    return sum(_HANGUL_FIRST <= ord(char) <= _HANGUL_LAST for char in text)


_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


def searchable(term: str, terms: Sequence[str]) -> bool:
    """Whether a concept's term, analysed into `terms`, is looked for in texts. Not when its analysis leaves fewer
    than MIN_FORM_LENGTH characters; nor when every word of it is generic (`text.GENERIC_TERMS`: 공정 관리,
    "machining", which stems to the "machin" of every "machine learning"); nor when the analysis lost some of its
    Hangul and left a single word (깊이 카메라 is read as 카메라, 검사 결과 as 검사, 가동률 as 가동): that word
    would be found in every text that says the broader thing and link it to the narrower concept. A loss that
    leaves several words (시간대별 요금 as 시간대 요금) still says the concept."""
    form = "".join(terms)
    if len(form) < MIN_FORM_LENGTH or all(word in GENERIC_TERMS for word in terms):
        return False
    return len(terms) > 1 or _hangul(form) >= _hangul(term)


@functools.lru_cache(maxsize=4)
def build_vocabulary(concepts: tuple[Concept, ...]) -> Vocabulary:
    """A vocabulary of these concepts (each term analysed once, in one batch call; cached per process for the same
    concepts, so that runs do not analyse the same vocabulary again). Terms whose analysis leaves fewer than
    `MIN_FORM_LENGTH` characters are not looked for."""
    if not concepts:
        return EMPTY
    pairs = [(concept.key, term) for concept in concepts for term in concept.terms]
    forms: dict[str, list[str]] = {}
    for (key, term), terms in zip(pairs, tokenize([term for _, term in pairs]), strict=True):
        form = "".join(terms)
        if searchable(term, terms) and key not in forms.setdefault(form, []):
            forms[form].append(key)
    prefixes = frozenset(form[:end] for form in forms for end in range(1, len(form)))
    return Vocabulary(
        concepts={concept.key: concept for concept in concepts},
        forms={form: tuple(keys) for form, keys in forms.items()},
        prefixes=prefixes,
    )


def concept_from_entry(entry: dict[str, Any]) -> Concept:
    """A concept from an entry of the shipped file: {key, ko, en, abbr, ksic}."""
    return Concept(
        key=entry["key"],
        terms_ko=tuple(entry.get("ko", ())),
        terms_en=tuple(entry.get("en", ())),
        abbreviations=tuple(entry.get("abbr", ())),
        ksic_divisions=tuple(entry.get("ksic", ())),
    )


def term_key(term: str) -> str:
    """A term as terms are compared for repeats, within a concept and across concepts: NFKC, case-folded, without
    spaces."""
    return "".join(unicodedata.normalize("NFKC", term).casefold().split())


def shipped_entries(path: Path = SHIPPED_VOCABULARY) -> list[dict[str, Any]]:
    """The entries of the shipped vocabulary file."""
    with path.open(encoding="utf-8") as file:
        entries: list[dict[str, Any]] = json.load(file)["concepts"]
    return entries


def shipped_concepts(path: Path = SHIPPED_VOCABULARY) -> tuple[Concept, ...]:
    return tuple(concept_from_entry(entry) for entry in shipped_entries(path))
