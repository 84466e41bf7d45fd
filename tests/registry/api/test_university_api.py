"""University staff keep their own students' records through the API, and see nobody else's."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.test import APIClient

from talent.accounts.services import claim_code_redeem
from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.registry import services
from talent.registry.models import AccessLog, ClaimCode, Enrollment, Person, Programme
from talent.registry.services.catalogue_updates import graduate_school_update, programme_update
from talent.registry.services.claims import claim_code_issue
from talent.registry.services.people import PersonFields
from tests import factories

ENROLLMENTS = "/api/v1/enrollments/"


def _detail(enrollment: Enrollment) -> str:
    return f"{ENROLLMENTS}{enrollment.id}/"


def _transitions(enrollment: Enrollment) -> str:
    return f"{ENROLLMENTS}{enrollment.id}/transitions/"


APPOINTMENTS = "/api/v1/advisor-appointments/"
PROFESSOR: PersonFields = {"family_name_ko": "정", "given_name_ko": "교수"}


def _admission(world, **overrides) -> dict:
    body = {
        "person": {
            "family_name_ko": "한",
            "given_name_ko": "서준",
            "family_name_latin": "Han",
            "given_name_latin": "Seojun",
            "birth_date": "2001-04-09",
            "gender": "male",
            "nationality": "KR",
            "email": "Seojun.Han@example.ac.kr",
        },
        "programme": world.programme_a.id,
        "student_number": "A2026002",
        "admission_date": "2026-09-01",
        "expected_completion": "2028-08-31",
        "completion_route": "ax_project",
    }
    return {**body, **overrides}


def _admit(staff, programme, family: str, given: str, number: str) -> Enrollment:
    person = services.person_create(actor=staff, family_name_ko=family, given_name_ko=given)
    return services.enrollment_admit(
        actor=staff, person=person, programme=programme, student_number=number, admission_date=datetime.date(2026, 3, 2)
    )


def _enrol(enrollment: Enrollment, on: datetime.date = datetime.date(2026, 3, 2)) -> None:
    services.enrollment_transition(actor=None, enrollment=enrollment, status="enrolled", effective_date=on)


# --- Admitting students -------------------------------------------------------------------------------


def test_staff_admit_a_new_person_and_find_them_in_their_list(world, api_as):
    client = api_as("university_a")

    response = client.post(ENROLLMENTS, _admission(world), format="json")

    assert response.status_code == 201, response.data
    assert response.data["status"] == "admitted"
    assert response.data["university"] == world.university_a.id
    assert response.data["school"] == world.school_a.id
    assert response.data["person"]["email"] == "seojun.han@example.ac.kr"  # normalised by the service
    assert response.data["person"]["has_login"] is False
    enrollment = Enrollment.objects.get(pk=response.data["id"])
    assert str(enrollment.person) == "한서준"
    assert list(enrollment.events.values_list("status", flat=True)) == ["admitted"]
    listed = client.get(ENROLLMENTS).data["results"]
    assert {row["student_number"] for row in listed} == {"A2026001", "A2026002"}


def test_staff_admit_a_person_they_already_know_by_id(world, api_as):
    phd = factories.ProgrammeFactory(school=world.school_a, name_ko="가람 AX 박사", degree_level="phd")
    body = _admission(world, programme=phd.id, person_id=world.enrollment_a.person_id, student_number="A2026D01")
    del body["person"]

    response = api_as("university_a").post(ENROLLMENTS, body, format="json")

    assert response.status_code == 201, response.data
    assert response.data["person"]["id"] == world.enrollment_a.person_id
    assert Person.objects.filter(family_name_ko="서", given_name_ko="윤아").count() == 1


def test_a_person_is_given_either_by_details_or_by_id_not_both(world, api_as):
    body = _admission(world, person_id=world.enrollment_a.person_id)

    response = api_as("university_a").post(ENROLLMENTS, body, format="json")

    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert "person" in response.data["errors"]


def test_a_person_of_another_university_cannot_be_named_by_id(world, api_as):
    body = _admission(world, person_id=world.enrollment_b.person_id)
    del body["person"]

    response = api_as("university_a").post(ENROLLMENTS, body, format="json")

    assert response.status_code == 400
    assert "person_id" in response.data["errors"]


def test_a_duplicate_student_number_is_refused_with_a_field_message_and_nothing_is_written(world, api_as):
    persons, enrollments = Person.objects.count(), Enrollment.objects.count()
    client = api_as("university_a")
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")

    response = client.post(ENROLLMENTS, _admission(world, student_number=" A2026001 "), format="json")

    assert response.status_code == 400
    assert response.data["errors"] == {"student_number": ["This student number is already used at this university."]}
    assert (Person.objects.count(), Enrollment.objects.count()) == (persons, enrollments)


def test_a_correction_cannot_take_another_students_number(world, api_as):
    other = _admit(world.users["university_a"], world.programme_a, "문", "지호", "A2026003")
    client = api_as("university_a")

    taken = client.patch(_detail(other), {"student_number": "A2026001"}, format="json")
    unchanged = client.patch(_detail(other), {"student_number": "A2026003"}, format="json")

    assert taken.status_code == 400
    assert list(taken.data["errors"]) == ["student_number"]
    assert unchanged.status_code == 200


def _appoint(world, role: str = "advisor", family: str = "정", given: str = "교수") -> Person:
    university = world.programme_a.school.university
    details: PersonFields = {"family_name_ko": family, "given_name_ko": given}
    return services.advisor_appoint(actor=None, university=university, role=role, new_person=details).person


def test_an_advisor_is_one_appointed_at_the_university_in_that_role(world, api_as):
    professor = _appoint(world)
    engineer = _appoint(world, "co_advisor", family="문", given="엔지니어")
    classmate = _admit(world.users["university_a"], world.programme_a, "정", "학생", "A2026900").person
    client = api_as("university_a")
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")

    appointed = client.patch(
        _detail(world.enrollment_a), {"advisor": professor.id, "co_advisor": engineer.id}, format="json"
    )
    a_student = client.patch(_detail(world.enrollment_a), {"advisor": classmate.id}, format="json")
    wrong_role = client.patch(_detail(world.enrollment_a), {"co_advisor": professor.id}, format="json")
    foreign = client.patch(_detail(world.enrollment_a), {"co_advisor": world.enrollment_b.person_id}, format="json")

    assert appointed.status_code == 200, appointed.data
    assert (appointed.data["advisor"], appointed.data["co_advisor"]) == (professor.id, engineer.id)
    assert a_student.status_code == wrong_role.status_code == foreign.status_code == 400
    assert list(a_student.data["errors"]) == ["advisor"]
    assert list(wrong_role.data["errors"]) == list(foreign.data["errors"]) == ["co_advisor"]


def test_the_service_refuses_an_advisor_not_appointed_at_the_enrollments_university(world):
    professor = services.advisor_appoint(
        actor=None, university=world.programme_b.school.university, role="advisor", new_person=PROFESSOR
    ).person

    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        services.enrollment_update(actor=None, enrollment=world.enrollment_a, advisor=professor)

    assert refused.value.as_dict() == {"advisor": ["Name one of the university advisors appointed at this university."]}
    assert Enrollment.objects.get(pk=world.enrollment_a.pk).advisor is None


def test_staff_appoint_a_new_advisor_and_name_them(world, api_as):
    client = api_as("university_a")

    made = client.post(APPOINTMENTS, {"role": "advisor", "person": PROFESSOR}, format="json")
    listed = client.get(APPOINTMENTS)
    named = client.patch(_detail(world.enrollment_a), {"advisor": made.data["person"]["id"]}, format="json")

    assert made.status_code == 201, made.data
    assert made.data["university"] == world.programme_a.school.university_id
    assert [a["person"]["family_name_ko"] for a in listed.data["results"]] == ["정"]
    assert named.status_code == 200, named.data
    assert AccessLog.objects.filter(action="advisor_list", person_id=made.data["person"]["id"]).exists()


def test_staff_cannot_appoint_at_another_university_nor_twice(world, api_as):
    professor = _appoint(world)
    client = api_as("university_a")
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    other = world.programme_b.school.university_id

    elsewhere = client.post(APPOINTMENTS, {"role": "advisor", "person_id": professor.id, "university": other})
    twice = client.post(APPOINTMENTS, {"role": "advisor", "person_id": professor.id}, format="json")

    assert elsewhere.status_code == 400
    assert list(elsewhere.data["errors"]) == ["university"]
    assert twice.status_code == 400
    assert twice.data["errors"] == {"person": ["This person is already appointed in this role at this university."]}


def test_the_same_student_number_is_fine_at_another_university(world, api_as):
    body = _admission(world, programme=world.programme_b.id, student_number="A2026001")

    response = api_as("university_b").post(ENROLLMENTS, body, format="json")

    assert response.status_code == 201, response.data


def test_another_universitys_programme_is_a_field_error_like_a_missing_one(world, api_as):
    client = api_as("university_b")

    foreign = client.post(ENROLLMENTS, _admission(world), format="json")
    missing = client.post(ENROLLMENTS, _admission(world, programme=999_999), format="json")

    assert foreign.status_code == missing.status_code == 400
    assert list(foreign.data["errors"]) == ["programme"]
    assert foreign.data["errors"]["programme"][0].replace(str(world.programme_a.id), "?") == missing.data["errors"][
        "programme"
    ][0].replace("999999", "?")
    assert not Enrollment.objects.filter(student_number="A2026002").exists()


def test_a_resident_registration_number_in_a_name_is_refused_with_a_field_message(world, api_as):
    body = _admission(world)
    body["person"]["given_name_ko"] = "서준 010409-3123456"

    with_english = api_as("university_a")
    with_english.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = with_english.post(ENROLLMENTS, body, format="json")

    assert response.status_code == 400
    assert "resident registration number" in response.data["errors"]["person"]["given_name_ko"][0]


def test_status_university_and_programme_in_the_body_do_not_take_effect(world, api_as):
    client = api_as("university_a")
    body = _admission(world, status="graduated", university=world.university_b.id, progressed_to=world.enrollment_a.id)

    created = client.post(ENROLLMENTS, body, format="json")

    assert created.status_code == 201, created.data
    enrollment = Enrollment.objects.get(pk=created.data["id"])
    assert (enrollment.status, enrollment.university_id, enrollment.progressed_to_id) == (
        "admitted",
        world.university_a.id,
        None,
    )

    patched = client.patch(
        _detail(enrollment),
        {"status": "graduated", "university": world.university_b.id, "programme": world.programme_b.id},
        format="json",
    )

    assert patched.status_code == 200
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.university_id, enrollment.programme_id) == (
        "admitted",
        world.university_a.id,
        world.programme_a.id,
    )
    assert not enrollment.events.exclude(status="admitted").exists()


def test_staff_correct_an_enrollment_and_its_persons_details_together(world, api_as):
    response = api_as("university_a").patch(
        _detail(world.enrollment_a),
        {"expected_completion": "2028-02-29", "person": {"family_name_latin": "Seo", "given_name_latin": "Yuna"}},
        format="json",
    )

    assert response.status_code == 200, response.data
    assert response.data["expected_completion"] == "2028-02-29"
    assert response.data["person"]["given_name_latin"] == "Yuna"
    world.enrollment_a.refresh_from_db()
    assert world.enrollment_a.person.family_name_latin == "Seo"


def test_a_failed_correction_changes_neither_the_enrollment_nor_the_person(world, api_as):
    response = api_as("university_a").patch(
        _detail(world.enrollment_a),
        {"expected_completion": "2025-01-01", "person": {"email": "new-address@example.ac.kr"}},
        format="json",
    )

    assert response.status_code == 400
    world.enrollment_a.refresh_from_db()
    assert world.enrollment_a.expected_completion is None
    assert world.enrollment_a.person.email == ""


# --- Status changes and their history -----------------------------------------------------------------


def test_a_status_change_then_the_history(world, api_as):
    client = api_as("university_a")

    enrolled = client.post(
        _transitions(world.enrollment_a),
        {"status": "enrolled", "effective_date": "2026-03-02", "reason": "등록금 납부"},
        format="json",
    )
    on_leave = client.post(
        _transitions(world.enrollment_a),
        {"status": "on_leave", "effective_date": "2026-09-01", "reason": "군 복무로 인한 휴학"},
        format="json",
    )

    assert (enrolled.status_code, on_leave.status_code) == (201, 201), on_leave.data
    assert on_leave.data["previous_status"] == "enrolled"
    history = client.get(_transitions(world.enrollment_a)).data["results"]
    assert [(e["status"], e["effective_date"]) for e in history] == [
        ("admitted", "2026-03-02"),
        ("enrolled", "2026-03-02"),
        ("on_leave", "2026-09-01"),
    ]
    assert history[-1]["reason"] == "군 복무로 인한 휴학"
    assert history[-1]["recorded_by"] == "staff-a"
    detail = client.get(_detail(world.enrollment_a)).data
    assert (detail["status"], detail["status_since"]) == ("on_leave", "2026-09-01")


def test_the_history_can_be_filtered_by_status(world, api_as):
    _enrol(world.enrollment_a)

    response = api_as("university_a").get(_transitions(world.enrollment_a), {"status": "enrolled"})

    assert [e["status"] for e in response.data["results"]] == ["enrolled"]


def test_an_illegal_transition_is_a_conflict_with_a_clear_message(world, api_as):
    client = api_as("university_a")
    body = {"status": "graduated", "effective_date": "2026-09-01"}

    default = client.post(_transitions(world.enrollment_a), body, format="json")
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    english = client.post(_transitions(world.enrollment_a), body, format="json")

    assert default.status_code == english.status_code == 409
    assert default.data["code"] == english.data["code"] == "illegal_transition"
    assert default.data["detail"] and default.data["errors"]["status"]
    assert english.data["detail"] == (
        "An enrollment that is Admitted cannot become Graduated. Possible next: Enrolled, Withdrawn."
    )
    assert english.data["errors"] == {"status": [english.data["detail"]]}
    assert world.enrollment_a.events.count() == 1


def test_a_status_change_dated_beyond_the_horizon_is_refused(world, api_as, settings):
    too_far = timezone.localdate() + datetime.timedelta(days=settings.FUTURE_HORIZON_DAYS + 1)

    response = api_as("university_a").post(
        _transitions(world.enrollment_a), {"status": "enrolled", "effective_date": too_far.isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert list(response.data["errors"]) == ["effective_date"]
    assert world.enrollment_a.events.count() == 1


def test_the_fast_track_is_its_own_action_not_a_status_change(world, api_as):
    _enrol(world.enrollment_a)

    response = api_as("university_a").post(
        _transitions(world.enrollment_a), {"status": "progressed", "effective_date": "2026-09-01"}, format="json"
    )

    assert response.status_code == 400
    assert "status" in response.data["errors"]


def test_fast_track_moves_an_enrolled_masters_student_into_a_linked_doctorate(world, api_as):
    phd = factories.ProgrammeFactory(school=world.school_a, name_ko="가람 AX 박사", degree_level="phd")
    _enrol(world.enrollment_a)

    response = api_as("university_a").post(
        f"{_detail(world.enrollment_a)}fast-track/",
        {
            "doctoral_programme": phd.id,
            "student_number": "A2026P01",
            "effective_date": "2026-09-01",
            "reason": "조기 진학",
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    assert (response.data["programme"], response.data["status"]) == (phd.id, "enrolled")
    assert response.data["person"]["id"] == world.enrollment_a.person_id
    world.enrollment_a.refresh_from_db()
    assert (world.enrollment_a.status, world.enrollment_a.progressed_to_id) == ("progressed", response.data["id"])


def test_fast_track_stays_at_the_same_university(world, api_as):
    _enrol(world.enrollment_a)
    phd_b = factories.ProgrammeFactory(school=world.school_b, name_ko="나래 AX 박사", degree_level="phd")

    response = api_as("university_a").post(
        f"{_detail(world.enrollment_a)}fast-track/",
        {"doctoral_programme": phd_b.id, "student_number": "A2026P01", "effective_date": "2026-09-01"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.data["errors"]) == ["doctoral_programme"]
    world.enrollment_a.refresh_from_db()
    assert world.enrollment_a.status == "enrolled"


# --- Another university's students -------------------------------------------------------------------


def test_staff_of_another_university_can_neither_see_nor_touch_an_enrollment(world, api_as):
    client = api_as("university_b")
    detail = _detail(world.enrollment_a)
    attempts = [
        client.get(detail),
        client.patch(detail, {"student_number": "B9999"}, format="json"),
        client.get(_transitions(world.enrollment_a)),
        client.post(_transitions(world.enrollment_a), {"status": "enrolled", "effective_date": "2026-03-02"}),
        client.post(_transitions(world.enrollment_a), {"status": "no-such-status"}),
        client.post(f"{detail}claim-code/"),
        client.post(f"{detail}fast-track/", {}, format="json"),
    ]

    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert all(r.data["code"] == "not_found" for r in attempts)
    listed = client.get(ENROLLMENTS).data["results"]
    assert [row["id"] for row in listed] == [world.enrollment_b.id]
    world.enrollment_a.refresh_from_db()
    assert (world.enrollment_a.student_number, world.enrollment_a.status) == ("A2026001", "admitted")
    assert not ClaimCode.objects.exists()
    assert not AccessLog.objects.filter(person_id=world.enrollment_a.person_id).exists()


def test_the_ministry_reads_the_catalogue_but_no_enrollments(world, api_as):
    client = api_as("ministry")

    assert client.get("/api/v1/programmes/").status_code == 200
    assert client.get(ENROLLMENTS).status_code == 403
    assert client.get(_detail(world.enrollment_a)).status_code == 403


# --- Claim codes --------------------------------------------------------------------------------------

CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_staff_issue_a_claim_code_shown_once_and_stored_only_as_a_hash(world, api_as):
    response = api_as("university_a").post(f"{_detail(world.enrollment_a)}claim-code/")

    assert response.status_code == 201, response.data
    code = response.data["code"]
    assert CODE_SHAPE.match(code)
    assert response.data["person"] == world.enrollment_a.person_id
    assert "no-store" in response["Cache-Control"]
    claim = ClaimCode.objects.get()
    assert claim.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert claim.issued_by == world.users["university_a"]
    assert claim.issued_by_organization == world.university_a
    assert datetime.timedelta(days=13) < claim.expires_at - timezone.now() <= datetime.timedelta(days=14)


def test_a_student_redeems_a_claim_code_once(world):
    claim, code = claim_code_issue(actor=world.users["university_a"], enrollment=world.enrollment_a)
    student = factories.UserFactory(username="yuna")

    person = claim_code_redeem(user=student, code=code.lower().replace("-", " "))

    assert person == world.enrollment_a.person
    person.refresh_from_db()
    claim.refresh_from_db()
    assert person.user == student
    assert claim.used_at is not None
    with translation.override("en"), pytest.raises(InvalidInput, match="already been used"):
        claim_code_redeem(user=factories.UserFactory(username="someone-else"), code=code)


def test_an_expired_claim_code_is_refused(world):
    claim, code = claim_code_issue(actor=world.users["university_a"], enrollment=world.enrollment_a)
    fifteen_days_ago = timezone.now() - datetime.timedelta(days=15)
    ClaimCode.objects.filter(pk=claim.pk).update(
        created_at=fifteen_days_ago, expires_at=fifteen_days_ago + datetime.timedelta(days=14)
    )

    with translation.override("en"), pytest.raises(InvalidInput, match="expired") as refused:
        claim_code_redeem(user=factories.UserFactory(username="yuna"), code=code)

    assert refused.value.field == "code"
    assert world.enrollment_a.person.user is None


def test_a_wrong_claim_code_is_refused(world):
    claim_code_issue(actor=world.users["university_a"], enrollment=world.enrollment_a)

    with translation.override("en"), pytest.raises(InvalidInput, match="not valid"):
        claim_code_redeem(user=factories.UserFactory(username="yuna"), code="0000-0000-0000")


def test_a_login_whose_record_a_university_keeps_cannot_claim_another(world):
    _, first = claim_code_issue(actor=world.users["university_b"], enrollment=world.enrollment_b)
    student = factories.UserFactory(username="hajun")
    claim_code_redeem(user=student, code=first)
    _, code = claim_code_issue(actor=world.users["university_a"], enrollment=world.enrollment_a)

    with pytest.raises(Conflict):
        claim_code_redeem(user=student, code=code)

    assert ClaimCode.objects.get(person=world.enrollment_a.person).used_at is None
    assert Person.objects.get(pk=world.enrollment_b.person_id).user_id == student.pk


def test_a_researchers_self_made_record_is_absorbed_by_the_claim(world):
    _, code = claim_code_issue(actor=world.users["university_a"], enrollment=world.enrollment_a)
    own = world.researcher_person

    person = claim_code_redeem(user=world.users["researcher"], code=code)

    assert person.pk == world.enrollment_a.person_id
    assert Person.objects.get(pk=own.pk).merged_into_id == world.enrollment_a.person_id  # kept so it can be undone
    assert Person.objects.get(user=world.users["researcher"]).pk == world.enrollment_a.person_id


def test_a_new_claim_code_replaces_the_unused_one(world):
    _, first = claim_code_issue(actor=world.users["university_a"], enrollment=world.enrollment_a)
    _, second = claim_code_issue(actor=world.users["university_a"], enrollment=world.enrollment_a)

    with translation.override("en"), pytest.raises(InvalidInput, match="expired"):
        claim_code_redeem(user=factories.UserFactory(username="yuna"), code=first)
    assert claim_code_redeem(user=factories.UserFactory(username="yuna2"), code=second) == world.enrollment_a.person


def test_no_claim_code_for_a_record_already_claimed_or_another_universitys_student(world, api_as):
    _, code = claim_code_issue(actor=world.users["university_a"], enrollment=world.enrollment_a)
    claim_code_redeem(user=factories.UserFactory(username="yuna"), code=code)

    again = api_as("university_a").post(f"{_detail(world.enrollment_a)}claim-code/")

    assert again.status_code == 409
    assert again.data["code"] == "already_claimed"
    with pytest.raises(NotAllowed):
        claim_code_issue(actor=world.users["university_b"], enrollment=world.enrollment_a)


# --- The access log -----------------------------------------------------------------------------------


def test_staff_reads_of_students_are_written_to_the_access_log(world, api_as):
    second = _admit(world.users["university_a"], world.programme_a, "문", "지호", "A2026003")
    client = api_as("university_a")

    client.get(ENROLLMENTS)
    client.get(_detail(world.enrollment_a), REMOTE_ADDR="203.0.113.7")
    client.get(_transitions(second))

    rows = list(AccessLog.objects.order_by("id").values_list("action", "person_id", "user__username"))
    assert sorted(rows[:2]) == sorted(
        [
            ("enrollment_list", world.enrollment_a.person_id, "staff-a"),
            ("enrollment_list", second.person_id, "staff-a"),
        ]
    )
    assert rows[2:] == [
        ("enrollment_detail", world.enrollment_a.person_id, "staff-a"),
        ("enrollment_history", second.person_id, "staff-a"),
    ]
    detail_row = AccessLog.objects.get(action="enrollment_detail")
    assert (detail_row.path, detail_row.ip_address) == (_detail(world.enrollment_a), "203.0.113.7")


def test_operators_reads_are_logged_too(world, api_as):
    api_as("operator").get(_detail(world.enrollment_b))

    assert list(AccessLog.objects.values_list("action", "person_id")) == [
        ("enrollment_detail", world.enrollment_b.person_id)
    ]


def test_writes_refusals_and_the_catalogue_are_not_logged_as_reads(world, api_as):
    staff = api_as("university_a")
    staff.post(ENROLLMENTS, _admission(world), format="json")
    staff.patch(_detail(world.enrollment_a), {"expected_completion": "2028-02-29"}, format="json")
    staff.post(_transitions(world.enrollment_a), {"status": "enrolled", "effective_date": "2026-03-02"})
    staff.post(f"{_detail(world.enrollment_a)}claim-code/")
    staff.get("/api/v1/graduate-schools/")
    staff.get("/api/v1/programmes/")
    api_as("university_b").get(_detail(world.enrollment_a))
    api_as("ministry").get(ENROLLMENTS)
    api_as("researcher").get(ENROLLMENTS)

    assert not AccessLog.objects.exists()


# --- Lists: query counts, filters, ordering, pages ----------------------------------------------------


def _queries(user, url: str) -> tuple[int, dict]:
    """Queries for one request by a freshly loaded user (nothing cached from an earlier request)."""
    client = APIClient()
    client.force_authenticate(user=get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.data
    return len(captured.captured_queries), response.data


def _assert_same_queries_for_2_and_50_rows(django_assert_num_queries, user, url, add_rows, pinned: int) -> None:
    count_for_2, data = _queries(user, url)
    assert data["count"] == 2
    add_rows(48)
    client = APIClient()
    client.force_authenticate(user=get_user_model().objects.get(pk=user.pk))
    with django_assert_num_queries(count_for_2):
        data = client.get(url).data
    assert data["count"] == len(data["results"]) == 50
    assert count_for_2 == pinned, f"{url}: {count_for_2} queries"


def test_the_enrollment_list_costs_the_same_queries_for_2_and_50_students(world, django_assert_num_queries):
    staff = world.users["university_a"]
    advisor = services.advisor_appoint(
        actor=staff, university=world.programme_a.school.university, role="advisor", new_person=PROFESSOR
    ).person

    def add(n: int, start: int = 100) -> None:
        for i in range(start, start + n):
            enrollment = _admit(staff, world.programme_a, "김", f"학생{i}", f"A2026{i:03d}")
            services.enrollment_update(actor=staff, enrollment=enrollment, advisor=advisor)

    add(1, start=2)
    # membership, organization, count, page, the reader's own person (for the log), log insert
    _assert_same_queries_for_2_and_50_rows(
        django_assert_num_queries, staff, f"{ENROLLMENTS}?page_size=100", add, pinned=6
    )


def test_the_status_history_costs_the_same_queries_for_2_and_50_changes(world, django_assert_num_queries):
    staff = world.users["university_a"]

    def add(n: int) -> None:
        for i in range(n):
            on = datetime.date(2026, 3, 3) + datetime.timedelta(days=i)
            status = "enrolled" if i % 2 else "on_leave"
            services.enrollment_transition(
                actor=staff, enrollment=world.enrollment_a, status=status, effective_date=on, reason="학사 처리"
            )

    _enrol(world.enrollment_a)
    # membership, organization, the enrollment, count, page, the reader's own person, log insert
    _assert_same_queries_for_2_and_50_rows(
        django_assert_num_queries, staff, f"{_transitions(world.enrollment_a)}?page_size=100", add, pinned=7
    )


def test_the_programme_list_costs_the_same_queries_for_2_and_50_programmes(world, django_assert_num_queries):
    staff = world.users["university_a"]

    def add(n: int) -> None:
        school = factories.GraduateSchoolFactory(university=world.university_a, name_ko="가람 제2 AX 대학원")
        factories.ProgrammeFactory.create_batch(n, school=school)

    factories.ProgrammeFactory(school=world.school_a, name_ko="가람 AX 박사", degree_level="phd")
    # membership, organization, count, page (schools and universities joined)
    _assert_same_queries_for_2_and_50_rows(
        django_assert_num_queries, staff, "/api/v1/programmes/?page_size=100", add, pinned=4
    )


def test_the_school_list_costs_the_same_queries_for_2_and_50_schools(world, django_assert_num_queries):
    staff = world.users["university_a"]

    def add(n: int) -> None:
        for school in factories.GraduateSchoolFactory.create_batch(n, university=world.university_a):
            school.consortium_companies.set([world.company, world.other_company])

    add(1)
    # membership, organization, count, page, consortium companies (one prefetch)
    _assert_same_queries_for_2_and_50_rows(
        django_assert_num_queries, staff, "/api/v1/graduate-schools/?page_size=100", add, pinned=5
    )


def test_the_organization_list_costs_the_same_queries_for_2_and_50_organizations(world, django_assert_num_queries):
    staff = world.users["university_a"]
    url = "/api/v1/organizations/?kind=university&page_size=100"
    _assert_same_queries_for_2_and_50_rows(
        django_assert_num_queries,
        staff,
        url,
        lambda n: factories.UniversityFactory.create_batch(n),
        pinned=2,  # count, page: organizations are public to every signed-in user
    )


def test_enrollments_filter_by_status_programme_school_dates_and_search(world, api_as):
    staff = world.users["university_a"]
    school = factories.GraduateSchoolFactory(university=world.university_a, name_ko="가람 제2 AX 대학원")
    other_programme = factories.ProgrammeFactory(school=school, name_ko="가람 AX 융합 석사")
    autumn = services.enrollment_admit(
        actor=staff,
        person=services.person_create(
            actor=staff, family_name_ko="문", given_name_ko="지호", family_name_latin="Moon", given_name_latin="Jiho"
        ),
        programme=other_programme,
        student_number="A2026901",
        admission_date=datetime.date(2026, 9, 1),
    )
    _enrol(world.enrollment_a)
    client = api_as("university_a")

    def ids(**params) -> list[int]:
        response = client.get(ENROLLMENTS, params)
        assert response.status_code == 200, response.data
        return [row["id"] for row in response.data["results"]]

    a, b = world.enrollment_a.id, autumn.id
    assert ids(status="enrolled") == [a]
    assert sorted(ids(status=["enrolled", "admitted"])) == sorted([a, b])
    assert ids(programme=other_programme.id) == [b]
    assert ids(school=world.school_a.id) == [a]
    assert ids(admission_date_after="2026-06-01") == [b]
    assert ids(admission_date_before="2026-06-01") == [a]
    assert ids(search="서윤아") == [a]
    assert ids(search="jiho moon") == [b]
    assert ids(search="A2026901") == [b]
    assert ids(programme=world.programme_b.id) == []  # another university's programme matches nothing
    assert ids(ordering="student_number") == [a, b]
    assert ids(ordering="-student_number") == [b, a]
    assert ids() == [b, a]  # newest admissions first
    assert client.get(ENROLLMENTS, {"status": "graduatedd"}).status_code == 400


def test_catalogue_lists_filter_and_order(world, api_as):
    factories.ProgrammeFactory(school=world.school_a, name_ko="가람 AX 박사", degree_level="phd")
    client = api_as("ministry")

    def names(url: str, **params) -> list[str]:
        response = client.get(url, params)
        assert response.status_code == 200, response.data
        return [row["name_ko"] for row in response.data["results"]]

    assert names("/api/v1/programmes/", degree_level="phd") == ["가람 AX 박사"]
    assert names("/api/v1/programmes/", university=world.university_b.id) == ["나래 AX 석사"]
    assert names("/api/v1/programmes/", ordering="-name_ko") == ["나래 AX 석사", "가람 AX 석사", "가람 AX 박사"]
    assert names("/api/v1/graduate-schools/", convergence_field="robotics", ordering="-name_ko") == [
        "나래 AX 대학원",
        "가람 AX 대학원",
    ]
    assert names("/api/v1/graduate-schools/", convergence_field="finance") == []
    assert names("/api/v1/organizations/", kind="company") == ["다온모빌리티", "라온바이오"]


def test_a_page_holds_at_most_100_rows(world, api_as):
    factories.ProgrammeFactory.create_batch(120, school=world.school_a)

    response = api_as("university_a").get("/api/v1/programmes/", {"page_size": 1000})

    assert response.data["count"] == 121
    assert len(response.data["results"]) == 100
    assert response.data["next"]


# --- Schools and programmes ---------------------------------------------------------------------------


def test_staff_create_a_school_in_their_own_university_whatever_the_body_says(world, api_as):
    response = api_as("university_b").post(
        "/api/v1/graduate-schools/",
        {
            "university": world.university_a.id,
            "name_ko": "나래 제2 AX 대학원",
            "track": "designated",
            "selection_year": 2026,
            "support_start": "2026-03-01",
            "support_end": "2030-12-31",
            "convergence_fields": ["semiconductors"],
            "consortium_companies": [world.other_company.id],
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    assert response.data["university"] == world.university_b.id
    assert response.data["consortium_companies"] == [world.other_company.id]


def test_operators_name_the_university_of_a_new_school(world, api_as):
    response = api_as("operator").post(
        "/api/v1/graduate-schools/",
        {
            "name_ko": "다솜 AX 대학원",
            "track": "open",
            "selection_year": 2026,
            "support_start": "2026-03-01",
            "support_end": "2030-12-31",
            "convergence_fields": ["energy"],
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.data["errors"]) == ["university"]


def test_a_school_picks_at_most_two_convergence_fields(world, api_as):
    response = api_as("university_a").patch(
        f"/api/v1/graduate-schools/{world.school_a.id}/",
        {"convergence_fields": ["robotics", "energy", "finance"]},
        format="json",
    )

    assert response.status_code == 400
    world.school_a.refresh_from_db()
    assert world.school_a.convergence_fields == ["robotics", "manufacturing"]


def test_staff_rename_a_school_and_replace_its_consortium(world, api_as):
    response = api_as("university_a").patch(
        f"/api/v1/graduate-schools/{world.school_a.id}/",
        {"name_en": "Garam AX School", "consortium_companies": [world.other_company.id], "university": 1},
        format="json",
    )

    assert response.status_code == 200, response.data
    world.school_a.refresh_from_db()
    assert world.school_a.name_en == "Garam AX School"
    assert world.school_a.university == world.university_a
    assert list(world.school_a.consortium_companies.all()) == [world.other_company]


def test_staff_create_a_programme_only_in_their_own_schools(world, api_as):
    body = {
        "name_ko": "AX 융합 박사",
        "degree_level": "phd",
        "normal_duration_months": 48,
        "counts_toward_target": True,
    }

    own = api_as("university_a").post("/api/v1/programmes/", {**body, "school": world.school_a.id}, format="json")
    foreign = api_as("university_a").post("/api/v1/programmes/", {**body, "school": world.school_b.id}, format="json")

    assert own.status_code == 201, own.data
    assert own.data["counts_toward_target"] is False  # the ministry's decision, not the university's
    assert foreign.status_code == 400
    assert list(foreign.data["errors"]) == ["school"]


def test_only_the_ministry_decides_whether_a_programme_counts(world, api_as):
    url = f"/api/v1/programmes/{world.programme_a.id}/"

    by_staff = api_as("university_a").patch(url, {"counts_toward_target": False}, format="json")
    assert by_staff.status_code == 200
    assert Programme.objects.get(pk=world.programme_a.id).counts_toward_target is True

    by_ministry = api_as("ministry").patch(url, {"counts_toward_target": False}, format="json")
    assert by_ministry.status_code == 200
    assert Programme.objects.get(pk=world.programme_a.id).counts_toward_target is False

    renaming = api_as("ministry").patch(url, {"name_ko": "바뀐 이름", "counts_toward_target": True}, format="json")
    assert renaming.status_code == 403
    programme = Programme.objects.get(pk=world.programme_a.id)
    assert (programme.name_ko, programme.counts_toward_target) == ("가람 AX 석사", False)


def test_catalogue_update_services_check_the_university(world):
    with pytest.raises(NotAllowed):
        programme_update(actor=world.users["university_b"], programme=world.programme_a, name_en="X")
    with pytest.raises(NotAllowed):
        graduate_school_update(actor=world.users["university_b"], school=world.school_a, name_en="X")
    with pytest.raises(NotAllowed):
        programme_update(actor=world.users["university_a"], programme=world.programme_a, counts_toward_target=False)


# --- The OpenAPI schema -------------------------------------------------------------------------------


def test_every_route_is_documented_with_its_errors(world, api_as):
    schema = api_as("university_a").get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    error = {"$ref": "#/components/schemas/Error"}

    def responses(path: str, method: str) -> dict:
        return paths[path][method]["responses"]

    conflict = responses("/api/v1/enrollments/{id}/transitions/", "post")["409"]
    assert conflict["content"]["application/json"]["schema"] == error
    assert {"400", "401", "403", "409"} <= set(responses("/api/v1/enrollments/", "post"))
    assert {"401", "403", "404"} <= set(responses("/api/v1/enrollments/{id}/", "get"))
    assert {"404", "409"} <= set(responses("/api/v1/enrollments/{id}/claim-code/", "post"))
    assert {"400", "404", "409"} <= set(responses("/api/v1/enrollments/{id}/fast-track/", "post"))
    assert {"400", "403", "404"} <= set(responses("/api/v1/programmes/{id}/", "patch"))
    assert {"401", "403"} <= set(responses("/api/v1/graduate-schools/", "get"))
    assert "put" not in paths["/api/v1/enrollments/{id}/"]
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "code", "errors"}


# --- Scheduled changes and corrections (issue 15) -----------------------------------------------------


def test_a_change_scheduled_ahead_is_listed_as_scheduled_and_cancelled_with_a_reason(world, api_as):
    client = api_as("university_a")
    _enrol(world.enrollment_a)
    ahead = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()

    scheduled = client.post(
        _transitions(world.enrollment_a), {"status": "on_leave", "effective_date": ahead, "reason": "휴학 승인"}
    )
    assert scheduled.status_code == 201, scheduled.data
    assert scheduled.data["scheduled"] is True and scheduled.data["voided"] is None
    detail = client.get(_detail(world.enrollment_a)).data
    assert (detail["status"], detail["next_change_on"]) == ("enrolled", ahead)

    refused = client.post(f"{_transitions(world.enrollment_a)}{scheduled.data['id']}/void/", {"reason": ""})
    assert refused.status_code == 400 and list(refused.data["errors"]) == ["reason"]
    cancelled = client.post(f"{_transitions(world.enrollment_a)}{scheduled.data['id']}/void/", {"reason": "철회"})
    assert cancelled.status_code == 201, cancelled.data
    assert cancelled.data["reason"] == "철회" and cancelled.data["recorded_by"] == "staff-a"

    history = client.get(_transitions(world.enrollment_a)).data["results"]
    assert [(e["status"], e["voided"] and e["voided"]["reason"]) for e in history] == [
        ("admitted", None),
        ("enrolled", None),
        ("on_leave", "철회"),
    ]
    assert client.get(_detail(world.enrollment_a)).data["next_change_on"] is None


def test_voiding_the_admission_or_a_voided_change_is_refused_with_the_reason_why(world, api_as):
    client = api_as("university_a")
    admission = world.enrollment_a.events.get()
    refused = client.post(
        f"{_transitions(world.enrollment_a)}{admission.id}/void/", {"reason": "실수"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 409
    assert refused.data["detail"].startswith("The admission cannot be voided.")

    _enrol(world.enrollment_a)
    enrolled = world.enrollment_a.events.get(sequence=2)
    assert client.post(f"{_transitions(world.enrollment_a)}{enrolled.id}/void/", {"reason": "실수"}).status_code == 201
    twice = client.post(f"{_transitions(world.enrollment_a)}{enrolled.id}/void/", {"reason": "실수"})
    assert (twice.status_code, twice.data["code"]) == (409, "already_voided")
    other = client.post(f"{_transitions(world.enrollment_b)}{enrolled.id}/void/", {"reason": "실수"})
    assert other.status_code == 404
    assert world.enrollment_a.events.filter(void__isnull=False).count() == 1


def test_staff_admit_for_next_march_and_void_a_mistaken_coursework_completion_in_both_languages(world, api_as):
    client = api_as("university_a")
    march = datetime.date(timezone.localdate().year + 1, 3, 2)

    admitted = client.post(ENROLLMENTS, _admission(world, admission_date=march.isoformat()), format="json")
    assert admitted.status_code == 201, admitted.data
    assert (admitted.data["status"], admitted.data["admission_date"]) == ("admitted", march.isoformat())

    _enrol(world.enrollment_a)
    finished = client.post(
        _transitions(world.enrollment_a),
        {"status": "coursework_complete", "effective_date": timezone.localdate().isoformat(), "reason": "일괄 처리"},
    )
    assert finished.status_code == 201, finished.data
    voided = client.post(
        f"{_transitions(world.enrollment_a)}{finished.data['id']}/void/", {"reason": "다른 학생으로 잘못 입력"}
    )
    assert voided.status_code == 201, voided.data
    assert client.get(_detail(world.enrollment_a)).data["status"] == "enrolled"
    for language, words in (("ko", "이미"), ("en", "already")):
        twice = client.post(
            f"{_transitions(world.enrollment_a)}{finished.data['id']}/void/",
            {"reason": "실수"},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert twice.status_code == 409 and words in twice.data["detail"], twice.data
    assert world.enrollment_a.events.filter(void__isnull=False).count() == 1
