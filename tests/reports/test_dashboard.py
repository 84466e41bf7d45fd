"""The dashboard page, rendered by Django (the real browser test is test_dashboard_browser.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests import factories
from tests.reports.conftest import D, graduate


@pytest.fixture
def logged_in():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


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
    page = client.get("/dashboard/?as_of=2026-10-01&lang=en")
    assert page.status_code == 200
    api = client.get("/api/v1/reports/targets/?as_of=2026-10-01").json()
    for target in api["targets"]:
        assert achieved_on_page(page.content.decode(), target["target"]["code"]) == target["achieved"]


def test_the_page_is_korean_by_default_and_english_on_request(graduates, ministry_analyst, logged_in):
    client = logged_in(ministry_analyst)
    korean = client.get("/dashboard/").content.decode()
    assert '<html lang="ko">' in korean
    assert "AX 융합 인재 양성" in korean  # the target's Korean name
    english = client.get("/dashboard/?lang=en").content.decode()
    assert '<html lang="en">' in english
    assert "AX convergence talent trained" in english
    assert "Projected by the deadline" in english
    assert "Hanbit University" in english


def test_the_chart_is_inline_svg_and_nothing_loads_from_elsewhere(graduates, ministry_analyst, logged_in):
    html = logged_in(ministry_analyst).get("/dashboard/?lang=en").content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'class="achieved"' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))]


def test_a_breakdown_and_a_date_can_be_chosen(graduates, ministry_analyst, logged_in):
    html = logged_in(ministry_analyst).get("/dashboard/?lang=en&by=region&as_of=2026-02-19").content.decode()
    assert "Breakdown by Region" in html
    assert achieved_on_page(html, "AX-TRAINED") == 0
    assert "/api/v1/reports/headcount/?target=AX-TRAINED&amp;as_of=2026-02-19&amp;by=region&amp;format=csv" in html


def test_a_future_date_is_explained_and_today_shown(ministry_analyst, logged_in):
    html = logged_in(ministry_analyst).get("/dashboard/?lang=en&as_of=2999-01-01").content.decode()
    # The API's refusal, word for word.
    assert "A report is as of today or a past date: 2999-01-01 is in the future." in html


def test_a_university_sees_its_own_figures(graduates, logged_in):
    staff = factories.UserFactory()
    factories.MembershipFactory(user=staff, organization=graduates.university_y)
    html = logged_in(staff).get("/dashboard/?lang=en&as_of=2026-10-01").content.decode()
    assert achieved_on_page(html, "AX-TRAINED") == 1
    assert "Nuri University" in html and "Hanbit University" not in html


def test_others_may_not_see_the_dashboard(company_member, logged_in):
    assert logged_in(company_member).get("/dashboard/").status_code == 403
    anonymous = Client().get("/dashboard/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
