"""Benchmark of matching quality on a hand-labelled set (not a test); prints its figures. No Django, no database.

The set (bench/labelled/*.toml, written by hand, see bench/labelled/README.md): field problems as Korean SMEs post
them, and expert profiles in Korean, English only (as returning researchers write) or both; each problem names its
right experts (relevance 2) and related ones (1), with the reason. Every expert takes one problem, every problem
wants two experts, and the engine's stable assignment (the runs' default) decides who goes where.

Figures, for the engine and for a naive whitespace-token Jaccard scorer on the same data:
- assignment accuracy: the share of assigned (expert, problem) pairs where the expert is a right one;
- right experts placed: the share of right experts (relevance 2) assigned to a problem they are right for;
- nDCG@5 of each problem's ranked candidates (gain 2^relevance − 1), averaged over problems;
each overall and per language pair: Korean problem ↔ expert who writes Korean (ko↔ko: Korean or both) and ↔ expert
who writes English only (ko↔en). Per pair, accuracy counts the pairs whose expert is of that kind, and nDCG ranks
only the experts of that kind (problems without a graded one of that kind are left out).

Run: .venv/bin/python bench/match_labelled.py [--ablations] [--verbose]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from talent.matching import defaults  # noqa: E402
from talent.matching.background import background_terms  # noqa: E402
from talent.matching.concepts import EMPTY, Vocabulary, build_vocabulary, shipped_concepts  # noqa: E402
from talent.matching.engine import assign  # noqa: E402
from talent.matching.scoring import ExpertDoc, ProblemDoc, score_candidates  # noqa: E402
from talent.matching.text import tokenize  # noqa: E402

LABELLED = ROOT / "bench" / "labelled"
TOP_K = defaults.TOP_K  # the runs' default (MATCHING_TOP_K)
NDCG_AT = 5
LANGUAGE_PAIRS = {"ko↔ko": ("ko", "mixed"), "ko↔en": ("en",)}
GOALS = {"accuracy": 0.95, "ndcg": 0.90, "ko↔en gap": 0.05}


@dataclass
class LabelledSet:
    problems: list[dict[str, Any]]
    experts: list[dict[str, Any]]
    # problem id → expert id → relevance (2 right, 1 related); absent means 0.
    grades: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def expert_language(self) -> dict[str, str]:
        return {expert["id"]: expert["lang"] for expert in self.experts}


def load_set(*folders: Path) -> LabelledSet:
    """Every *.toml in the folders (default: bench/labelled); refuses unknown ids and repeated ids, so that a typo in
    a label is not a 0."""
    problems: list[dict[str, Any]] = []
    experts: list[dict[str, Any]] = []
    folder = ", ".join(map(str, folders or (LABELLED,)))
    for path in sorted(path for folder_path in folders or (LABELLED,) for path in folder_path.glob("*.toml")):
        with path.open("rb") as file:
            data = tomllib.load(file)
        problems += data.get("problem", [])
        experts += data.get("expert", [])
    problem_ids = [problem["id"] for problem in problems]
    expert_ids = [expert["id"] for expert in experts]
    for kind, ids in (("problem", problem_ids), ("expert", expert_ids)):
        if len(set(ids)) != len(ids):
            raise SystemExit(f"a {kind} id appears twice in {folder}")
    grades: dict[str, dict[str, int]] = {pid: {} for pid in problem_ids}

    def grade(problem_id: str, expert_id: str, relevance: int) -> None:
        if problem_id not in grades or expert_id not in expert_ids:
            raise SystemExit(f"label names an unknown id: {problem_id} / {expert_id}")
        grades[problem_id][expert_id] = max(relevance, grades[problem_id].get(expert_id, 0))

    for problem in problems:
        for expert_id in problem.get("right", []):
            grade(problem["id"], expert_id, 2)
        for expert_id in problem.get("related", []):
            grade(problem["id"], expert_id, 1)
    for expert in experts:
        for problem_id in expert.get("right_for", []):
            grade(problem_id, expert["id"], 2)
        for problem_id in expert.get("related_for", []):
            grade(problem_id, expert["id"], 1)
    return LabelledSet(problems=problems, experts=experts, grades=grades)


def problem_text(problem: Mapping[str, Any]) -> str:
    return f"{problem['title']}\n{problem['description']}"  # as the runs' index joins title and description


def expert_text(expert: Mapping[str, Any]) -> str:
    return f"{expert['summary_ko']}\n{expert['summary_en']}"


# A scorer: (set) → problem id → [(expert id, score)], every scored expert, best first.
Ranking = dict[str, list[tuple[str, float]]]


def naive_jaccard(labelled: LabelledSet) -> Ranking:
    """Whitespace tokens (lower-cased) of title, description and skills against summaries and skills: Jaccard."""

    def words(*texts: str) -> set[str]:
        return {word.strip(".,()·:;\"'").lower() for text in texts for word in text.split()} - {""}

    experts = {e["id"]: words(expert_text(e), *e["skills"]) for e in labelled.experts}
    ranking: Ranking = {}
    for problem in labelled.problems:
        mine = words(problem_text(problem), *problem["skills"])
        scored = [(eid, len(mine & theirs) / len(mine | theirs)) for eid, theirs in experts.items()]
        ranking[problem["id"]] = sorted(
            ((eid, score) for eid, score in scored if score > 0), key=lambda item: (-item[1], item[0])
        )
    return ranking


@dataclass(frozen=True)
class Documents:
    problems: list[ProblemDoc]
    experts: list[ExpertDoc]
    vocabulary: Vocabulary
    background: tuple[tuple[str, ...], ...] = ()


def engine_documents(labelled: LabelledSet) -> Documents:
    """The set as the runs see it: stored terms (the index's tokenisation), skills, sector, region, capacity."""
    problem_terms = tokenize([problem_text(p) for p in labelled.problems])
    expert_terms = tokenize([expert_text(e) for e in labelled.experts])
    problems = [
        ProblemDoc(
            id=p["id"],
            tokens=terms,
            skills_wanted=p["skills"],
            ksic_section=p.get("ksic", p["division"][0]),
            region=p["region"],
            remote=p["remote"],
            capacity=p.get("experts_wanted", 2),
        )
        for p, terms in zip(labelled.problems, problem_terms, strict=True)
    ]
    experts = [
        ExpertDoc(
            id=e["id"],
            tokens=terms,
            skills=e["skills"],
            ksic_sections=e["ksic"],
            regions=e["regions"],
            remote_ok=e["remote"],
            capacity=e.get("capacity", 1),
        )
        for e, terms in zip(labelled.experts, expert_terms, strict=True)
    ]
    return Documents(
        problems=problems,
        experts=experts,
        vocabulary=build_vocabulary(shipped_concepts()),
        background=background_terms(),
    )


def engine(documents: Documents, **options: Any) -> Ranking:
    """The engine's scores of every pair (top_k = every expert, so that each problem's whole ranking is known), with
    the shipped background corpus in the document frequencies as the runs have it."""
    options = {"vocabulary": documents.vocabulary, "background_texts": documents.background, **options}
    candidates = score_candidates(documents.experts, documents.problems, top_k=len(documents.experts), **options)
    ranking: Ranking = {pid: [] for pid in candidates.problem_ids}
    for p, e, score in zip(
        candidates.problem_index.tolist(), candidates.expert_index.tolist(), candidates.total.tolist(), strict=True
    ):
        ranking[candidates.problem_ids[p]].append((candidates.expert_ids[e], score))
    return ranking


def assignment(labelled: LabelledSet, ranking: Ranking) -> dict[str, list[str]]:
    """Stable assignment over each problem's TOP_K best candidates, as a run proposes: expert id → problem ids."""
    scores = {(eid, pid): score for pid, ranked in ranking.items() for eid, score in ranked[:TOP_K]}
    experts = {e["id"]: e.get("capacity", 1) for e in labelled.experts}
    problems = {p["id"]: p.get("experts_wanted", 2) for p in labelled.problems}
    return dict(assign(scores, experts, problems).matching)


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], at: int = NDCG_AT) -> float:
    def dcg(gains: Sequence[int]) -> float:
        return sum((2**gain - 1) / math.log2(i + 2) for i, gain in enumerate(gains[:at]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(eid, 0) for eid in ranked]) / ideal if ideal else 0.0


