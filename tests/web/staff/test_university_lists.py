"""The university staff's overview and lists: headcounts by programme and status on the home page (the statistics'
figures, not a count of their own), the enrollment list sorted by any column (the API sorts by the same keys),
the filtered list exported in the roster's format (every exported person's read logged), and past roster uploads
that open to what came of them."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from talent.registry import services
from talent.registry.models import AccessLog, Enrollment, ImportBatch
from talent.reports import statistics
from talent.roster import services as roster
from tests import factories
from tests.roster.conftest import csv_bytes

ON = datetime.date(2026, 3, 2)


def admit(programme: Any, number: str, family: str, given: str, *, by: Any, on: datetime.date = ON) -> Enrollment:
    person = factories.PersonFactory(family_name_ko=family, given_name_ko=given)
    return services.enrollment_admit(
        actor=by, person=person, programme=programme, student_number=number, admission_date=on
    )


def move(enrollment: Enrollment, status: str, *, by: Any, on: datetime.date = ON, reason: str = "") -> None:
    services.enrollment_transition(actor=by, enrollment=enrollment, status=status, effective_date=on, reason=reason)


@pytest.fixture
def students(university_staff, ms_programme, phd_programme, other_university_staff, other_university):
    """Three of 한빛대학교's students in two programmes (two enrolled, one admitted) and one of another university."""
    kim = admit(ms_programme, "2026-0101", "김", "민준", by=university_staff)
    move(kim, "enrolled", by=university_staff)
    choi = admit(ms_programme, "2026-0103", "최", "가온", by=university_staff, on=datetime.date(2025, 9, 1))
    move(choi, "enrolled", by=university_staff, on=datetime.date(2025, 9, 1))
    lee = admit(phd_programme, "2026-0102", "이", "하은", by=university_staff)
    foreign_school = factories.GraduateSchoolFactory(university=other_university)
    foreign_programme = factories.ProgrammeFactory(school=foreign_school, degree_level="ms")
    stranger = admit(foreign_programme, "2026-0104", "김", "도윤", by=other_university_staff)
    move(stranger, "enrolled", by=other_university_staff)
    return {"kim": kim, "choi": choi, "lee": lee, "stranger": stranger}


# --- Headcounts on the home page ----------------------------------------------------------------------------


def _cells(page: str, programme: Any) -> dict[str, str]:
    row = re.search(rf'<tr data-programme="{programme.pk}">(.*?)</tr>', page, re.S)
    assert row is not None, f"no headcount row for {programme}"
    return {status: re.sub(r"<[^>]+>", "", text).strip() for status, text in re.findall(
        r'data-status="(\w+)">(.*?)</td>', row.group(1), re.S)}  # fmt: skip


def test_the_home_page_counts_persons_by_programme_and_status_as_the_statistics_do(
    students, ms_programme, phd_programme, university_staff, client_for
):
    page = client_for(university_staff).get(reverse("web:university-home")).content.decode()

    figures = statistics.enrollment_statistics(user=university_staff, by="programme")
    by_programme = {group.key: group for group in figures.groups}
    assert _cells(page, ms_programme) == {"admitted": "–", "enrolled": "2명"}
    assert _cells(page, phd_programme) == {"admitted": "1명", "enrolled": "–"}
    assert by_programme[str(ms_programme.pk)].by_status["enrolled"].persons == 2
    assert "(단위: 명)" in page
    assert f'href="/university/enrollments/?programme={ms_programme.pk}&amp;status=enrolled"' in page


def test_the_home_page_counts_a_change_scheduled_ahead_only_once_it_is_in_force(
    ms_programme, university_staff, client_for, clock
):
    kim = admit(ms_programme, "2026-0101", "김", "민준", by=university_staff, on=datetime.date(2026, 3, 2))
    clock.move_to(datetime.date(2026, 3, 2))
    move(kim, "enrolled", by=university_staff, on=datetime.date(2026, 3, 2))
    move(kim, "on_leave", by=university_staff, on=datetime.date(2026, 9, 1))  # scheduled

    before = _cells(client_for(university_staff).get(reverse("web:university-home")).content.decode(), ms_programme)
    clock.move_to(datetime.date(2026, 9, 1))
    after = _cells(client_for(university_staff).get(reverse("web:university-home")).content.decode(), ms_programme)

    assert before == {"enrolled": "1명"}
    assert after == {"on_leave": "1명"}  # a status nobody has is not a column


def test_the_home_page_says_so_when_nobody_is_enrolled(school, university_staff, client_for):
    page = client_for(university_staff).get(reverse("web:university-home")).content.decode()

    assert 'data-testid="headcounts-empty"' in page


