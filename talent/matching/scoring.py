"""How well each expert fits each problem, in [0, 1], and each problem's top-K candidates with their explanations.

The score is a weighted sum (weights: `Weights`, from settings) of four components, each in [0, 1]:
- skills: cosine of the binary vectors of skill terms weighted by IDF (over the skills of experts and problems
  together): each skill analysed as texts are (`text.analyse_skills`: Kiwi nouns, English stems, case and spacing
  ignored) into its terms plus one phrase term for the whole skill, so that 사출 성형 matches 사출성형 whole and
  사출 공정 in part; a rare shared term counts for more than a common one, and listing every skill in the book does
  not pay;
- text: cosine of the TF-IDF vectors (sublinear term frequency) of the stored terms of problem and expert;
- sector: 1 when the problem's KSIC section is one of the expert's sections, else 0; where the vocabulary's
  concepts place the problem in KSIC divisions of its section (C26 semiconductors, C28 batteries…), half of it is
  the section and half the share of those divisions the expert's own concepts also name, so that sector separates
  candidates within manufacturing; an expert whose text names no division of that section (an English-only
  profile in words the vocabulary lacks, a generalist) gets UNKNOWN_DIVISION_SHARE of that half, neither the
  credit of a division shared nor the penalty of another one named;
- region: 1 when the expert works in the problem's region, or the problem allows remote work and the expert
  works remotely; UNKNOWN_REGION_SHARE when the expert names no region (unknown is not far away); else 0.
On top of them, the expert's past proposals in the problem's KSIC section, accepted and declined, add or take up
to `history_weight` (`history_balance`): nothing without history, so a newcomer is not held back.
Sector, region and history qualify a topical fit and do not make one: a pair with little in common in skills and
text (below TOPICAL_FLOOR) gets them only in part, down to CONTEXT_WITHOUT_TOPIC with nothing (`context_share`).
Skills and text also hold the concepts of the AX vocabulary found in them (`concepts.Vocabulary`, weighed
CONCEPT_WEIGHT_* times a word), so that 잔존수명 and "remaining useful life" meet in one term; generic words
(`text.GENERIC_TERMS`) weigh GENERIC_WEIGHT of their IDF. A loanword written in Hangul on one side and in Latin
letters on the other (클린룸, cleanroom) adds one shared term to both (`transliteration`).
Each side is a sparse feature matrix, and the score of every pair is their product, computed a chunk of problems
at a time so that memory stays bounded; only the kept candidates (K per problem) are looked at one by one.
Pure: no ORM, no I/O.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from talent.matching import defaults
from talent.matching.concepts import CONCEPT_PREFIX, EMPTY, Vocabulary
from talent.matching.engine import SCORE_SCALE, Assignment
from talent.matching.text import (
    GENERIC_TERMS,
    GENERIC_WEIGHT,
    PHRASE_PREFIX,
    analyse_skills,
    normalize_skill,
    skill_terms,
)
from talent.matching.transliteration import TRANSLITERATION_PREFIX, link_terms

Id: TypeAlias = Any  # hashable, and orderable among the ids of the same side
IntArray: TypeAlias = npt.NDArray[np.int64]
FloatArray: TypeAlias = npt.NDArray[np.float64]

# Why a candidate's region component is 1, as stored per candidate.
NO_REGION, SAME_REGION, REMOTE, REGION_UNKNOWN = 0, 1, 2, 3
REGION_REASONS: dict[int, str | None] = {
    NO_REGION: None,
    SAME_REGION: "same_region",
    REMOTE: "remote",
    REGION_UNKNOWN: "region_unknown",
}

# Cells (problems × experts) of one chunk's dense score array (8 bytes each); a few such arrays are alive at once.
CHUNK_CELLS = 2_000_000
# A feature column is multiplied densely (BLAS) when the share of problems holding it times the share of experts
# holding it exceeds this: BLAS does a multiply-add about a hundred times faster than a sparse product does one,
# and the few features that most documents hold would otherwise make the sparse product nearly dense.
DENSE_DENSITY = 0.01
MAX_DENSE_FEATURES = 256


@dataclass(frozen=True, slots=True)
class ExpertDoc:
    """What scoring needs of an expert profile: its stored terms, skills, sectors, regions and capacity."""

    id: Id
    tokens: Sequence[str]
    skills: Sequence[str]
    ksic_sections: Sequence[str]
    regions: Sequence[str]
    remote_ok: bool
    capacity: int
    # KSIC section → (proposals accepted, proposals declined) in it: the expert's history.
    history: Mapping[str, tuple[int, int]] = field(default_factory=dict)


def history_balance(accepted: int, declined: int) -> float:
    """In (−1, 1): (accepted − declined) / (accepted + declined + 2); 0 without history, and one answer moves it
    a third of the way, so that a single decline does not bury an expert."""
    return (accepted - declined) / (accepted + declined + 2)


@dataclass(frozen=True, slots=True)
class ProblemDoc:
    """What scoring needs of a field problem; `capacity` is the number of experts it still wants."""

    id: Id
    tokens: Sequence[str]
    skills_wanted: Sequence[str]
    ksic_section: str
    region: str
    remote: bool
    capacity: int


@dataclass(frozen=True, slots=True)
class Weights:
    """The share of each component in the score: non-negative numbers that add up to 1."""

    skills: float = defaults.WEIGHT_SKILLS
    text: float = defaults.WEIGHT_TEXT
    sector: float = defaults.WEIGHT_SECTOR
    region: float = defaults.WEIGHT_REGION

    def __post_init__(self) -> None:
        values = self.as_dict()
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"weight {name!r} must be a finite number, not {value!r}")
            if value < 0:
                raise ValueError(f"weight {name!r} must not be negative, not {value!r}")
        if not math.isclose(sum(values.values()), 1.0, rel_tol=0.0, abs_tol=1e-9):
            raise ValueError(f"weights must add up to 1, not {sum(values.values())!r}")

    def as_dict(self) -> dict[str, float]:
        # Spelled out: every explanation carries the weights, and dataclasses.asdict (a deep copy) costs a second
        # over the 26,000 explanations of a large run.
        return {"skills": self.skills, "text": self.text, "sector": self.sector, "region": self.region}


@dataclass(frozen=True, slots=True, eq=False)
class TermIndex:
    """Unit-length sparse vectors over one vocabulary: problems × terms and experts × terms, columns sorted."""

    problems: sp.csr_array
    experts: sp.csr_array
    terms: list[str]


@dataclass(frozen=True, slots=True, eq=False)
class Candidates:
    """Each problem's kept candidates as parallel arrays, grouped by problem (in id order), best first.

    `problem_index` / `expert_index` point into `problem_ids` / `expert_ids` (each sorted); `rank` is 0 for a
    problem's best candidate. `total` is in whole units of 1e-6, as the assignment engine counts.
    """

    expert_ids: list[Id]
    problem_ids: list[Id]
    expert_capacity: IntArray
    problem_capacity: IntArray
    weights: Weights
    top_k: int
    problem_index: IntArray
    expert_index: IntArray
    rank: IntArray
    total: FloatArray
    skills: FloatArray
    text: FloatArray
    sector: FloatArray
    region: FloatArray
    region_reason: npt.NDArray[np.int8]
    # The share of sector, region and history counted for the pair's topical evidence (`context_share`).
    context_share: FloatArray
    # What the expert's history in the problem's section added to the total (negative: took from it).
    history: FloatArray
    skill_index: TermIndex = field(repr=False)
    text_index: TermIndex = field(repr=False)
    # Per problem: each skill wanted (normalised) and its terms, to say which skills matched.
    problem_skills: list[list[tuple[str, tuple[str, ...]]]] = field(repr=False, default_factory=list)
    vocabulary: Vocabulary = field(repr=False, default=EMPTY)
    # KSIC divisions the vocabulary's concepts place each problem in (with shares) and each expert in.
    problem_divisions: list[dict[str, float]] = field(repr=False, default_factory=list)
    expert_divisions: list[frozenset[str]] = field(repr=False, default_factory=list)
    # Per problem its KSIC section, per expert (accepted, declined) by section: to say what the history added.
    problem_sections: list[str] = field(repr=False, default_factory=list)
    expert_history: list[Mapping[str, tuple[int, int]]] = field(repr=False, default_factory=list)
    # Each loanword link term → (a Korean spelling, an English one) met in the pool, to name it.
    loanwords: dict[str, tuple[str, str]] = field(repr=False, default_factory=dict)

    def __len__(self) -> int:
        return len(self.total)

    def capacities(self) -> tuple[dict[Id, int], dict[Id, int]]:
        """(expert id → capacity, problem id → capacity) for every scored expert and problem, as `assign` takes."""
        return (
            dict(zip(self.expert_ids, self.expert_capacity.tolist(), strict=True)),
            dict(zip(self.problem_ids, self.problem_capacity.tolist(), strict=True)),
        )


# Skills repeat across thousands of documents: normalise each distinct spelling once.
_skill_key = functools.lru_cache(maxsize=65_536)(normalize_skill)


def _sorted_by_id(docs: Sequence[Any], side: str) -> list[Any]:
    ordered = sorted(docs, key=lambda doc: doc.id)
    for before, after in pairwise(ordered):
        if before.id == after.id:
            raise ValueError(f"{side} id {after.id!r} appears twice")
    return ordered


def _count_matrices(groups: Sequence[Sequence[Sequence[str]]]) -> tuple[list[sp.csr_array], list[str]]:
    """A count matrix (documents × terms, columns sorted within rows) per group, over one shared vocabulary."""
    terms = list(dict.fromkeys(chain.from_iterable(chain.from_iterable(groups))))
    vocabulary = dict(zip(terms, range(len(terms)), strict=True))
    matrices = []
    for docs in groups:
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, docs), dtype=np.int64, count=len(docs)), out=indptr[1:])
        columns = np.fromiter(
            map(vocabulary.__getitem__, chain.from_iterable(docs)), dtype=np.int64, count=int(indptr[-1])
        )
        matrix = sp.csr_array((np.ones(len(columns)), columns, indptr), shape=(len(docs), len(terms)))
        matrix.sum_duplicates()  # repeats become counts; also sorts each row's columns
        matrices.append(matrix)
    return matrices, terms


def _normalise_rows(matrix: sp.csr_array) -> None:
    """Scale each non-empty row to unit length, in place."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(rows, weights=matrix.data**2, minlength=matrix.shape[0]))
    if len(rows):
        matrix.data /= norms[rows]


