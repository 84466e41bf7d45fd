"""A proposal as a reader sees it, shared by the API's serializers and the pages: the expert's card (only the
fields this reader may see, `selectors.shown_expert_fields`), the stored explanation with its labels, and whether
the reader's side may still answer (`models.awaits_answer`, the rule the answering service applies).

Shapes data only: no queries beyond the relations the selectors already joined, no writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from talent.matching.models import Answer, DeclineReason, Proposal, Side, answer_of, awaits_answer
from talent.matching.selectors import shown_expert_fields
from talent.registry.models import ExpertProfile
from talent.registry.vocabulary import ShareableField

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
    "region_unknown": _("The expert names no region"),
    None: _("No region in common"),
}


def expert_card(expert: ExpertProfile, fields: frozenset[str]) -> dict[str, Any]:
    """The expert's id, and of their data only `fields` (`ShareableField` values)."""
    person = expert.person
    card: dict[str, Any] = {"id": expert.pk}
    if ShareableField.NAME in fields:
        card["name"] = f"{person.family_name_ko}{person.given_name_ko}"
        card["name_latin"] = f"{person.given_name_latin} {person.family_name_latin}".strip()
    if ShareableField.EMAIL in fields:
        card["email"] = person.email or None  # none recorded: null, never an empty string posing as an address
    if ShareableField.AFFILIATION in fields:
        profile = getattr(person, "researcher_profile", None)
        affiliation = profile.korean_affiliation if profile is not None else None
        card["affiliation"] = affiliation.name_ko if affiliation is not None else None
    if ShareableField.SUMMARY in fields:
        card["summary_ko"], card["summary_en"] = expert.summary_ko, expert.summary_en
    if ShareableField.SKILLS in fields:
        card["skills"] = list(expert.skills)
    return card


def expert_card_for(*, user: User, proposal: Proposal) -> dict[str, Any]:
    """The proposal's expert as `user` may see them."""
    return expert_card(proposal.expert, shown_expert_fields(user=user, proposal=proposal))


def shows_personal_data(card: dict[str, Any]) -> bool:
    """Whether a card shows anything of the person beyond the expert's id: then the read is written to the
    access log (the API and the pages log the same reads)."""
    return card.keys() != {"id"}


def explained(proposal: Proposal) -> dict[str, Any]:
    """The stored explanation, ready for a page: components with their weights, skills, terms and the concepts of
    the AX vocabulary that linked the two sides."""
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
        "matched_loanwords": explanation.get("matched_loanwords", []),
        "matched_divisions": explanation.get("matched_divisions", []),
        "nothing_in_common": not (
            explanation.get("matched_skills")
            or explanation.get("matched_terms")
            or explanation.get("matched_concepts")
            or explanation.get("matched_loanwords")
        ),
        "sector_match": explanation.get("sector_match"),
        "region_reason": REGION_REASONS.get(explanation.get("region_match"), REGION_REASONS[None]),
        "in_words": in_words(proposal),
    }


#: The text component's value from which the wording says "strong", "some" or "weak" (0: no shared words).
TEXT_STRONG, TEXT_SOME = 0.4, 0.15


def text_strength(value: float) -> str:
    """How much the problem's text and the expert's summary have in common, in a word."""
    if value >= TEXT_STRONG:
        return str(_("strong"))
    if value >= TEXT_SOME:
        return str(_("some"))
    return str(_("weak")) if value > 0 else str(_("none"))


def in_words(proposal: Proposal) -> list[str]:
    """The stored explanation as phrases a person reads without weights or products: "Skills matched: 머신비전,
    예지보전 (2 of 3 wanted)", "Text in common: strong", "Same KSIC section", "Past proposals in this section: 2
    accepted, 0 declined", "Region: 경기도 (on site)". The numbers
    stay in the explanation (the API's, and the pages' details toggle)."""
    explanation = proposal.explanation or {}
    components = explanation.get("components", {})
    matched, missing = explanation.get("matched_skills", []), explanation.get("missing_skills", [])
    phrases: list[Any] = []
    wanted = len(matched) + len(missing)
    if matched:
        phrases.append(
            _("Skills matched: %(skills)s (%(matched)d of %(wanted)d wanted)")
            % {"skills": ", ".join(matched), "matched": len(matched), "wanted": wanted}
        )
    elif wanted:
        phrases.append(_("None of the %(wanted)d skills wanted") % {"wanted": wanted})
    phrases.append(_("Text in common: %(strength)s") % {"strength": text_strength(float(components.get("text", 0)))})
    concepts = explanation.get("matched_concepts", [])
    if concepts:
        phrases.append(
            _("Linked by: %(concepts)s") % {"concepts": ", ".join(f"{c.get('ko')} · {c.get('en')}" for c in concepts)}
        )
    loanwords = explanation.get("matched_loanwords", [])
    if loanwords:
        phrases.append(
            _("Same word in Hangul and Latin letters: %(words)s")
            % {"words": ", ".join(f"{w.get('ko')} · {w.get('en')}" for w in loanwords)}
        )
    problem = proposal.problem
    if explanation.get("sector_match"):
        phrases.append(
            _("Same KSIC section (%(section)s)") % {"section": problem.get_ksic_section_display()}
            if problem.ksic_section
            else _("Same KSIC section")
        )
    else:
        phrases.append(_("Different KSIC section"))
    history = explanation.get("history")
    if history:
        phrases.append(
            _("Past proposals in this section: %(accepted)d accepted, %(declined)d declined")
            % {"accepted": history.get("accepted", 0), "declined": history.get("declined", 0)}
        )
    region = explanation.get("region_match")
    if region == "same_region":
        phrases.append(_("Region: %(region)s (on site)") % {"region": problem.get_region_display()})
    elif region == "remote":
        phrases.append(_("Remote work on both sides"))
    elif region == "region_unknown":
        phrases.append(_("The expert names no region (counted as half)"))
    else:
        phrases.append(_("No region in common"))
    if float(explanation.get("context_share", 1)) < 1:
        phrases.append(_("Little in common in skills and text: sector and region counted in part"))
    return [str(phrase) for phrase in phrases]


def proposal_card(proposal: Proposal, *, user: User, side: str) -> dict[str, Any]:
    """Everything one proposal's box on a page shows to `user`, who answers for `side` (a `Side` value)."""
    other = Side.COMPANY if side == Side.EXPERT else Side.EXPERT
    return {
        "proposal": proposal,
        "why": explained(proposal),
        "expert": expert_card_for(user=user, proposal=proposal),
        "own_answer": Answer(answer_of(proposal, side)).label,
        "other_answer": Answer(answer_of(proposal, other)).label,
        "may_answer": awaits_answer(proposal, side),
        "decline_reasons": DeclineReason.choices,
        "decline_reason": proposal.get_decline_reason_display() if proposal.decline_reason else "",
    }
