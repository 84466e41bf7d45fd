"""Matching: the ministry and operators start and watch runs; a company sees its own problems' proposals, an expert
their own, a university its own students'; near misses are the expert's own. Everyone else is refused, and other
tenants' rows are not found."""

from __future__ import annotations

from dataclasses import dataclass

from talent.matching.models import MatchRun, NearMiss, Proposal
from talent.registry.models import ExpertProfile
from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses


@dataclass
class Matching:
    run: MatchRun
    proposal: Proposal  # the researcher for the company's problem
    other_proposal: Proposal  # the other researcher for the other company's problem
    student_proposal: Proposal  # university A's student for the company's problem
    near_miss: NearMiss  # the researcher, for the other company's problem
    other_near_miss: NearMiss


def matching(world: World) -> Matching:
    """A finished run's rows, made once per world (built directly, as factories do)."""
    if "matching" not in world.extra:
        run = MatchRun.objects.create(status="succeeded", progress=100)
        expert = world.researcher_person.expert_profile
        other_expert = world.other_researcher_person.expert_profile
        student = ExpertProfile.objects.create(
            person=world.enrollment_a.person, skills=["배터리"], consent_to_matching=True, shared_fields=["skills"]
        )
        world.extra["matching"] = Matching(
            run=run,
            student_proposal=Proposal.objects.create(run=run, expert=student, problem=world.problem, score=0.5),
            proposal=Proposal.objects.create(run=run, expert=expert, problem=world.problem, score=0.7),
            other_proposal=Proposal.objects.create(
                run=run, expert=other_expert, problem=world.other_problem, score=0.6
            ),
            near_miss=NearMiss.objects.create(run=run, expert=expert, problem=world.other_problem, score=0.2),
            other_near_miss=NearMiss.objects.create(run=run, expert=other_expert, problem=world.problem, score=0.1),
        )
    return world.extra["matching"]


def _runs(world: World) -> str:
    matching(world)
    return "/api/v1/match-runs/"


def _visible_runs(world: World, role: str) -> set[int]:
    # The world's one run (its problems are opened without announcing, so none was queued), to those who start runs:
    # runs hold no personal data. Everyone else is refused.
    return {matching(world).run.pk} if role in ("ministry", "operator") else set()


def _proposals(world: World) -> str:
    matching(world)
    return "/api/v1/proposals/"


def _visible_proposals(world: World, role: str) -> set[int]:
    m = matching(world)
    own = {
        "company": {m.proposal.pk, m.student_proposal.pk},
        "university_a": {m.student_proposal.pk},
        "researcher": {m.proposal.pk},
        "other_company": {m.other_proposal.pk},
        "other_researcher": {m.other_proposal.pk},
        "operator": {m.proposal.pk, m.other_proposal.pk, m.student_proposal.pk},
    }
    return own.get(role, set())


def _near_misses(world: World) -> str:
    matching(world)
    return "/api/v1/near-misses/"


def _visible_near_misses(world: World, role: str) -> set[int]:
    m = matching(world)
    own = {
        "researcher": {m.near_miss.pk},
        "other_researcher": {m.other_near_miss.pk},
        "operator": {m.near_miss.pk, m.other_near_miss.pk},
    }
    return own.get(role, set())


NOT_PARTIES = {"ministry": 403}

ROUTES: list[Route] = [
    Route(
        "match-run-list",
        "GET",
        _runs,
        statuses(403, ministry=200, operator=200),
        visible_ids=_visible_runs,
    ),
    Route(
        "match-run-list",
        "POST",
        lambda w: "/api/v1/match-runs/",
        statuses(403, ministry=202, operator=202),
        body=lambda w: {"mode": "stable"},
        notes="the run is queued; a worker executes it",
    ),
    Route(
        "match-run-detail",
        "GET",
        lambda w: f"/api/v1/match-runs/{matching(w).run.pk}/",
        statuses(403, ministry=200, operator=200),
    ),
    Route(
        "proposal-list",
        "GET",
        _proposals,
        statuses(200, **NOT_PARTIES),
        visible_ids=_visible_proposals,
    ),
    Route(
        "proposal-detail",
        "GET",
        lambda w: f"/api/v1/proposals/{matching(w).proposal.pk}/",
        statuses(404, **NOT_PARTIES, company=200, researcher=200, operator=200),
        notes="the company's problem and the researcher's own proposal; other tenants find nothing",
    ),
    Route(
        "proposal-detail",
        "GET",
        lambda w: f"/api/v1/proposals/{matching(w).student_proposal.pk}/",
        statuses(404, **NOT_PARTIES, company=200, university_a=200, operator=200),
        notes="a student's proposal: their university reads it too",
    ),
    Route(
        "proposal-accept",
        "POST",
        lambda w: f"/api/v1/proposals/{matching(w).student_proposal.pk}/accept/",
        statuses(404, **NOT_PARTIES, company=200, university_a=403, operator=403),
        notes="the student's university reads it but does not answer for the student",
    ),
    Route(
        "proposal-accept",
        "POST",
        lambda w: f"/api/v1/proposals/{matching(w).proposal.pk}/accept/",
        statuses(404, **NOT_PARTIES, company=200, researcher=200, operator=403),
        notes="each party answers for its side; an operator sees the proposal but is no party to it",
    ),
    Route(
        "proposal-decline",
        "POST",
        lambda w: f"/api/v1/proposals/{matching(w).proposal.pk}/decline/",
        statuses(404, **NOT_PARTIES, company=200, researcher=200, operator=403),
    ),
    Route(
        "near-miss-list",
        "GET",
        _near_misses,
        statuses(403, researcher=200, other_researcher=200, operator=200),
        visible_ids=_visible_near_misses,
        notes="companies never see experts who were not proposed to them",
    ),
]
