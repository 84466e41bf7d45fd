"""The operator's admin upload page and `manage.py import_roster`."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from talent.registry.models import Enrollment, ImportBatch, ImportBatchStatus
from tests.roster.conftest import ROWS, csv_bytes, xlsx_bytes

UPLOAD = "admin:registry_importbatch_upload"


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def test_the_admin_upload_page_shows_a_dry_run_and_stores_nothing(operator_client, university, ms_programme):
    response = operator_client.post(
        reverse(UPLOAD),
        {"university": university.pk, "file": SimpleUploadedFile("명단.xlsx", xlsx_bytes()), "dry_run": "on"},
    )

    assert response.status_code == 200
    assert response.context["result"].created == 3
    assert Enrollment.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatchStatus.DRY_RUN


def test_the_admin_upload_imports_and_shows_row_errors(operator_client, university, ms_programme):
    bad = [*ROWS[0][:6], "모름", *ROWS[0][7:]]
    response = operator_client.post(
        reverse(UPLOAD), {"university": university.pk, "file": SimpleUploadedFile("명단.csv", csv_bytes([bad]))}
    )

    assert response.status_code == 200
    assert b"roster-error" in response.content and "모름".encode() in response.content
    assert Enrollment.objects.count() == 0

    operator_client.post(
        reverse(UPLOAD), {"university": university.pk, "file": SimpleUploadedFile("명단.csv", csv_bytes())}
    )
    assert Enrollment.objects.count() == 3


def test_the_admin_shows_a_refused_file_on_the_form(operator_client, university, ms_programme):
    content = csv_bytes([[*ROWS[0][:-1], "900101-1234567"]])

    response = operator_client.post(
        reverse(UPLOAD), {"university": university.pk, "file": SimpleUploadedFile("명단.csv", content)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Enrollment.objects.count() == 0


def test_the_batches_are_listed_with_an_upload_link(operator_client, university, ms_programme):
    operator_client.post(
        reverse(UPLOAD), {"university": university.pk, "file": SimpleUploadedFile("명단.csv", csv_bytes())}
    )

    response = operator_client.get(reverse("admin:registry_importbatch_changelist"))

    assert response.status_code == 200
    assert reverse(UPLOAD).encode() in response.content
    assert "명단.csv".encode() in response.content


def test_university_staff_cannot_open_the_admin_upload(client, university_staff):
    client.force_login(university_staff)

    assert client.get(reverse(UPLOAD)).status_code == 302  # to the admin login


def test_the_command_imports_a_file(tmp_path, university, ms_programme):
    path = tmp_path / "명단.csv"
    path.write_bytes(csv_bytes(encoding="cp949"))
    out = io.StringIO()

    call_command("import_roster", str(path), "--university", str(university.pk), stdout=out, stderr=io.StringIO())

    assert "Imported: 3 rows" in out.getvalue()
    assert Enrollment.objects.count() == 3
    assert ImportBatch.objects.get().created_by is None


def test_the_command_dry_run_stores_nothing(tmp_path, university, ms_programme):
    path = tmp_path / "명단.xlsx"
    path.write_bytes(xlsx_bytes())
    out = io.StringIO()

    call_command("import_roster", str(path), "--university", str(university.pk), "--dry-run", stdout=out)

    assert "Dry run: 3 rows" in out.getvalue()
    assert Enrollment.objects.count() == 0


def test_the_command_reports_each_problem_and_fails(tmp_path, university, ms_programme):
    path = tmp_path / "명단.csv"
    path.write_bytes(csv_bytes([[*ROWS[0][:9], "3월", "재학"]]))
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 rows have errors"):
        call_command("import_roster", str(path), "--university", str(university.pk), stdout=out)

    assert "row 2, 입학일" in out.getvalue()
    assert Enrollment.objects.count() == 0


def test_the_command_refuses_an_unknown_university(tmp_path, company):
    path = tmp_path / "명단.csv"
    path.write_bytes(csv_bytes())

    with pytest.raises(CommandError, match="No university"):
        call_command("import_roster", str(path), "--university", str(company.pk))


def test_progress_is_reported_while_rows_are_checked_and_stored(university_staff, university, ms_programme):
    from talent.roster import services as roster

    calls: list[tuple[str, int, int]] = []
    roster.roster_import(
        actor=university_staff,
        university=university,
        filename="명단.csv",
        content=csv_bytes(),
        dry_run=False,
        progress=lambda phase, done, total: calls.append((phase, done, total)),
    )

    assert calls[0] == ("check", 0, 3)
    assert ("check", 3, 3) in calls
    assert calls[-1] == ("write", 3, 3)
