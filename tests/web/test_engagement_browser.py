"""From a posted problem to a solved engagement and a student's AX project, in a real browser (Debian's Chromium
driven by Playwright) against a live server, in Korean: the company posts and opens a problem; a match run
proposes 강도윤; the expert accepts, then the company; both see the engagement with the contact 강도윤's consent
allows (name and email, not the affiliation); the company agrees to AX projects; the university's staff link their
student by student number (they see no contact of an expert who is not their student); the company closes it
solved. The mails are then delivered as a worker would: each in its reader's language (강도윤 chose English), none
with anything personal in its subject.

Screenshots go to test-artifacts/web/. Records are made before the browser starts, and the run and the mail
delivery are done here as a worker would do them (the test's broker has no worker).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from talent.engagements.models import AXProject, Engagement
from talent.matching import services as matching
from talent.matching.models import MatchRun, Proposal
from talent.matching.services import ax_vocabulary_load
from talent.notifications import services as notifications
from talent.notifications.models import EmailStatus, Notification
from talent.registry import services as registry
from tests import factories
from tests.browser import session_cookie
from tests.matching.market import make_expert
from tests.web.test_browser_flows import Flow

TITLE = "용접 비드 결함 자동 검사"


@pytest.fixture
def world(transactional_db, company_member, university_staff, enrollment) -> dict[str, Any]:
    ax_vocabulary_load()  # a transactional test starts from empty tables: the migration's vocabulary is gone
    company_member.email = "member@hanbit.example.com"
    company_member.save()
    expert_user = factories.UserFactory(username="expert-kang", email="kang@example.org")
    person = factories.PersonFactory(
        family_name_ko="강",
        given_name_ko="도윤",
        family_name_latin="Kang",
        given_name_latin="Doyun",
        user=expert_user,
        email="kang@example.org",
    )
    registry.researcher_profile_save(
        actor=None, person=person, phd_field="06", korean_affiliation=factories.UniversityFactory(name_ko="비밀대학교")
    )
    make_expert(
        person,
        shared=("name", "email", "skills"),
        skills=["컴퓨터 비전", "용접 검사", "PyTorch"],
        summary_ko="용접 비드 이미지에서 결함을 검출하는 컴퓨터 비전 모델을 개발했습니다.",
        ksic_sections=["C"],
        regions=["KR-41"],
        capacity=2,
    )
    cookies = {
        "company": session_cookie(company_member),
        "expert_cookie": session_cookie(expert_user),
        "staff": session_cookie(university_staff),
    }
    # After signing in (a sign-in sets the mail language to the browser's): 강도윤 reads mail in English.
    notifications.notification_settings_update(user=expert_user, language="en")
    return {"expert": expert_user, "student_number": enrollment.student_number, **cookies}


def test_a_problem_becomes_a_solved_engagement_and_a_students_ax_project(world, live_server, browser, artifacts):
    company = Flow(browser, live_server.url, artifacts, "5a-company-posts", cookie=world["company"])
    company.goto("/company/problems/new/")
    company.page.fill("#id_title", TITLE)
    company.page.fill(
        "#id_description", "생산 라인의 용접 비드 이미지를 컴퓨터 비전으로 검사하여 결함을 찾고자 합니다."
    )
    company.page.select_option("#id_ksic_section", "C")
    company.page.fill("#id_skills_wanted", "컴퓨터 비전\n용접 검사")
    company.page.select_option("#id_region", "KR-41")
    company.page.fill("#id_experts_wanted", "1")
    company.submit("save")
    company.submit("open")
    assert company.page.get_by_test_id("problem-status").get_attribute("data-status") == "open"
    company.shot("opened")

    # The run the opening queued, executed as a worker would (without a broker it has run in-process already;
    # executing it again does nothing).
    run = MatchRun.objects.latest("pk")
    matching.match_run_execute(run_id=run.pk)
    proposal = Proposal.objects.get(problem__title=TITLE, expert__person__user=world["expert"])

    expert = Flow(browser, live_server.url, artifacts, "5b-expert-accepts", cookie=world["expert_cookie"])
    expert.goto("/me/proposals/")
    card = expert.page.get_by_test_id(f"proposal-{proposal.pk}")
    assert TITLE in card.inner_text()
    with expert.page.expect_navigation():
        card.get_by_test_id("accept").click()
    expert.shot("accepted")

    company.goto(f"/company/problems/{proposal.problem_id}/")
    card = company.page.get_by_test_id(f"proposal-{proposal.pk}")
    with company.page.expect_navigation():
        card.get_by_test_id("accept").click()
    engagement = Engagement.objects.get(proposal=proposal)
    company.page.get_by_test_id("nav-engagements").click()
    company.page.wait_for_load_state()
    with company.page.expect_navigation():
        company.page.get_by_test_id(f"engagement-{engagement.pk}").get_by_role("link").click()
    assert company.page.get_by_test_id("expert-name").inner_text() == "강도윤 (Doyun Kang)"
    assert company.page.get_by_test_id("expert-email").inner_text() == "kang@example.org"
    assert "비밀대학교" not in company.page.get_by_test_id("contact").inner_text(), "the affiliation is not shared"
    company.shot("engagement")
    company.submit("agree-ax-projects")
    assert company.page.get_by_test_id("ax-agreed").is_visible()

    expert.goto(f"/engagements/{engagement.pk}/")
    assert expert.page.get_by_test_id("engagement-status").get_attribute("data-status") == "active"
    assert expert.page.get_by_test_id("company-email").inner_text() == "member@hanbit.example.com"
    expert.shot("engagement")
    expert.close()

    staff = Flow(browser, live_server.url, artifacts, "5c-staff-link-a-student", cookie=world["staff"])
    staff.goto(f"/engagements/{engagement.pk}/")
    assert staff.page.get_by_test_id("expert-email").count() == 0, "not their student: no contact"
    staff.page.fill("#id_enrollment", "1999-0000")
    staff.submit("link-student")
    assert staff.page.get_by_test_id("error-enrollment").is_visible(), "an unknown student number, beside the field"
    staff.page.fill("#id_enrollment", world["student_number"])
    staff.submit("link-student")
    assert world["student_number"] in staff.page.get_by_test_id("ax-project-list").inner_text()
    staff.shot("linked")
    staff.close()

    company.goto(f"/engagements/{engagement.pk}/")
    assert company.page.get_by_test_id("ax-project").count() == 1
    assert world["student_number"] not in company.page.get_by_test_id("ax-projects").inner_text()
    company.page.check("input[name=outcome][value=solved]")
    company.page.fill("#id_note", "검사 모델을 라인에 적용했습니다.")
    company.submit("close")
    assert company.page.get_by_test_id("engagement-status").get_attribute("data-status") == "closed"
    assert company.page.get_by_test_id("outcome").is_visible()
    company.shot("closed")
    company.close()

    assert AXProject.objects.get().enrollment.completion_route == "ax_project"
    # Without a broker the notifications were delivered in-process already; with one they wait in the outbox.
    for pk in Notification.objects.filter(email_status=EmailStatus.QUEUED).values_list("pk", flat=True):
        notifications.notification_deliver(notification_id=pk)
    subjects: dict[str, set[str]] = {}
    for message in mail.outbox:
        subjects.setdefault(message.to[0], set()).add(str(message.subject))
    assert subjects["kang@example.org"] == {
        "[AX Talent Registry] New proposals for you",
        "[AX Talent Registry] An engagement started",
        "[AX Talent Registry] An engagement was closed",
    }
    assert subjects["member@hanbit.example.com"] == {
        "[AX 인재 등록부] 전문가가 제안에 답변했습니다",
        "[AX 인재 등록부] 협업이 시작되었습니다",
        "[AX 인재 등록부] 협업이 종료되었습니다",
    }
    personal = ["강도윤", "도윤", "kang", "member@", "expert-kang", "company-member", TITLE, "용접"]
    for message in mail.outbox:
        assert not any(part in message.subject for part in personal), message.subject
