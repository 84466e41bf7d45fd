"""The roster pages: upload -> dry-run preview with every row's problems -> confirm imports the very file checked,
without uploading it again; the template and the university's roster download. Only the university's own staff
may use them (the API's rule); the import's rules are the roster service's."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talent.registry import services
from talent.registry.models import Enrollment, ImportBatch
from tests import factories

HEADER = "학번,성,이름,과정,입학일,학적상태\r\n"
GOOD = HEADER + "2026-1001,최,서윤,AX 융합 석사,2026-03-02,재학\r\n2026-1002,한,지우,AX 융합 석사,2026-03-02,입학\r\n"
BAD = HEADER + "2026-1001,최,서윤,AX 융합 석사,2026-03-02,재학\r\n2026-1002,한,지우,AX 융합 석사,2026-02-30,입학\r\n"
PAGES = [
    reverse("web:university-roster-import"),
    reverse("web:university-roster-export", kwargs={"fmt": "csv"}),
    reverse("web:university-roster-template", kwargs={"fmt": "xlsx"}),
]


def upload(text: str, name: str = "명단.csv") -> dict:
    return {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")}


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(page, client_for):
    response = client_for(None).get(page)

    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["company_member", "ministry_analyst", "researcher", "outsider"])
def test_other_roles_are_refused(role, page, client_for, request):
    response = client_for(request.getfixturevalue(role)).get(page)

    assert response.status_code == 403


def test_an_operator_gets_the_template_but_imports_and_exports_through_the_api(operator, client_for):
    # These pages work in the staff member's own university; the API lets an operator name one.
    client = client_for(operator)

    assert [client.get(page).status_code for page in PAGES] == [403, 403, 200]


def test_the_upload_previews_each_row_and_its_error_and_stores_nothing(ms_programme, university_staff, client_for):
    response = client_for(university_staff).post(reverse("web:university-roster-import"), upload(BAD))

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.dry_run, result.ok, result.created, result.errors) == (True, False, 1, 1)
    bad = next(row for row in response.context["rows"] if row["action"] == "error")
    assert bad["row"] == 3 and bad["messages"][0]["column"] == "입학일"
    page = response.content.decode()
    assert 'data-row="3" data-action="error"' in page and bad["messages"][0]["message"] in page
    assert response.context["confirm"] is None  # nothing to confirm: correct the file first
    assert not Enrollment.objects.exists()
    assert ImportBatch.objects.get().dry_run


def test_a_clean_preview_is_confirmed_without_uploading_again(ms_programme, university_staff, client_for):
    client = client_for(university_staff)

    preview = client.post(reverse("web:university-roster-import"), upload(GOOD))
    sha256 = preview.context["confirm"].initial["sha256"]
    imported = client.post(reverse("web:university-roster-confirm"), {"sha256": sha256})
    shown = client.get(imported["Location"])

    assert imported.status_code == 302
    enrollments = Enrollment.objects.order_by("student_number")
    assert [(e.student_number, e.status) for e in enrollments] == [("2026-1001", "enrolled"), ("2026-1002", "admitted")]
    assert [str(m) for m in shown.context["messages"]]  # the confirmation with the totals
    assert [b["batch"].status for b in shown.context["batches"]] == ["applied", "dry_run"]
    again = client.post(reverse("web:university-roster-confirm"), {"sha256": sha256})
    assert again.status_code == 302 and Enrollment.objects.count() == 2  # the kept file is gone once imported


def test_a_file_name_holding_a_resident_number_is_kept_masked_while_it_waits_for_confirmation(
    ms_programme, university, university_staff, client_for
):
    client = client_for(university_staff)

    preview = client.post(reverse("web:university-roster-import"), upload(GOOD, name="명단 900101-1234568.csv"))
    sha256 = preview.context["confirm"].initial["sha256"]
    kept = cache.get(f"web:roster-upload:{university_staff.pk}:{university.pk}:{sha256}")
    client.post(reverse("web:university-roster-confirm"), {"sha256": sha256})

    assert kept["filename"] == "명단 ******-*******.csv"
    assert list(ImportBatch.objects.values_list("filename", flat=True)) == ["명단 ******-*******.csv"] * 2


def test_a_file_kept_for_one_user_cannot_be_imported_by_another(ms_programme, university, university_staff, client_for):
    colleague = factories.UserFactory(username="colleague")
    factories.MembershipFactory(user=colleague, organization=university)
    preview = client_for(university_staff).post(reverse("web:university-roster-import"), upload(GOOD))

    client = client_for(colleague)
    response = client.post(
        reverse("web:university-roster-confirm"), {"sha256": preview.context["confirm"].initial["sha256"]}
    )

    assert response.status_code == 302
    assert [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert not Enrollment.objects.exists()


def test_rows_that_went_wrong_since_the_preview_are_shown_and_nothing_is_imported(
    ms_programme, university_staff, client_for
):
    client = client_for(university_staff)
    preview = client.post(reverse("web:university-roster-import"), upload(GOOD))
    taken = services.enrollment_admit(
        actor=university_staff,
        person=factories.PersonFactory(),
        programme=ms_programme,
        student_number="2026-1001",
        admission_date=datetime.date(2026, 3, 2),
    )
    services.enrollment_transition(
        actor=university_staff,
        enrollment=taken,
        status="withdrawn",
        effective_date=datetime.date(2026, 3, 2),
        reason="입학 포기",
    )

    response = client.post(
        reverse("web:university-roster-confirm"), {"sha256": preview.context["confirm"].initial["sha256"]}
    )

    assert response.status_code == 200
    assert response.context["result"].applied is False and response.context["result"].errors == 1
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"", "empty.csv"), (b"\xd0\xcf\x11\xe0old excel", "old.xls")],
    ids=["empty", "old-excel"],
)
def test_an_unreadable_file_is_refused_next_to_the_file_field(content, name, university_staff, client_for):
    response = client_for(university_staff).post(
        reverse("web:university-roster-import"), {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert 'id="id_file_error"' in response.content.decode()
    assert not Enrollment.objects.exists()


def test_a_resident_registration_number_refuses_the_file_in_korean(ms_programme, university_staff, client_for):
    text = HEADER + "2026-1001,최,서윤,AX 융합 석사,2026-03-02,900101-1234568\r\n"

    response = client_for(university_staff).post(reverse("web:university-roster-import"), upload(text))

    assert "주민등록번호" in " ".join(response.context["form"].errors["file"])
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")],
)
def test_the_template_downloads(fmt, content_type, university_staff, client_for):
    response = client_for(university_staff).get(reverse("web:university-roster-template", kwargs={"fmt": fmt}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="roster-template.{fmt}"'


def test_the_export_holds_the_universitys_own_roster_only(
    enrollment, other_university_staff, university_staff, client_for
):
    other_school = factories.GraduateSchoolFactory(university=other_university_staff.membership.organization)
    services.enrollment_admit(
        actor=other_university_staff,
        person=factories.PersonFactory(),
        programme=factories.ProgrammeFactory(school=other_school, degree_level="ms"),
        student_number="N-0001",
        admission_date=datetime.date(2026, 3, 2),
    )

    response = client_for(university_staff).get(reverse("web:university-roster-export", kwargs={"fmt": "csv"}))

    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "2026-0001" in text and "N-0001" not in text


def test_an_unknown_format_is_not_found(university_staff, client_for):
    response = client_for(university_staff).get("/university/roster/export.pdf")

    assert response.status_code == 404
