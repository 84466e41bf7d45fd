"""One human, one person: a university that admits a student whose ORCID iD or national researcher number another
university already registered gets that person, with a second enrollment, through the service, the API, the admit
page and a roster import. Its details that differ are reported back (by field name, by row and column in a roster)
and kept for an operator; the stored record is not changed, and the admitting university's response carries
nothing of what the other university stored."""

from __future__ import annotations

import datetime
import json
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from talent.identity import services as identity
from talent.identity.models import DuplicateCandidate
from talent.registry import services
from talent.registry.models import Enrollment, IdentityDisagreement, Person, PersonAsRecorded
from talent.registry.services.identity import identity_disagreement_resolve
from talent.registry.services.people import PersonFields
from talent.roster import services as roster
from tests import factories
from tests.roster.conftest import HEADERS, csv_bytes

ORCID = "0000-0002-1825-0097"
NRN = "12345678"

#: As the first university (누리대학교) registered the student.
FIRST: PersonFields = {
    "family_name_ko": "정",
    "given_name_ko": "하린",
    "family_name_latin": "Jeong",
    "given_name_latin": "Harin",
    "birth_date": datetime.date(1999, 2, 14),
    "email": "harin.jeong@nuri.ac.kr",
    "orcid": ORCID,
}


def first(**changes: object) -> PersonFields:
    return cast(PersonFields, {**FIRST, **changes})


@pytest.fixture
def registered_elsewhere(other_university, other_university_staff):
    """The student's enrollment at 누리대학교, with the details that university keeps."""
    programme = factories.ProgrammeFactory(school__university=other_university, name_ko="누리 AX 석사")
    return services.enrollment_admit(
        actor=other_university_staff,
        programme=programme,
        new_person=first(),
        student_number="N-2025-77",
        admission_date=datetime.date(2025, 3, 3),
    )


def _secrets_of_the_first_university() -> list[str]:
    return ["harin.jeong@nuri.ac.kr", "N-2025-77", "누리", "Jeong", "Nuri"]


def test_the_service_links_the_same_orcid_to_one_person_with_two_enrollments(
    registered_elsewhere, university_staff, ms_programme
):
    enrollment = services.enrollment_admit(
        actor=university_staff,
        programme=ms_programme,
        new_person=first(email="harin@hanbit.ac.kr", family_name_latin="Chung"),
        student_number="2026-0100",
        admission_date=datetime.date(2026, 3, 2),
    )

    assert enrollment.person_id == registered_elsewhere.person_id
    assert Person.objects.count() == 1
    assert Enrollment.objects.filter(person_id=enrollment.person_id).count() == 2
    person = Person.objects.get()
    assert (person.email, person.family_name_latin) == ("harin.jeong@nuri.ac.kr", "Jeong")  # never overwritten
    kept = IdentityDisagreement.objects.filter(person=person).order_by("field")
    assert [(d.field, d.submitted, d.university_id) for d in kept] == [
        ("email", "harin@hanbit.ac.kr", ms_programme.school.university_id),
        ("family_name_latin", "Chung", ms_programme.school.university_id),
    ]


def test_the_national_researcher_number_links_too_and_fills_what_the_record_lacks(
    other_university_staff, other_university, university_staff, ms_programme
):
    programme = factories.ProgrammeFactory(school__university=other_university)
    first = services.enrollment_admit(
        actor=other_university_staff,
        programme=programme,
        new_person={"family_name_ko": "한", "given_name_ko": "결", "national_researcher_number": NRN},
        student_number="N-1",
        admission_date=datetime.date(2025, 3, 3),
    )

    second = services.enrollment_admit(
        actor=university_staff,
        programme=ms_programme,
        new_person={"family_name_ko": "한", "given_name_ko": "결", "national_researcher_number": NRN, "orcid": ORCID},
        student_number="2026-0101",
        admission_date=datetime.date(2026, 3, 2),
    )

    assert second.person_id == first.person_id
    assert Person.objects.get().orcid == ORCID  # an empty field takes the given value
    assert not IdentityDisagreement.objects.exists()


