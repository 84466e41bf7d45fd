"""The world of the accessibility walk (tests/web/test_accessibility_browser.py) and what the walk covers.

The world is built once, before the browser starts: besides the small market of tests/matching/market.py it has an
object behind every detail and edit page (an overseas position, a draft problem, a status change to void, a roster
import, a finished match run, two engagements (one with a student's AX project), notifications, duplicate pairs and
a merge, a password-reset link, an unsubscribe link).

The walk opens `walked_pages` and, on the page of each `Action`, finds the form or link of that action; it submits
the ones that show a page of their own (a claim code, a roster file's preview, an operator's decision and undo) and
a few forms sent empty, to check their errors.
`pages_in_scope` lists the site's page patterns from the URL resolver: each is walked, acted on, or excluded below
with its reason."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from talent.engagements import services as engagements
from talent.engagements.models import Engagement
from talent.identity import services as identity
from talent.identity.models import DuplicateCandidate
from talent.matching.models import Answer, MatchRun, Proposal
from talent.matching.services import proposal_answer
from talent.notifications import services as notifications
from talent.notifications.models import NotificationKind
from talent.registry import services as registry
from talent.registry.models import Enrollment, FieldProblem, OverseasPosition, PersonMerge
from talent.registry.vocabulary import EnrollmentStatus
from talent.roster.services import roster_export, roster_import
from talent.web.navigation import nav_links
from tests import factories
from tests.matching.market import Market, open_problem, run_now
from tests.targets import seed_targets_if_flushed

D = datetime.date

#: Not pages of a role's work, so outside the walk: the API (JSON; its schema and its fuzz test it) with its browsable
#: sign-in and its Swagger UI (api/v1/docs/, drf-spectacular's developer tool, deliberately not walked), the probes
#: of the process (health, readiness, metrics) and Django's admin, which the walk visits by sample (its index, a list,
#: a change form: every admin page is one of Django's few templates with web/admin.css).
OUT_OF_SCOPE = ("admin/", "api/", "api-auth/", "healthz", "readyz", "metrics")
#: Page patterns of the site the walk does not open, and why.
NOT_WALKED = {
    "web:favicon": "a permanent redirect to the site's icon (a static file)",
}
#: Django's admin is walked at desktop width only: it is not built for a phone, and the operator works at a desk.
DESK_ONLY = "/admin/"


@dataclass(frozen=True)
class Action:
    """A form or link on a walked page (`page`, of `role`) that acts: posts a change, downloads a file. The walk
    finds it there (`form`, a CSS selector, when the instance differs between languages); `submit` also submits
    it (`button` picks the submit button, `files` fills file inputs) and checks the page it leads to, which must
    offer the controls `offers` names."""

    role: str
    page: str
    target: str
    submit: bool = False
    form: str = ""
    button: str = ""
    files: dict[str, Any] = field(default_factory=dict)
    offers: tuple[str, ...] = ()


@dataclass
class World:
    market: Market
    enrollment: Enrollment
    users: dict[str, Any]
    position: OverseasPosition
    draft: FieldProblem
    voidable: int
    batch: int
    run: MatchRun
    pending: Proposal
    agreed: Engagement
    not_agreed: Engagement
    ax_project: int
    reset_link: str
    unsubscribe_token: str
    candidate: int
    merge: int
    roster_csv: bytes


def _engagement(market: Market, run: MatchRun, expert, company_user, title: str) -> Engagement:
    """An engagement on a new problem of the market's company: the expert and the company accept its proposal."""
    problem = open_problem(
        market.weld.organization,
        title=title,
        description=f"{title}: 생산 라인의 이미지를 분석하여 불량을 검출하고자 합니다.",
        ksic_section="C",
        skills_wanted=["컴퓨터 비전"],
        region="KR-41",
        experts_wanted=1,
    )
    proposal = Proposal.objects.create(run=run, expert=expert, problem=problem, score=0.9)
    proposal_answer(actor=expert.person.user, proposal=proposal, answer=Answer.ACCEPTED)
    proposal_answer(actor=company_user, proposal=proposal, answer=Answer.ACCEPTED)
    return Engagement.objects.get(proposal=proposal)


def _pair(
    family: str, given: str, latin: tuple[str, str], other_latin: tuple[str, str], born: datetime.date
) -> set[int]:
    """Two records of one person that the identity queue proposes as a probable duplicate."""
    return {
        factories.PersonFactory(
            family_name_ko=family,
            given_name_ko=given,
            family_name_latin=family_latin,
            given_name_latin=given_latin,
            birth_date=born,
            email="",
        ).pk
        for family_latin, given_latin in (latin, other_latin)
    }


