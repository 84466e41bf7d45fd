"""The demo's match runs and the answers given to their proposals, so that the pages, the engagements and the
acceptance rate by score band (bench/acceptance.py) have something to show.

After the records are written, `seed_matching` runs the real engine ROUNDS times (in-process, through the matching
services, as a command-line run) and answers each run's new proposals by the rule below; a pair accepted by both
becomes an engagement. Later rounds see the answers of earlier ones as a real run does: accepted pairs hold
capacity, declined pairs are never proposed again, proposals still pending and not repeated are withdrawn.

The answering rule (deterministic: a pure function of the seed, the pair and its score, never of database ids):
- each side draws two numbers in [0, 1) from SHA-256 of (seed, side, what, the expert's names and birth date, the
  problem's company and title): `wait` and `accept`;
- the expert answers first: no answer yet when wait < PENDING_SHARE; otherwise accepts when
  accept < EXPERT_ACCEPTS(score) = min(0.95, 0.20 + 0.90 × score), and declines otherwise;
- the company answers only a proposal its expert accepted, by the same draws with its own chance
  COMPANY_ACCEPTS(score) = min(0.95, 0.30 + 0.80 × score);
- a decline gives a reason: "outside my or our field" below a score of 0.3, otherwise "no time" (the expert) or
  "scope or conditions" (the company).
The chances rise with the score (a better fit is accepted more often, as one expects of real answers) but every
answer is a draw, so the rate in a band is what the draws give, read from the database like any other.

Answers are written directly (bulk updates, as the writer stores every other record): most demo experts and
companies have no login to answer with. The run itself, its proposals and the engagements' rows are the product's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from talent.engagements.models import Engagement
from talent.matching import services as matching
from talent.matching.models import Answer, DeclineReason, MatchRun, Proposal, ProposalStatus, RunTrigger, Side
from talent.registry.models import Membership

#: How many runs the demo makes (each answered before the next).
ROUNDS = 3
#: Above this scale there is no demo matching: those scales are for the report benchmarks, and a run over tens of
#: thousands of experts is bench/matching.py's subject.
MAX_SCALE = 10
#: The share of proposals a side has not answered yet.
PENDING_SHARE = 0.12
#: Below this score a decline says the problem is outside the field.
OFF_FIELD_BELOW = 0.3


def expert_accepts(score: float) -> float:
    """The expert's chance of accepting a proposal of this score."""
    return min(0.95, 0.20 + 0.90 * score)


def company_accepts(score: float) -> float:
    """The company's chance of accepting a proposal of this score that its expert accepted."""
    return min(0.95, 0.30 + 0.80 * score)


CHANCES: dict[str, Callable[[float], float]] = {Side.EXPERT: expert_accepts, Side.COMPANY: company_accepts}


@dataclass(frozen=True)
class Pair:
    """What the draws of a proposal depend on: its seed, stable keys of both sides (no database id) and score."""

    seed: int
    expert: str
    problem: str
    score: float

    def draw(self, side: str, what: str) -> float:
        digest = hashlib.sha256(f"{self.seed}|{side}|{what}|{self.expert}|{self.problem}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64


def answer(pair: Pair, side: str) -> tuple[str, str]:
    """(answer, decline reason) of one side by the module's rule; `Answer.PENDING` when it has not answered yet."""
    if pair.draw(side, "wait") < PENDING_SHARE:
        return Answer.PENDING, ""
    if pair.draw(side, "accept") < CHANCES[side](pair.score):
        return Answer.ACCEPTED, ""
    if pair.score < OFF_FIELD_BELOW:
        return Answer.DECLINED, DeclineReason.NOT_OUR_FIELD
    return Answer.DECLINED, DeclineReason.NO_TIME if side == Side.EXPERT else DeclineReason.SCOPE


def seed_matching(*, seed: int, rounds: int = ROUNDS) -> list[MatchRun]:
    """Run the engine `rounds` times, answering each run's new proposals by the module's rule, in one transaction.
    Idempotent: a registry that already has a match run is left as it is (nothing returned)."""
    if MatchRun.objects.exists():
        return []
    runs = []
    with transaction.atomic():
        for _ in range(rounds):
            run = matching.match_run_request(actor=None, trigger=RunTrigger.COMMAND, enqueue=False)
            outcome = matching.match_run_execute(run_id=run.pk)
            if outcome != matching.RunOutcome.SUCCEEDED:
                run.refresh_from_db()
                raise RuntimeError(f"the demo's match run failed ({outcome}): {run.error}")
            _answer_new_proposals(seed=seed, run=run)
            runs.append(run)
    return runs


def _answer_new_proposals(*, seed: int, run: MatchRun) -> None:
    proposals = list(
        Proposal.objects.filter(
            run=run,
            status=ProposalStatus.PROPOSED,
            expert_response=Answer.PENDING,
            company_response=Answer.PENDING,
        )
        .select_related("expert__person", "problem__organization")
        .order_by("pk")
    )
    members = dict(
        Membership.objects.filter(organization__in={p.problem.organization_id for p in proposals})
        .order_by("organization_id", "user_id")
        .values_list("organization_id", "user_id")
        .distinct("organization_id")
    )
    now = timezone.now()
    answered = []
    for proposal in proposals:
        person, problem = proposal.expert.person, proposal.problem
        pair = Pair(
            seed=seed,
            expert=f"{person.family_name_ko}{person.given_name_ko}|{person.birth_date}",
            problem=f"{problem.organization.name_ko}|{problem.title}",
            score=proposal.score,
        )
        expert, reason = answer(pair, Side.EXPERT)
        company: str = Answer.PENDING
        if expert == Answer.ACCEPTED:
            company, reason = answer(pair, Side.COMPANY)
        if expert == Answer.PENDING:
            continue
        proposal.expert_response, proposal.company_response = expert, company
        if company != Answer.PENDING:
            proposal.company_responded_by_id = members.get(problem.organization_id)
        declined = Answer.DECLINED in (expert, company)
        if declined or company == Answer.ACCEPTED:
            proposal.status = ProposalStatus.DECLINED if declined else ProposalStatus.ACCEPTED
            proposal.decided_at, proposal.decline_reason = now, reason
        answered.append(proposal)
    Proposal.objects.bulk_update(
        answered,
        ["expert_response", "company_response", "company_responded_by", "status", "decided_at", "decline_reason"],
    )
    Engagement.objects.bulk_create(
        Engagement(proposal=proposal) for proposal in answered if proposal.status == ProposalStatus.ACCEPTED
    )
