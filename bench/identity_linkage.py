"""Benchmark of probable-duplicate finding (not a test); prints its figures.

1. Method comparison on generated labelled sets (bench/identity_people.py): 20,000 persons across 22 universities,
   5% with a second, noisy record at another university. Every method sees the same blocked pairs
   (talent/identity/linkage.py's blocking); recall counts the true pairs blocking missed too.
   - rules: deterministic (same birth date, day/month either way, and the same Korean name; or the same email; or
     the same birth date, family-name romanisation group and folded given name);
   - rapidfuzz: a weighted similarity score (Korean name, Latin names by Jaro–Winkler, birth date, email);
   - fellegi-sunter: linkage.fit (EM, unlabelled) and its match probability.
   Scored methods (fellegi-sunter by its match weight, log2 odds) pick their threshold on one set (seed 2030: the
   highest precision with recall >= 0.95) and are measured on another (seed 2031); the product's own threshold
   (services.THRESHOLD, a match probability) is shown too.
2. Candidate finding over 100,000 persons (blocking + comparison + EM fit + scoring), timed (wall clock and this
   process's CPU time: on a shared machine the wall clock includes waiting for a core); wanted under 60 s.

Run: .venv/bin/python bench/identity_linkage.py [--persons 20000] [--scale 100000]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent.settings")

from rapidfuzz.distance import JaroWinkler, Levenshtein

from bench.identity_people import Population, generate
from talent.identity import linkage
from talent.identity.linkage import Record

PRODUCT_THRESHOLD = 0.9  # talent.identity.services.THRESHOLD (not imported: no Django needed here)


def rules(a: Record, b: Record) -> bool:
    if linkage.compare(a, b)[5] == 0:  # two different strong identifiers
        return False
    same_birth = a.birth_date is not None and b.birth_date is not None and linkage._birth_level(a, b) in (0, 1)
    if same_birth and a.korean and a.korean == b.korean:
        return True
    if a.email and a.email.lower() == b.email.lower():
        return True
    return (
        same_birth
        and bool(a.family_latin and b.family_latin)
        and linkage.family_key(a.family_latin) == linkage.family_key(b.family_latin)
        and linkage.given_key(a.given_latin) == linkage.given_key(b.given_latin)
    )


def fuzzy(a: Record, b: Record) -> float:
    """A plain weighted similarity in [0, 1], fields missing on either side left out of the weights."""
    parts: list[tuple[float, float]] = []
    if a.korean and b.korean:
        parts.append((0.35, Levenshtein.normalized_similarity(a.korean, b.korean)))
    if a.family_latin and b.family_latin:
        parts.append((0.1, JaroWinkler.similarity(a.family_latin.lower(), b.family_latin.lower())))
    if a.given_latin and b.given_latin:
        one, other = (x.lower().replace("-", "").replace(" ", "") for x in (a.given_latin, b.given_latin))
        parts.append((0.2, JaroWinkler.similarity(one, other)))
    if a.birth_date and b.birth_date:
        level = linkage._birth_level(a, b)
        parts.append((0.25, {0: 1.0, 1: 0.8, 2: 0.3}.get(level, 0.0)))
    if a.email and b.email:
        parts.append((0.1, 1.0 if a.email.lower() == b.email.lower() else 0.0))
    weight = sum(w for w, _s in parts)
    return sum(w * s for w, s in parts) / weight if weight else 0.0


def measure(predicted: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    hits = len(predicted & truth)
    return (hits / len(predicted) if predicted else 1.0), hits / len(truth)


def best_threshold(scores: dict[tuple[int, int], float], truth: set[tuple[int, int]], recall: float) -> float:
    """The highest threshold whose recall still reaches `recall` (hence the best precision at that recall)."""
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    hits, needed = 0, recall * len(truth)
    for pair, score in ranked:
        hits += pair in truth
        if hits >= needed:
            return score
    return 0.0


def scored(population: Population, score: Callable[[Record, Record], float]) -> dict[tuple[int, int], float]:
    by_pk = {r.pk: r for r in population.records}
    return {(a, b): score(by_pk[a], by_pk[b]) for a, b in linkage.candidate_pairs(population.records)}


def fs_scores(population: Population) -> dict[tuple[int, int], float]:
    by_pk = {r.pk: r for r in population.records}
    pairs = sorted(linkage.candidate_pairs(population.records))
    vectors = [linkage.compare(by_pk[a], by_pk[b]) for a, b in pairs]
    model = linkage.fit(vectors)
    # Ranked by the match weight (log2 odds): probabilities round to 1.0 for many pairs and would tie.
    return {pair: model.weight(v) for pair, v in zip(pairs, vectors, strict=True)}


def compare_methods(persons: int) -> None:
    tune, test = generate(persons, seed=2030), generate(persons, seed=2031)
    blocked = linkage.candidate_pairs(test.records)
    n = len(test.records)
    print(f"labelled set: {persons} persons, {n} records, {len(test.true_pairs)} true pairs, 22 universities")
    print(
        f"blocking: {len(blocked)} pairs compared of {n * (n - 1) // 2} "
        f"({len(blocked) / (n * (n - 1) / 2):.2e} of all pairs); "
        f"true pairs kept by blocking: {len(blocked & test.true_pairs) / len(test.true_pairs):.4f}"
    )
    print(f"{'method':<34} {'threshold':>9} {'precision':>9} {'recall':>7} {'shown':>6}")
    by_pk = {r.pk: r for r in test.records}
    predicted = {pair for pair in blocked if rules(by_pk[pair[0]], by_pk[pair[1]])}
    precision, recall = measure(predicted, test.true_pairs)
    print(f"{'rules (deterministic)':<34} {'-':>9} {precision:>9.4f} {recall:>7.4f} {len(predicted):>6}")
    for name, method in (("rapidfuzz weighted score", lambda p: scored(p, fuzzy)), ("fellegi-sunter (EM)", fs_scores)):
        threshold = best_threshold(method(tune), tune.true_pairs, 0.95)
        scores = method(test)
        shown = {pair for pair, s in scores.items() if s >= threshold}
        precision, recall = measure(shown, test.true_pairs)
        print(f"{name + ' @ tuned':<34} {threshold:>9.4f} {precision:>9.4f} {recall:>7.4f} {len(shown):>6}")
        if name.startswith("fellegi"):
            weight = math.log2(PRODUCT_THRESHOLD / (1 - PRODUCT_THRESHOLD))
            shown = {pair for pair, s in scores.items() if s >= weight}
            precision, recall = measure(shown, test.true_pairs)
            label = f"{name} @ product (p >= {PRODUCT_THRESHOLD})"
            print(f"{label:<34} {weight:>9.4f} {precision:>9.4f} {recall:>7.4f} {len(shown):>6}")


def scale(persons: int) -> None:
    population = generate(persons, seed=7)
    started, cpu = time.perf_counter(), time.process_time()
    found, model = linkage.find_candidates(population.records, threshold=PRODUCT_THRESHOLD)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    pairs = len(linkage.candidate_pairs(population.records))
    precision, recall = measure({(c.one, c.other) for c in found}, population.true_pairs)
    print(
        f"scale: {len(population.records)} records ({persons} persons): {pairs} blocked pairs, {len(found)} candidates "
        f"in {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU (blocking, comparison, EM fit, scoring; wanted < 60 s); "
        f"precision {precision:.4f}, recall {recall:.4f}; prior {model.prior:.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--scale", type=int, default=100_000)
    args = parser.parse_args()
    compare_methods(args.persons)
    scale(args.scale)


if __name__ == "__main__":
    main()
