"""Flow 3 in a real browser, in Korean: the ministry analyst starts a match run and sees it finish.

Celery runs the task in the live server's process here, even where a broker is configured (CI's second pass has
no worker for it; tests/matching/test_tasks_worker.py covers a real worker): the run starts once the request's
transaction commits, and its page reloads itself until the run has finished.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from talent.celery import app as celery_app
from talent.matching import services
from tests.browser import screenshot, session_cookie


@pytest.fixture
def analyst_cookie(market, ministry_analyst, monkeypatch) -> str:
    """The records and the session are made before the browser starts (see tests/browser.py); runs execute
    in-process."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    return session_cookie(ministry_analyst)


def test_the_ministry_analyst_starts_a_match_run_and_sees_it_finish(analyst_cookie, live_server, browser, artifacts):
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})  # a phone
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": analyst_cookie, "url": live_server.url}])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))

    page.goto(f"{live_server.url}/analyst/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.get_by_test_id("dashboard-link").get_attribute("href") == "/dashboard/"
    screenshot(page, artifacts / "analyst-1-home.png")

    page.get_by_label("안정 매칭(지연 수락)").check()
    page.get_by_test_id("start-run").focus()  # by keyboard
    page.keyboard.press("Enter")
    page.wait_for_url("**/analyst/runs/*/")
    screenshot(page, artifacts / "analyst-2-run-requested.png")

    status = page.locator('[data-testid="run-status"][data-status="succeeded"]')
    status.wait_for(timeout=60_000)  # the page reloads itself until the run has finished
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert page.locator('[data-count="proposals_new"] td').inner_text() == "2"
    assert page.get_by_test_id("run-progress").get_attribute("value") == "100"
    screenshot(page, artifacts / "analyst-3-run-finished.png")

    page.goto(f"{live_server.url}/analyst/")
    assert page.get_by_test_id("runs").locator("tbody tr").count() == 1
    screenshot(page, artifacts / "analyst-4-runs.png")
    assert not outside, f"the page loaded from elsewhere: {outside}"
    context.close()


@pytest.fixture
def waiting_run_cookie(ministry_analyst) -> tuple[int, str]:
    run = services.match_run_request(actor=ministry_analyst, mode="stable", enqueue=False)  # no worker takes it
    return run.pk, session_cookie(ministry_analyst)


def test_the_run_page_follows_the_run_in_place_through_the_api(waiting_run_cookie, live_server, browser, artifacts):
    run_id, cookie = waiting_run_cookie
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    asked: list[str] = []

    def running(route):  # the API's answer while a worker is at 40%
        asked.append(route.request.url)
        route.fulfill(json={"id": run_id, "status": "running", "progress": 40, "phase": "score"})

    page.route(f"{live_server.url}/api/v1/match-runs/{run_id}/", running)
    page.goto(f"{live_server.url}/analyst/runs/{run_id}/")
    assert page.get_by_test_id("run-status").get_attribute("data-status") == "queued"

    page.locator('[data-testid="run-status"][data-status="running"]').wait_for(timeout=10_000)
    assert page.get_by_test_id("run-status").inner_text() == "실행 중"  # the label in the page's language
    assert page.get_by_test_id("run-progress").evaluate("bar => bar.value") == 40
    assert page.get_by_test_id("run-phase").inner_text() == "후보 쌍의 점수를 매기는 중"  # the phase by its label
    assert asked and page.url.endswith(f"/analyst/runs/{run_id}/")  # updated in place, not reloaded
    screenshot(page, artifacts / "analyst-5-run-followed.png")
    context.close()
