"""Every read a user makes of matching, with that user's permissions applied.

- match runs: the ministry and operators (runs hold counts and timings, never personal data);
- proposals: a company member sees those for its own company's problems, and only of experts who still consent;
  an expert sees their own; a university's staff those of its own students (read only); operators all;
- near misses (why an expert was proposed nothing): the expert's own; operators all;
- a person's own proposals and near misses for their data export (the registry calls these through settings).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy

from talent.matching.models import (
    LISTED_STATUSES,
    LIVE_STATUSES,
    Answer,
    MatchRun,
    NearMiss,
    Proposal,
    ProposalStatus,
    Side,
    awaiting_answer,
)
from talent.registry import roles
from talent.registry.models import FieldProblem, Person
from talent.registry.vocabulary import ShareableField

if TYPE_CHECKING:
    from talent.registry.roles import User

EXPERT_CARD = ("expert__person__researcher_profile__korean_affiliation",)
EVERY_FIELD = frozenset(ShareableField.values)


#: Who starts match runs and follows them: the ministry and operators (runs hold counts and timings, never personal
#: data). The service, the API's permission and the analyst's pages all ask this gate, and refuse with its message.
RUN_MATCHING = roles.Gate(
    roles.MINISTRY.allows, gettext_lazy("Only the ministry or an operator may start or see match runs.")
)


def match_run_list(*, user: User) -> QuerySet[MatchRun]:
    return MatchRun.objects.all() if RUN_MATCHING(user) else MatchRun.objects.none()


#: The score bands outcomes are read by: [0, 0.2), [0.2, 0.4), ... [0.8, 1] (the last one includes 1).
SCORE_BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass(frozen=True)
class BandOutcome:
    """What became of the proposals whose score falls in [low, high): how many were made (withdrawn ones apart),
    accepted by both sides, declined by either, still waiting, and what the expert alone answered."""

    low: float
    high: float
    proposals: int
    accepted: int
    declined: int
    pending: int
    withdrawn: int
    expert_accepted: int
    expert_declined: int

    @property
    def decided(self) -> int:
        return self.accepted + self.declined

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted by both, of those decided (None: none decided yet)."""
        return self.accepted / self.decided if self.decided else None

    @property
    def expert_acceptance_rate(self) -> float | None:
        """The experts' own acceptances, of the proposals they answered (None: none answered)."""
        answered = self.expert_accepted + self.expert_declined
        return self.expert_accepted / answered if answered else None


def proposal_outcomes_by_band(*, user: User, bands: tuple[float, ...] = SCORE_BANDS) -> list[BandOutcome]:
    """Proposals' outcomes by score band, for judging the weights on outcomes (counts only: the ministry and
    operators, as for runs; anyone else gets no rows). One aggregation in the database."""
    if not RUN_MATCHING(user):
        return []
    band = Case(
        *(When(score__lt=high, then=Value(i)) for i, high in enumerate(bands[1:-1])),
        default=Value(len(bands) - 2),
        output_field=IntegerField(),
    )
    rows: dict[int, dict[str, Any]] = {
        row["band"]: dict(row)
        for row in Proposal.objects.order_by()
        .annotate(band=band)
        .values("band")
        .annotate(
            made=Count("pk", filter=~Q(status=ProposalStatus.WITHDRAWN)),
            accepted=Count("pk", filter=Q(status=ProposalStatus.ACCEPTED)),
            declined=Count("pk", filter=Q(status=ProposalStatus.DECLINED)),
            pending=Count("pk", filter=Q(status=ProposalStatus.PROPOSED)),
            withdrawn=Count("pk", filter=Q(status=ProposalStatus.WITHDRAWN)),
            expert_accepted=Count("pk", filter=Q(expert_response=Answer.ACCEPTED)),
            expert_declined=Count("pk", filter=Q(expert_response=Answer.DECLINED)),
        )
    }
    outcomes = []
    for i, (low, high) in enumerate(itertools.pairwise(bands)):
        row = rows.get(i, {})
        outcomes.append(
            BandOutcome(
                low=low,
                high=high,
                proposals=row.get("made", 0),
                accepted=row.get("accepted", 0),
                declined=row.get("declined", 0),
                pending=row.get("pending", 0),
                withdrawn=row.get("withdrawn", 0),
                expert_accepted=row.get("expert_accepted", 0),
                expert_declined=row.get("expert_declined", 0),
            )
        )
    return outcomes