@pytest.fixture
def world(market, enrollment, ministry_analyst, university_staff, operator) -> World:
    seed_targets_if_flushed()  # a transactional test earlier on this worker may have flushed them
    lee = market.lee.person
    users = {
        "researcher": lee.user,
        "company_member": market.company_member,
        "university_staff": university_staff,
        "ministry_analyst": ministry_analyst,
        "operator": operator,
        "newcomer": factories.UserFactory(username="newcomer"),  # signed up, no record claimed yet
    }
    registry.privacy_consent_give(actor=None, person=lee, required=True, optional=True)
    position = registry.overseas_position_add(
        actor=None,
        person=lee,
        country="DE",
        institution="TU München",
        title="Postdoctoral researcher",
        start_date=D(2015, 1, 1),
        end_date=D(2019, 12, 31),
    )
    draft = registry.field_problem_create(
        actor=None,
        organization=market.weld.organization,
        title="도장 두께 예측",
        description="도장 공정의 센서 데이터로 도막 두께를 예측하고자 합니다.",
        ksic_section="C",
        skills_wanted=["시계열 분석"],
        region="KR-41",
        experts_wanted=1,
    )
    change = registry.enrollment_transition(
        actor=university_staff, enrollment=enrollment, status=EnrollmentStatus.ENROLLED, effective_date=D(2026, 3, 2)
    )
    registry.claim_code_issue(actor=university_staff, enrollment=enrollment)
    roster_csv = roster_export(actor=university_staff, university=enrollment.university, fmt="csv")
    batch = roster_import(
        actor=university_staff, university=enrollment.university, filename="명단.csv", content=roster_csv, dry_run=True
    ).batch_id
    assert batch is not None
    run = run_now()
    pending = market.proposal(market.lee, market.weld)
    agreed = _engagement(market, run, market.park, market.company_member, "도장 불량 검출")
    not_agreed = _engagement(market, run, market.lee, market.company_member, "압연 표면 검사")
    engagements.engagement_agree_to_ax_projects(actor=market.company_member, engagement=agreed)
    ax_project = engagements.ax_project_link(actor=university_staff, engagement=agreed, enrollment=enrollment)
    pairs = [
        _pair("정", "하린", ("Jung", "Harin"), ("Jeong", "Ha-rin"), D(1999, 2, 14)),
        _pair("오", "세진", ("Oh", "Sejin"), ("O", "Se-jin"), D(1995, 7, 3)),
        _pair("한", "도윤", ("Han", "Doyun"), ("Hahn", "Do-yun"), D(1992, 11, 21)),
    ]
    identity.candidates_refresh()
    candidates = []
    for candidate in DuplicateCandidate.objects.order_by("pk"):
        if {candidate.person_a_id, candidate.person_b_id} in pairs:
            candidates.append(candidate)
        else:  # the market's people (the student 박지훈 and the expert 박지훈 share a name and a birth date)
            identity.candidate_decide(actor=operator, candidate=candidate, same=False)
    assert len(candidates) == len(pairs), candidates
    merged = identity.candidate_decide(actor=operator, candidate=candidates[0], same=True)
    park = market.park_user
    reset = f"/password-reset/{urlsafe_base64_encode(force_bytes(park.pk))}/{default_token_generator.make_token(park)}/"
    return World(
        market=market,
        enrollment=enrollment,
        users=users,
        position=position,
        draft=draft,
        voidable=change.pk,
        batch=batch,
        run=run,
        pending=pending,
        agreed=agreed,
        not_agreed=not_agreed,
        ax_project=ax_project.pk,
        reset_link=reset,
        unsubscribe_token=notifications.unsubscribe_token(lee.user, NotificationKind.PROPOSALS_NEW),
        candidate=candidates[1].pk,
        merge=PersonMerge.objects.get(merged__in=[merged.person_a_id, merged.person_b_id]).pk,
        roster_csv=roster_csv,
    )


def walked_pages(world: World) -> dict[str, list[str]]:
    """Each role's pages: its navigation, its main pages, and the detail and edit pages of the world's objects."""
    m, e, pk = world.market, world.enrollment.pk, world
    pages = {
        "anonymous": [
            *("/", "/login/", "/signup/", "/privacy/"),
            *("/password-reset/", "/password-reset/sent/", world.reset_link, "/password-reset/done/"),
            f"/unsubscribe/{world.unsubscribe_token}/",
        ],
        "researcher": [
            *("/me/", "/me/record/", "/me/profile/", "/me/positions/new/", f"/me/positions/{pk.position.pk}/"),
            *(f"/me/positions/{pk.position.pk}/remove/", "/me/expert/", "/me/consent/", "/me/proposals/"),
            *("/me/data/", "/me/close/", "/me/privacy/", "/account/security/"),
            *(f"/engagements/{pk.not_agreed.pk}/", "/inbox/settings/"),
        ],
        "company_member": [
            *("/company/", "/company/problems/new/", f"/company/problems/{m.weld.pk}/"),
            *(f"/company/problems/{m.weld.pk}/edit/", f"/company/problems/{pk.draft.pk}/"),
            *(f"/engagements/{pk.agreed.pk}/", f"/engagements/{pk.not_agreed.pk}/"),
        ],
        "university_staff": [
            *("/university/", "/university/enrollments/", "/university/enrollments/admit/"),
            *(f"/university/enrollments/{e}/", f"/university/enrollments/{e}/edit/"),
            *(f"/university/enrollments/{e}/changes/{pk.voidable}/void/", f"/university/enrollments/{e}/fast-track/"),
            *(f"/university/persons/{world.enrollment.person_id}/admit/", "/university/roster/"),
            *(f"/university/roster/imports/{pk.batch}/", "/university/claim-codes/", f"/engagements/{pk.agreed.pk}/"),
        ],
        "ministry_analyst": ["/analyst/", f"/analyst/runs/{pk.run.pk}/", "/dashboard/", "/reports/scenarios/"],
        "operator": [
            *("/admin/", "/admin/registry/enrollment/", f"/admin/registry/enrollment/{e}/change/"),
        ],
        "newcomer": ["/", "/claim/"],
    }
    for role, user in world.users.items():
        pages[role] = [*pages[role], *(link["url"] for link in nav_links(user))]
    return {role: list(dict.fromkeys(paths)) for role, paths in pages.items()}