@dataclass(frozen=True)
class Figures:
    accuracy: float
    assigned: int
    placed: float
    right: int
    ndcg: float
    problems: int

    def line(self) -> str:
        return (
            f"accuracy {self.accuracy:.3f} (n={self.assigned:3d})  right experts placed {self.placed:.3f} "
            f"(n={self.right:3d})  nDCG@{NDCG_AT} {self.ndcg:.3f} (problems={self.problems})"
        )


def figures(labelled: LabelledSet, ranking: Ranking, matching: Mapping[str, Sequence[str]]) -> dict[str, Figures]:
    language = labelled.expert_language
    result = {}
    for name, kinds in {"all": ("ko", "mixed", "en"), **LANGUAGE_PAIRS}.items():
        pairs = [(eid, pid) for eid, pids in matching.items() if language[eid] in kinds for pid in pids]
        good = sum(labelled.grades[pid].get(eid, 0) == 2 for eid, pid in pairs)
        right_experts = {
            eid for grades in labelled.grades.values() for eid, g in grades.items() if g == 2 and language[eid] in kinds
        }
        placed = sum(
            any(labelled.grades[pid].get(eid, 0) == 2 for pid in matching.get(eid, ())) for eid in right_experts
        )
        values = []
        for pid, ranked in ranking.items():
            grades = {eid: g for eid, g in labelled.grades[pid].items() if language[eid] in kinds}
            if grades:
                values.append(ndcg([eid for eid, _ in ranked if language[eid] in kinds], grades))
        result[name] = Figures(
            accuracy=good / len(pairs) if pairs else 0.0,
            assigned=len(pairs),
            placed=placed / len(right_experts) if right_experts else 0.0,
            right=len(right_experts),
            ndcg=sum(values) / len(values) if values else 0.0,
            problems=len(values),
        )
    return result


