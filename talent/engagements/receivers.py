"""Engagements' answers to matching's signals (connected in `EngagementsConfig.ready()`)."""

from __future__ import annotations

from typing import Any

from talent.matching.models import Proposal, ProposalStatus


def start_when_both_accept(sender: Any, *, proposal: Proposal, **kwargs: Any) -> None:
    """The second acceptance starts the engagement, in the answer's transaction."""
    if proposal.status == ProposalStatus.ACCEPTED:
        from talent.engagements.services import engagement_start

        engagement_start(proposal=proposal)