def _tfidf_index(
    problem_terms: Sequence[Sequence[str]],
    expert_terms: Sequence[Sequence[str]],
    *,
    binary: bool,
    weight_of: Callable[[str], float] | None = None,
    background: Sequence[Collection[str]] = (),
) -> TermIndex:
    """Unit TF-IDF vectors over the terms of both sides; term frequency is 1 + ln(count), or 1 when `binary`.

    IDF = ln((1 + N) / (1 + df)) + 1 over all N documents of both sides and of `background` (documents that are
    counted but not scored), so it is positive and finite; times `weight_of(term)` when given.
    """
    (problems, experts), terms = _count_matrices([problem_terms, expert_terms])
    document_frequency = np.bincount(problems.indices, minlength=len(terms)) + np.bincount(
        experts.indices, minlength=len(terms)
    )
    if background:
        column = dict(zip(terms, range(len(terms)), strict=True))
        held = [column[term] for doc in background for term in set(doc) if term in column]
        document_frequency += np.bincount(np.asarray(held, dtype=np.int64), minlength=len(terms))
    documents = problems.shape[0] + experts.shape[0] + len(background)
    idf = np.log((1.0 + documents) / (1.0 + document_frequency)) + 1.0
    if weight_of is not None:
        idf *= np.fromiter(map(weight_of, terms), dtype=np.float64, count=len(terms))
    for matrix in (problems, experts):
        matrix.data = np.ones_like(matrix.data) if binary else 1.0 + np.log(matrix.data)
        matrix.data *= idf[matrix.indices]
        _normalise_rows(matrix)
    return TermIndex(problems=problems, experts=experts, terms=terms)


