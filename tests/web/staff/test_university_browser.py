"""Flow 5 in a real browser, in Korean: a university staff member uploads a roster with one bad row, sees the
error in the preview, uploads the corrected file and imports it without uploading it again."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser import screenshot, session_cookie

HEADER = "학번,성,이름,영문 성,영문 이름,과정,입학일,학적상태\r\n"
FIRST = "2026-2001,최,서윤,Choi,Seoyun,AX 융합 석사,2026-03-02,재학\r\n"
BAD_SECOND = "2026-2002,한,지우,Han,Jiwoo,AX 융합 석사,2026-02-30,입학\r\n"  # there is no 30 February
GOOD_SECOND = "2026-2002,한,지우,Han,Jiwoo,AX 융합 석사,2026-03-02,입학\r\n"


@pytest.fixture
def staff_cookie(ms_programme, university_staff) -> str:
    """The records and the session are made before the browser starts (see tests/web/conftest.py)."""
    return session_cookie(university_staff)


def test_a_university_staff_member_corrects_a_bad_row_and_imports_the_roster(
    staff_cookie, live_server, browser, artifacts, tmp_path: Path
):
    bad, good = tmp_path / "명단.csv", tmp_path / "명단-수정.csv"
    bad.write_text(HEADER + FIRST + BAD_SECOND, encoding="utf-8-sig")
    good.write_text(HEADER + FIRST + GOOD_SECOND, encoding="utf-8-sig")
    context = browser.new_context(locale="ko-KR", viewport={"width": 1100, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": staff_cookie, "url": live_server.url}])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))

    page.goto(f"{live_server.url}/university/roster/")
    assert page.locator("html").get_attribute("lang") == "ko"
    screenshot(page, artifacts / "roster-1-upload.png")

    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_test_id("upload").click()
    page.get_by_test_id("preview").wait_for()
    bad_row = page.locator('[data-row="3"]')
    assert bad_row.get_attribute("data-action") == "error"
    assert "입학일" in bad_row.inner_text()  # the column at fault, as the file heads it
    assert page.get_by_test_id("total-errors").inner_text() == "1행"
    assert page.get_by_test_id("confirm-import").count() == 0  # nothing to import until the file is right
    screenshot(page, artifacts / "roster-2-preview-with-error.png")

    page.locator("#id_file").set_input_files(str(good))
    page.get_by_test_id("upload").click()
    page.get_by_test_id("confirm-import").wait_for()
    assert page.get_by_test_id("total-errors").inner_text() == "0행"
    assert page.get_by_test_id("total-created").inner_text() == "2행"
    screenshot(page, artifacts / "roster-3-preview-clean.png")

    page.get_by_test_id("confirm-import").focus()  # by keyboard
    page.keyboard.press("Enter")
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("batches").locator("tbody tr").count() == 3  # two checks and the import
    screenshot(page, artifacts / "roster-4-imported.png")

    page.goto(f"{live_server.url}/university/enrollments/")
    rows = page.get_by_test_id("enrollments").locator("tbody tr")
    assert sorted(rows.locator("td a").all_inner_texts()) == ["2026-2001", "2026-2002"]
    screenshot(page, artifacts / "roster-5-enrollments.png")
    assert not outside, f"the page loaded from elsewhere: {outside}"
    context.close()
