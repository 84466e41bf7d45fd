"""Benchmark of the matching scores (not a test); prints its figures. No Django, no database.

1. Quality on a labelled set: experts and problems generated from eight KSIC sections, each with its own skills
   and vocabulary, texts in Korean, English or both; some experts name no sector or a wrong extra one, and every
   text borrows from the shared vocabulary of AI work. Prints precision@5 (share of each problem's five best
   candidates whose true sector is the problem's), by weights and by the problem's language, and the share of
   placed experts whose problems (stable assignment) are in their own sector.
2. Scale: 20,000 experts × 4,000 problems. Kiwi's batch throughput when indexing every text (documents per second),
   then scoring (top 20 per problem) with its time and memory, then the assignment, explanations and near misses.

Run: .venv/bin/python bench/match_quality.py
"""

from __future__ import annotations

import functools
import gc
import os
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talent.matching import defaults
from talent.matching.concepts import EMPTY, build_vocabulary, shipped_concepts
from talent.matching.engine import AssignmentMode, assign
from talent.matching.scoring import (
    Candidates,
    ExpertDoc,
    ProblemDoc,
    Weights,
    explain,
    near_misses,
    score_candidates,
    scores_dict,
)
from talent.matching.text import analyser, tokenize

TOP_K = defaults.TOP_K
SCORING_SECONDS_WANTED = 5.0  # of the run's 20 s
MEMORY_WANTED_MIB = 2048

# Per KSIC section (10th revision): (Korean noun phrases, English phrases, skills).
SECTORS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "C": (
        ["용접 불량", "비전 검사", "공정 수율", "설비 예지보전", "금형 설계", "사출 성형", "품질 관리", "생산 라인"],
        ["weld defects", "visual inspection", "process yield", "predictive maintenance", "injection moulding"],
        ["컴퓨터 비전", "OpenCV", "PLC", "MES", "예지보전", "이상 탐지", "CAD", "SPC"],
    ),
    "D": (
        ["전력 수요", "태양광 발전량", "송배전 설비", "변전소 점검", "에너지 저장장치", "전력 계통", "풍력 터빈"],
        ["power demand", "solar generation", "grid stability", "energy storage", "wind turbines", "substations"],
        ["전력 계통", "ESS", "SCADA", "태양광", "수요예측", "예지보전", "시계열 분석"],
    ),
    "F": (
        ["건설 현장", "안전 관리", "구조 해석", "시공 일정", "콘크리트 균열", "드론 측량", "도면 검토"],
        ["construction sites", "structural analysis", "concrete cracks", "site safety", "drone surveys", "BIM models"],
        ["BIM", "구조 해석", "드론 측량", "안전 관리", "CAD", "컴퓨터 비전", "공정 관리"],
    ),
    "G": (
        ["온라인 쇼핑몰", "상품 추천", "고객 이탈", "재고 관리", "판매 예측", "가격 최적화", "리뷰 분석"],
        ["product recommendation", "customer churn", "sales forecasting", "pricing", "review mining", "e-commerce"],
        ["추천 시스템", "고객 분석", "가격 최적화", "A/B 테스트", "수요예측", "자연어 처리", "시계열 분석"],
    ),
    "H": (
        ["물류 창고", "배송 경로", "화물 적재", "항만 물동량", "차량 관제", "수요 예측", "창고 자동화"],
        ["route optimisation", "warehouse robots", "freight loading", "fleet telematics", "port throughput"],
        ["경로 최적화", "WMS", "OR-Tools", "수요예측", "시계열 분석", "컴퓨터 비전", "최적화"],
    ),
    "J": (
        [
            "클라우드 서비스",
            "챗봇 개발",
            "검색 엔진",
            "보안 관제",
            "대화형 에이전트",
            "소프트웨어 테스트",
            "데이터 플랫폼",
        ],
        ["cloud services", "chatbots", "search engines", "security monitoring", "LLM agents", "microservices"],
        ["Kubernetes", "LLM", "자연어 처리", "추천 시스템", "이상 탐지", "클라우드", "MLOps"],
    ),
    "K": (
        ["신용 평가", "이상 거래", "보험 청구", "대출 심사", "자산 운용", "금융 사기", "고객 상담"],
        ["credit scoring", "fraud detection", "insurance claims", "loan approval", "portfolio management"],
        ["신용평가 모형", "이상 탐지", "리스크 관리", "계량 분석", "시계열 분석", "자연어 처리", "최적화"],
    ),
    "Q": (
        ["의료 영상", "병변 검출", "전자의무기록", "환자 모니터링", "임상 시험", "돌봄 서비스", "진단 보조"],
        ["medical imaging", "lesion detection", "health records", "patient monitoring", "clinical trials"],
        ["의료 영상", "DICOM", "컴퓨터 비전", "임상 데이터", "생체 신호", "이상 탐지", "자연어 처리"],
    ),
}
SHARED_KO = ["데이터 분석", "인공지능 모델", "딥러닝", "머신러닝", "자동화 시스템", "시각화", "데이터 수집"]
SHARED_EN = ["machine learning", "deep learning", "data pipelines", "dashboards", "model deployment"]
SHARED_SKILLS = ["Python", "PyTorch", "SQL", "머신러닝", "데이터 분석", "TensorFlow"]
REGIONS = ["KR-11", "KR-26", "KR-27", "KR-28", "KR-29", "KR-30", "KR-31", "KR-41", "KR-43", "KR-44", "KR-47", "KR-48"]