def _one_per_row(columns: Sequence[int | None], width: int) -> sp.csr_array:
    """Rows with a 1 in the given column, or empty where the column is None."""
    held = np.fromiter((column is not None for column in columns), dtype=bool, count=len(columns))
    indptr = np.zeros(len(columns) + 1, dtype=np.int64)
    np.cumsum(held, out=indptr[1:])
    indices = np.fromiter((column for column in columns if column is not None), dtype=np.int64)
    return sp.csr_array((np.ones(len(indices)), indices, indptr), shape=(len(columns), width))


def _many_per_row(columns: Sequence[Collection[int]], width: int) -> sp.csr_array:
    """Rows with a 1 in each of the given columns."""
    indptr = np.zeros(len(columns) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, columns), dtype=np.int64, count=len(columns)), out=indptr[1:])
    indices = np.fromiter(chain.from_iterable(columns), dtype=np.int64, count=int(indptr[-1]))
    matrix = sp.csr_array((np.ones(len(indices)), indices, indptr), shape=(len(columns), width))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


# The share of the sector component that the section holds when the problem's divisions are known.
SECTION_SHARE = 0.5
# The share of the division half an expert gets whose divisions within the problem's section are unknown: half
# way between a division shared (1) and another division named (0). Not tuned: bench/labelled scores alike from
# 0 to 0.75.
UNKNOWN_DIVISION_SHARE = 0.5


def _sector_features(
    experts: Sequence[ExpertDoc],
    problems: Sequence[ProblemDoc],
    problem_divisions: Sequence[Mapping[str, float]],
    expert_divisions: Sequence[Collection[str]],
    unknown_share: float = UNKNOWN_DIVISION_SHARE,
) -> tuple[sp.csr_array, ...]:
    """(problems, experts): one column per KSIC section, one per division, then one per section for "divisions
    unknown". A problem holds its section at 1, or at SECTION_SHARE when it has divisions, which then share the
    rest (`problem_divisions`: shares adding up to 1), and so does its section's "unknown" column; an expert holds
    each of its sections and divisions at 1, and the "unknown" column of each of its sections in which no division
    of its own is known. Their product is the sector component: an expert whose divisions within the problem's
    section are known is judged by them, one whose text names none is not held to a division it never denied."""
    sections = {
        section: i for i, section in enumerate(sorted(set(chain.from_iterable(doc.ksic_sections for doc in experts))))
    }
    offset = len(sections)
    divisions = {division: offset + i for i, division in enumerate(sorted(set(chain.from_iterable(expert_divisions))))}
    unknown = offset + len(divisions)
    width = unknown + len(sections)
    problem_rows = sp.lil_array((len(problems), width))
    for row, (doc, shares) in enumerate(zip(problems, problem_divisions, strict=True)):
        section = sections.get(doc.ksic_section)
        if section is not None:
            problem_rows[row, section] = SECTION_SHARE if shares else 1.0
            if shares:
                problem_rows[row, unknown + section] = (1.0 - SECTION_SHARE) * unknown_share
        for division, share in shares.items():
            if division in divisions:
                problem_rows[row, divisions[division]] = (1.0 - SECTION_SHARE) * share
    expert_rows = _many_per_row(
        [
            [
                *(sections[section] for section in doc.ksic_sections),
                *(divisions[d] for d in held),
                *(
                    unknown + sections[section]
                    for section in doc.ksic_sections
                    if not any(d.startswith(section) for d in held)
                ),
            ]
            for doc, held in zip(experts, expert_divisions, strict=True)
        ],
        width,
    )
    return problem_rows.tocsr(), expert_rows


# The region component of an expert who names no region, for a problem that names one: half way between working
# there (1) and working elsewhere (0), as for an unknown division. An empty list says nothing of where someone works
# (returning researchers often leave it empty), so it is not taken for "far away". Not tuned on the labelled sets.
UNKNOWN_REGION_SHARE = 0.5


def _region_features(
    experts: Sequence[ExpertDoc], problems: Sequence[ProblemDoc], unknown_share: float = UNKNOWN_REGION_SHARE
) -> tuple[sp.csr_array, ...]:
    """(problems, experts) whose product is 1 exactly when the expert works in the problem's region, or both
    work remotely; `unknown_share` when the expert names no region and the problem names one (unless both work
    remotely: then 1); else 0.

    Per region r two columns, "in r" and "in r or remote", one column "remote", and two for an expert naming no
    region, one if they work remotely, one if not: a problem that is not remote holds "in r" and both "no region"
    columns; a remote one holds "in r or remote" (or "remote" when it names no region known to any expert), and the
    "no region, not remote" column when it names a region. A problem naming no region holds no "no region" column.
    """
    regions = {region: i for i, region in enumerate(sorted(set(chain.from_iterable(doc.regions for doc in experts))))}
    n, remote = len(regions), 2 * len(regions)
    unknown_remote, unknown_local = remote + 1, remote + 2
    width = remote + 3

    def problem_entries(doc: ProblemDoc) -> list[tuple[int, float]]:
        at = regions.get(doc.region)
        entries: list[tuple[int, float]] = []
        if not doc.remote:
            if at is not None:
                entries.append((at, 1.0))
        else:
            entries.append((remote if at is None else n + at, 1.0))
        if doc.region and unknown_share:
            if not doc.remote:
                entries.append((unknown_remote, unknown_share))
            entries.append((unknown_local, unknown_share))
        return entries

    def expert_columns(doc: ExpertDoc) -> list[int]:
        if not doc.regions:
            return [n + at for at in range(n)] + [remote, unknown_remote] if doc.remote_ok else [unknown_local]
        inside = [regions[region] for region in doc.regions]
        if not doc.remote_ok:
            return inside + [n + at for at in inside]
        return [*inside, *range(n, 2 * n), remote]

    rows = [problem_entries(doc) for doc in problems]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)), out=indptr[1:])
    entries = list(chain.from_iterable(rows))
    problem_rows = sp.csr_array(
        (
            np.fromiter((value for _, value in entries), dtype=np.float64, count=len(entries)),
            np.fromiter((column for column, _ in entries), dtype=np.int64, count=len(entries)),
            indptr,
        ),
        shape=(len(problems), width),
    )
    problem_rows.sort_indices()
    return problem_rows, _many_per_row([expert_columns(doc) for doc in experts], width)


