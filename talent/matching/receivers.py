"""Matching's answers to the registry's signals (connected in `MatchingConfig.ready()`)."""

from __future__ import annotations

from typing import Any

from talent.registry.models import FieldProblem
from talent.registry.services._base import Actor


def queue_run_for_opened_problem(sender: Any, *, actor: Actor, problem: FieldProblem, **kwargs: Any) -> None:
    """A company opened a field problem: queue a run (or join the one waiting)."""
    from talent.matching.services import match_run_request_for_problem

    match_run_request_for_problem(actor=actor, problem=problem)


def index_saved_text(sender: Any, *, kind: str, pk: int, **kwargs: Any) -> None:
    """An expert profile or field problem was saved: store its index terms if its text changed."""
    from talent.matching.services import index_after_save

    index_after_save(kind=kind, pk=pk)


def record_run_phases(
    sender: Any = None, task: Any = None, args: Any = None, state: str | None = None, **_: Any
) -> None:
    """A match run task finished: the time of each phase it recorded goes to talent_match_run_phase_seconds."""
    if getattr(task, "name", "") != "talent.matching.tasks.run_match" or state != "SUCCESS" or not args:
        return
    from talent.common.metrics import MATCH_RUN_PHASE_SECONDS
    from talent.matching.models import MatchRun

    timings = MatchRun.objects.filter(pk=args[0]).values_list("timings", flat=True).first() or {}
    for phase, seconds in timings.items():
        MATCH_RUN_PHASE_SECONDS.labels(phase).observe(float(seconds))