EXPERT_KO = [
    "{a} 및 {b} 분야에서 {s} 업무를 맡아 왔습니다. {c} 문제를 해결한 경험이 있습니다.",
    "{a} 프로젝트를 이끌었고 {b} 개선 작업을 했습니다. {s} 역량을 갖추고 있습니다.",
]
EXPERT_EN = [
    "Worked on {a} and {b}; experienced with {s}. Solved problems in {c}.",
    "Led projects on {a}, improving {b} with {s}.",
]
EXPERT_MIXED = [
    "{ko_a} 분야에서 {en_b} 관련 프로젝트를 수행했습니다. {s} 기반으로 {ko_c} 성능을 개선했습니다.",
    "{en_a} 경험, {ko_b} 및 {ko_c} 개선. {s} 활용.",
]
PROBLEM_KO = [
    "{a}에서 {b} 문제를 해결할 전문가를 찾습니다. {s} 경험이 필요합니다.",
    "당사는 {a}의 {b} 개선이 목표입니다. {c}도 함께 검토해 주세요.",
]
PROBLEM_EN = [
    "We need help with {a} and {b}. Experience with {s} is a plus.",
    "Looking for an expert in {a} to improve {b}.",
]
PROBLEM_MIXED = [
    "{ko_a} 개선을 위한 {en_b} 프로젝트입니다. {s} 경험자를 찾습니다.",
    "{en_a} 도입 검토: {ko_b} 및 {ko_c}.",
]


@dataclass(frozen=True)
class Person:
    sector: str
    language: str
    text: str
    skills: list[str]
    sections: list[str]
    regions: list[str]
    remote_ok: bool
    capacity: int


def pick(rng: random.Random, own: list[str], shared: list[str], share_own: float = 0.6) -> str:
    return rng.choice(own if rng.random() < share_own else shared)


def compose(rng: random.Random, sector: str, templates: tuple[list[str], list[str], list[str]]) -> tuple[str, str]:
    """(language, text) from the sector's vocabulary, 40% of its words from the shared vocabulary."""
    ko, en, skills = SECTORS[sector]
    language = rng.choice(["ko", "en", "mixed"])
    template = rng.choice(templates[["ko", "en", "mixed"].index(language)])
    words = {
        "a": pick(rng, ko if language == "ko" else en, SHARED_KO if language == "ko" else SHARED_EN),
        "b": pick(rng, ko if language == "ko" else en, SHARED_KO if language == "ko" else SHARED_EN),
        "c": pick(rng, ko if language == "ko" else en, SHARED_KO if language == "ko" else SHARED_EN),
        "ko_a": pick(rng, ko, SHARED_KO),
        "ko_b": pick(rng, ko, SHARED_KO),
        "ko_c": pick(rng, ko, SHARED_KO),
        "en_a": pick(rng, en, SHARED_EN),
        "en_b": pick(rng, en, SHARED_EN),
        "s": pick(rng, skills, SHARED_SKILLS, 0.6),
    }
    return language, template.format(**words)


def generate(n_experts: int, n_problems: int, seed: int) -> tuple[list[Person], list[Person]]:
    """Experts and problems with a true sector each; skill pools overlap between sectors. Experts list 0–3 skills
    of their sector and 1–2 shared ones, a quarter of them one of another sector's; 25% name no sector and 15% a
    wrong one besides theirs. Problems want 1–2 skills of their sector and maybe a shared one."""
    rng = random.Random(seed)
    sections = list(SECTORS)
    experts = []
    for _ in range(n_experts):
        sector = rng.choice(sections)
        language, text = compose(rng, sector, (EXPERT_KO, EXPERT_EN, EXPERT_MIXED))
        skills = rng.sample(SECTORS[sector][2], rng.randint(0, 3)) + rng.sample(SHARED_SKILLS, rng.randint(1, 2))
        if rng.random() < 0.25:
            skills.append(rng.choice(SECTORS[rng.choice(sections)][2]))
        draw = rng.random()
        named = [] if draw < 0.25 else [sector, rng.choice(sections)] if draw < 0.40 else [sector]
        regions = rng.sample(REGIONS, rng.randint(1, 2))
        experts.append(Person(sector, language, text, skills, named, regions, rng.random() < 0.5, rng.randint(1, 2)))
    problems = []
    for _ in range(n_problems):
        sector = rng.choice(sections)
        language, text = compose(rng, sector, (PROBLEM_KO, PROBLEM_EN, PROBLEM_MIXED))
        skills = rng.sample(SECTORS[sector][2], rng.randint(1, 2)) + rng.sample(SHARED_SKILLS, rng.randint(0, 1))
        remote = rng.random() < 0.4
        problems.append(
            Person(sector, language, text, skills, [sector], [rng.choice(REGIONS)], remote, rng.randint(1, 3))
        )
    return experts, problems