def _history_features(experts: Sequence[ExpertDoc], problems: Sequence[ProblemDoc]) -> tuple[sp.csr_array, ...]:
    """(problems, experts) whose product is `history_balance` of the expert's proposals in the problem's section:
    one column per section some expert has history in; a problem holds its section's at 1."""
    sections = {s: i for i, s in enumerate(sorted(set(chain.from_iterable(doc.history for doc in experts))))}
    problem_rows = _one_per_row([sections.get(doc.ksic_section) for doc in problems], len(sections))
    indptr = np.zeros(len(experts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(doc.history) for doc in experts), dtype=np.int64, count=len(experts)), out=indptr[1:])
    entries = [(sections[s], history_balance(*counts)) for doc in experts for s, counts in sorted(doc.history.items())]
    expert_rows = sp.csr_array(
        (
            np.fromiter((value for _, value in entries), dtype=np.float64, count=len(entries)),
            np.fromiter((column for column, _ in entries), dtype=np.int64, count=len(entries)),
            indptr,
        ),
        shape=(len(experts), len(sections)),
    )
    return problem_rows, expert_rows


@dataclass(frozen=True, slots=True, eq=False)
class _PairScorer:
    """Scores of a slice of problems against every expert, in units of 1e-6 and unrounded: the product of the
    problems' weighted features with the experts' features, dense columns by BLAS, the rest as sparse."""

    problem_dense: FloatArray
    expert_dense_t: FloatArray
    problem_sparse: sp.csr_array
    expert_sparse_t: sp.csr_array

    def units(self, start: int, stop: int) -> FloatArray:
        dense = self.problem_dense[start:stop] @ self.expert_dense_t
        units: FloatArray = (self.problem_sparse[start:stop] @ self.expert_sparse_t) + dense
        return units


def _pair_scorer(problem_blocks: Sequence[sp.csr_array], expert_blocks: Sequence[sp.csr_array]) -> _PairScorer:
    problems = sp.hstack(problem_blocks, format="csr")
    experts = sp.hstack(expert_blocks, format="csr")
    width = problems.shape[1]
    density = np.bincount(problems.indices, minlength=width) / max(problems.shape[0], 1)
    density *= np.bincount(experts.indices, minlength=width) / max(experts.shape[0], 1)
    dense = np.argsort(-density, kind="stable")[:MAX_DENSE_FEATURES]
    dense = np.sort(dense[density[dense] > DENSE_DENSITY])
    sparse = np.setdiff1d(np.arange(width), dense, assume_unique=True)
    return _PairScorer(
        problem_dense=problems[:, dense].toarray(),
        expert_dense_t=np.ascontiguousarray(experts[:, dense].toarray().T),
        problem_sparse=problems[:, sparse].tocsr(),
        expert_sparse_t=experts[:, sparse].T.tocsr(),
    )


# Sector, region and history qualify a topical fit; they do not make one. A pair counts them fully when its topical
# evidence (skills and text, weighted as in the score) reaches TOPICAL_FLOOR, and in proportion below it, down to
# CONTEXT_WITHOUT_TOPIC of them with none at all: an expert who shares nothing of what the problem is about, or one
# common word, ranks below one of the same sector and region who shares something, however near they are, and stays
# a candidate (the sector is some reason to be one). CONTEXT_WITHOUT_TOPIC is half, like the other shares of
# something unknown; 0 would drop related same-sector experts from the rankings. TOPICAL_FLOOR is where right experts
# begin on the three labelled sets used for tuning (bench/labelled, _holdout, _holdout2: the weakest right pairs
# score 0.047, 0.056, 0.068; 99% of unrelated pairs score below 0.05); the blind _holdout3 did not choose it (it
# assigns alike with a floor of 0).
CONTEXT_WITHOUT_TOPIC = 0.5
TOPICAL_FLOOR = 0.05


def context_share(
    topical: FloatArray | float, floor: float = TOPICAL_FLOOR, without: float = CONTEXT_WITHOUT_TOPIC
) -> FloatArray:
    """The share of sector, region and history a pair gets for its topical score (`topical`: its weighted skills and
    text): `without` + (1 − `without`) · min(1, topical / `floor`); with `floor` 0, 1 for any topical evidence."""
    topical = np.maximum(np.asarray(topical, dtype=np.float64), 0.0)
    evidence = np.minimum(topical / floor, 1.0) if floor > 0 else (topical > 0).astype(np.float64)
    return without + (1.0 - without) * evidence


@dataclass(frozen=True, slots=True, eq=False)
class _GatedScorer:
    """Topical units (skills, text) plus context units (sector, region, history) times `context_share`."""

    topical: _PairScorer
    context: _PairScorer
    floor: float  # in score units
    without: float

    def units(self, start: int, stop: int) -> FloatArray:
        topical = self.topical.units(start, stop)
        context = self.context.units(start, stop)
        if self.floor > 0:
            # context_share in place: a chunk holds millions of pairs, and each temporary costs a pass over them.
            share = np.minimum(topical, self.floor)
            share *= (1.0 - self.without) / self.floor
            share += self.without
        else:
            share = context_share(topical, self.floor, self.without)
        context *= share
        topical += context
        return topical


