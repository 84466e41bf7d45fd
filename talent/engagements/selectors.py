"""Every read of engagements, with the reader's permissions applied.

- the expert sees their own engagements, a company member those on their company's problems, a university's staff
  those of their own students (read only), operators all; the ministry counts only (`engagement_counts`);
- the contact each side sees: of the expert, what the expert's consent shares (matching's one rule,
  `shown_expert_fields`); of the company, its name and the member who answered for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy

from talent.engagements.models import Engagement, EngagementStatus, Outcome
from talent.matching.models import Side
from talent.matching.presentation import expert_card_for
from talent.registry import roles
from talent.registry.models import Person

if TYPE_CHECKING:
    from talent.registry.roles import User

#: Who sees the engagement counts: the ministry and operators.
SEE_COUNTS = roles.Gate(
    roles.MINISTRY.allows, gettext_lazy("Only the ministry or an operator may see engagement counts.")
)


def engagement_list_for_user(*, user: User) -> QuerySet[Engagement]:
    """The engagements `user` may open, with problem, company and expert joined (one query a page)."""
    qs = Engagement.objects.select_related(
        "proposal__problem__organization",
        "proposal__expert__person__researcher_profile__korean_affiliation",
        "proposal__company_responded_by",
        "closed_by",
    )
    if roles.is_operator(user):
        return qs
    company = roles.company_of(user)
    if company is not None:
        return qs.filter(proposal__problem__organization=company)
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(proposal__expert__person__in=Person.objects.filter(enrollments__university=university))
    if user.is_authenticated and not roles.is_ministry(user):
        return qs.filter(proposal__expert__person__user=user)
    return qs.none()


def engagement_side(*, user: User, engagement: Engagement) -> str | None:
    """Which side `user` acts for: the expert themself, a member of the problem's company, or neither."""
    proposal = engagement.proposal
    if proposal.expert.person.user_id is not None and proposal.expert.person.user_id == user.pk:
        return Side.EXPERT
    company = roles.company_of(user)
    if company is not None and company.pk == proposal.problem.organization_id:
        return Side.COMPANY
    return None


def engagement_contact(*, user: User, engagement: Engagement) -> dict[str, Any]:
    """What `user` sees of both sides: the expert's card (only the fields the expert's consent shares with this
    reader) and the company's name with the member who accepted for it."""
    proposal = engagement.proposal
    member = proposal.company_responded_by
    company = proposal.problem.organization
    return {
        "expert": expert_card_for(user=user, proposal=proposal),
        "company": {
            "id": company.pk,
            "name": company.name_ko,
            "name_en": company.name_en,
            "contact_name": (member.get_full_name() or member.get_username()) if member is not None else "",
            "contact_email": member.email if member is not None else "",
        },
    }


def engagement_counts() -> dict[str, Any]:
    """How many engagements there are: in all, by status, by outcome and by the problem's KSIC section."""
    rows = Engagement.objects.values("status", "outcome", "proposal__problem__ksic_section").annotate(n=Count("id"))
    total = 0
    by_status = dict.fromkeys(EngagementStatus.values, 0)
    by_outcome = dict.fromkeys(Outcome.values, 0)
    by_section: dict[str, int] = {}
    for row in rows:
        total += row["n"]
        by_status[row["status"]] += row["n"]
        if row["outcome"]:
            by_outcome[row["outcome"]] += row["n"]
        section = row["proposal__problem__ksic_section"]
        by_section[section] = by_section.get(section, 0) + row["n"]
    return {
        "total": total,
        "by_status": by_status,
        "by_outcome": by_outcome,
        "by_section": dict(sorted(by_section.items())),
    }