def as_docs(
    experts: list[Person], problems: list[Person], expert_terms: list[list[str]], problem_terms: list[list[str]]
) -> tuple[list[ExpertDoc], list[ProblemDoc]]:
    return (
        [
            ExpertDoc(i, terms, e.skills, e.sections, e.regions, e.remote_ok, e.capacity)
            for i, (e, terms) in enumerate(zip(experts, expert_terms, strict=True))
        ],
        [
            ProblemDoc(j, terms, p.skills, p.sections[0], p.regions[0], p.remote_ok, p.capacity)
            for j, (p, terms) in enumerate(zip(problems, problem_terms, strict=True))
        ],
    )


def precision_at_5(candidates: Candidates, experts: list[Person], problems: list[Person]) -> dict[str, float]:
    """Share of top-5 candidates in the problem's true sector: over all problems, and by the problem's language."""
    top = candidates.rank < 5
    hits = np.array(
        [
            experts[candidates.expert_ids[e]].sector == problems[candidates.problem_ids[p]].sector
            for p, e in zip(candidates.problem_index[top].tolist(), candidates.expert_index[top].tolist(), strict=True)
        ]
    )
    language = np.array([problems[candidates.problem_ids[p]].language for p in candidates.problem_index[top].tolist()])
    shares = {"all": float(hits.mean())}
    for name in ("ko", "en", "mixed"):
        shares[name] = float(hits[language == name].mean())
    return shares


def timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    gc.collect()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - started, time.process_time() - cpu_started


def verdict(ok: bool) -> str:
    return "ok" if ok else "FAILED"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(n_experts: int = 2_000, n_problems: int = 400) -> None:
    experts, problems = generate(n_experts, n_problems, seed=5)
    _, load_seconds, _ = timed(analyser)
    texts = [person.text for person in experts + problems]
    terms, seconds, _ = timed(lambda: tokenize(texts))
    print(f"1. Labelled set: {n_experts:,} experts, {n_problems:,} problems, 8 KSIC sections, texts ko/en/mixed")
    print(f"   Kiwi model load                     {load_seconds:8.2f} s (once per process)")
    print(f"   tokenisation (batch), {len(texts):,} texts   {len(texts) / seconds:8.0f} docs/s")
    print(f"   example: {problems[0].text!r}")
    print(f"         → {terms[n_experts]}")
    expert_docs, problem_docs = as_docs(experts, problems, terms[:n_experts], terms[n_experts:])

    print("   precision@5 (share of top-5 candidates in the problem's true sector):")
    print(f"     {'weights':<52} {'all':>6} {'ko':>6} {'en':>6} {'mixed':>6}")
    settings = [
        ("default (skills .40 text .35 sector .15 region .10)", Weights()),
        ("skills + text only (.50/.50)", Weights(skills=0.5, text=0.5, sector=0.0, region=0.0)),
        ("text only", Weights(skills=0.0, text=1.0, sector=0.0, region=0.0)),
        ("skills only", Weights(skills=1.0, text=0.0, sector=0.0, region=0.0)),
    ]
    chance = max(Counter(e.sector for e in experts).values()) / n_experts
    for name, weights in settings:
        candidates = score_candidates(expert_docs, problem_docs, weights=weights, top_k=TOP_K)
        shares = precision_at_5(candidates, experts, problems)
        print(f"     {name:<52} " + " ".join(f"{shares[k]:6.3f}" for k in ("all", "ko", "en", "mixed")))
    print(f"     (chance: about {chance:.3f})")

    candidates = score_candidates(expert_docs, problem_docs, weights=Weights(), top_k=TOP_K)
    expert_capacity, problem_capacity = candidates.capacities()
    assignment = assign(scores_dict(candidates), expert_capacity, problem_capacity, mode=AssignmentMode.STABLE)
    placed = {expert: matched for expert, matched in assignment.matching.items() if matched}
    own = sum(all(problems[p].sector == experts[e].sector for p in matched) for e, matched in placed.items())
    pairs = [(e, p) for e, matched in placed.items() for p in matched]
    own_pairs = sum(problems[p].sector == experts[e].sector for e, p in pairs)
    misses = near_misses(candidates, assignment)
    print(f"   stable assignment: {len(placed):,} experts placed in {len(pairs):,} pairs")
    print(f"     share of placed experts in their own sector  {own / len(placed):6.3f}")
    print(f"     share of pairs in the expert's own sector    {own_pairs / len(pairs):6.3f}")
    print(f"     experts with near-miss explanations          {len(misses):6,}")