def _top_levels(units: FloatArray, keep: int) -> tuple[IntArray, FloatArray]:
    """(each row's `keep` best columns, best first; their scores in whole units), ties going to the lower column.

    Overwrites `units` with the key level · n + (n − 1 − column): distinct within a row, so the top `keep` are
    exact, and below 2**53, so exact in float64.
    """
    n = units.shape[1]
    np.rint(units, out=units)
    units *= n
    units += np.arange(n - 1, -1, -1, dtype=np.float64)
    if keep < n:
        chosen = np.argpartition(units, n - keep, axis=1)[:, n - keep :]
    else:
        chosen = np.broadcast_to(np.arange(n), units.shape)
    keys = np.take_along_axis(units, chosen, axis=1)
    order = np.argsort(-keys, axis=1)
    return np.take_along_axis(chosen, order, axis=1).astype(np.int64), np.take_along_axis(keys, order, axis=1) // n


def _row_dots(left: sp.csr_array, right: sp.csr_array, left_rows: IntArray, right_rows: IntArray) -> FloatArray:
    """left[left_rows[i]] · right[right_rows[i]] for each i, in one sparse operation."""
    if not len(left_rows):
        return np.empty(0, dtype=np.float64)
    return np.asarray(left[left_rows].multiply(right[right_rows]).sum(axis=1), dtype=np.float64).ravel()


def _skill_analysis(
    expert_docs: Sequence[ExpertDoc],
    problem_docs: Sequence[ProblemDoc],
    *,
    as_terms: bool,
    vocabulary: Vocabulary,
    background: Sequence[Sequence[str]] = (),
) -> dict[str, tuple[str, ...]]:
    """Each distinct skill of either side and of the `background` skill lists (normalised) → the terms it is
    compared by: its analysed terms, phrase term and concepts, or (`as_terms` false, for comparison in the
    benchmark) the whole normalised skill only."""
    skills = set(chain.from_iterable(doc.skills for doc in expert_docs))
    skills.update(chain.from_iterable(doc.skills_wanted for doc in problem_docs))
    skills.update(chain.from_iterable(background))
    if not as_terms:
        return {key: (key,) for key in map(_skill_key, skills) if key}
    analysed = analyse_skills(skills)
    if vocabulary.forms:
        # The phrase term is last; concepts are found in the words before it.
        analysed = {
            key: (*terms, *(CONCEPT_PREFIX + c for c in vocabulary.find(terms[:-1]))) for key, terms in analysed.items()
        }
    return analysed


# A concept's term counts this many times the IDF weight of a word: a concept names what a text or skill is
# about, where a word is one way of saying it (measured on bench/match_labelled.py).
CONCEPT_WEIGHT_TEXT = 2.0
CONCEPT_WEIGHT_SKILLS = 2.0


def _term_weights(
    generic: Collection[str], analysed: Mapping[str, Sequence[str]]
) -> tuple[Callable[[str], float], Callable[[str], float]]:
    """The IDF multipliers of text terms and of skill terms: concepts weigh more, generic words (`text.GENERIC_TERMS`)
    less, and so does a skill's phrase term when every word of the skill is generic (품질 예측)."""
    generic_phrases: set[str] = set()
    for terms in analysed.values():
        words = [term for term in terms if not term.startswith((PHRASE_PREFIX, CONCEPT_PREFIX))]
        if words and all(word in generic for word in words):
            generic_phrases.update(term for term in terms if term.startswith(PHRASE_PREFIX))

    def text(term: str) -> float:
        if term.startswith(CONCEPT_PREFIX):
            return CONCEPT_WEIGHT_TEXT
        return GENERIC_WEIGHT if term in generic else 1.0

    def skill(term: str) -> float:
        if term.startswith(CONCEPT_PREFIX):
            return CONCEPT_WEIGHT_SKILLS
        return GENERIC_WEIGHT if term in generic or term in generic_phrases else 1.0

    return text, skill


def _with_concepts(docs: Sequence[ExpertDoc | ProblemDoc], concepts: list[list[str]] | None) -> list[Any]:
    """Each document's terms, followed by a concept term per concept found in them."""
    if concepts is None:
        return [doc.tokens for doc in docs]
    return [[*doc.tokens, *(CONCEPT_PREFIX + key for key in keys)] for doc, keys in zip(docs, concepts, strict=True)]


def _with_transliterations(
    problem_text: list[Any], expert_text: list[Any], analysed: dict[str, tuple[str, ...]]
) -> tuple[list[Any], list[Any], dict[str, tuple[str, ...]], dict[str, tuple[str, str]]]:
    """Texts and skills with the loanword links (`transliteration.link_terms`) found among all of them: a Hangul
    word of one and the same word in Latin letters in another; and how each link is spelled."""
    keys = list(analysed)
    words = [[t for t in analysed[key] if not t.startswith((PHRASE_PREFIX, CONCEPT_PREFIX))] for key in keys]
    links, spellings = link_terms([*problem_text, *expert_text, *words])
    n_problems, n_experts = len(problem_text), len(expert_text)
    problem_links, expert_links, skill_links = (
        links[:n_problems],
        links[n_problems : n_problems + n_experts],
        links[n_problems + n_experts :],
    )
    return (
        [[*terms, *extra] if extra else terms for terms, extra in zip(problem_text, problem_links, strict=True)],
        [[*terms, *extra] if extra else terms for terms, extra in zip(expert_text, expert_links, strict=True)],
        {
            key: (*analysed[key], *dict.fromkeys(extra)) if extra else analysed[key]
            for key, extra in zip(keys, skill_links, strict=True)
        },
        spellings,
    )


def _division_counts(vocabulary: Vocabulary, text_concepts: Sequence[str], skill_terms: Sequence[str]) -> Counter[str]:
    """How often the concepts of a document's text and skills name each KSIC division."""
    counts = vocabulary.divisions(CONCEPT_PREFIX + key for key in text_concepts)
    counts.update(vocabulary.divisions(skill_terms))
    return counts


