"""Answering a proposal: each side accepts or declines; accepted by both, the pair holds capacity."""

from __future__ import annotations

import pghistory
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import Conflict, NotAllowed
from talent.matching.models import Answer, Proposal, ProposalStatus
from talent.registry import roles
from talent.registry.models import ExpertProfile, FieldProblem
from talent.registry.vocabulary import ProblemStatus


def proposal_accept(*, actor: AbstractBaseUser, proposal: Proposal) -> Proposal:
    """The expert, or a member of the problem's company, accepts; accepted by both, the pair holds capacity."""
    return _answer(actor, proposal, Answer.ACCEPTED)


def proposal_decline(*, actor: AbstractBaseUser, proposal: Proposal) -> Proposal:
    """Either side declines: the proposal is declined and the pair is never proposed again."""
    return _answer(actor, proposal, Answer.DECLINED)


def _side_of(actor: AbstractBaseUser, proposal: Proposal) -> str:
    if proposal.expert.person.user_id is not None and proposal.expert.person.user_id == actor.pk:
        return "expert"
    company = roles.company_of(actor)
    if company is not None and company.pk == proposal.problem.organization_id:
        return "company"
    raise NotAllowed(_("Only the expert or a member of the problem's company may answer this proposal."))


def _answer(actor: AbstractBaseUser, proposal: Proposal, answer: str) -> Proposal:
    with transaction.atomic(), pghistory.context(user=actor.pk, action=f"proposal_{answer}"):
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("expert__person", "problem")
            .get(pk=proposal.pk)
        )
        side = _side_of(actor, locked)
        if locked.status == ProposalStatus.WITHDRAWN:
            raise Conflict(_("A newer match run withdrew this proposal."), code="proposal_withdrawn")
        if locked.status != ProposalStatus.PROPOSED:
            raise Conflict(
                _("This proposal is already %(status)s.") % {"status": locked.get_status_display()},
                code="proposal_decided",
            )
        if answer == Answer.ACCEPTED:
            _check_room(locked)
        now = timezone.now()
        if side == "expert":
            locked.expert_response = answer
        else:
            locked.company_response, locked.company_responded_by = answer, actor
        if answer == Answer.DECLINED or locked.expert_response == locked.company_response == Answer.ACCEPTED:
            locked.status = ProposalStatus.DECLINED if answer == Answer.DECLINED else ProposalStatus.ACCEPTED
            locked.decided_by, locked.decided_at = actor, now
        locked.save()
    return locked


def _check_room(proposal: Proposal) -> None:
    """Accepting must leave both sides within their capacity, counting what each has accepted so far."""
    expert = ExpertProfile.objects.select_for_update().get(pk=proposal.expert_id)
    problem = FieldProblem.objects.select_for_update().get(pk=proposal.problem_id)
    if not expert.consent_to_matching:
        raise Conflict(_("The expert has withdrawn their consent to matching."), code="no_consent")
    if problem.status != ProblemStatus.OPEN:
        raise Conflict(_("This field problem is no longer open."), code="problem_not_open")
    taken = Proposal.objects.exclude(pk=proposal.pk).filter(
        Q(status=ProposalStatus.ACCEPTED)
        | Q(status=ProposalStatus.PROPOSED)
        & (Q(expert_response=Answer.ACCEPTED) | Q(company_response=Answer.ACCEPTED)),
        problem__status=ProblemStatus.OPEN,
    )
    if taken.filter(expert=expert).count() >= expert.capacity:
        raise Conflict(_("The expert has no capacity left for another field problem."), code="expert_full")
    if taken.filter(problem=problem).count() >= problem.experts_wanted:
        raise Conflict(_("This field problem already has all the experts it wants."), code="problem_full")
