"""In a real browser, in Korean: a university staff member reads the headcounts on the home page, opens the students
a cell counts, sorts the list by a column header, downloads the filtered list and opens a past roster upload."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings

from talent.registry import services
from talent.registry.models import Enrollment
from talent.roster import services as roster
from tests import factories
from tests.browser import screenshot, session_cookie
from tests.roster.conftest import csv_bytes


@pytest.fixture
def staff_cookie(university, ms_programme, phd_programme, university_staff) -> str:
    """Three students and one refused upload, made before the browser starts (see tests/web/conftest.py)."""
    on = datetime.date(2026, 3, 2)
    for number, family, programme, status in [
        ("2026-0301", "김", ms_programme, "enrolled"),
        ("2026-0302", "박", ms_programme, "enrolled"),
        ("2026-0303", "이", phd_programme, ""),
    ]:
        enrollment = services.enrollment_admit(
            actor=university_staff,
            person=factories.PersonFactory(family_name_ko=family, given_name_ko="하늘"),
            programme=programme,
            student_number=number,
            admission_date=on,
        )
        if status:
            services.enrollment_transition(
                actor=university_staff, enrollment=enrollment, status=status, effective_date=on
            )
    bad = [["2026-0304", "최", "솔", "Choi", "Sol", "2001-02-30", "여", "", "AX 융합 석사", "2026-03-02", "재학"]]
    roster.roster_import(
        actor=university_staff, university=university, filename="명단.csv", content=csv_bytes(bad), dry_run=True
    )
    return session_cookie(university_staff)


def test_headcounts_open_the_list_which_sorts_and_exports_what_it_shows(
    staff_cookie, ms_programme, live_server, browser, artifacts
):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1100, "height": 900}, accept_downloads=True)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": staff_cookie, "url": live_server.url}])
    page = context.new_page()

    page.goto(f"{live_server.url}/university/")
    headcounts = page.get_by_test_id("headcounts")
    enrolled = headcounts.locator(f'tr[data-programme="{ms_programme.pk}"] td[data-status="enrolled"] a')
    assert enrolled.inner_text() == "2명"
    assert "단위: 명" in headcounts.locator("caption").inner_text()
    screenshot(page, artifacts / "university-1-headcounts.png")

    enrolled.click()
    page.get_by_test_id("enrollments").wait_for()
    rows = page.get_by_test_id("enrollments").locator("tbody tr td:first-child a")
    assert sorted(rows.all_inner_texts()) == ["2026-0301", "2026-0302"]

    page.locator('th[data-sort="student_number"] a').click()
    page.locator('th[data-sort="student_number"][aria-sort="ascending"]').wait_for()
    page.locator('th[data-sort="student_number"] a').click()
    page.locator('th[data-sort="student_number"][aria-sort="descending"]').wait_for()
    assert rows.all_inner_texts() == ["2026-0302", "2026-0301"]
    screenshot(page, artifacts / "university-2-sorted-list.png")

    with page.expect_download() as download:
        page.get_by_test_id("export").locator('a[data-format="csv"]').click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115 - read once
    numbers = [row[0] for row in csv.reader(io.StringIO(text))][2:]
    assert numbers == ["2026-0302", "2026-0301"]  # the list's filter and order

    page.goto(f"{live_server.url}/university/roster/")
    page.get_by_test_id("batches").locator("tbody tr a").first.click()
    page.get_by_test_id("batch-messages").wait_for()
    assert "생년월일" in page.get_by_test_id("batch-messages").inner_text()
    screenshot(page, artifacts / "university-3-past-upload.png")
    context.close()


def test_the_preview_shows_each_rows_values_and_old_to_new_and_imports_several_steps(
    staff_cookie, live_server, browser, artifacts, tmp_path
):
    """2026-0301 (enrolled since 2026-03-02) changes email and completes coursework, then graduates, in one file."""
    roster_file = tmp_path / "명단-졸업.csv"
    roster_file.write_text(
        "학번,성,이름,이메일,과정,입학일,학적상태,상태변경일\r\n"
        "2026-0301,김,하늘,haneul.new@hanbit.ac.kr,AX 융합 석사,2026-03-02,수료,2026-08-31\r\n"
        "2026-0301,,,,,,졸업,2026-11-30\r\n",
        encoding="utf-8-sig",
    )
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": staff_cookie, "url": live_server.url}])
    page = context.new_page()

    page.goto(f"{live_server.url}/university/roster/")
    page.locator("#id_file").set_input_files(str(roster_file))
    page.get_by_test_id("upload").click()
    page.get_by_test_id("confirm-import").wait_for()
    first, second = page.locator('[data-row="2"]'), page.locator('[data-row="3"]')
    assert first.locator('[data-value="programme"]').inner_text() == "AX 융합 석사"
    assert first.locator('[data-value="status"]').inner_text() == "수료"
    assert first.locator('[data-field="status"]').inner_text() == "상태: 재학 (2026-03-02) → 수료 (2026-08-31)"
    assert "→ haneul.new@hanbit.ac.kr" in first.locator('[data-field="email"]').inner_text()
    assert second.locator('[data-field="status"]').inner_text() == "상태: 수료 (2026-08-31) → 졸업 (2026-11-30)"
    screenshot(page, artifacts / "university-4-preview-old-new.png")

    page.get_by_test_id("confirm-import").click()
    page.get_by_test_id("messages").wait_for()
    page.goto(f"{live_server.url}/university/enrollments/?search=2026-0301")
    assert page.get_by_test_id("enrollments").locator("tbody tr td").nth(3).inner_text() == "졸업"
    graduated = Enrollment.objects.get(student_number="2026-0301")
    steps = [event.status for event in graduated.events.order_by("sequence")]
    assert steps[-2:] == ["coursework_complete", "graduated"]
    assert graduated.status_since == datetime.date(2026, 11, 30)
    context.close()