def _division_shares(
    vocabulary: Vocabulary, section: str, text_concepts: Sequence[str], skill_terms: Sequence[str]
) -> dict[str, float]:
    """The problem's divisions within its own section, each with its share of the mentions (adding up to 1)."""
    counts = {
        division: count
        for division, count in _division_counts(vocabulary, text_concepts, skill_terms).items()
        if division.startswith(section) and section
    }
    total = sum(counts.values())
    return {division: count / total for division, count in counts.items()} if total else {}


def score_candidates(
    experts: Sequence[ExpertDoc],
    problems: Sequence[ProblemDoc],
    *,
    weights: Weights = Weights(),  # frozen, so one shared default is safe
    top_k: int = defaults.TOP_K,
    min_score: float = defaults.MIN_SCORE,
    chunk_cells: int = CHUNK_CELLS,
    vocabulary: Vocabulary = EMPTY,
    skills_as_terms: bool = True,
    generic_terms: Collection[str] = GENERIC_TERMS,
    divisions: bool = True,
    background_texts: Sequence[Sequence[str]] = (),
    background_skills: Sequence[Sequence[str]] = (),
    history_weight: float = defaults.HISTORY_WEIGHT,
    transliteration: bool = True,
    unknown_division_share: float = UNKNOWN_DIVISION_SHARE,
    unknown_region_share: float = UNKNOWN_REGION_SHARE,
    topical_floor: float = TOPICAL_FLOOR,
    context_without_topic: float = CONTEXT_WITHOUT_TOPIC,
) -> Candidates:
    """Every problem's `top_k` best experts (score above 0 and at least `min_score`), best first, ties broken by
    expert id. Ids must be unique and sortable on each side. The runs give the AX `vocabulary`; the other switches
    exist for the benchmark's comparisons (bench/match_labelled.py --ablations): skills as whole normalised strings
    (`skills_as_terms` false, as before issue 20), generic words at full weight (`generic_terms` empty), sector by
    section only (`divisions` false), an expert's unknown division taken for another one
    (`unknown_division_share` 0).

    `background_texts` (analysed terms) and `background_skills` (skill lists) are documents that are not scored but
    counted in the document frequencies: the shipped background corpus (`background.background_terms`) and the
    registry's documents outside the pool, so that how common a word is does not hang on the few documents of one
    pool. `history_weight`: the most an expert's accepted and declined proposals in the problem's KSIC section
    (`ExpertDoc.history`) add to or take from the total."""
    if top_k < 1:
        raise ValueError(f"top_k must be at least 1, not {top_k!r}")
    expert_docs: list[ExpertDoc] = _sorted_by_id(experts, "expert")
    problem_docs: list[ProblemDoc] = _sorted_by_id(problems, "problem")
    n_experts, n_problems = len(expert_docs), len(problem_docs)

    problem_concepts = [vocabulary.find(doc.tokens) for doc in problem_docs] if vocabulary.forms else None
    expert_concepts = [vocabulary.find(doc.tokens) for doc in expert_docs] if vocabulary.forms else None
    analysed = _skill_analysis(
        expert_docs, problem_docs, as_terms=skills_as_terms, vocabulary=vocabulary, background=background_skills
    )
    problem_text = _with_concepts(problem_docs, problem_concepts)
    expert_text = _with_concepts(expert_docs, expert_concepts)
    loanwords: dict[str, tuple[str, str]] = {}
    if transliteration and skills_as_terms:
        problem_text, expert_text, analysed, loanwords = _with_transliterations(problem_text, expert_text, analysed)
    text_weight, skill_weight = _term_weights(generic_terms, analysed)
    text_index = _tfidf_index(
        problem_text,
        expert_text,
        binary=False,
        weight_of=text_weight,
        background=[vocabulary.annotate(terms) for terms in background_texts] if vocabulary.forms else background_texts,
    )
    problem_skill_terms = [skill_terms(doc.skills_wanted, analysed) for doc in problem_docs]
    expert_skill_terms = [skill_terms(doc.skills, analysed) for doc in expert_docs]
    skill_index = _tfidf_index(
        problem_skill_terms,
        expert_skill_terms,
        binary=True,
        weight_of=skill_weight,
        background=[skill_terms(skills, analysed) for skills in background_skills],
    )
    problem_skills = [
        [(key, analysed[key]) for key in dict.fromkeys(map(_skill_key, doc.skills_wanted)) if key in analysed]
        for doc in problem_docs
    ]
    problem_divisions: list[dict[str, float]] = []
    expert_divisions: list[frozenset[str]] = []
    if divisions and problem_concepts is not None and expert_concepts is not None:
        problem_divisions = [
            _division_shares(vocabulary, doc.ksic_section, concepts, terms)
            for doc, concepts, terms in zip(problem_docs, problem_concepts, problem_skill_terms, strict=True)
        ]
        expert_divisions = [
            frozenset(_division_counts(vocabulary, concepts, terms))
            for concepts, terms in zip(expert_concepts, expert_skill_terms, strict=True)
        ]
    del problem_concepts, expert_concepts, problem_skill_terms, expert_skill_terms
    problem_sectors, expert_sectors = _sector_features(
        expert_docs,
        problem_docs,
        problem_divisions or [{}] * n_problems,
        expert_divisions or [frozenset()] * n_experts,
        unknown_division_share,
    )
    problem_regions, expert_regions = _region_features(expert_docs, problem_docs, unknown_region_share)
    problem_history, expert_history = _history_features(expert_docs, problem_docs)
    scale = float(SCORE_SCALE)
    scorer = _GatedScorer(
        topical=_pair_scorer(
            [weights.skills * scale * skill_index.problems, weights.text * scale * text_index.problems],
            [skill_index.experts, text_index.experts],
        ),
        context=_pair_scorer(
            [
                weights.sector * scale * problem_sectors,
                weights.region * scale * problem_regions,
                history_weight * scale * problem_history,
            ],
            [expert_sectors, expert_regions, expert_history],
        ),
        floor=topical_floor * scale,
        without=context_without_topic,
    )

    keep = min(top_k, n_experts)
    least_level = max(1, math.ceil(round(min_score * SCORE_SCALE, 6)))
    chunk_rows = max(1, chunk_cells // max(n_experts, 1))
    picked: list[tuple[IntArray, IntArray, FloatArray]] = []
    for start in range(0, n_problems if keep else 0, chunk_rows):
        stop = min(start + chunk_rows, n_problems)
        chosen, levels = _top_levels(scorer.units(start, stop), keep)
        wanted = levels.ravel() >= least_level
        rows = np.repeat(np.arange(start, stop, dtype=np.int64), keep)
        picked.append((rows[wanted], chosen.ravel()[wanted], levels.ravel()[wanted]))

    problem_index, expert_index, level = (
        (np.concatenate(column) for column in zip(*picked, strict=True))
        if picked
        else (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))
    )
    # Grouped by problem, best first: a candidate's rank is its position within its problem's group.
    rank = np.arange(len(problem_index), dtype=np.int64) - np.searchsorted(problem_index, problem_index)
    sector = _row_dots(problem_sectors, expert_sectors, problem_index, expert_index)
    region = _row_dots(problem_regions, expert_regions, problem_index, expert_index)
    same_region = np.fromiter(
        (
            problem_docs[p].region in expert_docs[e].regions
            for p, e in zip(problem_index.tolist(), expert_index.tolist(), strict=True)
        ),
        dtype=bool,
        count=len(problem_index),
    )
    skills = np.clip(_row_dots(skill_index.problems, skill_index.experts, problem_index, expert_index), 0.0, 1.0)
    text = np.clip(_row_dots(text_index.problems, text_index.experts, problem_index, expert_index), 0.0, 1.0)
    topical = weights.skills * skills + weights.text * text
    share = np.round(context_share(topical, topical_floor, context_without_topic), 6)
    region = np.round(region, 6)
    region_reason = np.select(
        [same_region, region >= 1.0, region > 0.0], [SAME_REGION, REMOTE, REGION_UNKNOWN], NO_REGION
    ).astype(np.int8)
    return Candidates(
        expert_ids=[doc.id for doc in expert_docs],
        problem_ids=[doc.id for doc in problem_docs],
        expert_capacity=np.fromiter((doc.capacity for doc in expert_docs), dtype=np.int64, count=n_experts),
        problem_capacity=np.fromiter((doc.capacity for doc in problem_docs), dtype=np.int64, count=n_problems),
        weights=weights,
        top_k=top_k,
        problem_index=problem_index,
        expert_index=expert_index,
        rank=rank,
        total=np.minimum(level, SCORE_SCALE) / SCORE_SCALE,
        skills=skills,
        text=text,
        sector=np.clip(np.round(sector, 6), 0.0, 1.0),
        region=np.clip(region, 0.0, 1.0),
        region_reason=region_reason,
        context_share=share,
        history=np.round(
            share * history_weight * _row_dots(problem_history, expert_history, problem_index, expert_index), 6
        ),
        skill_index=skill_index,
        text_index=text_index,
        problem_skills=problem_skills,
        vocabulary=vocabulary,
        problem_divisions=problem_divisions,
        expert_divisions=expert_divisions,
        problem_sections=[doc.ksic_section for doc in problem_docs],
        expert_history=[doc.history for doc in expert_docs],
        loanwords=loanwords,
    )