def test_another_universitys_students_are_not_counted(students, university_staff, client_for):
    page = client_for(university_staff).get(reverse("web:university-home")).content.decode()
    total = re.search(r'data-testid="headcount-total">(.*?)</tr>', page, re.S)

    assert total is not None and "3명" in total.group(1)  # 김민준, 최가온, 이하은; not 김도윤


# --- Sorting ----------------------------------------------------------------------------------------------------


def listed(response: Any) -> list[str]:
    assert response.status_code == 200
    return [e.student_number for e in response.context["page"]]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (None, ["2026-0101", "2026-0102", "2026-0103"]),  # newest admissions first, then by number
        ("student_number", ["2026-0101", "2026-0102", "2026-0103"]),
        ("-student_number", ["2026-0103", "2026-0102", "2026-0101"]),
        ("name", ["2026-0101", "2026-0102", "2026-0103"]),  # 김, 이, 최
        ("-name", ["2026-0103", "2026-0102", "2026-0101"]),
        ("admission_date", ["2026-0103", "2026-0101", "2026-0102"]),
        ("status", ["2026-0102", "2026-0101", "2026-0103"]),  # admitted before enrolled (a course's order)
        ("-status", ["2026-0101", "2026-0103", "2026-0102"]),
        ("-status_since,-student_number", ["2026-0102", "2026-0101", "2026-0103"]),
    ],
)
def test_the_list_sorts_by_the_asked_column(ordering, expected, students, university_staff, client_for):
    query = {} if ordering is None else {"ordering": ordering}
    response = client_for(university_staff).get(reverse("web:university-enrollments"), query)

    assert listed(response) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("status", ["2026-0102", "2026-0101", "2026-0103"]), ("-name", ["2026-0103", "2026-0102", "2026-0101"])],
)
def test_the_api_sorts_by_the_same_keys(ordering, expected, students, university_staff, client_for):
    response = client_for(university_staff).get("/api/v1/enrollments/", {"ordering": ordering})

    assert [row["student_number"] for row in response.json()["results"]] == expected


def test_an_unknown_sort_is_refused_by_the_api_and_beside_the_field_on_the_page(students, university_staff, client_for):
    client = client_for(university_staff)

    api = client.get("/api/v1/enrollments/", {"ordering": "person__email"})
    page = client.get(reverse("web:university-enrollments"), {"ordering": "person__email"})

    assert api.status_code == 400 and "ordering" in api.json()["errors"]
    assert page.status_code == 200 and page.context["filter"].form.errors["ordering"]


def test_an_empty_sort_is_the_default_order_in_the_api(students, university_staff, client_for):
    response = client_for(university_staff).get("/api/v1/enrollments/?ordering=")

    assert [row["student_number"] for row in response.json()["results"]] == ["2026-0101", "2026-0102", "2026-0103"]


def test_the_column_headers_link_to_their_sort_and_say_which_one_is_in_force(students, university_staff, client_for):
    page = client_for(university_staff).get(
        reverse("web:university-enrollments"), {"ordering": "student_number", "status": "enrolled", "page": "1"}
    )
    body = page.content.decode()

    sorted_by = (
        'aria-sort="ascending" data-sort="student_number"><a href="?ordering=-student_number&amp;status=enrolled"'
    )
    assert sorted_by in body
    assert 'data-sort="name"><a href="?ordering=name&amp;status=enrolled"' in body
    assert body.count("aria-sort=") == 1


# --- Export of the filtered list -----------------------------------------------------------------------------


def export(client: Any, fmt: str, query: dict[str, Any]) -> Any:
    return client.get(reverse("web:university-enrollments-export", kwargs={"fmt": fmt}), query)


def test_the_filtered_list_exports_in_the_rosters_format_and_order(students, university, university_staff, client_for):
    client = client_for(university_staff)
    whole = roster.roster_export(actor=university_staff, university=university, fmt="csv").decode("utf-8-sig")

    response = export(client, "csv", {"status": "enrolled", "ordering": "-student_number"})

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    roster_rows = {row[0]: row for row in csv.reader(io.StringIO(whole))}
    assert rows[:2] == [roster_rows["학번"], roster_rows["Student number"]]  # the roster's two header rows
    assert [row[0] for row in rows[2:]] == ["2026-0103", "2026-0101"]
    assert rows[2:] == [roster_rows["2026-0103"], roster_rows["2026-0101"]]  # cell for cell the roster's rows
    logged = AccessLog.objects.filter(user=university_staff, action="enrollment_list_export")
    assert {entry.person_id for entry in logged} == {students["kim"].person_id, students["choi"].person_id}
    assert {entry.path for entry in logged} == {"/university/enrollments/export.csv"}


