"""Defects found in the security review of the web pages, each proven by a test (see the review report)."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talent.registry import services
from talent.registry.models import ClaimCode, Enrollment, Membership
from tests import factories

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password
ROSTER = "학번,성,이름,과정,입학일,학적상태\r\n2026-1001,최,서윤,AX 융합 석사,2026-03-02,재학\r\n"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


# --- Roster: preview -> confirm ---------------------------------------------------------------------------


def test_a_roster_checked_for_one_university_is_not_imported_into_another(
    ms_programme, university_staff, other_university, client_for
):
    """The kept file is the uploader's; it must also stay the university's it was checked for."""
    school = factories.GraduateSchoolFactory(university=other_university)
    factories.ProgrammeFactory(school=school, name_ko="AX 융합 석사", degree_level="ms")
    client = client_for(university_staff)
    preview = client.post(
        reverse("web:university-roster-import"),
        {"file": SimpleUploadedFile("명단.csv", ROSTER.encode(), content_type="text/csv")},
    )
    sha256 = preview.context["confirm"].initial["sha256"]

    # The staff member moves to another university before confirming (an operator changes the membership).
    Membership.objects.filter(user=university_staff).update(organization=other_university)
    response = client.post(reverse("web:university-roster-confirm"), {"sha256": sha256})

    assert response.status_code == 302
    assert not Enrollment.objects.filter(university=other_university).exists()


# --- Closing the account ----------------------------------------------------------------------------------


def test_the_close_account_form_is_no_way_around_the_password_lockout(client_for, researcher):
    """Sign-in locks after five wrong passwords (django-axes); the close form checked passwords without limit."""
    client = client_for(researcher)
    for n in range(5):
        client.post(reverse("web:account-close"), {"password": f"guess-{n}", "confirm": "on"})

    response = client.post(reverse("web:account-close"), {"password": PASSWORD, "confirm": "on"})

    assert get_user_model().objects.filter(pk=researcher.pk).exists(), "a guessed password closed the account"
    assert response.status_code == 429
    assert response.context["form"].non_field_errors()


# --- Claim codes (university.py: being edited by another engineer) ------------------------------------------


def test_an_operator_is_not_given_a_code_for_an_arbitrary_universitys_student(
    operator, enrollment, other_university, client_for
):
    other_staff = factories.UserFactory(username="other-staff")
    factories.MembershipFactory(user=other_staff, organization=other_university)
    school = factories.GraduateSchoolFactory(university=other_university)
    programme = factories.ProgrammeFactory(school=school, degree_level="ms")
    services.enrollment_admit(
        actor=other_staff,
        person=factories.PersonFactory(family_name_ko="정", given_name_ko="하늘"),
        programme=programme,
        student_number=enrollment.student_number,  # student numbers are unique per university only
        admission_date=datetime.date(2026, 3, 2),
        expected_completion=datetime.date(2028, 2, 28),
    )

    response = client_for(operator).post(
        reverse("web:university-claim-codes"), {"student_number": enrollment.student_number}
    )

    assert not ClaimCode.objects.exists(), "a code was issued for whichever enrollment came first"
    assert response.context["form"].errors


# --- Roster: an uploaded workbook is bounded unpacked too -------------------------------------------------


def _zip_bomb(unpacked_bytes: int) -> bytes:
    """A small .xlsx-shaped zip whose worksheet unpacks to `unpacked_bytes` of XML."""
    buffer = io.BytesIO()
    chunk = b"<!--" + b" " * (1024 * 1024 - 7) + b"-->"
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet,
    ):
        for _ in range(unpacked_bytes // len(chunk)):
            sheet.write(chunk)
    return buffer.getvalue()


def test_a_workbook_that_unpacks_far_beyond_the_size_limit_is_refused_unopened(
    ms_programme, university_staff, client_for, settings, monkeypatch
):
    """The upload's bytes are bounded (ROSTER_MAX_BYTES); a zip of a few hundred KB could unpack to gigabytes."""
    import openpyxl

    settings.ROSTER_MAX_BYTES = 1024 * 1024
    bomb = _zip_bomb(64 * settings.ROSTER_MAX_BYTES)
    assert len(bomb) < settings.ROSTER_MAX_BYTES
    opened = []

    def load_workbook(*args, **kwargs):
        opened.append(True)
        raise ValueError("not opened in this test")  # the reader's "cannot be opened"

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)

    response = client_for(university_staff).post(
        reverse("web:university-roster-import"),
        {"file": SimpleUploadedFile("명단.xlsx", bomb, content_type="application/octet-stream")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not opened, "the workbook was unpacked"