def _shared(index: TermIndex, problem: int, expert: int) -> tuple[list[tuple[str, float]], list[str]]:
    """(terms both rows hold, with their contribution to the cosine, largest first; terms only the problem holds,
    heaviest first); ties in term order."""
    problems, experts = index.problems, index.experts
    p_start, p_stop = problems.indptr[problem : problem + 2].tolist()
    e_start, e_stop = experts.indptr[expert : expert + 2].tolist()
    held = dict(zip(experts.indices[e_start:e_stop].tolist(), experts.data[e_start:e_stop].tolist(), strict=True))
    shared: list[tuple[str, float]] = []
    missing: list[tuple[str, float]] = []
    for column, weight in zip(
        problems.indices[p_start:p_stop].tolist(), problems.data[p_start:p_stop].tolist(), strict=True
    ):
        if column in held:
            shared.append((index.terms[column], weight * held[column]))
        else:
            missing.append((index.terms[column], weight))
    shared.sort(key=lambda item: (-item[1], item[0]))
    missing.sort(key=lambda item: (-item[1], item[0]))
    return shared, [term for term, _ in missing]


def _skills_matched(candidates: Candidates, problem: int, expert: int) -> tuple[list[str], list[str]]:
    """(the problem's skills the expert matches, whole ones first, then rarest first (the mean weight of the terms
    shared); the skills it lacks, in the problem's order)."""
    shared, _ = _shared(candidates.skill_index, problem, expert)
    weight = dict(shared)
    matched: list[tuple[bool, float, int, str]] = []
    missing: list[str] = []
    for position, (skill, terms) in enumerate(candidates.problem_skills[problem]):
        common = [term for term in terms if term in weight]
        if common:
            whole = all(term in weight for term in terms)
            # Rarity from the skill's own words: its concepts' extra weight would put every concept's skill first.
            words = [term for term in common if not term.startswith(CONCEPT_PREFIX)] or common
            matched.append((not whole, -sum(weight[term] for term in words) / len(words), position, skill))
        else:
            missing.append(skill)
    return [skill for *_, skill in sorted(matched)], missing


