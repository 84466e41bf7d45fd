"""Engagements and notifications: each side of an engagement reads and closes its own, a university reads its
students'; the ministry reads counts only; everyone reads and settles only their own inbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from talent.engagements import services
from talent.engagements.models import AXProject, Engagement
from talent.matching.models import MatchRun, Proposal
from talent.notifications.models import Notification
from talent.notifications.services import notify
from talent.registry.models import ExpertProfile
from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses


@dataclass
class Engagements:
    engagement: Engagement  # the researcher on the company's problem
    other: Engagement  # the other researcher on the other company's problem
    student: Engagement  # university A's student on the company's problem
    researcher_notice: Notification
    company_notice: Notification


def engagements(world: World) -> Engagements:
    if "engagements" not in world.extra:
        run = MatchRun.objects.create(status="succeeded", progress=100)
        student = ExpertProfile.objects.create(
            person=world.enrollment_a.person, skills=["배터리"], consent_to_matching=True, shared_fields=["skills"]
        )

        def engaged(expert: ExpertProfile, problem) -> Engagement:
            proposal = Proposal.objects.create(
                run=run,
                expert=expert,
                problem=problem,
                score=0.6,
                status="accepted",
                expert_response="accepted",
                company_response="accepted",
            )
            return Engagement.objects.create(proposal=proposal)

        def notice(role: str) -> Notification:
            user = world.users[role]
            notify(recipients=[user], kind="engagement_started", dedupe_key=f"matrix:{role}", context={})
            return Notification.objects.get(recipient=user)

        world.extra["engagements"] = Engagements(
            engagement=engaged(world.researcher_person.expert_profile, world.problem),
            other=engaged(world.other_researcher_person.expert_profile, world.other_problem),
            student=engaged(student, world.problem),
            researcher_notice=notice("researcher"),
            company_notice=notice("company"),
        )
    return world.extra["engagements"]


def _list(world: World) -> str:
    engagements(world)
    return "/api/v1/engagements/"


def _visible(world: World, role: str) -> set[int]:
    e = engagements(world)
    own = {
        "company": {e.engagement.pk, e.student.pk},
        "researcher": {e.engagement.pk},
        "university_a": {e.student.pk},
        "other_company": {e.other.pk},
        "other_researcher": {e.other.pk},
        "operator": {e.engagement.pk, e.other.pk, e.student.pk},
    }
    return own.get(role, set())


def _open_to_ax_projects(world: World) -> str:
    """The researcher's engagement on the company's problem, once the company agreed to AX projects."""
    engagement = engagements(world).engagement
    if engagement.ax_projects_agreed_at is None:
        Engagement.objects.filter(pk=engagement.pk).update(ax_projects_agreed_at=timezone.now())
        engagement.refresh_from_db()
    return f"/api/v1/engagements/{engagement.pk}/ax-projects/"


def _linked_ax_project(world: World) -> str:
    """University A's student linked as an AX project to the engagement open to AX projects: its unlink route."""
    path = _open_to_ax_projects(world)
    engagement = engagements(world).engagement
    project = AXProject.objects.filter(engagement=engagement, enrollment=world.enrollment_a).first()
    if project is None:
        project = services.ax_project_link(
            actor=world.users["university_a"], engagement=engagement, enrollment=world.enrollment_a
        )
    return f"{path}{project.pk}/unlink/"


def _inbox(world: World) -> str:
    engagements(world)
    return "/api/v1/notifications/"


def _visible_notices(world: World, role: str) -> set[int]:
    e = engagements(world)
    return {"researcher": {e.researcher_notice.pk}, "company": {e.company_notice.pk}}.get(role, set())


ROUTES: list[Route] = [
    Route("engagement-list", "GET", _list, statuses(200), visible_ids=_visible, notes="the ministry lists none"),
    Route(
        "engagement-detail",
        "GET",
        lambda w: f"/api/v1/engagements/{engagements(w).engagement.pk}/",
        statuses(404, company=200, researcher=200, operator=200),
    ),
    Route(
        "engagement-close",
        "POST",
        lambda w: f"/api/v1/engagements/{engagements(w).engagement.pk}/close/",
        statuses(404, company=200, researcher=200, operator=403),
        body=lambda w: {"outcome": "solved", "note": "완료했습니다."},
        notes="either side closes; an operator reads it but is no party to it",
    ),
    Route(
        "engagement-close",
        "POST",
        lambda w: f"/api/v1/engagements/{engagements(w).student.pk}/close/",
        statuses(404, company=200, university_a=403, operator=403),
        body=lambda w: {"outcome": "partly"},
        notes="the student's university reads it but does not close it for the student",
    ),
    Route(
        "engagement-agree-ax-projects",
        "POST",
        lambda w: f"/api/v1/engagements/{engagements(w).engagement.pk}/agree-ax-projects/",
        statuses(404, company=200, researcher=403, operator=403),
        notes="the company's agreement alone: the expert and operators read it but do not agree for it",
    ),
    Route(
        "engagement-ax-projects",
        "POST",
        _open_to_ax_projects,
        statuses(404, university_a=201, university_b=403, company=403, researcher=403, operator=201),
        body=lambda w: {"enrollment": w.enrollment_a.pk},
        notes="every university sees an engagement open to AX projects; only the student's own links them",
    ),
    Route(
        "engagement-ax-projects",
        "POST",
        lambda w: f"/api/v1/engagements/{engagements(w).student.pk}/ax-projects/",
        statuses(404, university_a=409, company=403, operator=409),
        body=lambda w: {"enrollment": w.enrollment_a.pk},
        notes="the company has not agreed: refused (its own student's engagement is visible to university A)",
    ),
    Route(
        "engagement-unlink-ax-project",
        "POST",
        _linked_ax_project,
        statuses(404, university_a=200, university_b=403, company=403, researcher=403, operator=200),
        body=lambda w: {"reason": "학생이 다른 과제로 옮겼습니다."},
        notes="the student's own university (and operators) unlink it, with a reason",
    ),
    Route(
        "engagement-counts",
        "GET",
        lambda w: "/api/v1/engagements/counts/",
        statuses(403, ministry=200, operator=200),
    ),
    Route("notification-list", "GET", _inbox, statuses(200), visible_ids=_visible_notices),
    Route(
        "notification-mark-read",
        "POST",
        lambda w: "/api/v1/notifications/mark-read/",
        statuses(200),
        body=lambda w: {"ids": [engagements(w).researcher_notice.pk]},
        notes="only one's own are marked: another's id changes nothing",
    ),
    Route("notification-preferences", "GET", lambda w: "/api/v1/notifications/settings/", statuses(200)),
    Route(
        "notification-preferences",
        "PATCH",
        lambda w: "/api/v1/notifications/settings/",
        statuses(200),
        body=lambda w: {"language": "en", "muted_kinds": ["proposals_new"]},
    ),
]