def test_the_xlsx_export_imports_back_to_no_change(students, university, university_staff, client_for):
    response = export(client_for(university_staff), "xlsx", {"programme": students["kim"].programme_id})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["2026-0101", "2026-0103"]
    result = roster.roster_import(
        actor=university_staff, university=university, filename="목록.xlsx", content=response.content, dry_run=True
    )
    assert result.totals() == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2, "errors": 0}


def test_a_filter_naming_another_universitys_programme_exports_nothing(students, university_staff, client_for):
    response = export(client_for(university_staff), "csv", {"programme": students["stranger"].programme_id})

    assert response.status_code == 302 and response["Location"].startswith(reverse("web:university-enrollments"))
    assert not AccessLog.objects.filter(action="enrollment_list_export").exists()


def test_the_list_offers_the_export_with_its_filters(students, university_staff, client_for):
    body = (
        client_for(university_staff)
        .get(reverse("web:university-enrollments"), {"status": "enrolled", "page": "1"})
        .content.decode()
    )

    assert 'href="/university/enrollments/export.csv?status=enrolled"' in body
    assert 'href="/university/enrollments/export.xlsx?status=enrolled"' in body


@pytest.mark.parametrize("role", ["operator", "company_member", "ministry_analyst"])
def test_only_a_universitys_staff_export_from_the_page(role, students, client_for, request):
    response = export(client_for(request.getfixturevalue(role)), "csv", {})

    assert response.status_code == 403


# --- Past roster uploads --------------------------------------------------------------------------------------


def test_a_past_upload_opens_to_its_counts_and_its_problems_by_row_and_column(
    ms_programme, university, university_staff, client_for
):
    content = csv_bytes(
        [["2026-1001", "김", "서연", "Kim", "Seoyeon", "2001-04-12", "여", "", "AX 융합 석사", "2026-03-02", "재학"],
         ["2026-1002", "이", "도윤", "Lee", "Doyun", "2001-13-40", "남", "", "AX 융합 석사", "2026-03-02", "재학"]]
    )  # fmt: skip
    roster.roster_import(actor=university_staff, university=university, filename="명단.csv", content=content,
                         dry_run=True)  # fmt: skip
    batch = ImportBatch.objects.get()
    client = client_for(university_staff)

    listing = client.get(reverse("web:university-roster-import")).content.decode()
    page = client.get(reverse("web:university-roster-batch", kwargs={"pk": batch.pk}))

    assert reverse("web:university-roster-batch", kwargs={"pk": batch.pk}) in listing
    body = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'data-testid="batch-rows">\s*2행', body) and re.search(r'data-testid="batch-errors">\s*1행', body)
    messages = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>(.*?)</td>", body)
    assert messages == [("3", "생년월일")]
    assert "2001-13-40" not in body  # the file's values are not kept


def test_another_universitys_upload_is_not_found(university, university_staff, other_university_staff, client_for):
    roster.roster_import(actor=university_staff, university=university, filename="명단.csv", content=csv_bytes(),
                         dry_run=True)  # fmt: skip
    batch = ImportBatch.objects.get()

    response = client_for(other_university_staff).get(reverse("web:university-roster-batch", kwargs={"pk": batch.pk}))

    assert response.status_code == 404


def test_the_api_exports_the_filtered_list_the_same_way(students, university_staff, client_for):
    client = client_for(university_staff)

    response = client.get("/api/v1/enrollments/export/", {"file_format": "csv", "status": "enrolled"})
    page = export(client, "csv", {"status": "enrolled"})
    refused = client.get("/api/v1/enrollments/export/", {"file_format": "csv", "status": "graduating"})

    assert response.status_code == 200 and response.content == page.content
    logged = AccessLog.objects.filter(action="enrollment_list_export", path="/api/v1/enrollments/export/")
    assert {entry.person_id for entry in logged} == {students["kim"].person_id, students["choi"].person_id}
    assert refused.status_code == 400 and "status" in refused.json()["errors"]


def test_the_api_exports_the_whole_roster_by_student_number_without_a_filter(students, university_staff, client_for):
    response = client_for(university_staff).get("/api/v1/enrollments/export/", {"file_format": "csv"})

    numbers = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][2:]
    assert numbers == ["2026-0101", "2026-0102", "2026-0103"]
    assert AccessLog.objects.filter(action="roster_export").count() == 3