def explain(candidates: Candidates, i: int, *, terms: int = 5) -> dict[str, Any]:
    """Why candidate `i` scored what it did: its rank (1 = best), score and components, the skills it shares with
    the problem (whole or in part) and those it lacks, the `terms` shared words that weigh most, the concepts of
    the vocabulary that linked the two sides (each named in Korean and English) and the loanwords written in Hangul
    on one side and Latin letters on the other, heaviest first. JSON-ready."""
    problem, expert = int(candidates.problem_index[i]), int(candidates.expert_index[i])
    matched_skills, missing_skills = _skills_matched(candidates, problem, expert)
    shared_terms, _ = _shared(candidates.text_index, problem, expert)
    shared_skill_terms, _ = _shared(candidates.skill_index, problem, expert)
    concept_weight: dict[str, float] = {}
    loanword_weight: dict[str, float] = {}
    for term, weight in chain(shared_terms, shared_skill_terms):
        if term.startswith(CONCEPT_PREFIX):
            concept_weight[term] = concept_weight.get(term, 0.0) + weight
        elif term.startswith(TRANSLITERATION_PREFIX):
            loanword_weight[term] = loanword_weight.get(term, 0.0) + weight
    concepts = [
        label
        for term in sorted(concept_weight, key=lambda term: (-concept_weight[term], term))
        if (label := candidates.vocabulary.label(term)) is not None
    ]
    loanwords = [
        {"ko": ko, "en": en}
        for term in sorted(loanword_weight, key=lambda term: (-loanword_weight[term], term))
        for ko, en in [candidates.loanwords.get(term, ("", ""))]
        if ko
    ]
    shared_terms = [
        (term, weight) for term, weight in shared_terms if not term.startswith((CONCEPT_PREFIX, TRANSLITERATION_PREFIX))
    ]
    return {
        "rank": int(candidates.rank[i]) + 1,
        "score": float(candidates.total[i]),
        "components": {
            "skills": round(float(candidates.skills[i]), 6),
            "text": round(float(candidates.text[i]), 6),
            "sector": float(candidates.sector[i]),
            "region": float(candidates.region[i]),
        },
        "weights": candidates.weights.as_dict(),
        # Sector, region and history count in proportion to the topical evidence (skills, text): this share.
        "context_share": float(candidates.context_share[i]),
        "matched_skills": matched_skills,
        "missing_skills": missing_skills,
        "matched_terms": [{"term": term, "weight": round(weight, 4)} for term, weight in shared_terms[:terms]],
        "matched_concepts": concepts[:terms],
        # The same word written in Hangul on one side and Latin letters on the other (파티클 · particl).
        "matched_loanwords": loanwords[:terms],
        "sector_match": bool(candidates.sector[i]),
        "matched_divisions": sorted(
            set(candidates.problem_divisions[problem]) & candidates.expert_divisions[expert]
            if candidates.problem_divisions
            else ()
        ),
        "region_match": REGION_REASONS[int(candidates.region_reason[i])],
        "history": _history(candidates, i, problem, expert),
    }


def _history(candidates: Candidates, i: int, problem: int, expert: int) -> dict[str, Any] | None:
    """The expert's proposals in the problem's section and what they added to the score; None without any."""
    if not candidates.problem_sections:
        return None
    section = candidates.problem_sections[problem]
    counts = candidates.expert_history[expert].get(section)
    if not counts:
        return None
    accepted, declined = counts
    return {"section": section, "accepted": accepted, "declined": declined, "added": float(candidates.history[i])}


def scores_dict(candidates: Candidates) -> dict[tuple[Id, Id], float]:
    """(expert id, problem id) → score for every candidate pair, as `talent.matching.engine.assign` takes."""
    experts = map(candidates.expert_ids.__getitem__, candidates.expert_index.tolist())
    problems = map(candidates.problem_ids.__getitem__, candidates.problem_index.tolist())
    return dict(zip(zip(experts, problems, strict=True), candidates.total.tolist(), strict=True))


def near_misses(
    candidates: Candidates, assignment: Assignment | Mapping[Id, Collection[Id]]
) -> dict[Id, list[dict[str, Any]]]:
    """For each candidate expert who was assigned nothing: every problem they were a candidate for, with their
    score, the lowest score among the experts that problem accepted (None if it accepted nobody) and the gap
    between the two; closest first."""
    matching = assignment.matching if isinstance(assignment, Assignment) else assignment
    n_experts = len(candidates.expert_ids)
    expert_at = {identifier: i for i, identifier in enumerate(candidates.expert_ids)}
    problem_at = {identifier: i for i, identifier in enumerate(candidates.problem_ids)}
    accepted_keys = np.fromiter(
        (
            problem_at[problem] * n_experts + expert_at[expert]
            for expert, problems in matching.items()
            if expert in expert_at
            for problem in problems
            if problem in problem_at
        ),
        dtype=np.int64,
    )
    placed = np.fromiter(
        (expert_at[expert] for expert, problems in matching.items() if problems and expert in expert_at),
        dtype=np.int64,
    )
    accepted = np.isin(candidates.problem_index * n_experts + candidates.expert_index, accepted_keys)
    lowest = np.full(len(candidates.problem_ids), np.inf)
    np.minimum.at(lowest, candidates.problem_index[accepted], candidates.total[accepted])

    result: dict[Id, list[dict[str, Any]]] = {}
    for row in np.flatnonzero(~np.isin(candidates.expert_index, placed)).tolist():
        problem = int(candidates.problem_index[row])
        score = float(candidates.total[row])
        last = float(lowest[problem]) if math.isfinite(lowest[problem]) else None
        result.setdefault(candidates.expert_ids[int(candidates.expert_index[row])], []).append(
            {
                "problem_id": candidates.problem_ids[problem],
                "rank": int(candidates.rank[row]) + 1,
                "score": score,
                "last_accepted_score": last,
                "gap": None if last is None else round(last - score, 6),
            }
        )
    for entries in result.values():
        # Stable: equal gaps stay in problem order.
        entries.sort(key=lambda entry: (entry["gap"] is None, entry["gap"] or 0.0))
    return result
