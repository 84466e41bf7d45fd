"""One human at two universities is one person, but each university reads them as it recorded them: after a merge,
after an admission linked by an ORCID iD, after a claim. Through the API, the pages, the export and a roster
re-import, 누리대학교 never reads what 한빛대학교 stored, nor the other way round; a correction by either changes
its own record and leaves the registry's Person to an operator where they differ. An operator reads the Person."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from talent.identity import services as identity
from talent.identity.models import DuplicateCandidate
from talent.registry import services
from talent.registry.models import Enrollment, IdentityDisagreement, Person, PersonAsRecorded, PersonMerge
from talent.registry.services.advisors import advisor_appoint
from talent.registry.services.merges import person_merge
from talent.registry.services.people import PersonFields
from talent.registry.vocabulary import AdvisorRole
from talent.roster import services as roster
from tests import factories
from tests.roster.conftest import HEADERS, csv_bytes

D = datetime.date
ORCID = "0000-0002-1825-0097"

#: What each office wrote of the same student.
HANBIT: PersonFields = {"family_name_ko": "이", "given_name_ko": "서연", "family_name_latin": "Lee",
                        "given_name_latin": "Seoyeon", "birth_date": D(1999, 4, 7),
                        "email": "seoyeon@hanbit.ac.kr"}  # fmt: skip
NURI: PersonFields = {"family_name_ko": "이", "given_name_ko": "서연", "family_name_latin": "Rhee",
                      "given_name_latin": "Suh-yeon", "birth_date": D(1999, 7, 4),
                      "national_researcher_number": "87654321"}  # fmt: skip


def details(base: PersonFields, **changes: object) -> PersonFields:
    return cast(PersonFields, {**base, **changes})


HANBIT_ONLY = ["seoyeon@hanbit.ac.kr", "Seoyeon", "1999-04-07", "2026-0001"]
NURI_ONLY = ["Suh-yeon", "Rhee", "1999-07-04", "87654321", "N-0001"]


@pytest.fixture
def nuri_programme(other_university):
    return factories.ProgrammeFactory(school__university=other_university, name_ko="누리 AX 석사")


@pytest.fixture
def merged(university_staff, ms_programme, other_university_staff, nuri_programme, operator):
    """Each university admitted her; an operator merged 누리's record into 한빛's (which took the researcher
    number it lacked)."""
    hanbit = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, new_person=details(HANBIT), student_number="2026-0001",
        admission_date=D(2026, 3, 2),
    )  # fmt: skip
    nuri = services.enrollment_admit(
        actor=other_university_staff, programme=nuri_programme, new_person=details(NURI), student_number="N-0001",
        admission_date=D(2026, 3, 3),
    )  # fmt: skip
    merge = person_merge(actor=operator, survivor=hanbit.person, merged=nuri.person)
    assert merge.taken == ["national_researcher_number"]
    return hanbit, nuri


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def page(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_after_a_merge_each_university_reads_its_own_record_through_the_api(
    merged, university_staff, other_university_staff
):
    hanbit, nuri = merged
    survivor = Person.objects.get(pk=hanbit.person_id)
    assert Enrollment.objects.filter(person=survivor).count() == 2  # one person, counted once

    nuri_reads = api(other_university_staff).get(f"/api/v1/enrollments/{nuri.pk}/").json()["person"]
    hanbit_reads = api(university_staff).get(f"/api/v1/enrollments/{hanbit.pk}/").json()["person"]

    assert nuri_reads["id"] == hanbit_reads["id"] == survivor.pk
    assert (nuri_reads["family_name_latin"], nuri_reads["birth_date"], nuri_reads["email"]) == (
        "Rhee",
        "1999-07-04",
        "",
    )
    assert nuri_reads["national_researcher_number"] == "87654321"
    assert (hanbit_reads["family_name_latin"], hanbit_reads["email"]) == ("Lee", "seoyeon@hanbit.ac.kr")
    assert hanbit_reads["national_researcher_number"] is None  # taken from 누리's record: 한빛 never gave it
    listed = json.dumps(api(other_university_staff).get("/api/v1/enrollments/").json(), ensure_ascii=False)
    assert not [secret for secret in HANBIT_ONLY if secret in listed]
    listed = json.dumps(api(university_staff).get("/api/v1/enrollments/").json(), ensure_ascii=False)
    assert not [secret for secret in NURI_ONLY if secret in listed]


def test_the_pages_and_the_export_agree(merged, other_university_staff, university_staff):
    hanbit, nuri = merged
    client = page(other_university_staff)
    export = reverse("web:university-enrollments-export", kwargs={"fmt": "csv"})

    detail = client.get(reverse("web:university-enrollment", args=[nuri.pk])).content.decode()
    listing = client.get(reverse("web:university-enrollments")).content.decode()
    edit = client.get(reverse("web:university-enrollment-edit", args=[nuri.pk])).content.decode()
    exported = client.get(export).content.decode("utf-8-sig")

    for shown in (detail, listing, exported):
        assert "Rhee" in shown
    for shown in (detail, listing, edit, exported):
        assert not [secret for secret in HANBIT_ONLY if secret in shown]
    hanbit_detail = page(university_staff).get(reverse("web:university-enrollment", args=[hanbit.pk]))
    assert "Seoyeon Lee" in hanbit_detail.content.decode()
    assert not [secret for secret in NURI_ONLY if secret in hanbit_detail.content.decode()]
    assert client.get(reverse("web:university-enrollment", args=[hanbit.pk])).status_code == 404


def test_an_operator_reads_the_registrys_person(merged, operator):
    hanbit, nuri = merged

    shown = api(operator).get(f"/api/v1/identity/merges/{PersonMerge.objects.get().pk}/").json()
    person = Person.objects.get(pk=hanbit.person_id)

    assert shown["taken"] == ["national_researcher_number"]
    assert (person.family_name_latin, person.email, person.national_researcher_number) == (
        "Lee", "seoyeon@hanbit.ac.kr", "87654321",
    )  # fmt: skip
    admin = page(operator).get(reverse("admin:registry_person_change", args=[person.pk])).content.decode()
    assert "87654321" in admin
    # The enrollment's page in the admin shows what its university reads, beside the registry's person.
    enrollment = page(operator).get(reverse("admin:registry_enrollment_change", args=[nuri.pk])).content.decode()
    assert "Suh-yeon" in enrollment and "Rhee" in enrollment


def test_a_correction_changes_the_universitys_own_record_and_never_writes_over_the_other(
    merged, other_university_staff, university_staff
):
    hanbit, nuri = merged

    response = api(other_university_staff).patch(
        f"/api/v1/enrollments/{nuri.pk}/",
        {"person": {"email": "suhyeon@nuri.ac.kr", "gender": "female", "given_name_latin": "Seo-yeon"}},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["person"]["email"] == "suhyeon@nuri.ac.kr"
    assert response.json()["person"]["family_name_latin"] == "Rhee"
    person = Person.objects.get(pk=hanbit.person_id)
    assert person.email == "seoyeon@hanbit.ac.kr"  # the registry's record is not written over...
    assert person.gender == "female"  # ...it takes what it lacked
    assert [(d.field, d.submitted) for d in IdentityDisagreement.objects.order_by("field")] == [
        ("email", "suhyeon@nuri.ac.kr"),
    ]  # "Seo-yeon" is "Seoyeon" with a hyphen
    hanbit_reads = api(university_staff).get(f"/api/v1/enrollments/{hanbit.pk}/").json()["person"]
    assert (hanbit_reads["email"], hanbit_reads["gender"]) == ("seoyeon@hanbit.ac.kr", "")


def test_undoing_the_merge_gives_each_university_its_person_back(merged, operator, other_university_staff):
    hanbit, nuri = merged

    identity.merge_undo(actor=operator, merge=PersonMerge.objects.get())

    nuri.refresh_from_db()
    assert nuri.person_id != hanbit.person_id
    reads = api(other_university_staff).get(f"/api/v1/enrollments/{nuri.pk}/").json()["person"]
    assert (reads["id"], reads["family_name_latin"], reads["national_researcher_number"]) == (
        nuri.person_id, "Rhee", "87654321",
    )  # fmt: skip
    assert Person.objects.get(pk=hanbit.person_id).national_researcher_number is None


def test_after_an_orcid_link_the_admitting_university_reads_only_what_it_sent(
    university_staff, ms_programme, other_university_staff, nuri_programme
):
    first = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, new_person=details(HANBIT, orcid=ORCID),
        student_number="2026-0001", admission_date=D(2026, 3, 2),
    )  # fmt: skip
    client = api(other_university_staff)
    sent = {"family_name_ko": "이", "given_name_ko": "서연", "orcid": ORCID, "national_researcher_number": "87654321"}
    admitted = client.post(
        "/api/v1/enrollments/",
        {"person": sent, "programme": nuri_programme.pk, "student_number": "N-0001", "admission_date": "2026-03-03"},
        format="json",
    ).json()

    later = client.get(f"/api/v1/enrollments/{admitted['id']}/").json()["person"]

    assert later == admitted["person"]
    assert later["id"] == first.person_id
    assert (later["family_name_latin"], later["email"], later["birth_date"]) == ("", "", None)
    text = json.dumps(client.get("/api/v1/enrollments/").json(), ensure_ascii=False)
    assert not [secret for secret in HANBIT_ONLY if secret in text]
    # 한빛 does not read the researcher number 누리 gave (the registry's Person took it: it had none).
    assert (
        api(university_staff).get(f"/api/v1/enrollments/{first.pk}/").json()["person"]["national_researcher_number"]
        is None
    )
    assert Person.objects.get().national_researcher_number == "87654321"


def test_a_roster_reimport_compares_with_the_universitys_own_record(merged, other_university_staff, other_university):
    hanbit, nuri = merged
    rows = [["N-0001", "이", "서연", "Rhee", "Suh-yeon", "1999-07-04", "", "suhyeon@nuri.ac.kr", "누리 AX 석사",
             "2026-03-03", ""]]  # fmt: skip

    preview = roster.roster_import(
        actor=other_university_staff, university=other_university, filename="명단.csv",
        content=csv_bytes(rows, headers=HEADERS), dry_run=True,
    )  # fmt: skip
    assert preview.rows[0].differences == [{"field": "email", "old": "", "new": "suhyeon@nuri.ac.kr"}]
    applied = roster.roster_import(
        actor=other_university_staff, university=other_university, filename="명단.csv",
        content=csv_bytes(rows, headers=HEADERS), dry_run=False,
    )  # fmt: skip

    assert applied.applied, applied.problems
    assert PersonAsRecorded.objects.get(enrollment=nuri).email == "suhyeon@nuri.ac.kr"
    assert Person.objects.get(pk=hanbit.person_id).email == "seoyeon@hanbit.ac.kr"
    assert IdentityDisagreement.objects.get().submitted == "suhyeon@nuri.ac.kr"
    exported = page(other_university_staff).get(reverse("web:university-enrollments-export", kwargs={"fmt": "csv"}))
    (row,) = [r for r in csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))) if r and r[0] == "N-0001"]
    assert "suhyeon@nuri.ac.kr" in row and "seoyeon@hanbit.ac.kr" not in row


def test_an_orcid_another_person_holds_is_kept_for_review_not_refused(
    university_staff, ms_programme, other_university_staff, nuri_programme
):
    """Refusing it would tell 한빛 that someone in the registry has that ORCID iD."""
    elsewhere = services.enrollment_admit(
        actor=other_university_staff, programme=nuri_programme, new_person=details(NURI, orcid=ORCID),
        student_number="N-0001", admission_date=D(2026, 3, 3),
    )  # fmt: skip
    own = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, new_person=details(HANBIT), student_number="2026-0001",
        admission_date=D(2026, 3, 2),
    )  # fmt: skip

    response = api(university_staff).patch(
        f"/api/v1/enrollments/{own.pk}/", {"person": {"orcid": ORCID, "email": "lee@hanbit.ac.kr"}}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["person"]["orcid"], response.json()["person"]["email"]) == (ORCID, "lee@hanbit.ac.kr")
    person = Person.objects.get(pk=own.person_id)
    assert (person.orcid, person.email) == (None, "lee@hanbit.ac.kr")  # its own record: the email is written
    assert IdentityDisagreement.objects.get().field == "orcid"
    identity.candidates_refresh(person_ids=[own.person_id])
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.person_a_id, candidate.person_b_id} == {own.person_id, elsewhere.person_id}
    assert candidate.evidence["shared"] == ["orcid"]


def test_a_person_only_one_university_records_is_corrected_as_before(university_staff, ms_programme):
    own = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, new_person=details(HANBIT), student_number="2026-0001",
        admission_date=D(2026, 3, 2),
    )  # fmt: skip

    api(university_staff).patch(
        f"/api/v1/enrollments/{own.pk}/", {"person": {"email": "x@hanbit.ac.kr"}}, format="json"
    )

    assert Person.objects.get().email == "x@hanbit.ac.kr"
    assert not PersonAsRecorded.objects.exists()
    assert not IdentityDisagreement.objects.exists()


def test_after_a_claim_the_university_reads_what_it_recorded_not_what_the_person_entered(
    university_staff, ms_programme
):
    from talent.accounts.services import claim_code_redeem
    from talent.registry.services.claims import claim_code_issue

    own = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, new_person=details(HANBIT, email=""),
        student_number="2026-0001", admission_date=D(2026, 3, 2),
    )  # fmt: skip
    _claim, code = claim_code_issue(actor=university_staff, enrollment=own)
    login = factories.UserFactory(username="seoyeon")
    factories.PersonFactory(user=login, family_name_ko="이", given_name_ko="서연", email="seoyeon.lee@example.org")

    claimed = claim_code_redeem(user=login, code=code)

    assert (claimed.pk, claimed.email) == (own.person_id, "seoyeon.lee@example.org")  # the person's own record
    reads = api(university_staff).get(f"/api/v1/enrollments/{own.pk}/").json()["person"]
    assert (reads["id"], reads["email"], reads["has_login"]) == (own.person_id, "", True)
    # The person's own download shows what the university keeps of them.
    mine = api(login).get("/api/v1/me/export/")
    assert mine.status_code == 200, mine.content
    (enrolled,) = json.loads(mine.content)["enrollments"]
    assert enrolled["recorded_details"]["family_name_latin"] == "Lee"
    assert enrolled["recorded_details"]["email"] == ""


def test_searching_finds_a_student_by_the_universitys_own_spelling_only(
    merged, university_staff, other_university_staff
):
    hanbit, nuri = merged

    def found(user, term):
        return [e["id"] for e in api(user).get("/api/v1/enrollments/", {"search": term}).json()["results"]]

    assert (found(other_university_staff, "Rhee"), found(other_university_staff, "Seoyeon")) == ([nuri.pk], [])
    assert (found(university_staff, "Seoyeon"), found(university_staff, "Suh-yeon")) == ([hanbit.pk], [])
    listed = page(other_university_staff).get(
        reverse("web:university-enrollments"), {"search": "Lee", "ordering": "name"}
    )
    assert "N-0001" not in listed.content.decode()


@pytest.mark.parametrize("name", ["family_name_ko", "given_name_latin", "email"])
def test_a_resident_registration_number_in_a_shared_persons_correction_is_refused_with_nothing_written(
    merged, other_university_staff, name
):
    _hanbit, nuri = merged
    value = "990214-2345678" if name != "email" else "9902142345678@nuri.ac.kr"
    before = list(PersonAsRecorded.objects.order_by("pk").values())

    response = api(other_university_staff).patch(
        f"/api/v1/enrollments/{nuri.pk}/", {"person": {name: value}}, format="json"
    )

    assert response.status_code == 400, response.content
    assert list(PersonAsRecorded.objects.order_by("pk").values()) == before
    assert not IdentityDisagreement.objects.exists()


def test_the_claim_code_list_names_the_student_as_the_issuing_university_recorded_them(
    university_staff, ms_programme, other_university_staff, nuri_programme, operator
):
    from talent.registry.services.claims import claim_code_issue

    hanbit = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, new_person=details(HANBIT), student_number="2026-0001",
        admission_date=D(2026, 3, 2),
    )  # fmt: skip
    nuri = services.enrollment_admit(
        actor=other_university_staff, programme=nuri_programme, new_person=details(NURI, given_name_ko="서현"),
        student_number="N-0001", admission_date=D(2026, 3, 3),
    )  # fmt: skip
    person_merge(actor=operator, survivor=hanbit.person, merged=nuri.person)
    nuri.refresh_from_db()
    claim_code_issue(actor=other_university_staff, enrollment=nuri)
    claim_code_issue(actor=university_staff, enrollment=hanbit)

    nuri_page = page(other_university_staff).get(reverse("web:university-claim-codes")).content.decode()
    hanbit_page = page(university_staff).get(reverse("web:university-claim-codes")).content.decode()

    assert ">이서현</th>" in nuri_page and "이서연" not in nuri_page
    assert ">이서연</th>" in hanbit_page and "이서현" not in hanbit_page


def test_the_admit_page_shows_the_linked_student_as_the_university_sent_them(
    university_staff, ms_programme, other_university_staff, nuri_programme
):
    services.enrollment_admit(
        actor=university_staff, programme=ms_programme, new_person=details(HANBIT, orcid=ORCID),
        student_number="2026-0001", admission_date=D(2026, 3, 2),
    )  # fmt: skip
    form = {
        "family_name_ko": "이", "given_name_ko": "서연", "family_name_latin": "Rhee", "given_name_latin": "Suh-yeon",
        "birth_date": "", "gender": "", "nationality": "KR", "email": "", "orcid": ORCID,
        "national_researcher_number": "", "programme": nuri_programme.pk, "student_number": "N-0001",
        "admission_date": "2026-03-03", "expected_completion": "", "completion_route": "", "advisor": "",
        "co_advisor": "",
    }  # fmt: skip

    response = page(other_university_staff).post(reverse("web:university-admit"), form, follow=True)

    shown = response.content.decode()
    assert response.status_code == 200 and "N-0001" in shown and "Suh-yeon Rhee" in shown
    assert not [secret for secret in HANBIT_ONLY if secret in shown]
    assert Person.objects.count() == 1


@pytest.fixture
def nuri_co_advisor(other_university, other_university_staff):
    """누리's company co-advisor, whom 한빛 then admits as a student (the same ORCID iD: one person)."""
    return advisor_appoint(
        actor=other_university_staff,
        university=other_university,
        role=AdvisorRole.CO_ADVISOR,
        new_person=details(NURI, orcid=ORCID),
    )