def scale(n_experts: int = 20_000, n_problems: int = 4_000) -> None:
    experts, problems = generate(n_experts, n_problems, seed=9)
    texts = [person.text for person in experts + problems]
    print(f"2. Scale: {n_experts:,} experts × {n_problems:,} problems")
    terms, seconds, cpu = timed(lambda: tokenize(texts))
    print(
        f"   initial indexing, Kiwi batch         {len(texts) / seconds:8.0f} docs/s "
        f"({len(texts):,} texts in {seconds:.1f} s wall, {cpu:.1f} s CPU on {os.cpu_count()} CPUs)"
    )
    expert_docs, problem_docs = as_docs(experts, problems, terms[:n_experts], terms[n_experts:])

    rss_before = rss_mib()
    vocabulary, vocabulary_seconds, _ = timed(lambda: build_vocabulary(shipped_concepts()))
    concepts = len(vocabulary.concepts)
    print(f"   AX vocabulary ({concepts} concepts) analysed  {vocabulary_seconds:8.2f} s (once per process)")
    # Issue 20 added skills as terms and the vocabulary; both are timed here in turns, so that a busy machine slows
    # both alike (the first call of "now" also analyses the distinct skills, cached per process as in a worker).
    variants = {
        "before issue 20 (skills as strings, no vocabulary)": {"skills_as_terms": False, "vocabulary": EMPTY},
        "now (skills as terms, AX vocabulary)": {"vocabulary": vocabulary},
    }
    best: dict[str, tuple[float, float]] = {}
    for _ in range(3):
        for name, options in variants.items():
            candidates, seconds, cpu = timed(
                functools.partial(score_candidates, expert_docs, problem_docs, top_k=TOP_K, **options)
            )
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, cpu)
    for name, (seconds, cpu) in best.items():
        print(
            f"   scoring, top {TOP_K} per problem, {name}: {seconds:.2f} s wall, {cpu:.2f} s CPU (best of 3)   "
            f"{verdict(min(seconds, cpu) < SCORING_SECONDS_WANTED)} (< {SCORING_SECONDS_WANTED:.0f} s, wall or CPU)"
        )
    (before_wall, before_cpu), (now_wall, now_cpu) = best.values()
    print(f"     now / before: {now_wall / before_wall:.2f}× wall, {now_cpu / before_cpu:.2f}× CPU")
    print(f"     candidates                         {len(candidates):8,}")
    gc.collect()
    tracemalloc.start()
    score_candidates(expert_docs, problem_docs, top_k=TOP_K, vocabulary=vocabulary)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"     peak memory allocated while scoring {traced_peak / 2**20:8.0f} MiB (tracemalloc)")

    scores, seconds, _ = timed(lambda: scores_dict(candidates))
    print(f"   scores_dict                          {seconds:8.2f} s")
    expert_capacity, problem_capacity = candidates.capacities()
    assignment, seconds, _ = timed(
        lambda: assign(scores, expert_capacity, problem_capacity, mode=AssignmentMode.STABLE)
    )
    pairs = sum(map(len, assignment.matching.values()))
    print(f"   stable assignment                    {seconds:8.2f} s ({pairs:,} pairs)")
    position = {
        (candidates.expert_ids[e], candidates.problem_ids[p]): i
        for i, (e, p) in enumerate(
            zip(candidates.expert_index.tolist(), candidates.problem_index.tolist(), strict=True)
        )
    }
    accepted = [position[(e, p)] for e, matched in assignment.matching.items() for p in matched]
    _, seconds, _ = timed(lambda: [explain(candidates, i) for i in accepted])
    print(f"   explanations of the {len(accepted):,} proposals     {seconds:8.2f} s")
    misses, seconds, _ = timed(lambda: near_misses(candidates, assignment))
    print(f"   near misses ({len(misses):,} experts)           {seconds:8.2f} s")
    peak = rss_mib()
    print(
        f"   peak RSS of this process             {peak:8.0f} MiB (before scoring {rss_before:.0f} MiB, Kiwi included)"
        f"   {verdict(peak < MEMORY_WANTED_MIB)} (< {MEMORY_WANTED_MIB} MiB)"
    )


def main() -> None:
    load = os.getloadavg()[0]
    print(f"Load average when started: {load:.2f} on {os.cpu_count()} CPUs", end="")
    print(" (busy: wall times are inflated, CPU times are the better guide)\n" if load > 1 else "\n")
    quality()
    print()
    scale()


if __name__ == "__main__":
    main()
