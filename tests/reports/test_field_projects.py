"""The reports count field projects: engagements (started, under way, closed by outcome, by KSIC section) and the AX
graduate students who do one as their AX project and complete through it (by school and section), as of a date,
for the whole country or one university. Every expected value is written out by hand.

The market (tests/matching/market.py): 박지훈 and 누리반도체 engaged on the wafer problem (KSIC C); 누리반도체
agreed to AX projects; the university's staff linked their MS student (2026-0001, the `enrollment` fixture).
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from talent.engagements import services
from talent.matching import services as matching
from talent.matching.models import Answer
from talent.registry import services as registry
from talent.reports.field_projects import field_projects
from tests.matching.market import market, run_now

__all__ = ["market"]

D = datetime.date


@pytest.fixture
def linked(market, university_staff, enrollment):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    matching.proposal_answer(actor=market.park_user, proposal=proposal, answer=Answer.ACCEPTED)
    matching.proposal_answer(actor=market.other_company_member, proposal=proposal, answer=Answer.ACCEPTED)
    engaged = proposal.engagement
    services.engagement_agree_to_ax_projects(actor=market.other_company_member, engagement=engaged)
    services.ax_project_link(actor=university_staff, engagement=engaged, enrollment=enrollment)
    return engaged


def graduate(enrollment, staff) -> None:
    for status, day, reason in (
        ("enrolled", D(2026, 3, 2), ""),
        ("coursework_complete", D(2026, 8, 31), "수료"),
        ("graduated", timezone.localdate(), "학위수여"),
    ):
        registry.enrollment_transition(
            actor=staff, enrollment=enrollment, status=status, effective_date=day, reason=reason
        )


def test_the_ministry_counts_an_engagement_and_a_student_doing_it_as_ax_project(linked, ministry_analyst):
    figures = field_projects(user=ministry_analyst)

    assert (figures.engagements, figures.engagements_active, figures.students, figures.completed) == (1, 1, 1, 0)
    assert figures.engagements_closed == {"solved": 0, "partly": 0, "not_pursued": 0}
    assert [(g.key, g.engagements, g.students, g.completed) for g in figures.by_section] == [("C", 1, 1, 0)]
    assert [(g.label, g.engagements, g.students, g.completed) for g in figures.by_school] == [
        (linked.ax_projects.get().enrollment.programme.school.name_ko, 1, 1, 0)
    ]


def test_a_graduation_completes_through_the_ax_project_and_closing_moves_the_engagement(
    market, linked, university_staff, enrollment, ministry_analyst
):
    graduate(enrollment, university_staff)
    services.engagement_close(actor=market.other_company_member, engagement=linked, outcome="solved")

    figures = field_projects(user=ministry_analyst)

    assert (figures.engagements, figures.engagements_active, figures.students, figures.completed) == (1, 0, 1, 1)
    assert figures.engagements_closed["solved"] == 1
    assert [(g.key, g.completed) for g in figures.by_section] == [("C", 1)]


def test_a_voided_graduation_is_no_completion(linked, university_staff, enrollment, ministry_analyst):
    graduate(enrollment, university_staff)
    registry.enrollment_event_void(
        actor=university_staff, event=enrollment.events.get(status="graduated"), reason="잘못 입력"
    )

    assert field_projects(user=ministry_analyst).completed == 0


def test_figures_as_of_the_day_before_count_nothing_started_later(linked, ministry_analyst):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    figures = field_projects(user=ministry_analyst, as_of=yesterday)

    assert (figures.engagements, figures.students, figures.by_section, figures.by_school) == (0, 0, [], [])


def test_a_university_counts_its_own_students_projects_only(linked, university_staff, other_university_staff):
    own = field_projects(user=university_staff)
    other = field_projects(user=other_university_staff)

    assert (own.engagements, own.students) == (1, 1)
    assert (other.engagements, other.students, other.by_section) == (0, 0, [])


def test_the_api_and_the_dashboard_show_the_same_figures(linked, university_staff, enrollment, ministry_analyst):
    graduate(enrollment, university_staff)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(ministry_analyst)
    page = Client()
    page.force_login(ministry_analyst)
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    data = api.get("/api/v1/statistics/field-projects/").json()
    html = page.get("/dashboard/").content.decode()

    assert (data["engagements"], data["students"], data["completed"]) == (1, 1, 1)
    assert data["by_section"] == [
        {"key": "C", "label": "Manufacturing", "engagements": 1, "students": 1, "completed": 1}
    ]
    assert '<dd data-testid="ax-completed">1</dd>' in html
    assert "Completed through their AX project" in html


def test_companies_and_experts_read_no_field_project_figures(market, linked):
    api = APIClient()
    api.force_authenticate(market.other_company_member)

    assert api.get("/api/v1/statistics/field-projects/").status_code == 403