def proposal_list_for_user(*, user: User) -> QuerySet[Proposal]:
    """Proposals with their problem, company and expert (person, affiliation) joined: one query per page."""
    qs = Proposal.objects.select_related("problem__organization", *EXPERT_CARD)
    if roles.is_operator(user):
        return qs
    company = roles.company_of(user)
    if company is not None:
        return qs.filter(problem__organization=company, expert__consent_to_matching=True)
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(expert__person__in=Person.objects.filter(enrollments__university=university))
    if user.is_authenticated:
        return qs.filter(expert__person__user=user)
    return qs.none()


def proposal_list_listed(*, user: User) -> QuerySet[Proposal]:
    """The proposals the pages list to `user`: their own (as `proposal_list_for_user`) but those a newer run
    withdrew."""
    return proposal_list_for_user(user=user).filter(status__in=LISTED_STATUSES)


def proposal_list_of_problem(*, user: User, problem: FieldProblem) -> QuerySet[Proposal]:
    """A field problem's listed proposals as `user` (its company) sees them, best score first."""
    return proposal_list_listed(user=user).filter(problem=problem).order_by("-score", "id")


def proposal_list_of_expert(*, user: User, person: Person) -> QuerySet[Proposal]:
    """The listed proposals made to `person` as an expert, as `user` (the person themself) sees them, newest first."""
    return proposal_list_listed(user=user).filter(expert__person=person).order_by("-created_at", "-id")


def proposal_count_awaiting(*, user: User, person: Person) -> int:
    """How many of `person`'s proposals wait for their answer (the same rule as answering: `awaits_answer`)."""
    return proposal_list_for_user(user=user).filter(awaiting_answer(Side.EXPERT), expert__person=person).count()


def problem_list_with_live_proposals(problems: QuerySet[FieldProblem]) -> QuerySet[FieldProblem]:
    """`problems` (already the user's) with `live_proposals`: their live proposals of experts who still consent,
    counted as the company's proposal list shows them."""
    live = Q(proposals__status__in=LIVE_STATUSES, proposals__expert__consent_to_matching=True)
    return problems.annotate(live_proposals=Count("proposals", filter=live))


def proposal_side(*, user: User, proposal: Proposal) -> str | None:
    """Which side `user` answers for on `proposal`: the expert themself, a member of the problem's company, or
    neither (None: they may not answer, whatever they may read)."""
    if proposal.expert.person.user_id is not None and proposal.expert.person.user_id == user.pk:
        return Side.EXPERT
    company = roles.company_of(user)
    if company is not None and company.pk == proposal.problem.organization_id:
        return Side.COMPANY
    return None


def near_miss_list_for_user(*, user: User) -> QuerySet[NearMiss]:
    qs = NearMiss.objects.select_related("problem__organization")
    if roles.is_operator(user):
        return qs
    if user.is_authenticated:
        return qs.filter(expert__person__user=user)
    return qs.none()


def shown_expert_fields(*, user: User, proposal: Proposal) -> frozenset[str]:
    """Which of the expert's fields this user may see on a proposal: everything for the expert themself and
    operators; for the problem's company, what the expert chose to share; for the student's university, the name
    and email it already holds, and what the student shares."""
    if roles.is_operator(user) or proposal.expert.person.user_id == user.pk:
        return EVERY_FIELD
    shared = frozenset(proposal.expert.shared_fields) if proposal.expert.consent_to_matching else frozenset()
    if roles.university_of(user) is not None:
        return shared | {ShareableField.NAME, ShareableField.EMAIL}
    return shared


# --- A person's own data, for their "download my data" (talent.accounts.services) ---------------


def proposals_of_person_for_export(*, person: Person) -> list[dict[str, Any]]:
    """Every proposal made to the person as an expert, withdrawn and declined ones included: the problem, its
    company, score, explanation, status and both answers. Who answered for the company is that person's data:
    left out."""
    proposals = (
        Proposal.objects.filter(expert__person=person)
        .select_related("problem__organization")
        .order_by("created_at", "id")
    )
    return [
        {
            "field_problem": proposal.problem.title,
            "company": proposal.problem.organization.name_ko,
            "score": proposal.score,
            "explanation": proposal.explanation,
            "status": proposal.status,
            "your_answer": proposal.expert_response,
            "company_answer": proposal.company_response,
            "proposed_at": proposal.created_at,
            "decided_at": proposal.decided_at,
            "withdrawn_at": proposal.withdrawn_at,
        }
        for proposal in proposals
    ]


def near_misses_of_person_for_export(*, person: Person) -> list[dict[str, Any]]:
    """The problems the person was a candidate for but was not proposed, with how close they came (latest run)."""
    misses = NearMiss.objects.filter(expert__person=person).select_related("problem__organization")
    return [
        {
            "field_problem": miss.problem.title,
            "company": miss.problem.organization.name_ko,
            "score": miss.score,
            "explanation": miss.explanation,
        }
        for miss in misses
    ]
