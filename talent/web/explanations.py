"""A proposal as a page shows it: its score, why (the explanation the matching run stored), and the expert as the
reader may see them (`shown_expert_fields`, the API's rule and card)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talent.common.errors import DomainError
from talent.matching.api import expert_card
from talent.matching.models import Answer, Proposal, ProposalStatus
from talent.matching.selectors import shown_expert_fields
from talent.matching.services import proposal_accept, proposal_decline

if TYPE_CHECKING:
    from talent.registry.roles import User

COMPONENT_LABELS = {
    "skills": _("Skills"),
    "text": _("Description and summary"),
    "sector": _("Industry sector"),
    "region": _("Region"),
}
REGION_REASONS = {
    "same_region": _("Works in the problem's region"),
    "remote": _("Remote work on both sides"),
    None: _("No region in common"),
}


def explained(proposal: Proposal) -> dict[str, Any]:
    """The stored explanation, ready for the template: components with their weights, skills, terms and the
    concepts of the AX vocabulary that linked the two sides."""
    explanation = proposal.explanation or {}
    components = explanation.get("components", {})
    weights = explanation.get("weights", {})
    return {
        "score_percent": round(proposal.score * 100),
        "rank": explanation.get("rank"),
        "components": [
            {"label": label, "value": components.get(key, 0), "weight": weights.get(key)}
            for key, label in COMPONENT_LABELS.items()
            if key in components
        ],
        "matched_skills": explanation.get("matched_skills", []),
        "missing_skills": explanation.get("missing_skills", []),
        "matched_terms": [term["term"] for term in explanation.get("matched_terms", [])],
        # Each concept in both languages: what linked a Korean posting to an English profile, or the reverse.
        "matched_concepts": explanation.get("matched_concepts", []),
        "matched_divisions": explanation.get("matched_divisions", []),
        "nothing_in_common": not (
            explanation.get("matched_skills") or explanation.get("matched_terms") or explanation.get("matched_concepts")
        ),
        "sector_match": explanation.get("sector_match"),
        "region_reason": REGION_REASONS.get(explanation.get("region_match"), REGION_REASONS[None]),
    }


def proposal_card(proposal: Proposal, *, user: User, side: str) -> dict[str, Any]:
    """Everything one proposal's box shows to `user`, answering for `side` ("expert" or "company")."""
    own_answer = proposal.expert_response if side == "expert" else proposal.company_response
    other_answer = proposal.company_response if side == "expert" else proposal.expert_response
    return {
        "proposal": proposal,
        "why": explained(proposal),
        "expert": expert_card(proposal.expert, shown_expert_fields(user=user, proposal=proposal)),
        "own_answer": Answer(own_answer).label,
        "other_answer": Answer(other_answer).label,
        "may_answer": proposal.status == ProposalStatus.PROPOSED and own_answer == Answer.PENDING,
    }


def proposal_answer_submit(request: HttpRequest, proposal: Proposal, answer: str, saved: str) -> None:
    """Accept or decline `proposal` for the signing-in side (the matching service decides which side that is); a
    refusal or the `saved` confirmation goes to the messages shown on the next page."""
    answering = proposal_accept if answer == "accept" else proposal_decline
    try:
        answering(actor=request.user, proposal=proposal)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, saved)
