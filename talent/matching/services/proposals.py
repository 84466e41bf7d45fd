"""Answering a proposal: each side accepts or declines once; accepted by both, the pair holds capacity.

`proposal_answer` is the one way to answer, for the API, the pages and anything else: the same refusals (with
the same codes and messages) whoever asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pghistory
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.matching import signals
from talent.matching.models import (
    LIVE_STATUSES,
    Answer,
    DeclineReason,
    Proposal,
    ProposalStatus,
    Side,
    answer_of,
    awaits_answer,
    holds_capacity,
)
from talent.matching.selectors import proposal_side
from talent.registry.models import ExpertProfile, FieldProblem
from talent.registry.vocabulary import ProblemStatus

#: The answers a side gives (`Answer.PENDING` is no answer).
ANSWERS = (Answer.ACCEPTED, Answer.DECLINED)


def proposal_answer(*, actor: User, proposal: Proposal, answer: str, reason: str = "") -> Proposal:
    """The expert, or a member of the problem's company, accepts or declines for their side, once; a decline may
    give a reason (`DeclineReason`), shown to the other side. Accepted by both, the pair holds a place of each
    side's capacity; declined by either, the pair is never proposed again. Refused: someone else (403); a
    withdrawn, already answered or decided proposal, or no room left (409)."""
    if answer not in ANSWERS:
        raise InvalidInput(_("An answer is either accepted or declined."), field="answer")
    if reason and (answer != Answer.DECLINED or reason not in DeclineReason.values):
        raise InvalidInput(_("Choose a reason from the list, and only when declining."), field="reason")
    with transaction.atomic(), pghistory.context(user=actor.pk, action=f"proposal_{answer}"):
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("expert__person", "problem")
            .get(pk=proposal.pk)
        )
        side = proposal_side(user=actor, proposal=locked)
        if side is None:
            raise NotAllowed(_("Only the expert or a member of the problem's company may answer this proposal."))
        if not awaits_answer(locked, side):
            raise _why_not(locked, side)
        if answer == Answer.ACCEPTED:
            _check_room(locked)
        if side == Side.EXPERT:
            locked.expert_response = answer
        else:
            locked.company_response, locked.company_responded_by = answer, actor
        if answer == Answer.DECLINED or locked.expert_response == locked.company_response == Answer.ACCEPTED:
            locked.status = ProposalStatus.DECLINED if answer == Answer.DECLINED else ProposalStatus.ACCEPTED
            locked.decided_by, locked.decided_at = actor, timezone.now()
            locked.decline_reason = reason
        locked.save()
        signals.proposal_answered.send(sender=Proposal, actor=actor, proposal=locked, side=side, answer=answer)
    return locked


def _why_not(proposal: Proposal, side: str) -> Conflict:
    """Why a side may no longer answer: a newer run withdrew the proposal, this side has answered, or the other
    side's answer decided it."""
    if proposal.status == ProposalStatus.WITHDRAWN:
        return Conflict(_("A newer match run withdrew this proposal."), code="proposal_withdrawn")
    given = answer_of(proposal, side)
    if given != Answer.PENDING:
        return Conflict(
            _("You have already answered this proposal (%(answer)s); an answer cannot be changed.")
            % {"answer": Answer(given).label},
            code="proposal_answered",
        )
    return Conflict(
        _("This proposal is already %(status)s.") % {"status": proposal.get_status_display()},
        code="proposal_decided",
    )


def _check_room(proposal: Proposal) -> None:
    """Accepting must leave both sides within their capacity, counting the places other proposals hold."""
    expert = ExpertProfile.objects.select_for_update().get(pk=proposal.expert_id)
    problem = FieldProblem.objects.select_for_update().get(pk=proposal.problem_id)
    if not expert.consent_to_matching:
        raise Conflict(_("The expert has withdrawn their consent to matching."), code="no_consent")
    if problem.status != ProblemStatus.OPEN:
        raise Conflict(_("This field problem is no longer open."), code="problem_not_open")
    others = (
        Proposal.objects.exclude(pk=proposal.pk)
        .filter(Q(expert=expert) | Q(problem=problem), status__in=LIVE_STATUSES)
        .values(
            "expert_id",
            "problem_id",
            "status",
            "expert_response",
            "company_response",
            "expert__consent_to_matching",
            "expert__available",
            "problem__status",
        )
    )
    held = [row for row in others if _holds(row)]
    if sum(row["expert_id"] == expert.pk for row in held) >= expert.capacity:
        raise Conflict(_("The expert has no capacity left for another field problem."), code="expert_full")
    if sum(row["problem_id"] == problem.pk for row in held) >= problem.experts_wanted:
        raise Conflict(_("This field problem already has all the experts it wants."), code="problem_full")


def _holds(row: Mapping[str, Any]) -> bool:
    return holds_capacity(
        status=row["status"],
        expert_response=row["expert_response"],
        company_response=row["company_response"],
        expert_in_play=row["expert__consent_to_matching"] and row["expert__available"],
        problem_open=row["problem__status"] == ProblemStatus.OPEN,
    )
