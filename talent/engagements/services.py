"""Every write of engagements: starting one when both sides accept, closing it with an outcome."""

from __future__ import annotations

import pghistory
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.db import validate
from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.engagements import signals
from talent.engagements.models import Engagement, EngagementStatus, Outcome
from talent.engagements.selectors import engagement_side
from talent.matching.models import Proposal, ProposalStatus


def engagement_start(*, proposal: Proposal) -> Engagement:
    """The engagement of a proposal both sides accepted (called in the answer's transaction); the same one when it
    exists already."""
    if proposal.status != ProposalStatus.ACCEPTED:
        raise Conflict(_("Only a proposal both sides accepted becomes an engagement."), code="not_accepted")
    with transaction.atomic():
        engagement, created = Engagement.objects.get_or_create(proposal=proposal)
        if created:
            engagement.proposal = proposal
            signals.engagement_started.send(sender=Engagement, engagement=engagement)
    return engagement


def engagement_close(*, actor: User, engagement: Engagement, outcome: str, note: str = "") -> Engagement:
    """The expert or a member of the company closes the engagement with an outcome and a short note, once.
    Refused: anyone else (403), an unknown outcome or a note that breaks the field's rules (400), an engagement
    already closed (409)."""
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose an outcome: solved, partly solved or not pursued."), field="outcome")
    note = (note or "").strip()
    with transaction.atomic(), pghistory.context(user=actor.pk, action="engagement_close"):
        locked = (
            Engagement.objects.select_for_update(of=("self",))
            .select_related("proposal__expert__person", "proposal__problem")
            .get(pk=engagement.pk)
        )
        if engagement_side(user=actor, engagement=locked) is None:
            raise NotAllowed(_("Only the expert or a member of the problem's company may close this engagement."))
        if locked.status == EngagementStatus.CLOSED:
            raise Conflict(
                _("This engagement was already closed (%(outcome)s).") % {"outcome": locked.get_outcome_display()},
                code="engagement_closed",
            )
        locked.status, locked.outcome, locked.note = EngagementStatus.CLOSED, outcome, note
        locked.closed_at, locked.closed_by = timezone.now(), actor
        validate(locked, exclude=["proposal"])
        locked.save()
        signals.engagement_closed.send(sender=Engagement, engagement=locked, actor=actor)
    return locked
