"""Accessibility, checked in a real browser: axe-core (4.12.1, bundled by axe-playwright-python; nothing is
downloaded) runs on every main page of every role, in Korean and in English, and finds no serious or critical
violation of WCAG 2.1 A/AA (what KWCAG 2.2 follows). The same walk keeps a screenshot of each page at 390 px (a
phone) and 1280 px under test-artifacts/web/a11y/, and checks that no page is wider than a phone's screen: a wide
table scrolls inside its own frame with its key (first) column fixed, instead of pushing the page sideways or
breaking its words.

One browser, one live server, one page per role and language: the walk has to fit CI's time."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from talent.web.navigation import nav_links
from tests.browser import screenshot, session_cookie
from tests.targets import seed_targets_if_flushed
from tests.web.test_content_security_browser import _pages

#: WCAG 2.0/2.1 level A and AA rules, the ones KWCAG 2.2 follows.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}
PHONE, DESKTOP = 390, 1280
#: Swagger UI is a developer's tool of drf-spectacular's making, not a page of a role. Django's admin is walked (the
#: operator's desk, with web/admin.css and web/admin.js for what it lacks) at desktop width only: it is not built for
#: a phone, and the operator works at a desk.
NOT_WALKED = ("/api/v1/docs/",)
DESK_ONLY = "/admin/"


def _walked_pages(market, enrollment, users: dict[str, Any]) -> dict[str, list[str]]:
    """The main pages of the content-security walk, every page of each role's navigation, and the privacy pages."""
    pages = _pages(market, enrollment)
    pages["anonymous"] = [*pages["anonymous"], "/privacy/", "/password-reset/"]
    pages["researcher"] = [*pages["researcher"], "/me/privacy/"]
    for role, user in users.items():
        pages[role] = [*pages.get(role, []), *(link["url"] for link in nav_links(user))]
    walked = {
        role: list(dict.fromkeys(p for p in paths if not p.startswith(NOT_WALKED))) for role, paths in pages.items()
    }
    return {role: paths for role, paths in walked.items() if paths}


@pytest.fixture
def users(market, ministry_analyst, university_staff, operator) -> dict[str, Any]:
    seed_targets_if_flushed()  # a transactional test earlier on this worker may have flushed them
    return {
        "researcher": market.lee.person.user,
        "company_member": market.company_member,
        "university_staff": university_staff,
        "ministry_analyst": ministry_analyst,
        "operator": operator,
    }


@pytest.fixture
def signed_in(users) -> dict[str, str | None]:
    """A session per role, made before the browser starts (see tests/web/conftest.py)."""
    return {"anonymous": None} | {role: session_cookie(user) for role, user in users.items()}


