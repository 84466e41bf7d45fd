"""An operator works the duplicate queue in a real browser (Chromium driven by Playwright), in Korean: the pair's
evidence reads in words, "same person" merges it, and the merge is undone from the merges page.

The pair and its candidate are made before the browser starts (the ORM must not run inside Playwright's event
loop); what the clicks did is checked on the pages and then in the database."""

from __future__ import annotations

import datetime

from talent.identity import services
from talent.identity.models import CandidateStatus, DuplicateCandidate
from talent.registry.models import Person, PersonMerge
from tests import factories
from tests.browser import session_cookie
from tests.web.test_browser_flows import Flow


def test_an_operator_merges_a_probable_duplicate_and_undoes_it(
    transactional_db, live_server, browser, artifacts, operator
):
    one = factories.PersonFactory(
        family_name_ko="정", given_name_ko="하린", family_name_latin="Jung", given_name_latin="Harin",
        birth_date=datetime.date(1999, 2, 14), email="",
    )  # fmt: skip
    other = factories.PersonFactory(
        family_name_ko="정", given_name_ko="하린", family_name_latin="Jeong", given_name_latin="Ha-rin",
        birth_date=datetime.date(1999, 2, 14), email="",
    )  # fmt: skip
    services.candidates_refresh()
    candidate = DuplicateCandidate.objects.get()
    flow = Flow(browser, live_server.url, artifacts, "operator-duplicates", cookie=session_cookie(operator))
    page = flow.page

    flow.goto("/")
    with page.expect_navigation():
        page.get_by_test_id("nav-duplicates").click()
    evidence = page.get_by_test_id(f"evidence-{candidate.pk}").inner_text()
    assert "같은 성의 다른 로마자 표기" in evidence, evidence
    assert "생년월일: 같음" in evidence, evidence
    assert "same_romanisation" not in page.content(), "no internal code on the page"
    flow.shot("queue")
    flow.submit(f"same-{candidate.pk}")
    assert "두 기록은 이제 한 사람입니다" in page.get_by_test_id("messages").inner_text()
    assert page.get_by_test_id(f"candidate-{candidate.pk}").count() == 0, "a decided pair leaves the queue"
    flow.shot("merged")

    merge_pk = PersonMerge.objects.values_list("pk", flat=True).get()
    with page.expect_navigation():
        page.get_by_test_id("nav-merges").click()
    row = page.get_by_test_id(f"merge-{merge_pk}").inner_text()
    assert f"#{one.pk}" in row and f"#{other.pk}" in row
    flow.submit(f"undo-{merge_pk}")
    assert "취소" in page.get_by_test_id(f"merge-{merge_pk}").inner_text()
    flow.shot("undone")
    flow.close()

    assert Person.objects.get(pk=other.pk).merged_into_id is None
    assert PersonMerge.objects.get().undone_at is not None
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN, "an undone merge puts the pair back in the queue"
