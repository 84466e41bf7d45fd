"""Executing a run: claim it, compute in short progress steps with a heartbeat, check, write it all at once.

The claim is a conditional UPDATE (queued, or running with a stale heartbeat → running, one more attempt); the
database's partial unique index allows one running row, so runs never overlap. Every progress step and the final
write check that this attempt still owns the run: an attempt taken for dead and taken over writes nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.matching import scoring, signals
from talent.matching.background import background_terms
from talent.matching.concepts import build_vocabulary
from talent.matching.engine import AssignmentMode, InvariantViolation, assign
from talent.matching.models import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    MatchRun,
    NearMiss,
    Proposal,
    ProposalStatus,
    RunStatus,
    holds_capacity,
)
from talent.matching.services._base import (
    TRANSIENT_ERRORS,
    Pair,
    ProgressCallback,
    max_attempts,
    run_parameters,
    stale_after,
    stale_cutoff,
)
from talent.matching.services.bulk_rows import insert_rows, update_rows
from talent.matching.services.index import refresh_index, registry_documents
from talent.matching.services.runs import send_next_queued
from talent.matching.services.vocabulary import ax_concepts
from talent.registry.models import ExpertProfile, FieldProblem
from talent.registry.vocabulary import ProblemStatus

logger = logging.getLogger(__name__)

NEAR_MISSES_PER_EXPERT = 3


class RunOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_CLAIMABLE = "not_claimable"  # finished, or running elsewhere and alive: nothing to do
    BUSY = "busy"  # another run is running; this one stays queued and is sent again when that one ends
    SUPERSEDED = "superseded"  # judged dead while it worked, and taken over: its work is dropped


class _Superseded(Exception):
    """This attempt no longer owns its run."""


class _RunFailed(Exception):
    def __init__(self, message: str, invariants: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.invariants = invariants


def match_run_execute(*, run_id: int, on_progress: ProgressCallback | None = None) -> RunOutcome:
    """Claim the run and compute, check and write its proposals. Idempotent: a run that is not queued (nor running
    with a stale heartbeat) is left alone. Database outages propagate (the task retries); other errors fail the run
    with a reason."""
    attempt = _claim(run_id)
    if not isinstance(attempt, int):
        return attempt
    tracker = _Tracker(run_id=run_id, attempt=attempt, on_progress=on_progress)
    heartbeat = _Heartbeat(run_id, attempt)
    heartbeat.start()
    try:
        run = MatchRun.objects.get(pk=run_id)
        result = _compute(run, tracker)
        _write(run, tracker, result)
    except _Superseded:
        logger.warning("match run %s: attempt %s was taken over; its work is dropped", run_id, attempt)
        return RunOutcome.SUPERSEDED
    except TRANSIENT_ERRORS:
        _release(run_id, attempt)
        raise
    except SoftTimeLimitExceeded:
        _fail(run_id, attempt, _("The run took longer than its time limit; nothing was written."))
        return RunOutcome.FAILED
    except _RunFailed as failure:
        _fail(run_id, attempt, failure.message, failure.invariants)
        return RunOutcome.FAILED
    except Exception as error:
        logger.exception("match run %s failed", run_id)
        _fail(run_id, attempt, _("The run failed (%(error)s); nothing was written.") % {"error": type(error).__name__})
        return RunOutcome.FAILED
    finally:
        heartbeat.stop()
    transaction.on_commit(send_next_queued, robust=True)
    return RunOutcome.SUCCEEDED


def _claim(run_id: int) -> int | RunOutcome:
    """Queued → running (or a running row whose worker stopped beating), with one more attempt: its number."""
    now = timezone.now()
    stale = Q(status=RunStatus.RUNNING, heartbeat_at__lt=stale_cutoff(now), attempts__lt=max_attempts())
    try:
        with transaction.atomic():
            claimed = MatchRun.objects.filter(Q(status=RunStatus.QUEUED) | stale, pk=run_id).update(
                status=RunStatus.RUNNING,
                attempts=F("attempts") + 1,
                started_at=now,
                heartbeat_at=now,
                finished_at=None,
                progress=0,
                phase="claimed",
                error="",
            )
    except IntegrityError:  # match_run_one_running: another run holds the slot
        return RunOutcome.BUSY
    if not claimed:
        return RunOutcome.NOT_CLAIMABLE
    return int(MatchRun.objects.values_list("attempts", flat=True).get(pk=run_id))


class _Heartbeat(threading.Thread):
    """Beats for one attempt while it works, so that a long phase (loading the Kiwi model, scoring a large pool)
    is not mistaken for a dead worker; it dies with its process. A live but stuck run is ended by the task's time
    limits instead."""

    def __init__(self, run_id: int, attempt: int) -> None:
        super().__init__(name=f"match-run-{run_id}-heartbeat", daemon=True)
        self.run_id, self.attempt = run_id, attempt
        self.every = max(0.5, stale_after() / 4)
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(self.every):
                MatchRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING, attempts=self.attempt).update(
                    heartbeat_at=timezone.now()
                )
        except DatabaseError:  # the attempt itself meets the outage and handles it
            logger.warning("match run %s: heartbeat stopped by a database error", self.run_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self._stopped.set()
        self.join()


@dataclass
class _Tracker:
    """Progress and heartbeat of one attempt, each a short write of its own; it notices when it lost the run."""

    run_id: int
    attempt: int
    on_progress: ProgressCallback | None = None
    timings: dict[str, float] = field(default_factory=dict)
    _phase: str = "claimed"
    _since: float = field(default_factory=time.monotonic)
    _started: float = field(default_factory=time.monotonic)

    def phase(self, name: str, progress: int) -> None:
        now = time.monotonic()
        self.timings[self._phase] = round(now - self._since, 3)
        self._phase, self._since = name, now
        self._beat(progress=progress, phase=name)
        if self.on_progress is not None:
            self.on_progress(progress, name)

    def finish(self) -> dict[str, float]:
        """Seconds spent in each phase, and in all."""
        now = time.monotonic()
        return {**self.timings, self._phase: round(now - self._since, 3), "total": round(now - self._started, 3)}

    def _beat(self, **fields: Any) -> None:
        mine = MatchRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING, attempts=self.attempt)
        if not mine.update(heartbeat_at=timezone.now(), **fields):
            raise _Superseded


@dataclass
class _Result:
    pairs: list[Pair]
    scores: dict[Pair, float]
    explanations: dict[Pair, dict[str, Any]]
    near_misses: list[tuple[int, int, float, dict[str, Any]]]
    capacity: dict[str, dict[int, int]]
    counts: dict[str, Any]
    invariants: dict[str, Any]


def _held(rows: Iterable[dict[str, Any]], eligible_experts: set[int], open_problems: set[int]) -> set[Pair]:
    """Pairs that use capacity (`holds_capacity`: accepted on an open problem, or accepted by one side while both
    are still in play)."""
    return {
        (row["expert_id"], row["problem_id"])
        for row in rows
        if holds_capacity(
            status=row["status"],
            expert_response=row["expert_response"],
            company_response=row["company_response"],
            expert_in_play=row["expert_id"] in eligible_experts,
            problem_open=row["problem_id"] in open_problems,
        )
    }


LIVE_FIELDS = ("id", "expert_id", "problem_id", "status", "expert_response", "company_response")
# Every column a new proposal is written with; the rest (answered by, decided, withdrawn) start empty.
PROPOSAL_INSERT_FIELDS = (
    "run",
    "expert",
    "problem",
    "score",
    "explanation",
    "status",
    "expert_response",
    "company_response",
    "created_at",
    "updated_at",
)


def _in_play() -> tuple[set[int], set[int]]:
    """Ids of the experts who may be matched (consenting, available) and of the problems open to matching, now."""
    experts = ExpertProfile.objects.filter(consent_to_matching=True, available=True).values_list("pk", flat=True)
    problems = FieldProblem.objects.filter(status=ProblemStatus.OPEN).values_list("pk", flat=True)
    return set(experts), set(problems)


def _history_by_section(expert_ids: set[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """Expert id → KSIC section → (proposals accepted, proposals declined) on problems of that section, for the
    given experts who have any."""
    history: dict[int, dict[str, list[int]]] = {}
    rows = (
        Proposal.objects.filter(status__in=(ProposalStatus.ACCEPTED, ProposalStatus.DECLINED))
        .values_list("expert_id", "problem__ksic_section", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for expert_id, section, status, n in rows:
        if expert_id in expert_ids:
            counts = history.setdefault(expert_id, {}).setdefault(section, [0, 0])
            counts[status != ProposalStatus.ACCEPTED] += n
    return {e: {s: (a, d) for s, (a, d) in sections.items()} for e, sections in history.items()}


def _compute(run: MatchRun, tracker: _Tracker) -> _Result:
    """The run's pairs from the pool as it is now: pool, index terms, scores, assignment, checks, explanations."""
    params = run.parameters or run_parameters()
    tracker.phase("pool", 10)
    experts = list(
        ExpertProfile.objects.filter(consent_to_matching=True, available=True)
        .order_by("pk")
        .values("id", "skills", "summary_ko", "summary_en", "ksic_sections", "regions", "remote_ok", "capacity")
    )
    problems = list(
        FieldProblem.objects.filter(status=ProblemStatus.OPEN)
        .order_by("pk")
        .values("id", "title", "description", "skills_wanted", "ksic_section", "region", "remote", "experts_wanted")
    )
    eligible_experts, open_problems = {e["id"] for e in experts}, {p["id"] for p in problems}
    live = Proposal.objects.filter(status__in=LIVE_STATUSES).values(*LIVE_FIELDS)
    held = _held(live, eligible_experts, open_problems)
    declined = set(Proposal.objects.filter(status=ProposalStatus.DECLINED).values_list("expert_id", "problem_id"))
    capacity = {
        "expert": {e["id"]: e["capacity"] for e in experts},
        "problem": {p["id"]: p["experts_wanted"] for p in problems},
    }
    expert_used, problem_used = Counter(e for e, _p in held), Counter(p for _e, p in held)
    experts = [e for e in experts if e["capacity"] > expert_used[e["id"]]]
    problems = [p for p in problems if p["experts_wanted"] > problem_used[p["id"]]]

    tracker.phase("index", 20)
    expert_terms, problem_terms, indexed = refresh_index(experts, problems)
    # Document frequencies count the registry's documents outside the pool and the shipped corpus too.
    registry_terms, registry_skills = registry_documents(
        full_experts=eligible_experts - {e["id"] for e in experts},
        full_problems=open_problems - {p["id"] for p in problems},
    )
    background_texts = [*background_terms(), *registry_terms]

    tracker.phase("score", 45)
    history = _history_by_section({e["id"] for e in experts})
    expert_docs = [
        scoring.ExpertDoc(
            id=e["id"],
            tokens=expert_terms[e["id"]],
            skills=e["skills"],
            ksic_sections=e["ksic_sections"],
            regions=e["regions"],
            remote_ok=e["remote_ok"],
            capacity=e["capacity"] - expert_used[e["id"]],
            history=history.get(e["id"], {}),
        )
        for e in experts
    ]
    problem_docs = [
        scoring.ProblemDoc(
            id=p["id"],
            tokens=problem_terms[p["id"]],
            skills_wanted=p["skills_wanted"],
            ksic_section=p["ksic_section"],
            region=p["region"],
            remote=p["remote"],
            capacity=p["experts_wanted"] - problem_used[p["id"]],
        )
        for p in problems
    ]
    candidates = None
    scores: dict[Pair, float] = {}
    if expert_docs and problem_docs:
        candidates = scoring.score_candidates(
            expert_docs,
            problem_docs,
            weights=scoring.Weights(**params["weights"]),
            top_k=int(params["top_k"]),
            min_score=float(params["min_score"]),
            vocabulary=build_vocabulary(ax_concepts()),
            background_texts=background_texts,
            background_skills=registry_skills,
        )
        scores = scoring.scores_dict(candidates)

    tracker.phase("assign", 65)
    usable = {pair: score for pair, score in scores.items() if pair not in held}
    expert_room = {doc.id: doc.capacity for doc in expert_docs}
    problem_room = {doc.id: doc.capacity for doc in problem_docs}
    try:
        assignment = assign(usable, expert_room, problem_room, mode=AssignmentMode(run.mode), declined=declined)
    except InvariantViolation as violation:
        report = {**_engine_report(violation.report), "holds": False}
        raise _RunFailed(_("The assignment broke its own rules; nothing was written."), report) from violation
    pairs = sorted(
        ((e, p) for e, matched in assignment.matching.items() for p in matched), key=lambda pair: (-usable[pair], pair)
    )

    tracker.phase("check", 75)
    invariants = {**_engine_report(assignment.report), **check_pairs(pairs, held, declined, capacity)}
    if not invariants["holds"]:
        raise _RunFailed(_("The proposals failed their checks; nothing was written."), invariants)

    tracker.phase("explain", 85)
    explanations: dict[Pair, dict[str, Any]] = {}
    misses: list[tuple[int, int, float, dict[str, Any]]] = []
    if candidates is not None:
        position = {pair: i for i, pair in enumerate(scores)}
        explanations = {pair: scoring.explain(candidates, position[pair]) for pair in pairs}
        for expert_id, entries in sorted(scoring.near_misses(candidates, assignment).items()):
            # A pair the expert or company already answered is no near miss: it was never on offer.
            open_entries = [e for e in entries if (expert_id, e["problem_id"]) not in held | declined]
            for entry in open_entries[:NEAR_MISSES_PER_EXPERT]:
                why = {**scoring.explain(candidates, position[(expert_id, entry["problem_id"])]), **entry}
                misses.append((expert_id, entry["problem_id"], entry["score"], why))
    counts = {
        "experts_eligible": len(eligible_experts),
        "problems_open": len(open_problems),
        "experts_in_pool": len(expert_docs),
        "problems_in_pool": len(problem_docs),
        **indexed,
        "background_documents": len(background_texts),
        "candidates": len(scores),
        "held_pairs": len(held),
        "declined_pairs": len(declined),
        "assigned": len(pairs),
        "total_fit": round(assignment.total_fit, 6),
        "near_misses": len(misses),
    }
    return _Result(
        pairs=pairs,
        scores=usable,
        explanations=explanations,
        near_misses=misses,
        capacity=capacity,
        counts=counts,
        invariants=invariants,
    )


