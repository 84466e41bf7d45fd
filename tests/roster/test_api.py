"""The API: POST /api/v1/enrollments/import/ (multipart), the template, the export and the uploads' record."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from talent.registry.models import Enrollment, ImportBatch
from tests.roster.conftest import ROWS, csv_bytes, xlsx_bytes


@pytest.fixture
def api(university_staff):
    client = APIClient()
    client.force_authenticate(university_staff)
    return client


def _post(client, content: bytes, name: str = "명단.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return client.post("/api/v1/enrollments/import/", data, format="multipart")


def test_a_dry_run_answers_row_by_row(api, ms_programme):
    response = _post(api, xlsx_bytes(), name="명단.xlsx", dry_run="true")

    assert response.status_code == 200, response.data
    assert response.data["totals"] == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert response.data["rows"][0] == {
        "row": 2,
        "action": "created",
        "student_number": "2026-1001",
        "changes": [],
        "messages": [],
        "notices": [],
        "values": {
            "student_number": "2026-1001",
            "family_name_ko": "김",
            "given_name_ko": "서연",
            "family_name_latin": "Kim",
            "given_name_latin": "Seoyeon",
            "birth_date": "2001-04-12",  # a date cell of the workbook
            "gender": "여성",
            "email": "seoyeon@hanbit.ac.kr",
            "programme": "AX 융합 석사",
            "admission_date": "2026-03-02",
            "status": "재학",
        },
        "differences": [],
    }
    assert Enrollment.objects.count() == 0


def test_a_real_import_creates_and_answers_201(api, ms_programme):
    response = _post(api, csv_bytes(encoding="cp949"))

    assert response.status_code == 201, response.data
    assert response.data["applied"] is True
    assert Enrollment.objects.count() == 3
    assert ImportBatch.objects.get().pk == response.data["batch"]


def test_rows_with_errors_answer_400_with_every_row_and_store_nothing(api, ms_programme):
    bad = [*ROWS[1][:9], "내일", "재학"]

    response = _post(api, csv_bytes([ROWS[0], bad]))

    assert response.status_code == 400
    assert response.data["code"] == "roster_rows_invalid"
    assert [r["action"] for r in response.data["result"]["rows"]] == ["created", "error"]
    assert response.data["result"]["rows"][1]["messages"][0]["column"] == "입학일"
    assert Enrollment.objects.count() == 0


def test_a_refused_file_is_a_400_error_saying_why(api, ms_programme):
    response = _post(api, csv_bytes([[*ROWS[0][:-1], "900101-1234567"]]))

    assert response.status_code == 400
    assert response.data["code"] == "resident_registration_number"


def test_another_universitys_import_is_refused(api, other_university, ms_programme):
    response = _post(api, csv_bytes(), university=other_university.pk)

    assert response.status_code == 403
    assert Enrollment.objects.count() == 0


def test_an_operator_names_the_university(operator, university, ms_programme):
    client = APIClient()
    client.force_authenticate(operator)

    assert _post(client, csv_bytes()).status_code == 400
    assert _post(client, csv_bytes(), university=university.pk).status_code == 201


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("csv", "text/csv; charset=utf-8"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")],
)
def test_the_export_is_a_file_download(fmt, content_type, api, ms_programme):
    _post(api, csv_bytes())

    response = api.get(f"/api/v1/enrollments/export/?file_format={fmt}", HTTP_ACCEPT=content_type)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="roster-')
    assert response["Cache-Control"] == "no-store"
    reimport = _post(api, response.content, name=f"export.{fmt}")
    assert reimport.data["totals"]["unchanged"] == 3


def test_the_export_read_is_logged(api, ms_programme):
    from talent.registry.models import AccessLog

    _post(api, csv_bytes())
    api.get("/api/v1/enrollments/export/?file_format=csv")

    assert AccessLog.objects.filter(action="roster_export").count() == 3


def test_an_unknown_file_format_is_a_400(api):
    assert api.get("/api/v1/enrollments/import/template/?file_format=pdf").status_code == 400


def test_a_file_over_the_size_limit_is_refused_by_the_api(api, settings, ms_programme):
    settings.ROSTER_MAX_BYTES = 50

    response = _post(api, csv_bytes())

    assert response.status_code == 400
    assert response.data["code"] == "roster_too_large"


def test_a_three_step_upload_through_the_api_shows_each_step_old_to_new_and_records_them(api, ms_programme):
    """재학 → 수료 → 졸업 for one new student in one file (issue 15), in English: the preview then the import."""
    headers = ["학번", "성", "이름", "과정", "입학일", "학적상태", "상태변경일"]
    rows = [
        ["2024-0201", "한", "별", "AX 융합 석사", "2024-03-04", "재학", "2024-03-04"],
        ["2024-0201", "", "", "", "", "수료", "2026-02-27"],
        ["2024-0201", "", "", "", "", "졸업", "2026-08-31"],
    ]
    content = csv_bytes(rows, headers=headers)

    preview = api.post(
        "/api/v1/enrollments/import/",
        {"file": SimpleUploadedFile("명단.csv", content), "dry_run": "true"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert preview.status_code == 200, preview.data
    assert [r["action"] for r in preview.data["rows"]] == ["created", "updated", "updated"]
    assert preview.data["rows"][2]["differences"] == [
        {"field": "status", "old": "Coursework complete (2026-02-27)", "new": "Graduated (2026-08-31)"}
    ]
    assert not Enrollment.objects.exists()

    imported = _post(api, content)
    assert imported.status_code == 201, imported.data
    enrollment = Enrollment.objects.get(student_number="2024-0201")
    assert [e.status for e in enrollment.events.order_by("sequence")] == [
        "admitted",
        "enrolled",
        "coursework_complete",
        "graduated",
    ]