def test_a_resident_registration_number_is_refused_even_when_the_person_is_linked(
    registered_elsewhere, university_staff, ms_programme
):
    from talent.common.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.enrollment_admit(
            actor=university_staff,
            programme=ms_programme,
            new_person=first(given_name_latin="990214-2345678"),
            student_number="2026-0102",
            admission_date=datetime.date(2026, 3, 2),
        )
    assert Enrollment.objects.count() == 1
    assert not IdentityDisagreement.objects.exists()


def test_the_api_admits_the_same_person_and_answers_with_only_what_the_university_sent(
    registered_elsewhere, university_staff, ms_programme
):
    client = APIClient()
    client.force_authenticate(university_staff)
    sent = {
        "family_name_ko": "정",
        "given_name_ko": "하린",
        "given_name_latin": "Ha-Rin",
        "birth_date": "1999-02-14",
        "email": "harin@hanbit.ac.kr",
        "orcid": ORCID,
    }

    response = client.post(
        "/api/v1/enrollments/",
        {"person": sent, "programme": ms_programme.pk, "student_number": "2026-0103", "admission_date": "2026-03-02"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["id"] == registered_elsewhere.person_id
    assert body["person"]["email"] == "harin@hanbit.ac.kr"
    assert body["person"]["family_name_latin"] == ""  # the other university's spelling is not shown
    assert body["differing_fields"] == ["email"]  # "Ha-Rin" is "Harin" written with a hyphen
    text = json.dumps(body, ensure_ascii=False)
    for secret in _secrets_of_the_first_university():
        assert secret not in text
    assert Enrollment.objects.filter(person_id=registered_elsewhere.person_id).count() == 2


def test_the_admit_page_admits_the_same_person_and_names_the_differing_fields(
    registered_elsewhere, university_staff, ms_programme
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(university_staff)
    form = {
        "family_name_ko": "정",
        "given_name_ko": "하린",
        "family_name_latin": "",
        "given_name_latin": "",
        "birth_date": "1999-02-15",
        "gender": "",
        "nationality": "KR",
        "email": "",
        "orcid": ORCID,
        "national_researcher_number": "",
        "programme": ms_programme.pk,
        "student_number": "2026-0104",
        "admission_date": "2026-03-02",
        "expected_completion": "",
        "completion_route": "",
        "advisor": "",
        "co_advisor": "",
    }

    response = client.post(reverse("web:university-admit"), form, follow=True)

    assert response.status_code == 200
    assert Enrollment.objects.filter(person_id=registered_elsewhere.person_id).count() == 2
    shown = [str(m) for m in response.context["messages"]]
    assert any("birth date" in m for m in shown), shown
    assert IdentityDisagreement.objects.get().submitted == "1999-02-15"


def test_a_roster_row_links_reports_row_and_column_and_stores(registered_elsewhere, university_staff, university):
    factories.ProgrammeFactory(school__university=university, name_ko="AX 융합 석사")
    rows = [
        ["2026-2001", "정", "하린", "Jung", "Harin", "1999-02-14", "", "harin@hanbit.ac.kr", "AX 융합 석사",
         "2026-03-02", "재학", ORCID],
        ["2026-2002", "이", "도윤", "Lee", "Doyun", "2000-11-03", "", "", "AX 융합 석사", "2026-03-02", "재학", ""],
    ]  # fmt: skip

    result = roster.roster_import(
        actor=university_staff,
        university=university,
        filename="명단.csv",
        content=csv_bytes(rows, headers=[*HEADERS, "ORCID"]),
        dry_run=False,
    )

    assert result.applied, result.problems
    linked = result.rows[0]
    assert (linked.action, linked.messages) == ("created", [])
    assert [(n.row, n.column) for n in linked.notices] == [(2, "영문 성"), (2, "이메일")]
    for notice in linked.notices:
        for secret in _secrets_of_the_first_university():
            assert secret not in notice.message
    enrollment = Enrollment.objects.get(student_number="2026-2001")
    assert enrollment.person_id == registered_elsewhere.person_id
    assert Person.objects.count() == 2
    assert sorted(IdentityDisagreement.objects.values_list("field", "enrollment_id")) == [
        ("email", enrollment.pk),
        ("family_name_latin", enrollment.pk),
    ]


def test_two_new_rows_with_one_orcid_are_one_new_person(university_staff, university, ms_programme, phd_programme):
    rows = [
        ["2026-3001", "윤", "슬기", "Yun", "Seulgi", "1998-01-05", "", "", "AX 융합 석사", "2026-03-02", "", ORCID],
        ["2026-3002", "윤", "슬기", "Yoon", "Seulgi", "1998-01-05", "", "", "AX 융합 박사", "2026-03-02", "", ORCID],
    ]  # fmt: skip

    result = roster.roster_import(
        actor=university_staff,
        university=university,
        filename="명단.csv",
        content=csv_bytes(rows, headers=[*HEADERS, "ORCID"]),
        dry_run=False,
    )

    assert result.applied, result.problems
    assert Person.objects.count() == 1
    assert Enrollment.objects.filter(person__orcid=ORCID).count() == 2
    assert [n.column for n in result.rows[1].notices] == ["영문 성"]


def test_an_operator_keeps_or_takes_a_differing_detail_once(registered_elsewhere, university_staff, operator):
    from talent.common.errors import Conflict, NotAllowed

    programme = factories.ProgrammeFactory(school__university=university_staff.membership.organization)
    services.enrollment_admit(
        actor=university_staff,
        programme=programme,
        new_person=first(email="harin@hanbit.ac.kr"),
        student_number="2026-0105",
        admission_date=datetime.date(2026, 3, 2),
    )
    disagreement = IdentityDisagreement.objects.get()

    with pytest.raises(NotAllowed):
        identity_disagreement_resolve(actor=university_staff, disagreement=disagreement, take=True)
    person = identity_disagreement_resolve(actor=operator, disagreement=disagreement, take=True)

    assert person.email == "harin@hanbit.ac.kr"
    with pytest.raises(Conflict):
        identity_disagreement_resolve(actor=operator, disagreement=disagreement, take=False)


def _import(client: APIClient, rows: list[list[str]], *, dry_run: bool) -> dict:
    """A roster upload through the API, as 한빛's office sends it: what the office gets back."""
    content = csv_bytes(rows, headers=[*HEADERS, "ORCID"])
    data = {"file": SimpleUploadedFile("명단.csv", content), "dry_run": "true" if dry_run else "false"}
    response = client.post("/api/v1/enrollments/import/", data, format="multipart")
    assert response.status_code == (200 if dry_run else 201), response.content
    return response.json()


def _reveals_nothing_of_the_first_university(answer: dict) -> None:
    text = json.dumps(answer, ensure_ascii=False)
    for secret in _secrets_of_the_first_university():
        assert secret not in text


@pytest.fixture
def hanbit_office(university_staff, university):
    factories.ProgrammeFactory(school__university=university, name_ko="AX 융합 석사")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(university_staff)
    return client


LINKED_ROW = ["2026-2001", "정", "하린", "Jung", "Harin", "1999-02-14", "", "harin@hanbit.ac.kr", "AX 융합 석사",
              "2026-03-02", "재학", ORCID]  # fmt: skip


def test_a_roster_preview_commit_and_reimport_of_a_linked_row_give_one_person_once(registered_elsewhere, hanbit_office):
    """The same ORCID iD at two universities through a roster: the preview says what will happen (row and column of
    each differing detail) and stores nothing; the import gives the person a second enrollment; importing the same
    file again changes nothing and keeps no difference twice. Nothing 누리 stored reaches 한빛."""
    preview = _import(hanbit_office, [LINKED_ROW], dry_run=True)

    assert preview["totals"]["created"] == 1 and preview["totals"]["errors"] == 0
    assert [(n["row"], n["column"]) for n in preview["rows"][0]["notices"]] == [(2, "영문 성"), (2, "이메일")]
    _reveals_nothing_of_the_first_university(preview)
    assert Enrollment.objects.count() == 1 and not IdentityDisagreement.objects.exists()

    applied = _import(hanbit_office, [LINKED_ROW], dry_run=False)

    assert applied["applied"] is True
    _reveals_nothing_of_the_first_university(applied)
    assert Person.objects.count() == 1
    assert Enrollment.objects.filter(person_id=registered_elsewhere.person_id).count() == 2
    assert IdentityDisagreement.objects.count() == 2

    again = _import(hanbit_office, [LINKED_ROW], dry_run=False)

    assert again["totals"] == {"rows": 1, "created": 0, "updated": 0, "unchanged": 1, "errors": 0}
    assert again["rows"][0]["notices"] == []
    assert (Person.objects.count(), Enrollment.objects.count(), IdentityDisagreement.objects.count()) == (1, 2, 2)
    listed = hanbit_office.get("/api/v1/enrollments/").json()
    _reveals_nothing_of_the_first_university(listed)


def test_a_roster_reimport_that_gives_a_known_student_another_persons_orcid_keeps_it_for_review(
    registered_elsewhere, hanbit_office, university
):
    """A student 한빛 already has, imported again with an ORCID iD 누리's student holds: not refused (a refusal would
    tell 한빛 that someone in the registry has it), as a correction through the API is not (`services.recorded`). The
    ORCID iD is kept in 한빛's record of its student and for an operator, who is proposed the pair; the registry's
    record of 한빛's student is not given it."""
    without = [*LINKED_ROW[:-1], ""]
    _import(hanbit_office, [without], dry_run=False)
    own = Enrollment.objects.get(university=university)
    assert own.person_id != registered_elsewhere.person_id

    preview = _import(hanbit_office, [LINKED_ROW], dry_run=True)

    (row,) = preview["rows"]
    assert (row["action"], row["messages"]) == ("updated", [])
    assert row["differences"] == [{"field": "orcid", "old": "", "new": ORCID}]
    assert [(n["row"], n["column"]) for n in row["notices"]] == [(2, "ORCID")]
    _reveals_nothing_of_the_first_university(preview)
    assert not PersonAsRecorded.objects.filter(enrollment=own).exists()
    assert not IdentityDisagreement.objects.exists()

    applied = _import(hanbit_office, [LINKED_ROW], dry_run=False)

    assert applied["applied"] is True
    _reveals_nothing_of_the_first_university(applied)
    assert Person.objects.get(pk=own.person_id).orcid is None
    assert PersonAsRecorded.objects.get(enrollment=own).orcid == ORCID
    disagreement = IdentityDisagreement.objects.get()
    assert (disagreement.person_id, disagreement.field, disagreement.submitted) == (own.person_id, "orcid", ORCID)
    identity.candidates_refresh(person_ids=[own.person_id])
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.person_a_id, candidate.person_b_id} == {own.person_id, registered_elsewhere.person_id}
    assert hanbit_office.get(f"/api/v1/enrollments/{own.pk}/").json()["person"]["orcid"] == ORCID

    again = _import(hanbit_office, [LINKED_ROW], dry_run=False)

    assert again["totals"]["unchanged"] == 1 and again["rows"][0]["notices"] == []
    assert IdentityDisagreement.objects.count() == 1


def test_two_known_students_given_one_new_orcid_in_one_file_are_not_refused(hanbit_office, university):
    """The first row's student takes the ORCID iD; the second's is kept for review (the registry holds one ORCID iD
    once), as it would be a file later."""
    rows = [
        ["2026-4001", "최", "민준", "Choi", "Minjun", "1998-05-01", "", "", "AX 융합 석사", "2026-03-02", "재학", ""],
        ["2026-4002", "최", "민준", "Choe", "Minjun", "1998-05-01", "", "", "AX 융합 석사", "2026-03-02", "재학", ""],
    ]  # fmt: skip
    _import(hanbit_office, rows, dry_run=False)
    given = [[*row[:-1], ORCID] for row in rows]

    applied = _import(hanbit_office, given, dry_run=False)

    assert applied["applied"] is True
    assert [row["action"] for row in applied["rows"]] == ["updated", "updated"]
    assert [[n["column"] for n in row["notices"]] for row in applied["rows"]] == [[], ["ORCID"]]
    first_person = Enrollment.objects.get(student_number="2026-4001").person
    second = Enrollment.objects.get(student_number="2026-4002")
    assert first_person.orcid == ORCID
    assert (second.person.orcid, PersonAsRecorded.objects.get(enrollment=second).orcid) == (None, ORCID)
    assert IdentityDisagreement.objects.get().person_id == second.person_id


def test_the_roster_pages_preview_and_import_a_linked_row_showing_nothing_the_other_university_stored(
    registered_elsewhere, university_staff, hanbit_office
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(university_staff)
    content = csv_bytes([LINKED_ROW], headers=[*HEADERS, "ORCID"])

    preview = client.post(
        reverse("web:university-roster-import"), {"file": SimpleUploadedFile("명단.csv", content, "text/csv")}
    )

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<strong>영문 성</strong>" in html and "<strong>이메일</strong>" in html  # the row's notices, by column
    imported = client.post(
        reverse("web:university-roster-confirm"), {"sha256": preview.context["confirm"].initial["sha256"]}
    )
    shown = client.get(imported["Location"])

    assert Enrollment.objects.filter(person_id=registered_elsewhere.person_id).count() == 2
    for secret in _secrets_of_the_first_university():
        assert secret not in html
        assert secret not in shown.content.decode()


def test_a_roster_of_linked_rows_takes_as_many_statements_for_four_rows_as_for_one(
    other_university, other_university_staff, university_staff, ms_programme
):
    """Five students 누리 registered with their national researcher numbers, admitted again by 한빛's roster (another
    email, kept for review; the Latin names 누리 left empty, filled in): the file is linked in bulk (who holds its
    numbers read once, every record kept, filled and differing detail written in one statement each), so a file of
    four rows asks no more of the database than a file of one; a roster of 20,000 rows stays an import."""
    nuri = factories.ProgrammeFactory(school__university=other_university, name_ko="누리 AX 석사")
    registered = [
        services.enrollment_admit(
            actor=other_university_staff,
            programme=nuri,
            new_person={
                "family_name_ko": "정",
                "given_name_ko": "하린",
                "birth_date": datetime.date(1999, 2, 14),
                "email": f"harin{n}@nuri.ac.kr",
                "national_researcher_number": f"1000000{n}",
            },
            student_number=f"N-2025-{n}",
            admission_date=datetime.date(2025, 3, 3),
        )
        for n in range(1, 6)
    ]
    rows = [
        [f"2026-500{n}", "정", "하린", "Jeong", "Harin", "1999-02-14", "", f"harin{n}@hanbit.ac.kr", "AX 융합 석사",
         "2026-03-02", "재학", f"1000000{n}"]
        for n in range(1, 6)
    ]  # fmt: skip

    def statements(of_rows: list[list[str]]) -> int:
        content = csv_bytes(of_rows, headers=[*HEADERS, "국가연구자번호"])
        with CaptureQueriesContext(connection) as queries:
            result = roster.roster_import(
                actor=university_staff, university=university, filename="명단.csv", content=content, dry_run=False
            )
        assert result.applied and result.created == len(of_rows), result.problems
        return len(queries.captured_queries)

    university = ms_programme.school.university
    assert statements(rows[:1]) == statements(rows[1:])
    assert Person.objects.count() == 5
    for enrollment in registered:
        assert [e.university_id for e in Enrollment.objects.filter(person_id=enrollment.person_id).order_by("pk")] == [
            other_university.pk,
            university.pk,
        ]
        person = Person.objects.get(pk=enrollment.person_id)
        assert (person.family_name_latin, person.email) == ("Jeong", enrollment.person.email)
        assert PersonAsRecorded.objects.get(enrollment=enrollment).email == enrollment.person.email
    assert sorted(IdentityDisagreement.objects.values_list("field", "submitted")) == [
        ("email", f"harin{n}@hanbit.ac.kr") for n in range(1, 6)
    ]
