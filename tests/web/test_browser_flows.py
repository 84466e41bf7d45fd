"""The researcher's and the company's work in a real browser (Debian's Chromium driven by Playwright) against a live
server, in Korean: (1) a researcher signs up, fills the profile and consents; (2) a company member posts a field
problem; (4) the company and the researcher each see the proposal with its explanation and accept it.

Each step saves a screenshot under test-artifacts/web/. The pages are found by their labels' `for` ids and test ids,
so the flows do not depend on which messages are translated yet. Every record a flow needs is made before the
browser starts (see tests/web/conftest.py); what the flows did is checked on the pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from talent.matching.services import ax_vocabulary_load
from tests.browser import screenshot, session_cookie
from tests.matching.market import run_now

STRONG = "귀국-연구자의-긴-암호-2026"
PHONE = (390, 844)


class Flow:
    """One browser page in Korean that records what it loads from elsewhere and screenshots each step."""

    def __init__(
        self,
        browser: Any,
        base_url: str,
        artifacts: Path,
        name: str,
        cookie: str | None = None,
        viewport: tuple[int, int] = (1100, 1400),
    ) -> None:
        width, height = viewport
        self.context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": height})
        if cookie is not None:
            self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
        self.page = self.context.new_page()
        self.base_url, self.artifacts, self.name, self.step = base_url, artifacts, name, 0
        self.outside: list[str] = []
        self.page.on("request", lambda r: None if r.url.startswith(base_url) else self.outside.append(r.url))

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")

    def shot(self, what: str) -> None:
        self.step += 1
        screenshot(self.page, self.artifacts / f"{self.name}-{self.step:02d}-{what}.png")

    def submit(self, testid: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_test_id(testid).click()

    def close(self) -> None:
        assert not self.outside, f"the pages loaded from elsewhere: {self.outside}"
        self.context.close()


def test_a_researcher_signs_up_fills_the_profile_and_consents(transactional_db, live_server, browser, artifacts):
    flow = Flow(browser, live_server.url, artifacts, "1-researcher-signs-up")
    page = flow.page

    flow.goto("/")
    assert page.locator("html").get_attribute("lang") == "ko"
    flow.shot("home")
    with page.expect_navigation():
        page.get_by_test_id("home-signup").click()
    page.fill("#id_email", "minjun.park@example.org")
    page.fill("#id_password", STRONG)
    page.fill("#id_password_again", "다른-암호")
    page.fill("#id_family_name_ko", "박")
    page.fill("#id_given_name_ko", "민준")
    page.fill("#id_family_name_latin", "Park")
    page.fill("#id_given_name_latin", "Minjun")
    page.fill("#id_birth_date", "1986-05-14")
    flow.submit("signup-submit")
    assert page.get_by_test_id("error-password_again").is_visible(), "the mismatch is said next to the field"
    assert page.get_by_test_id("error-consent_required").is_visible(), "no consent to the required items"
    assert page.input_value("#id_given_name_ko") == "민준", "nothing typed is lost"
    flow.shot("signup-error")
    page.fill("#id_password", STRONG)
    page.fill("#id_password_again", STRONG)
    page.check("#id_consent_required")
    flow.submit("signup-submit")
    assert page.url.endswith("/me/profile/")
    assert page.get_by_test_id("username").inner_text() == "minjun.park@example.org"
    flow.shot("signed-up")

    page.select_option("#id_phd_field", "06")
    page.fill("#id_phd_subject", "기계학습")
    page.fill("#id_phd_year", "2014")
    page.select_option("#id_phd_country", "US")
    page.fill("#id_return_date", "2025-03-01")
    flow.submit("save")
    with page.expect_navigation():
        page.get_by_test_id("add-position").click()
    page.select_option("#id_country", "US")
    page.fill("#id_institution", "Stanford University")
    page.fill("#id_title", "박사후연구원")
    page.fill("#id_start_date", "2014-09-01")
    page.fill("#id_end_date", "2025-02-28")
    flow.submit("save")
    assert "Stanford University" in page.get_by_test_id("positions").inner_text()
    assert "10.5" in page.get_by_test_id("years-abroad").inner_text()
    flow.shot("profile-with-position")
    flow.close()


def test_a_signed_up_researcher_saves_the_expert_profile_and_consents(
    transactional_db, live_server, browser, artifacts, researcher
):
    flow = Flow(browser, live_server.url, artifacts, "1b-researcher-expert", cookie=session_cookie(researcher))
    page = flow.page
    flow.goto("/me/")
    page.get_by_test_id("nav-expert").click()
    page.wait_for_load_state()
    page.fill("#id_skills", "컴퓨터 비전, PyTorch")
    page.fill("#id_summary_ko", "제조 공정의 용접 불량 검출을 위한 컴퓨터 비전 모델을 개발했습니다.")
    page.check("input[name=ksic_sections][value=C]")
    page.check("input[name=regions][value=KR-41]")
    page.fill("#id_capacity", "2")
    flow.shot("expert-profile")
    flow.submit("save")
    assert page.url.endswith("/me/consent/"), "consent is asked next"

    page.check("#id_consent_to_matching")
    page.check("input[name=shared_fields][value=name]")
    page.check("input[name=shared_fields][value=skills]")
    flow.submit("save")
    assert page.get_by_test_id("messages").is_visible()
    assert page.is_checked("#id_consent_to_matching")
    assert page.is_checked("input[name=shared_fields][value=skills]")
    assert not page.is_checked("input[name=shared_fields][value=email]")
    flow.shot("consented")

    page.get_by_test_id("nav-profile").click()
    page.wait_for_load_state()
    assert "이서연" in page.get_by_test_id("record").inner_text()
    flow.shot("overview")
    flow.close()


@pytest.fixture
def member_cookie(transactional_db, company_member) -> str:
    return session_cookie(company_member)


def test_a_company_member_posts_a_field_problem(member_cookie, live_server, browser, artifacts):
    flow = Flow(browser, live_server.url, artifacts, "2-company-posts-a-problem", cookie=member_cookie)
    page = flow.page

    flow.goto("/")
    assert page.url.endswith("/company/"), "the home page sends a company member to its field problems"
    assert page.get_by_test_id("no-problems").is_visible()
    flow.shot("no-problems")
    with page.expect_navigation():
        page.get_by_test_id("new-problem").click()
    page.fill("#id_title", "용접 불량 자동 검출")
    page.fill("#id_description", "생산 라인의 용접 이미지를 분석하여 용접 불량을 실시간으로 검출하고자 합니다.")
    page.select_option("#id_ksic_section", "C")
    page.fill("#id_skills_wanted", "컴퓨터 비전\nPyTorch")
    page.fill("#id_experts_wanted", "1")
    flow.submit("save")
    assert page.get_by_test_id("form-errors").is_visible(), "a region, or remote work"
    assert page.input_value("#id_title") == "용접 불량 자동 검출"
    flow.shot("region-missing")
    page.select_option("#id_region", "KR-41")
    flow.submit("save")
    assert page.get_by_test_id("problem-status").get_attribute("data-status") == "draft"
    flow.shot("draft")

    flow.submit("open")
    assert page.get_by_test_id("problem-status").get_attribute("data-status") == "open"
    flow.shot("open")
    page.get_by_test_id("nav-company").click()
    page.wait_for_load_state()
    assert "용접 불량 자동 검출" in page.get_by_test_id("problems").inner_text()
    flow.shot("list")
    flow.close()


@pytest.fixture
def proposed(transactional_db, market) -> dict[str, Any]:
    """The small market after a match run: 이서연 (the `researcher` login) is proposed for the weld problem."""
    ax_vocabulary_load()  # a transactional test starts from empty tables: the migration's vocabulary is gone
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    return {
        "proposal": proposal.pk,
        "problem": market.weld.pk,
        "company": session_cookie(market.company_member),
        "researcher": session_cookie(market.lee.person.user),
    }


def test_the_company_and_the_researcher_see_the_proposal_with_why_and_accept_it(
    proposed, live_server, browser, artifacts
):
    pk = proposed["proposal"]
    company = Flow(browser, live_server.url, artifacts, "4a-company-accepts", cookie=proposed["company"])
    company.goto(f"/company/problems/{proposed['problem']}/")
    card = company.page.get_by_test_id(f"proposal-{pk}")
    assert "이서연" in card.inner_text(), "the name is shared"
    assert "컴퓨터 비전" in card.get_by_test_id("matched-skills").inner_text()
    assert card.get_by_test_id("explanation").is_visible()
    # The concept that linked the posting and the profile, named in both languages (the AX vocabulary).
    concepts = card.get_by_test_id("matched-concepts").inner_text()
    assert "용접 결함" in concepts and "weld defects" in concepts
    company.shot("proposal")
    with company.page.expect_navigation():
        card.get_by_test_id("accept").click()
    card = company.page.get_by_test_id(f"proposal-{pk}")
    assert card.get_by_test_id("proposal-status").get_attribute("data-status") == "proposed", "the expert is to answer"
    assert card.get_by_test_id("accept").count() == 0
    company.shot("accepted-by-the-company")
    company.close()

    # The researcher answers on a phone.
    researcher = Flow(
        browser, live_server.url, artifacts, "4b-researcher-accepts", cookie=proposed["researcher"], viewport=PHONE
    )
    researcher.goto("/")
    researcher.page.get_by_test_id("nav-proposals").click()
    researcher.page.wait_for_load_state()
    card = researcher.page.get_by_test_id(f"proposal-{pk}")
    assert "용접 불량 자동 검출" in card.inner_text()
    assert card.get_by_test_id("explanation").is_visible()
    researcher.shot("proposal")
    with researcher.page.expect_navigation():
        card.get_by_test_id("accept").click()
    card = researcher.page.get_by_test_id(f"proposal-{pk}")
    assert card.get_by_test_id("proposal-status").get_attribute("data-status") == "accepted"
    page_width = researcher.page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE[0], "nothing wider than the phone's screen"
    researcher.shot("accepted-by-both")
    researcher.close()
