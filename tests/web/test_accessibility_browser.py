"""Accessibility, checked in a real browser: axe-core (4.12.1, bundled by axe-playwright-python; nothing is
downloaded) runs on every page of every role, in Korean and in English, and finds no serious or critical violation
of WCAG 2.1 A/AA (what KWCAG 2.2 follows). The same walk keeps a screenshot of each page at 390 px (a phone) and
1280 px under test-artifacts/web/a11y/, and checks that no page is wider than a phone's screen: a wide table scrolls
inside its own frame with its key (first) column fixed, instead of pushing the page sideways or breaking its words.

"Every page" is checked too: the walk's world (tests/web/walk.py) has an object behind each detail and edit page,
and a test without a browser iterates the URL resolver and fails on a page pattern the walk neither opens nor meets
as a form or link on a walked page (an action), unless it is in the walk's documented exclusions.

One browser, one live server, one browser context per role and language, the world built once: the walk has to fit
CI's time (it runs twice there, on the embedded and the machine's PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import resolve

from tests.browser import screenshot, session_cookie
from tests.web.walk import DESK_ONLY, Action, World, pages_in_scope, walked_actions, walked_pages

#: WCAG 2.0/2.1 level A and AA rules, the ones KWCAG 2.2 follows.
#: Only the violations come back in full: the passes and the inapplicable rules (thousands of nodes a page) would be
#: serialised to Python for nothing.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
PHONE, DESKTOP = 390, 1280


@pytest.fixture
def signed_in(world: World) -> dict[str, str | None]:
    """A session per role, made before the browser starts (see tests/web/conftest.py)."""
    return {"anonymous": None} | {role: session_cookie(user) for role, user in world.users.items()}


def axe_context(browser: Any, **options: Any) -> Any:
    """A browser context whose every page has axe-core loaded (as an init script: once per context from Python,
    not half a megabyte sent again for each page)."""
    context = browser.new_context(**options)
    context.add_init_script(script=Axe().axe_script)
    return context


def _axe(page: Any) -> list[str]:
    """The serious and critical violations axe-core finds on the page."""
    return _violations(page.evaluate("options => axe.run(document, options)", AXE_OPTIONS))


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


#: A label on the page that names nothing a person can use: its control is missing or a hidden input (a form's hidden
#: field rendered with its label shows a stray, often untranslated, "Confirmed:").
LABEL_PROBLEMS = """() => [...document.querySelectorAll('label')]
  .filter(label => label.getClientRects().length && !label.control)
  .map(label => `label "${label.textContent.trim().slice(0, 40)}" names no control`)"""


#: What the walk offers the controls of an action: a form posting to it, a link to it (a download), a GET form.
OFFERED = """(target) => [...document.querySelectorAll('form')].some(f => f.getAttribute('action') === target)
  || [...document.querySelectorAll('a[href]')].some(a => { const h = a.getAttribute('href'); return h === target
  || h.startsWith(target + '?') || h.startsWith(target + '#'); })"""


class Walk:
    """One role in one language: checks each page it is on (axe; in Korean the phone width and screenshots)."""

    def __init__(self, page: Any, role: str, language: str, shots: Any) -> None:
        self.page, self.role, self.language, self.shots = page, role, language, shots
        self.found: dict[str, list[str]] = {}
        self.too_wide: dict[str, int] = {}
        self.broken_tables: dict[str, list[str]] = {}
        self.tables_seen = 0
        self.shot_names: set[str] = set()

    def _shot_name(self, label: str) -> str:
        """The screenshot's name: the role and the page's URL name (no ids, so that runs can be compared)."""
        page, _, action = label.partition(" → ")
        name = "-".join(filter(None, [self.role, resolve(page.split("?")[0]).url_name, action]))
        unique, n = name, 1
        while unique in self.shot_names:  # two pages of one pattern (two problems, two engagements)
            n += 1
            unique = f"{name}-{n}"
        self.shot_names.add(unique)
        return unique

    def check(self, label: str) -> None:
        page, where = self.page, f"{self.role} {self.language} {label}"
        assert page.locator("html").get_attribute("lang") == self.language, where
        # Django's admin labels a read-only value with a <label> of no control: its own markup, left as it is.
        labels = [] if label.startswith(DESK_ONLY) else page.evaluate(LABEL_PROBLEMS)
        if problems := _axe(page) + labels:
            self.found[where] = problems
        if self.language != "ko" or label.startswith(DESK_ONLY):
            return
        name = self._shot_name(label)
        screenshot(page, self.shots / f"{name}-{DESKTOP}.png")
        page.set_viewport_size({"width": PHONE, "height": 844})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            self.too_wide[f"{self.role} {label}"] = width
        self.tables_seen += page.locator("table").count()
        if broken := page.evaluate(TABLE_PROBLEMS):
            self.broken_tables[f"{self.role} {label}"] = broken
        screenshot(page, self.shots / f"{name}-{PHONE}.png")
        page.set_viewport_size({"width": DESKTOP, "height": 900})

    def offers(self, action: Action) -> bool:
        if action.form:
            return self.page.locator(action.form).count() > 0
        return bool(self.page.evaluate(OFFERED, action.target))

    def submit(self, action: Action) -> None:
        """Submit the action's form on the page the walk is on, and check the page it leads to."""
        form = self.page.locator(action.form or f'form[action="{action.target}"]').first
        for selector, file in action.files.items():
            form.locator(selector).set_input_files(file)
        button = form.locator(f"button[type=submit]{action.button}").first
        with self.page.expect_navigation(wait_until="load") as navigation:
            button.click()
        response = navigation.value
        where = f"{self.role} {self.language} {action.page} → {action.target}"
        assert response is not None and response.status == 200, f"{where}: {response and response.status}"
        self.check(f"{action.page} → {resolve(action.target).url_name}")
        for target in action.offers:
            assert self.page.evaluate(OFFERED, target), f"{where}: the page offers no form or link to {target}"