def walked_actions(world: World) -> list[Action]:
    m, e = world.market, world.enrollment.pk
    pending, weld, agreed = world.pending.pk, m.weld.pk, world.agreed.pk
    return [
        # Forms sent empty: the page comes back with each error next to its field (the consent's at sign-up).
        Action("anonymous", "/signup/", "/signup/", submit=True),
        Action("researcher", "/me/positions/new/", "/me/positions/new/", submit=True, form="main form.stacked"),
        Action(
            "company_member", "/company/problems/new/", "/company/problems/new/", submit=True, form="main form.stacked"
        ),
        Action(
            "university_staff",
            "/university/enrollments/admit/",
            "/university/enrollments/admit/",
            submit=True,
            form="main form.stacked",
        ),
        Action("anonymous", "/", "/language/"),
        Action("researcher", "/me/", "/logout/"),
        Action("researcher", "/account/security/", "/account/sign-out-everywhere/"),
        Action("researcher", "/me/data/", "/me/data/download/"),
        Action("researcher", "/me/data/", "/me/privacy/withdraw-optional/"),
        Action("researcher", "/me/proposals/", f"/me/proposals/{pending}/accept/"),
        Action("researcher", "/me/proposals/", f"/me/proposals/{pending}/decline/"),
        Action("researcher", "/inbox/", "/inbox/read/"),
        Action("company_member", f"/company/problems/{weld}/", f"/company/problems/{weld}/close/"),
        Action("company_member", f"/company/problems/{world.draft.pk}/", f"/company/problems/{world.draft.pk}/open/"),
        Action("company_member", f"/company/problems/{weld}/", f"/company/proposals/{pending}/accept/"),
        Action("company_member", f"/company/problems/{weld}/", f"/company/proposals/{pending}/decline/"),
        Action(
            "company_member",
            f"/engagements/{world.not_agreed.pk}/",
            f"/engagements/{world.not_agreed.pk}/agree-ax-projects/",
        ),
        Action("university_staff", f"/engagements/{agreed}/", f"/engagements/{agreed}/ax-projects/"),
        Action(
            "university_staff",
            f"/engagements/{agreed}/",
            f"/engagements/{agreed}/ax-projects/{world.ax_project}/unlink/",
        ),
        Action("university_staff", "/university/enrollments/", "/university/enrollments/export.csv"),
        Action("university_staff", "/university/roster/", "/university/roster/template.csv"),
        Action("university_staff", "/university/roster/", "/university/roster/export.csv"),
        Action(
            "university_staff",
            "/university/roster/",
            "/university/roster/",
            submit=True,
            files={"input[type=file]": {"name": "명단.csv", "mimeType": "text/csv", "buffer": world.roster_csv}},
            offers=("/university/roster/confirm/",),
        ),
        Action("university_staff", f"/university/enrollments/{e}/", f"/university/enrollments/{e}/claim-code/revoke/"),
        Action("university_staff", f"/university/enrollments/{e}/", f"/university/enrollments/{e}/claim-code/", True),
        Action("ministry_analyst", "/analyst/", "/analyst/runs/"),
        Action(
            "operator",
            "/operator/duplicates/",
            f"/operator/duplicates/{world.candidate}/decide/",
            submit=True,
            form='form[action^="/operator/duplicates/"][action$="/decide/"]',
            button='[value="same"]',
        ),
        Action(
            "operator",
            "/operator/merges/",
            f"/operator/merges/{world.merge}/undo/",
            submit=True,
            form='form[action^="/operator/merges/"][action$="/undo/"]',
        ),
    ]


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            found.append((route, f"{namespace}{entry.name}"))
    return found


def pages_in_scope() -> set[str]:
    """The view names of the site's page patterns: every URL pattern but the API's, the process probes and the
    admin's (OUT_OF_SCOPE), less NOT_WALKED."""
    patterns = _patterns(get_resolver())
    unnamed = [route for route, name in patterns if name.endswith("None") and not route.startswith(OUT_OF_SCOPE)]
    assert not unnamed, f"page patterns without a name: {unnamed}"
    in_scope = {name for route, name in patterns if not route.lstrip("^").startswith(OUT_OF_SCOPE)}
    assert set(NOT_WALKED) <= in_scope, f"exclusions that are no page pattern: {set(NOT_WALKED) - in_scope}"
    return in_scope - set(NOT_WALKED)