def report(name: str, labelled: LabelledSet, ranking: Ranking, *, verbose: bool = False) -> dict[str, Figures]:
    matching = assignment(labelled, ranking)
    result = figures(labelled, ranking, matching)
    print(f"\n{name}")
    for pair, values in result.items():
        print(f"  {pair:6s} {values.line()}")
    if verbose:
        wrong = sorted(
            (pid, eid) for eid, pids in matching.items() for pid in pids if labelled.grades[pid].get(eid, 0) != 2
        )
        for pid, eid in wrong:
            top = ", ".join(f"{e} {s:.3f}" for e, s in ranking[pid][:4])
            print(f"    wrong: {pid} ← {eid}   (top: {top})")
    return result


def scorers(documents: Documents, *, ablations: bool) -> dict[str, Callable[[], Ranking]]:
    """The engine as the runs use it, and (with --ablations) the variants that switch one part of it off."""
    variants: dict[str, Callable[[], Ranking]] = {"engine": lambda: engine(documents)}
    if ablations:
        variants["generic words at full weight"] = lambda: engine(documents, generic_terms=frozenset())
        variants["sector by KSIC section only"] = lambda: engine(documents, divisions=False)
        variants["an expert naming no division of the section taken for one of another division"] = lambda: engine(
            documents, unknown_division_share=0.0
        )
        variants["sector, region and history counted whatever the topic (no topical evidence needed)"] = lambda: engine(
            documents, context_without_topic=1.0
        )
        variants["an expert naming no region taken for one far from an on-site problem"] = lambda: engine(
            documents, unknown_region_share=0.0
        )
        variants["without the AX vocabulary"] = lambda: engine(documents, vocabulary=EMPTY)
        variants["without loanword links (transliteration)"] = lambda: engine(documents, transliteration=False)
        variants["document frequencies from the pool only (no background corpus)"] = lambda: engine(
            documents, background_texts=()
        )
        variants[
            "skills as whole strings, no vocabulary, generic words and sections as before: the engine before issue 20"
        ] = lambda: engine(
            documents,
            skills_as_terms=False,
            vocabulary=EMPTY,
            generic_terms=frozenset(),
            divisions=False,
            background_texts=(),
            context_without_topic=1.0,
            unknown_region_share=0.0,
        )
    return variants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ablations", action="store_true", help="also score with each part of the engine off")
    parser.add_argument("--verbose", action="store_true", help="list the wrong assignments")
    parser.add_argument(
        "--set",
        action="append",
        type=Path,
        default=[],
        metavar="FOLDER",
        help="a folder of labelled *.toml (repeatable; default bench/labelled; bench/labelled_holdout is held out)",
    )
    args = parser.parse_args()

    labelled = load_set(*args.set)
    graded = sum(len(grades) for grades in labelled.grades.values())
    languages = {kind: sum(e["lang"] == kind for e in labelled.experts) for kind in ("ko", "en", "mixed")}
    print(
        f"labelled set: {len(labelled.problems)} problems, {len(labelled.experts)} experts {languages}, "
        f"{graded} graded pairs; stable assignment over the top {TOP_K}"
    )
    started = time.perf_counter()
    documents = engine_documents(labelled)
    print(f"tokenised in {time.perf_counter() - started:.2f} s (Kiwi model load included)")

    report("naive whitespace-token Jaccard", labelled, naive_jaccard(labelled), verbose=args.verbose)
    results = {}
    for name, scorer in scorers(documents, ablations=args.ablations).items():
        results[name] = report(name, labelled, scorer(), verbose=args.verbose)

    main_figures = results["engine"]
    gap = main_figures["ko↔ko"].ndcg - main_figures["ko↔en"].ndcg
    print(
        f"\ngoals: accuracy ≥ {GOALS['accuracy']} ({main_figures['all'].accuracy:.3f}), nDCG@{NDCG_AT} ≥ "
        f"{GOALS['ndcg']} ({main_figures['all'].ndcg:.3f}), ko↔en nDCG within {GOALS['ko↔en gap']} of ko↔ko "
        f"({gap:+.3f})"
    )


if __name__ == "__main__":
    main()
