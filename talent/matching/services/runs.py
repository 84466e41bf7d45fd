"""Requesting runs and handing them to the workers; the sweeper that rescues runs a dead worker or broker left."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.matching import defaults
from talent.matching.models import MatchMode, MatchRun, RunStatus, RunTrigger
from talent.matching.selectors import RUN_MATCHING
from talent.matching.services._base import Actor, max_attempts, run_parameters, setting, stale_cutoff
from talent.registry.models import FieldProblem
from talent.registry.vocabulary import ProblemStatus

logger = logging.getLogger(__name__)


def match_run_request(
    *, actor: Actor, mode: str = defaults.MODE, trigger: str = RunTrigger.API, enqueue: bool = True
) -> MatchRun:
    """Queue a run (the ministry, an operator, or the system when `actor` is None) and send it to the workers after
    commit. A request while a run of the same mode waits joins that run; one of another mode is refused."""
    if actor is not None and not RUN_MATCHING(actor):
        raise NotAllowed(RUN_MATCHING.refusal)
    if mode not in MatchMode.values:
        raise InvalidInput(_("Unknown assignment mode: %(mode)s.") % {"mode": mode}, field="mode")
    run = _queue(requested_by=actor, mode=mode, trigger=trigger, enqueue=enqueue)
    if run.mode != mode:
        raise Conflict(
            _("A %(mode)s match run is already waiting to start; ask again once it has started.")
            % {"mode": run.get_mode_display()},
            code="run_waiting",
        )
    return run


def match_run_request_for_problem(*, actor: Actor, problem: FieldProblem) -> MatchRun | None:
    """Opening a field problem queues a run (or joins the one waiting, whatever its mode): matching's answer to
    the registry's `problem_opened` signal. Nothing for a problem that is not open."""
    if problem.status != ProblemStatus.OPEN:
        return None
    return _queue(requested_by=actor, mode=defaults.MODE, trigger=RunTrigger.PROBLEM_OPENED, enqueue=True)


def match_run_request_nightly() -> MatchRun:
    """Beat's nightly run: queued as the system's, or joining the run already waiting, whatever its mode."""
    return _queue(requested_by=None, mode=defaults.MODE, trigger=RunTrigger.NIGHTLY, enqueue=True)


def _queue(*, requested_by: Actor, mode: str, trigger: str, enqueue: bool) -> MatchRun:
    with transaction.atomic():
        waiting = MatchRun.objects.filter(status=RunStatus.QUEUED).first()
        if waiting is not None:
            return waiting
        try:
            with transaction.atomic():
                run = MatchRun.objects.create(
                    requested_by=requested_by if requested_by is not None and requested_by.pk else None,
                    mode=mode,
                    trigger=trigger,
                    parameters=run_parameters(),
                )
        except IntegrityError:  # another request queued one between our read and our insert: join it
            return MatchRun.objects.get(status=RunStatus.QUEUED)
        if enqueue:
            _send_after_commit(run.pk)
    return run


def _send_after_commit(run_id: int) -> None:
    """Send the run once the transaction commits; an error there is logged, never raised into the request
    (robust). A named function, not functools.partial: Django logs a robust callback's failure by its
    __qualname__, which a partial lacks."""

    def send_run() -> None:
        send_to_workers(run_id)

    transaction.on_commit(send_run, robust=True)


def send_to_workers(run_id: int) -> bool:
    """Hand a queued run to the workers (in-process when no broker is configured). A broker that is down is not
    an error: the run stays queued and the sweeper sends it again."""
    from talent.matching import tasks  # tasks import this module

    try:
        tasks.run_match.apply_async(args=(run_id,), queue=setting("QUEUE"))
    except BrokerUnavailable:
        logger.warning("match run %s: broker unreachable; it stays queued for the sweeper", run_id)
        return False
    MatchRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(enqueued_at=timezone.now())
    return True


def send_next_queued() -> None:
    """When a run ends, the run that waited for it starts."""
    waiting = MatchRun.objects.filter(status=RunStatus.QUEUED).values_list("pk", flat=True).first()
    if waiting is not None:
        send_to_workers(waiting)


# --- The sweeper ---------------------------------------------------------------------------------------------


def match_run_sweep() -> dict[str, int]:
    """Runs whose worker stopped beating are queued again (or failed with the reason, after too many attempts or
    when a newer run waits); queued runs that no worker took are sent again. Safe to call at any time."""
    now = timezone.now()
    requeued: list[int] = []
    failed = 0
    for run_id in MatchRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=stale_cutoff(now)).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            run = (
                MatchRun.objects.select_for_update()
                .filter(pk=run_id, status=RunStatus.RUNNING, heartbeat_at__lt=stale_cutoff(now))
                .first()
            )
            if run is None:
                continue
            if run.attempts >= max_attempts():
                reason = _("Its worker stopped responding %(count)d times; it is not tried again.")
                run.status, run.error = RunStatus.FAILED, reason % {"count": run.attempts}
            elif MatchRun.objects.filter(status=RunStatus.QUEUED).exists():
                reason = _("Its worker stopped responding; the match run waiting to start replaces it.")
                run.status, run.error = RunStatus.FAILED, reason
            else:
                reason = _("Its worker stopped responding during attempt %(count)d; it was queued again.")
                run.status, run.error = RunStatus.QUEUED, reason % {"count": run.attempts}
                run.progress, run.phase, run.enqueued_at = 0, "", None
            if run.status == RunStatus.FAILED:
                run.finished_at = now
                failed += 1
            else:
                requeued.append(run.pk)
            run.save(update_fields=["status", "error", "progress", "phase", "enqueued_at", "finished_at"])
    cutoff = now - datetime.timedelta(seconds=float(setting("RESEND_AFTER_SECONDS")))
    forgotten = MatchRun.objects.filter(
        Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True, created_at__lt=cutoff), status=RunStatus.QUEUED
    ).values_list("pk", flat=True)
    to_send = sorted({*requeued, *forgotten})
    for run_id in to_send:
        _send_after_commit(run_id)
    return {"requeued": len(requeued), "failed": failed, "sent": len(to_send)}
