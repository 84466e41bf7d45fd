"""Notifications' answers to the signals of the apps below (connected in `NotificationsConfig.ready()`): each
writes its notifications in the transaction of the event, through `services.notify`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import F, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from talent.engagements.models import Engagement
from talent.matching.models import Proposal, Side
from talent.notifications.models import NotificationKind
from talent.notifications.services import notification_settings_update, notify, settings_of
from talent.registry.models import ClaimCode


def _link(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _members(organization_id: int) -> QuerySet[User]:
    return User.objects.filter(membership__organization_id=organization_id, is_active=True)


def _expert_user(proposal: Proposal) -> list[User]:
    user = proposal.expert.person.user
    return [user] if user is not None else []


def tell_company_the_expert_answered(sender: Any, *, proposal: Proposal, side: str, answer: str, **kwargs: Any) -> None:
    """The expert accepted or declined: the company's members are told (the problem's title, never the expert)."""
    if side != Side.EXPERT:
        return
    notify(
        recipients=_members(proposal.problem.organization_id),
        kind=NotificationKind.PROPOSAL_ANSWERED,
        dedupe_key=f"proposal:{proposal.pk}",
        context={
            "problem": proposal.problem_id,
            "problem_title": proposal.problem.title,
            "answer": answer,
            "reason": proposal.decline_reason,
        },
        link=_link("web:problem-detail", proposal.problem_id),
    )


def tell_experts_of_new_proposals(sender: Any, *, run_id: int, new_by_expert: dict[int, int], **kwargs: Any) -> None:
    """One digest per expert and run, however many proposals the run made them."""
    if not new_by_expert:
        return
    experts = User.objects.filter(person__expert_profile__in=list(new_by_expert), is_active=True).annotate(
        expert_pk=F("person__expert_profile")
    )
    for user in experts:
        notify(
            recipients=[user],
            kind=NotificationKind.PROPOSALS_NEW,
            dedupe_key=f"run:{run_id}",
            context={"run": run_id, "count": new_by_expert[user.expert_pk]},
            link=_link("web:my-proposals"),
        )


def _engagement_parties(engagement: Engagement) -> list[User]:
    proposal = engagement.proposal
    return [*_expert_user(proposal), *_members(proposal.problem.organization_id)]


def tell_both_the_engagement_started(sender: Any, *, engagement: Engagement, **kwargs: Any) -> None:
    proposal = engagement.proposal
    notify(
        recipients=_engagement_parties(engagement),
        kind=NotificationKind.ENGAGEMENT_STARTED,
        dedupe_key=f"engagement:{engagement.pk}",
        context={"engagement": engagement.pk, "problem_title": proposal.problem.title},
        link=_link("web:engagement-detail", engagement.pk),
    )


def tell_both_the_engagement_closed(sender: Any, *, engagement: Engagement, **kwargs: Any) -> None:
    proposal = engagement.proposal
    notify(
        recipients=_engagement_parties(engagement),
        kind=NotificationKind.ENGAGEMENT_CLOSED,
        dedupe_key=f"engagement:{engagement.pk}",
        context={"engagement": engagement.pk, "problem_title": proposal.problem.title, "outcome": engagement.outcome},
        link=_link("web:engagement-detail", engagement.pk),
    )


def tell_staff_a_claim_code_was_used(sender: Any, *, claim: ClaimCode, **kwargs: Any) -> None:
    """The staff member who issued the code is told (all the university's staff when they have left it); the
    notice names no student: the claim codes page shows which code was used."""
    members = _members(claim.issued_by_organization_id)
    issuer = members.filter(pk=claim.issued_by_id) if claim.issued_by_id is not None else members.none()
    notify(
        recipients=issuer if issuer.exists() else members,
        kind=NotificationKind.CLAIM_CODE_USED,
        dedupe_key=f"claim:{claim.pk}",
        context={},
        link=_link("web:university-claim-codes"),
    )


def remember_language(sender: Any, *, request: Any, user: User, **kwargs: Any) -> None:
    """Mail goes out in the language a user last signed in with."""
    language = translation.get_language_from_request(request) if request is not None else None
    if language and language != settings_of(user).language:
        notification_settings_update(user=user, language=language)