def _violations(result: dict[str, Any]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {', '.join(' '.join(n['target']) for n in v['nodes'][:5])}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


#: At a phone's width, what breaks a table for its reader: a table outside a scrolling frame, a key (first) column
#: that scrolls away with the rest, a value cell (a number, a date, a name) that wraps, Korean broken mid-word.
TABLE_PROBLEMS = """() => {
  const problems = [];
  if (getComputedStyle(document.body).wordBreak !== 'keep-all') problems.push('Korean words may break mid-syllable');
  document.querySelectorAll('table').forEach((table, n) => {
    const frame = table.closest('.table-wrap, .table-scroll');
    const caption = table.caption ? ` (${table.caption.textContent.trim().slice(0, 30)})` : '';
    const name = `table ${n + 1}${caption}`;
    if (!frame) {
      if (table.getBoundingClientRect().right > document.documentElement.clientWidth + 1) {
        problems.push(`${name}: wider than the screen and not in a scrolling frame`);
      }
      return;
    }
    for (const cell of table.querySelectorAll('td:not(.text):not(.errors):not([colspan])')) {
      if (getComputedStyle(cell).whiteSpace !== 'nowrap') { problems.push(`${name}: a value cell wraps`); break; }
    }
    const rows = [...table.querySelectorAll('tbody tr')];
    const row = rows.find(r => r.children.length > 1 && !r.querySelector('[colspan]'));
    if (!row || frame.scrollWidth <= frame.clientWidth) return;
    const key = row.children[0];
    const before = key.getBoundingClientRect().left;
    frame.scrollLeft = frame.scrollWidth;
    const after = key.getBoundingClientRect().left;
    frame.scrollLeft = 0;
    if (Math.abs(after - before) > 1) problems.push(`${name}: the key column scrolls away`);
  });
  return problems;
}"""


def test_every_page_of_every_role_passes_axe_in_korean_and_english(
    market, enrollment, users, signed_in, live_server, browser, artifacts
):
    checker = Axe()
    shots = artifacts / "a11y"
    shots.mkdir(exist_ok=True)
    found: dict[str, list[str]] = {}
    too_wide: dict[str, int] = {}
    broken_tables: dict[str, list[str]] = {}
    tables_seen = 0
    for role, paths in _walked_pages(market, enrollment, users).items():
        for language in ("ko", "en"):
            context = browser.new_context(locale=language, viewport={"width": DESKTOP, "height": 900})
            if signed_in[role] is not None:
                cookie = {"name": settings.SESSION_COOKIE_NAME, "value": signed_in[role], "url": live_server.url}
                context.add_cookies([cookie])
            page = context.new_page()
            for path in paths:
                page.set_viewport_size({"width": DESKTOP, "height": 900})
                response = page.goto(f"{live_server.url}{path}", wait_until="networkidle")
                assert response is not None and response.status == 200, f"{role} {path}: {response and response.status}"
                assert page.locator("html").get_attribute("lang") == language, f"{role} {path}"
                problems = _violations(checker.run(page, options=AXE_OPTIONS).response)
                if problems:
                    found[f"{role} {language} {path}"] = problems
                if language == "ko" and not path.startswith(DESK_ONLY):
                    name = f"{role}{path.replace('/', '_').rstrip('_')}"
                    screenshot(page, shots / f"{name}-{DESKTOP}.png")
                    page.set_viewport_size({"width": PHONE, "height": 844})
                    width = page.evaluate("document.documentElement.scrollWidth")
                    if width > PHONE:
                        too_wide[f"{role} {path}"] = width
                    tables_seen += page.locator("table").count()
                    if broken := page.evaluate(TABLE_PROBLEMS):
                        broken_tables[f"{role} {path}"] = broken
                    screenshot(page, shots / f"{name}-{PHONE}.png")
            context.close()
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(
        f"{where}: {problem}" for where, problems in found.items() for problem in problems
    )
    assert not too_wide, f"pages wider than a {PHONE} px phone (px): {too_wide}"
    assert tables_seen >= 10, f"the walk should meet the lists and breakdowns (tables seen: {tables_seen})"
    assert not broken_tables, f"tables broken at {PHONE} px: {broken_tables}"


def test_axe_finds_a_serious_violation(live_server, browser):
    """The check above can fail: an image without a text alternative and an unlabelled input are reported."""
    page = browser.new_page()
    page.route(
        f"{live_server.url}/a11y-probe/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html"},
            body='<!doctype html><html lang="ko"><title>x</title><main><img src="x.png"><input></main></html>',
        ),
    )
    page.goto(f"{live_server.url}/a11y-probe/")
    problems = _violations(Axe().run(page, options=AXE_OPTIONS).response)
    assert any(p.startswith("image-alt") for p in problems), problems
    assert any(p.startswith("label") for p in problems), problems
    page.close()


def _probe(page, url: str, body: str) -> list[str]:
    page.route(url, lambda route: route.fulfill(status=200, headers={"Content-Type": "text/html"}, body=body))
    page.goto(url)
    return page.evaluate(TABLE_PROBLEMS)


def test_the_table_check_tells_a_fixed_key_column_from_a_broken_table(live_server, browser):
    """The phone check above can fail: the site's own frame passes, a bare or unstyled wide table does not."""
    page = browser.new_page(viewport={"width": PHONE, "height": 844})
    row = "<tr><td>2026-0001</td>" + "<td>서울특별시 20260001000200030004</td>" * 6 + "</tr>"
    table = f"<table><thead><tr><th>학번</th>{'<th>이름</th>' * 6}</tr></thead><tbody>{row}</tbody></table>"
    css = f'<link rel="stylesheet" href="{settings.STATIC_URL}web/site.css">'
    styled = f'<!doctype html><html lang="ko">{css}<body><div class="table-wrap">{table}</div></body></html>'
    assert _probe(page, f"{live_server.url}/phone-probe/styled/", styled) == []
    bare = f'<!doctype html><html lang="ko"><body><div class="table-wrap">{table}</div>{table}</body></html>'
    problems = _probe(page, f"{live_server.url}/phone-probe/bare/", bare)
    assert "Korean words may break mid-syllable" in problems
    assert "table 1: a value cell wraps" in problems
    assert "table 2: wider than the screen and not in a scrolling frame" in problems
    no_sticky = "<style>body{word-break:keep-all} .table-wrap{overflow-x:auto} td,th{white-space:nowrap}</style>"
    scrolled = f'<!doctype html><html lang="ko">{no_sticky}<body><div class="table-wrap">{table}</div></body></html>'
    scrolled_problems = _probe(page, f"{live_server.url}/phone-probe/scrolled/", scrolled)
    assert scrolled_problems == ["table 1: the key column scrolls away"]
    page.close()