def _engine_report(report: Any) -> dict[str, Any]:
    return {
        "engine_holds": report.holds,
        "unacceptable_pairs": len(report.unacceptable_pairs),
        "blocking_pairs": int(report.blocking_pairs),
    }


def check_pairs(
    pairs: list[Pair], held: set[Pair], declined: set[Pair], capacity: dict[str, dict[int, int]]
) -> dict[str, Any]:
    """The invariants of the state a run would leave: new and held pairs within every capacity, no pair twice, no
    declined pair. JSON for the MatchRun; `holds` is False when anything is broken."""
    every = [*held, *pairs]
    per_expert, per_problem = Counter(e for e, _p in every), Counter(p for _e, p in every)
    over_experts = sorted(e for e, n in per_expert.items() if n > capacity["expert"].get(e, 0))
    over_problems = sorted(p for p, n in per_problem.items() if n > capacity["problem"].get(p, 0))
    duplicates = sum(n - 1 for n in Counter(every).values() if n > 1)
    declined_proposed = sum(1 for pair in pairs if pair in declined)
    capacities_ok = not over_experts and not over_problems
    return {
        "holds": capacities_ok and not duplicates and not declined_proposed,
        "capacities_ok": capacities_ok,
        "over_capacity_experts": over_experts,
        "over_capacity_problems": over_problems,
        "duplicate_pairs": duplicates,
        "declined_pairs_proposed": declined_proposed,
    }


