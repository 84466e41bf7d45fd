"""Benchmark of the analyser's bounds (not a test); prints its figures.

1. Indexing the longest text the registry accepts (a problem's title and description at their limits) through
   `text.tokenize`, which bounds what Kiwi sees: ordinary prose (Korean and English, as the bench's reference) and
   ordinary all-Korean prose beside hostile texts of the same length (one unbroken run of Latin letters, of Hangul,
   of digits, Hangul syllables in short nonsense words, random Hangul syllables — the most frequent ones, which are
   each a particle, an ending or a noun to Kiwi, and any of the 11,172 —, letters separated by zero-width spaces);
   each one's CPU time (the process's, so that other work on a shared machine inflates it less than wall time), its
   ratio to each prose, and Kiwi's CPU time per Hangul syllable it was handed (`text.handed`): where the time goes.
   For the unbroken runs, Kiwi without the bound too.
   Normal is ordinary prose of the same length. An ordinary text of that length can be all Korean, which costs Kiwi
   2-2.5x the mixed Korean-English prose (it is analysed exactly as before: the bounds never cut prose), so normal
   is the dearer of the two ordinary proses, measured in the same run. Wanted: every hostile text within 2x of normal
   (the ratio to the mixed prose is printed beside it).
2. A match run on a small market (bench/matching.py's seeding, in a scratch database of its own) after an ordinary
   save of a problem, then after a hostile save (the slowest text of part 1 as its description), and once more with
   that problem's index lost (as when its indexing task died), so that the run itself tokenises it. Wanted: within
   2x of the run after the ordinary save.

Run: .venv/bin/python bench/text_bounds.py [--experts 2000] [--problems 400]
     (BENCH_DATABASE_URL: the server, default postgres://postgres@127.0.0.1:5432/; the scratch database is
     text_bounds_bench)
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

PROSE = (
    "사출 성형 라인에서 발생하는 미성형과 버 불량을 비전 검사로 실시간 검출하고, 설비 센서 데이터로 잔존수명을 "
    "예측하려 합니다. We inspect molded parts with cameras and want a model that flags defects before packing. "
)
REPEATS = 3


KOREAN_PROSE = (
    "사출 성형 라인에서 발생하는 미성형과 버 불량을 비전 검사로 실시간 검출하고, 설비 센서 데이터로 잔존수명을 "
    "예측하려 합니다. 포장 전에 불량을 찾아내는 모델을 원하며 카메라로 성형품을 검사하고 있습니다. "
)
# The most frequent syllables of Korean text: each is a particle, an ending, a stem or a noun to Kiwi.
FREQUENT_SYLLABLES = "이다의는에가을하고를으로서한지기사도자리대그어나들정부인시일수와적상해전보소주요과경제"


def _best_of(function: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return min(times)


def _random_words(alphabet: Sequence[str], length: int, *, word: int, seed: int = 13) -> str:
    draw = random.Random(seed)  # a reproducible text
    text = ""
    while len(text) < length:
        text += "".join(draw.choice(alphabet) for _ in range(word)) + " "
    return text[:length]


def _hangul(text: str) -> int:
    return sum("가" <= char <= "힣" for char in text)


def hostile_texts(length: int) -> dict[str, str]:
    syllables = "가나다라마바사아자차카타파하"
    every_syllable = [chr(code) for code in range(ord("가"), ord("힣") + 1)]
    return {
        "ordinary prose": (PROSE * (length // len(PROSE) + 1))[:length],
        "ordinary Korean prose": (KOREAN_PROSE * (length // len(KOREAN_PROSE) + 1))[:length],
        "one unbroken run of Latin letters": "a" * length,
        "one unbroken run of Hangul": (syllables * (length // len(syllables) + 1))[:length],
        "one unbroken run of digits": "7" * length,
        "Hangul nonsense in 8-syllable words": " ".join([syllables[:8]] * (length // 9)),
        "random frequent syllables, one run": _random_words(FREQUENT_SYLLABLES, length, word=length),
        "random frequent syllables, 8 a word": _random_words(FREQUENT_SYLLABLES, length, word=8),
        "random frequent syllables, 4 a word": _random_words(FREQUENT_SYLLABLES, length, word=4),
        "random syllables of all 11,172, 8 a word": _random_words(every_syllable, length, word=8),
        "letters between zero-width spaces": "\u200b".join("ab" * (length // 4)),
    }


def part_one() -> str:
    from talent.matching import text
    from talent.registry.models import DESCRIPTION_MAX_LENGTH, FieldProblem

    title = FieldProblem._meta.get_field("title").max_length or 0
    length = title + 1 + DESCRIPTION_MAX_LENGTH
    print(f"1. Indexing the longest accepted text ({length:,} characters: title and description at their limits)")
    started = time.perf_counter()
    text.analyser()
    print(f"   Kiwi model loaded in {time.perf_counter() - started:.2f} s (once per process)")
    texts = hostile_texts(length)
    text.tokenize([texts["ordinary prose"]])  # the first call warms up what the next ones reuse
    prose_seconds = _best_of(lambda: text.tokenize([texts["ordinary prose"]]))
    korean_seconds = _best_of(lambda: text.tokenize([texts["ordinary Korean prose"]]))
    normal = max(prose_seconds, korean_seconds)
    print(f"   normal: the dearer ordinary prose, {normal * 1000:.1f} ms")
    print(f"   {'':<42}{'CPU':>9}     vs prose  vs Korean   Kiwi per Hangul syllable")
    slowest, slowest_ratio = "ordinary prose", 0.0
    for label, body in texts.items():
        seconds = _best_of(functools.partial(text.tokenize, [body]))
        ratio = seconds / normal
        [handed] = text.handed([body])
        kiwi = _best_of(functools.partial(text.analyser().tokenize, handed))
        per_syllable = f"{kiwi * 1e6 / _hangul(handed):6.1f} µs" if _hangul(handed) else "      -"
        versus = f"{seconds / prose_seconds:5.2f}x     {seconds / korean_seconds:5.2f}x"
        line = f"   {label:<42}{seconds * 1000:>7.1f} ms  {versus}     {per_syllable}"
        if _hangul(handed) < _hangul(text.bounded(body)):
            line += f"   (Kiwi handed {_hangul(handed):,} of {_hangul(text.bounded(body)):,} Hangul syllables)"
        if label.startswith("one unbroken"):
            raw = _best_of(functools.partial(text.analyser().tokenize, body))
            line += f"   (Kiwi without the bound: {raw * 1000:,.1f} ms, {raw / normal:.1f}x normal)"
        print(line + ("" if ratio <= 2 else "  OVER 2x normal"), flush=True)
        if ratio > slowest_ratio and not label.startswith("ordinary"):
            slowest, slowest_ratio = label, ratio
    verdict = "ok" if slowest_ratio <= 2 else "OVER 2x"
    print(f"   slowest hostile text: {slowest}, {slowest_ratio:.2f}x normal  {verdict}")
    return texts[slowest]


def _market(experts: int, problems: int) -> Any:
    """bench/matching.py's seeding and scratch database, at the size asked, loaded under a name of its own (as a
    script that file would shadow the `matching` package)."""
    spec = importlib.util.spec_from_file_location("bench_market", ROOT / "bench" / "matching.py")
    assert spec is not None and spec.loader is not None
    market: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(market)
    market.N_EXPERTS, market.N_PROBLEMS, market.DATABASE = experts, problems, "text_bounds_bench"
    return market


def _run_seconds() -> float:
    from talent.matching.models import MatchRun, RunStatus, RunTrigger
    from talent.matching.services import match_run_request

    started = time.perf_counter()
    run = match_run_request(actor=None, trigger=RunTrigger.COMMAND, enqueue=True)  # in-process: no broker
    seconds = time.perf_counter() - started
    run = MatchRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.SUCCEEDED, run.error
    return seconds


def part_two(hostile: str, *, experts: int, problems: int) -> None:
    market = _market(experts, problems)
    print(f"\n2. A match run after a hostile save ({experts:,} experts x {problems:,} problems)", flush=True)
    if not market.seeded():
        market.seed()
    market.reset_matching()

    from talent.matching.models import ProblemIndex
    from talent.registry.models import DESCRIPTION_MAX_LENGTH, FieldProblem
    from talent.registry.services import field_problem_update
    from talent.registry.vocabulary import ProblemStatus

    _run_seconds()  # indexes the market once; not counted
    problem = FieldProblem.objects.filter(status=ProblemStatus.OPEN).order_by("pk").first()
    assert problem is not None
    ordinary = (PROSE * 3)[: len(PROSE) * 3]

    started = time.perf_counter()
    field_problem_update(actor=None, problem=problem, description=ordinary)
    ordinary_save = time.perf_counter() - started
    normal = min(_run_seconds() for _ in range(2))
    print(f"   ordinary save {ordinary_save * 1000:,.0f} ms (indexing included); run after it {normal:.2f} s")

    started = time.perf_counter()
    field_problem_update(actor=None, problem=problem, description=hostile[:DESCRIPTION_MAX_LENGTH])
    hostile_save = time.perf_counter() - started
    after = _run_seconds()
    ProblemIndex.objects.filter(problem=problem).delete()
    lost = _run_seconds()
    print(f"   hostile save  {hostile_save * 1000:,.0f} ms (indexing included)")
    for label, seconds in (("after the hostile save", after), ("with its index lost (the run tokenises it)", lost)):
        ratio = seconds / normal
        print(f"   run {label:<44}{seconds:6.2f} s  {ratio:4.2f}x  {'ok' if ratio <= 2 else 'OVER 2x'}")
    field_problem_update(actor=None, problem=problem, description=ordinary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experts", type=int, default=2_000)
    parser.add_argument("--problems", type=int, default=400)
    parser.add_argument("--skip-run", action="store_true", help="part 1 only (no database)")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"Load average when started: {load[0]:.2f} on {os.cpu_count()} CPUs (above 1: wall times inflated)\n")
    if args.skip_run:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent.settings")
        import django

        django.setup()
        part_one()
        return
    market = _market(args.experts, args.problems)
    market.prepare_database(fresh=False)  # Django set up on the scratch database before anything imports models
    hostile = part_one()
    part_two(hostile, experts=args.experts, problems=args.problems)


if __name__ == "__main__":
    main()