def test_every_page_of_every_role_passes_axe_in_korean_and_english(world, signed_in, live_server, browser, artifacts):
    shots = artifacts / "a11y"
    shots.mkdir(exist_ok=True)
    actions = walked_actions(world)
    walks: list[Walk] = []
    for role, paths in walked_pages(world).items():
        for language in ("ko", "en"):
            context = axe_context(browser, locale=language, viewport={"width": DESKTOP, "height": 900})
            if signed_in[role] is not None:
                cookie = {"name": settings.SESSION_COOKIE_NAME, "value": signed_in[role], "url": live_server.url}
                context.add_cookies([cookie])
            walk = Walk(context.new_page(), role, language, shots)
            walks.append(walk)
            for path in paths:
                response = walk.page.goto(f"{live_server.url}{path}", wait_until="load")
                where = f"{role} {language} {path}"
                assert response is not None and response.status == 200, f"{where}: {response and response.status}"
                # A redirect (to the sign-in page, the privacy consent, a list) would walk another page than named.
                landed = walk.page.url.removeprefix(live_server.url)
                assert resolve(landed.split("?")[0]).route == resolve(path.split("?")[0]).route, f"{where}: {landed}"
                walk.check(path)
                here = [action for action in actions if action.role == role and action.page == path]
                for action in here:
                    assert walk.offers(action), f"{where}: no form or link to {action.target}"
                for action in (action for action in here if action.submit):
                    walk.submit(action)
            context.close()
    found = {where: problems for walk in walks for where, problems in walk.found.items()}
    too_wide = {where: width for walk in walks for where, width in walk.too_wide.items()}
    broken_tables = {where: broken for walk in walks for where, broken in walk.broken_tables.items()}
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(
        f"{where}: {problem}" for where, problems in found.items() for problem in problems
    )
    assert not too_wide, f"pages wider than a {PHONE} px phone (px): {too_wide}"
    tables_seen = sum(walk.tables_seen for walk in walks)
    assert tables_seen >= 10, f"the walk should meet the lists and breakdowns (tables seen: {tables_seen})"
    assert not broken_tables, f"tables broken at {PHONE} px: {broken_tables}"


def test_the_walk_covers_every_page_of_the_site(world):
    """Iterates the URL resolver: each page pattern of the site (not the API, not Django's admin, see
    tests/web/walk.py) is opened by the walk or offered on a walked page as a form or link it acts on, or is
    excluded with its reason. A new page without a place in the walk fails here."""
    walked = {resolve(path.split("?")[0]).view_name for paths in walked_pages(world).values() for path in paths}
    acted = {resolve(action.target).view_name for action in walked_actions(world)}
    offered = {resolve(target).view_name for action in walked_actions(world) for target in action.offers}
    in_scope = pages_in_scope()
    assert not (missing := in_scope - walked - acted - offered), f"page patterns the walk does not cover: {missing}"


def test_axe_finds_a_serious_violation(live_server, browser):
    """The check above can fail: an image without a text alternative, an unlabelled input and a label of a hidden
    input are reported."""
    page = axe_context(browser).new_page()
    page.route(
        f"{live_server.url}/a11y-probe/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html"},
            body='<!doctype html><html lang="ko"><title>x</title><main><img src="x.png"><input></main></html>',
        ),
    )
    page.goto(f"{live_server.url}/a11y-probe/")
    problems = _axe(page)
    assert any(p.startswith("image-alt") for p in problems), problems
    assert any(p.startswith("label") for p in problems), problems
    page.set_content('<label for="x">Confirmed:</label><input type="hidden" id="x"><label>Name <input></label>')
    assert page.evaluate(LABEL_PROBLEMS) == ['label "Confirmed:" names no control']
    page.context.close()


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
