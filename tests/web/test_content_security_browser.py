"""The Content-Security-Policy in a real browser: every main page of every role, the sign-in and sign-up pages, the
dashboard, the admin and the API documentation load without one violation (no inline script, style or handler
that the policy blocks), and each says the policy. A probe page with an inline script shows that a violation is
caught."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from talent.common.content_security import POLICY
from tests.browser import session_cookie

# Recorded in the page before any of its scripts run: the browser fires this event for each blocked resource.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _pages(market, enrollment) -> dict[str, list[str]]:
    return {
        "anonymous": ["/", "/login/", "/signup/", "/claim/", "/api/v1/docs/"],
        "researcher": [
            *("/me/", "/me/record/", "/me/profile/", "/me/expert/", "/me/consent/", "/me/proposals/"),
            *("/me/data/", "/me/close/"),
        ],
        "company_member": ["/company/", "/company/problems/new/", f"/company/problems/{market.weld.pk}/"],
        "university_staff": [
            *("/university/", "/university/enrollments/", "/university/enrollments/admit/"),
            *(f"/university/enrollments/{enrollment.pk}/", "/university/roster/", "/university/claim-codes/"),
        ],
        "ministry_analyst": ["/analyst/", "/dashboard/"],
        "operator": ["/admin/", "/admin/registry/enrollment/", f"/admin/registry/enrollment/{enrollment.pk}/change/"],
    }


@pytest.fixture
def signed_in(market, enrollment, ministry_analyst, university_staff, operator) -> dict[str, str | None]:
    """A session per role, made before the browser starts (see tests/web/conftest.py)."""
    users = {
        "researcher": market.lee.person.user,
        "company_member": market.company_member,
        "university_staff": university_staff,
        "ministry_analyst": ministry_analyst,
        "operator": operator,
    }
    return {"anonymous": None} | {role: session_cookie(user) for role, user in users.items()}


def _visit(browser: Any, base_url: str, cookie: str | None, paths: list[str]) -> dict[str, list[str]]:
    """path -> the violations the browser reported on it (and a note where the page did not say the policy)."""
    context = browser.new_context(locale="ko-KR")
    if cookie is not None:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    context.add_init_script(LISTEN)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for path in paths:
        response = page.goto(f"{base_url}{path}", wait_until="networkidle")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        problems = list(page.evaluate("window.__violations"))
        if response.headers.get("content-security-policy") != POLICY:
            problems.append(f"no policy: {response.headers.get('content-security-policy')!r}")
        found[path] = problems
    context.close()
    return found


def test_no_main_page_breaks_the_content_security_policy(market, enrollment, signed_in, live_server, browser):
    pages = _pages(market, enrollment)
    violations = {
        f"{role} {path}": problems
        for role, paths in pages.items()
        for path, problems in _visit(browser, live_server.url, signed_in[role], paths).items()
        if problems
    }
    assert not violations, violations


def test_an_inline_script_is_reported(live_server, browser):
    """The check above can fail: a page under the same policy with an inline script and style reports both."""
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    probe = "<!doctype html><p style='color:red'>x</p><script>document.title = 'ran'</script>"
    page.route(
        f"{live_server.url}/csp-probe/",
        lambda route: route.fulfill(
            status=200, headers={"Content-Type": "text/html", "Content-Security-Policy": POLICY}, body=probe
        ),
    )
    page.goto(f"{live_server.url}/csp-probe/")
    violations = page.evaluate("window.__violations")
    assert page.title() != "ran", "the inline script ran"
    assert any(v.startswith("script-src") for v in violations), violations
    assert any(v.startswith("style-src") for v in violations), violations
    context.close()