def _write(run: MatchRun, tracker: _Tracker, result: _Result) -> None:
    """One transaction: keep what was accepted, never propose a declined pair, withdraw pending proposals this run
    does not repeat, create the new ones. Answers, consent and problems closed while the run computed are honoured:
    the pairs they affect are dropped (and counted)."""
    tracker.phase("write", 95)
    now = timezone.now()
    with transaction.atomic():
        mine = MatchRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING, attempts=tracker.attempt)
        if not list(mine.select_for_update().values_list("pk", flat=True)):
            raise _Superseded
        live = {
            (row["expert_id"], row["problem_id"]): row
            for row in Proposal.objects.select_for_update()
            .filter(status__in=LIVE_STATUSES)
            .values(*LIVE_FIELDS, "score", "explanation")
        }
        declined = set(Proposal.objects.filter(status=ProposalStatus.DECLINED).values_list("expert_id", "problem_id"))
        experts_now, problems_now = _in_play()
        held = _held(live.values(), experts_now, problems_now)
        still = [(e, p) for e, p in result.pairs if e in experts_now and p in problems_now]
        pairs = _fit(still, held, declined, result.capacity)
        invariants = {**result.invariants, **check_pairs(pairs, held, declined, result.capacity)}
        if not invariants["holds"]:
            raise _RunFailed(_("The proposals failed their checks; nothing was written."), invariants)

        chosen = set(pairs)
        pending = {pair: row for pair, row in live.items() if pair not in held and row["status"] in OPEN_STATUSES}
        repeated = [pair for pair in pairs if pair in pending]
        # A repeated proposal names this run; its score and explanation are written only where they changed (a run
        # over unchanged records changes none of the thousands it repeats).
        Proposal.objects.filter(pk__in=[pending[pair]["id"] for pair in repeated]).update(run=run, updated_at=now)
        rescored = [
            Proposal(pk=pending[pair]["id"], score=result.scores[pair], explanation=result.explanations.get(pair, {}))
            for pair in repeated
            if (pending[pair]["score"], pending[pair]["explanation"])
            != (result.scores[pair], result.explanations.get(pair, {}))
        ]
        update_rows(rescored, ["score", "explanation"])
        withdrawn = Proposal.objects.filter(pk__in=[row["id"] for pair, row in pending.items() if pair not in chosen])
        withdrawn_count = withdrawn.update(status=ProposalStatus.WITHDRAWN, withdrawn_at=now, updated_at=now)
        new_pairs = [(expert, problem) for expert, problem in pairs if (expert, problem) not in pending]
        created = insert_rows(
            [
                Proposal(
                    run_id=run.pk,
                    expert_id=expert,
                    problem_id=problem,
                    score=result.scores[(expert, problem)],
                    explanation=result.explanations.get((expert, problem), {}),
                )
                for expert, problem in new_pairs
            ],
            PROPOSAL_INSERT_FIELDS,
        )
        signals.proposals_made.send(
            sender=MatchRun, run_id=run.pk, new_by_expert=dict(Counter(expert for expert, _problem in new_pairs))
        )
        NearMiss.objects.all().delete()  # only the latest run's explanations of non-matches are kept
        insert_rows(
            [
                NearMiss(run_id=run.pk, expert_id=e, problem_id=p, score=s, explanation=why)
                for e, p, s, why in result.near_misses
            ],
            ["run", "expert", "problem", "score", "explanation"],
        )
        timings = tracker.finish()
        counts = {
            **result.counts,
            "dropped_during_run": len(result.pairs) - len(pairs),
            "proposals_new": created,
            "proposals_repeated": len(repeated),
            "proposals_rescored": len(rescored),
            "proposals_withdrawn": withdrawn_count,
        }
        mine.update(
            status=RunStatus.SUCCEEDED,
            progress=100,
            phase="done",
            counts=counts,
            timings=timings,
            invariants=invariants,
            heartbeat_at=now,
            finished_at=timezone.now(),
        )
    if tracker.on_progress is not None:
        tracker.on_progress(100, "done")


