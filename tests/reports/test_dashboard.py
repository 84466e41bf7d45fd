"""The dashboard page, rendered by Django (the real browser test is test_dashboard_browser.py)."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.reports.conftest import D, graduate


@pytest.fixture
def logged_in():
    def make(user, language: str = "ko") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the site's language switch sets
        return client

    return make


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: no tags, attributes, scripts or styles."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def graduates(campus, history):
    for programme in (campus.ms_x, campus.ms_x, campus.ms_y):
        history(
            factories.PersonFactory(),
            programme,
            admitted=D(2024, 3, 4),
            steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)),
        )
    return campus


def achieved_on_page(html: str, code: str) -> int:
    match = re.search(rf'data-testid="achieved-{code}" data-value="(\d+)">([\d,]+)<', html)
    assert match, f"no headline for {code}"
    assert match.group(1) == match.group(2).replace(",", "")
    return int(match.group(1))


def test_the_headline_is_the_api_figure(graduates, ministry_analyst, logged_in):
    client = logged_in(ministry_analyst)
    page = client.get("/dashboard/?as_of=2026-10-01")
    assert page.status_code == 200
    api = client.get("/api/v1/reports/targets/?as_of=2026-10-01").json()
    for target in api["targets"]:
        assert achieved_on_page(page.content.decode(), target["target"]["code"]) == target["achieved"]


def test_the_page_is_korean_by_default_and_english_on_request(graduates, ministry_analyst, logged_in):
    korean = logged_in(ministry_analyst).get("/dashboard/").content.decode()
    assert '<html lang="ko">' in korean
    assert "AX 융합 인재 양성" in korean  # the target's Korean name
    english = logged_in(ministry_analyst, "en").get("/dashboard/").content.decode()
    assert '<html lang="en">' in english
    assert "AX convergence talent trained" in english
    assert "Projected by the deadline" in english
    assert "Hanbit University" in english


def test_the_chart_is_inline_svg_and_nothing_loads_from_elsewhere(graduates, ministry_analyst, logged_in):
    html = logged_in(ministry_analyst, "en").get("/dashboard/").content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'class="achieved"' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))]


def test_a_breakdown_and_a_date_can_be_chosen(graduates, ministry_analyst, logged_in):
    html = logged_in(ministry_analyst, "en").get("/dashboard/?by=region&as_of=2026-02-19").content.decode()
    assert "Breakdown by Region" in html
    assert achieved_on_page(html, "AX-TRAINED") == 0
    assert "/api/v1/reports/headcount/?target=AX-TRAINED&amp;as_of=2026-02-19&amp;by=region&amp;format=csv" in html


def test_a_future_date_is_explained_and_today_shown(ministry_analyst, logged_in):
    html = logged_in(ministry_analyst, "en").get("/dashboard/?as_of=2999-01-01").content.decode()
    # The API's refusal, word for word.
    assert "A report is as of today or a past date: 2999-01-01 is in the future." in html


def test_a_university_sees_its_own_figures(graduates, logged_in):
    staff = factories.UserFactory()
    factories.MembershipFactory(user=staff, organization=graduates.university_y)
    html = logged_in(staff, "en").get("/dashboard/?as_of=2026-10-01").content.decode()
    assert achieved_on_page(html, "AX-TRAINED") == 1
    assert "Nuri University" in html and "Hanbit University" not in html


def test_others_may_not_see_the_dashboard(company_member, logged_in):
    assert logged_in(company_member).get("/dashboard/").status_code == 403
    anonymous = Client().get("/dashboard/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


# --- Read at a glance ------------------------------------------------------------------------------------
# The graduates: three persons who graduated on 2026-02-20, none active. On 2026-10-01, by hand: 3 trained,
# projected 3, so 4,997 short of 5,000; the pace window is 2026-01-01 to 2026-10-01 (273 days = 8.97
# months of 30.436875 days): 3 / 8.97 = 0.33 a month; 1,552 days (50.99 months) are left for 4,997 persons:
# 98.0 a month; 0.334 / 98.0 = 0.3% of the required pace: off track.


def test_the_headline_reads_with_units_shortfall_and_band_in_english(graduates, ministry_analyst, logged_in):
    text = visible_text(logged_in(ministry_analyst, "en").get("/dashboard/?as_of=2026-10-01").content.decode())
    assert "3 / 5,000 people (0.1%)" in text
    # The headline projection is the one with the planned intake: nobody is active and no school has a plan, so
    # the 3 trained are all there will be, in every simulated future.
    assert "With the planned intake: 3 of 5,000 by 2030-12-31 (10th–90th percentile 3–3): 4,997 short." in text
    assert "Projected by the deadline, with the planned intake 3 people (10th–90th percentile 3)" in text
    assert (
        "Off track: the last 12 months gained 0.3 people/month; reaching 5,000 by 2030-12-31 needs 98.0 "
        "people/month (0.3% of the required pace; below 60% is off track)."
    ) in text
    assert "Shortfall by the deadline 4,997 people" in text
    assert "Required pace 98.0 people/month" in text
    # 3 graduated of 3 finished, drawn towards the prior 0.85 worth 20 students: (3 + 17) / 23 = 87.0%.
    assert "Completion rate used 87.0%" in text


def test_the_headline_reads_with_units_shortfall_and_band_in_korean(graduates, ministry_analyst, logged_in):
    text = visible_text(logged_in(ministry_analyst).get("/dashboard/?as_of=2026-10-01").content.decode())
    assert "3 / 5,000명 (0.1%)" in text
    assert "모집 계획 반영 시: 2030-12-31까지 목표 5,000명 중 3명(10–90 백분위 3–3명), 4,997명 부족." in text
    assert "기한 내 달성 전망 (모집 계획 반영) 3명 (10–90 백분위 3명)" in text
    assert "현재 재적생만으로 본 전망 (신규 입학 제외) 3명" in text
    assert "궤도 이탈: 최근 12개월 증가 속도는 0.3명/월이며" in text
    assert "필요 속도 98.0명/월" in text


def test_the_headline_leads_with_the_planned_intake_and_the_enrolled_only_projection_is_secondary(
    campus, history, ministry_analyst, logged_in
):
    # One MS student active since 2026-03-02: the projection from the enrolled students counts them at the
    # completion rate; the one with the planned intake adds what the plans bring (none here) with its band.
    history(factories.PersonFactory(), campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    client = logged_in(ministry_analyst, "en")
    page = client.get("/dashboard/?as_of=2026-10-01").content.decode()
    outlook = client.get("/api/v1/reports/outlook/?as_of=2026-10-01").json()
    text = visible_text(page)

    figures = re.search(r'data-testid="figures-AX-TRAINED">(.*?)</dl>', page, re.S)
    assert figures
    labels = [visible_text(label).strip() for label in re.findall(r"<dt>(.*?)</dt>", figures.group(1), re.S)]
    assert labels[:3] == [
        "Projected by the deadline, with the planned intake",
        "Shortfall by the deadline",
        f"Intake needed per year from {outlook['requirement']['from_year']}",
    ]
    assert labels[-1] == "Projected from enrolled students only (no new intake)"
    assert 'figure-row secondary"><dt><a href="#term-projected_enrolled">' in figures.group(1)
    needed = outlook["requirement"]["intake_per_year"]
    assert f"Intake needed per year from {outlook['requirement']['from_year']} {needed:,} people" in text
    assert (
        visible_text(page.split('data-testid="headline-requirement-AX-TRAINED">')[1].split("</p>")[0])
        == (visible_text(page.split('data-testid="what-it-takes-AX-TRAINED">')[1].split("</p>")[0]).split(" · ", 1)[1])
    )
    assert "Projected from enrolled students only (no new intake) Those trained plus the students enrolled" in text


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_internal_code_is_shown(graduates, ministry_analyst, logged_in, language):
    text = visible_text(logged_in(ministry_analyst, language).get("/dashboard/?as_of=2026-10-01").content.decode())
    for code in ("AX-TRAINED", "OVERSEAS-RETURNED", " v1", "on_track", "off_track", "needs_acceleration"):
        assert code not in text


def test_every_figure_links_to_its_definition_on_the_page(graduates, ministry_analyst, logged_in):
    page = logged_in(ministry_analyst, "en").get("/dashboard/?as_of=2026-10-01").content.decode()
    linked = set(re.findall(r'href="#(term-[a-z_]+)"', page))
    defined = set(re.findall(r'id="(term-[a-z_]+)"', page))
    assert {"term-trained", "term-entrants", "term-active", "term-projected", "term-shortfall"} <= linked
    assert linked <= defined
    text = visible_text(page)
    assert "Entrants Distinct persons who entered a counting programme since the target's start." in text


def test_the_page_is_in_the_site_frame_with_one_language_switch(graduates, ministry_analyst, logged_in):
    page = logged_in(ministry_analyst, "en").get("/dashboard/").content.decode()
    assert 'data-testid="logout"' in page
    assert 'data-testid="nav-analyst"' in page  # the way to the match runs
    assert page.count('data-testid="lang-ko"') == 1 and page.count('data-testid="lang-en"') == 1
    assert "lang=" not in re.sub(r'<html lang="en">|\blang="(ko|en)"|hreflang="(ko|en)"', "", page)


def test_more_active_than_entrants_is_explained(campus, history, ministry_analyst, logged_in):
    history(factories.PersonFactory(), campus.ms_x, admitted=D(2025, 9, 1), steps=[("enrolled", D(2025, 9, 1))])
    text = visible_text(logged_in(ministry_analyst, "en").get("/dashboard/?as_of=2026-10-01").content.decode())
    assert "Entrants 0 people" in text and "Active 1 person" in text
    assert (
        "There are more active students (1) than entrants (0): students who entered before counting started on "
        "2026-01-01 and are still studying are active, but were not entrants."
    ) in text


def test_returned_researchers_are_broken_down_by_their_affiliation(graduates, ministry_analyst, logged_in):
    text = visible_text(logged_in(ministry_analyst, "en").get("/dashboard/?by=university").content.decode())
    assert "Breakdown by University (unit: persons)" in text  # graduates: their university
    assert "Breakdown by Current affiliation in Korea (unit: persons)" in text  # returned: where they work now


def test_the_chart_is_also_a_table(graduates, ministry_analyst, logged_in):
    page = logged_in(ministry_analyst, "en").get("/dashboard/?as_of=2026-10-01").content.decode()
    table = re.search(r'data-testid="chart-table-AX-TRAINED">(.*?)</table>', page, re.S)
    assert table
    rows = [visible_text(row).split() for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]]
    # Year, achieved, straight path (5,000 × 364 of 1,825 days) and projection (flat at 3).
    assert rows[0] == ["2026", "3", "997", "3"]
    assert rows[1][:2] == ["2027", "–"] and rows[-1] == ["2030", "–", "5,000", "3"]
