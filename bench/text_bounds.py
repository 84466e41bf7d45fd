"""Benchmark of the analyser's bounds (not a test); prints its figures.

1. Indexing the longest text the registry accepts (a problem's title and description at their limits) through
   `text.tokenize`, which bounds what Kiwi sees: ordinary prose beside hostile texts of the same length (one
   unbroken run of Latin letters, of Hangul, of digits, Hangul syllables in short nonsense words, letters separated by
   zero-width spaces); each one's time and its ratio to the prose. For the unbroken runs, Kiwi without the bound too.
   Wanted: every hostile text within 2x of the prose.
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
import sys
import time
from collections.abc import Callable
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


def _best_of(function: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def hostile_texts(length: int) -> dict[str, str]:
    syllables = "가나다라마바사아자차카타파하"
    return {
        "ordinary prose": (PROSE * (length // len(PROSE) + 1))[:length],
        "one unbroken run of Latin letters": "a" * length,
        "one unbroken run of Hangul": (syllables * (length // len(syllables) + 1))[:length],
        "one unbroken run of digits": "7" * length,
        "Hangul nonsense in 8-syllable words": " ".join([syllables[:8]] * (length // 9)),
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
    prose_seconds = _best_of(lambda: text.tokenize([texts["ordinary prose"]]))
    slowest, slowest_ratio = "ordinary prose", 1.0
    for label, body in texts.items():
        seconds = _best_of(functools.partial(text.tokenize, [body]))
        ratio = seconds / prose_seconds
        line = f"   {label:<38}{seconds * 1000:>9.1f} ms  {ratio:5.2f}x the prose"
        if label.startswith("one unbroken"):
            raw = _best_of(functools.partial(text.analyser().tokenize, body))
            line += f"   (Kiwi without the bound: {raw * 1000:,.1f} ms, {raw / prose_seconds:.1f}x)"
        print(line + ("" if ratio <= 2 else "  OVER 2x"), flush=True)
        if ratio > slowest_ratio:
            slowest, slowest_ratio = label, ratio
    print(f"   slowest: {slowest}, {slowest_ratio:.2f}x the prose  {'ok' if slowest_ratio <= 2 else 'OVER 2x'}")
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