def _fit(pairs: list[Pair], held: set[Pair], declined: set[Pair], capacity: dict[str, dict[int, int]]) -> list[Pair]:
    """The run's pairs (best first) that still fit once the answers given during the run are counted."""
    used_expert, used_problem = Counter(e for e, _p in held), Counter(p for _e, p in held)
    kept = []
    for expert, problem in pairs:
        if (expert, problem) in held or (expert, problem) in declined:
            continue
        if used_expert[expert] >= capacity["expert"][expert] or used_problem[problem] >= capacity["problem"][problem]:
            continue
        used_expert[expert] += 1
        used_problem[problem] += 1
        kept.append((expert, problem))
    return kept


def _fail(run_id: int, attempt: int, message: str, invariants: dict[str, Any] | None = None) -> None:
    fields: dict[str, Any] = {"status": RunStatus.FAILED, "error": message, "finished_at": timezone.now()}
    if invariants is not None:
        fields["invariants"] = invariants
    MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, attempts=attempt).update(**fields)
    transaction.on_commit(send_next_queued, robust=True)


def _release(run_id: int, attempt: int) -> None:
    """After a database outage, give the run back to the queue (best effort: the sweeper catches what this misses)."""
    try:
        with transaction.atomic():
            MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, attempts=attempt).update(
                status=RunStatus.QUEUED, phase="", progress=0
            )
    except (IntegrityError, *TRANSIENT_ERRORS):
        logger.warning("match run %s: could not give it back to the queue; the sweeper will", run_id)