def _nuri_reads_its_co_advisor(other_university_staff) -> dict:
    (appointment,) = api(other_university_staff).get("/api/v1/advisor-appointments/").json()["results"]
    return appointment["person"]


def test_a_university_that_enrols_another_universitys_advisor_never_writes_over_the_name_that_one_shows(
    nuri_co_advisor, university_staff, ms_programme, other_university_staff
):
    own = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, new_person=details(HANBIT, orcid=ORCID),
        student_number="2026-0001", admission_date=D(2026, 3, 2),
    )  # fmt: skip
    assert own.person_id == nuri_co_advisor.person_id

    response = api(university_staff).patch(
        f"/api/v1/enrollments/{own.pk}/", {"person": {"given_name_ko": "서윤", "given_name_latin": "Seoyun"}},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.content
    assert (response.json()["person"]["given_name_ko"], response.json()["person"]["given_name_latin"]) == (
        "서윤",
        "Seoyun",
    )
    shown = _nuri_reads_its_co_advisor(other_university_staff)
    assert (shown["given_name_ko"], shown["given_name_latin"]) == ("서연", "Suh-yeon")
    assert {"given_name_ko", "given_name_latin"} <= set(IdentityDisagreement.objects.values_list("field", flat=True))


def test_a_roster_reimport_of_another_universitys_advisor_keeps_the_name_that_one_shows(
    nuri_co_advisor, university_staff, university, ms_programme, other_university_staff
):
    row = ["2026-0001", "이", "서연", "Lee", "Seoyeon", "1999-04-07", "", "seoyeon@hanbit.ac.kr", "AX 융합 석사",
           "2026-03-02", "", ORCID]  # fmt: skip
    first = roster.roster_import(
        actor=university_staff, university=university, filename="명단.csv",
        content=csv_bytes([row], headers=[*HEADERS, "ORCID"]), dry_run=False,
    )  # fmt: skip
    assert first.applied, first.problems
    renamed = [*row[:2], "서윤", *row[3:]]

    again = roster.roster_import(
        actor=university_staff, university=university, filename="명단.csv",
        content=csv_bytes([renamed], headers=[*HEADERS, "ORCID"]), dry_run=False,
    )  # fmt: skip

    assert again.applied, again.problems
    assert [n.column for n in again.rows[0].notices] == ["이름"]
    assert _nuri_reads_its_co_advisor(other_university_staff)["given_name_ko"] == "서연"
    own = Enrollment.objects.get(university=university)
    assert PersonAsRecorded.objects.get(enrollment=own).given_name_ko == "서윤"
