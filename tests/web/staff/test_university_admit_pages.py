"""Admitting a student, correcting an enrollment's details and the fast track to a doctorate, from the university
staff's pages: the same services as the API's, the same rules (another university's enrollment or person is not
found, every other role is refused, an anonymous visitor signs in first), every refusal next to its field with
nothing written and nothing typed lost."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from talent.registry import services
from talent.registry.models import AccessLog, Enrollment, EnrollmentEvent, Person
from tests import factories

OTHER_ROLES = ["company_member", "ministry_analyst", "researcher", "outsider"]
PAGES = ["admit", "admit-person", "edit", "fast-track"]


def page_url(page: str, enrollment: Enrollment) -> str:
    return {
        "admit": reverse("web:university-admit"),
        "admit-person": reverse("web:university-admit-person", kwargs={"pk": enrollment.person_id}),
        "edit": reverse("web:university-enrollment-edit", kwargs={"pk": enrollment.pk}),
        "fast-track": reverse("web:university-fast-track", kwargs={"pk": enrollment.pk}),
    }[page]


def enrolled(enrollment: Enrollment, by: Any) -> Enrollment:
    services.enrollment_transition(
        actor=by, enrollment=enrollment, status="enrolled", effective_date=datetime.date(2026, 3, 2)
    )
    return enrollment


def new_student(programme: Any, **changes: str) -> dict[str, Any]:
    return {
        "family_name_ko": "최",
        "given_name_ko": "유나",
        "family_name_latin": "Choi",
        "given_name_latin": "Yuna",
        "birth_date": "2001-04-09",
        "gender": "",
        "nationality": "KR",
        "email": "yuna.choi@example.ac.kr",
        "orcid": "",
        "national_researcher_number": "",
        "programme": programme.pk,
        "student_number": "2026-0777",
        "admission_date": "2026-09-01",
        "expected_completion": "2028-08-31",
        "completion_route": "ax_project",
        "advisor": "",
        "co_advisor": "",
        **changes,
    }


def errors(response: Any, field: str, form: str = "form") -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.context[form].errors.get(field, []))


def written() -> tuple[int, int, int]:
    return Person.objects.count(), Enrollment.objects.count(), EnrollmentEvent.objects.count()


# --- Who may use each page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(page, enrollment, ms_programme, client_for):
    before = written()
    client = client_for(None)

    seen = client.get(page_url(page, enrollment))
    posted = client.post(page_url(page, enrollment), new_student(ms_programme))

    assert (seen.status_code, posted.status_code) == (302, 302)
    assert "next=" in seen["Location"]
    assert written() == before


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_as_by_the_api(role, page, enrollment, ms_programme, client_for, request):
    client = client_for(request.getfixturevalue(role))
    before = written()

    seen = client.get(page_url(page, enrollment))
    posted = client.post(page_url(page, enrollment), new_student(ms_programme))

    assert (seen.status_code, posted.status_code) == (403, 403)
    assert written() == before


#: What each page shows the staff: the form, and the student it is about (박지훈, 2026-0001) where there is one.
SHOWS = {
    "admit": ['name="student_number"', "AX 융합 석사"],
    "admit-person": ['name="student_number"', "박지훈"],
    "edit": ['name="student_number"', "박지훈", "2026-0001"],
    "fast-track": ["박지훈", "2026-0001"],
}


@pytest.mark.parametrize("page", PAGES)
def test_the_universitys_staff_open_every_page(page, enrollment, university_staff, client_for):
    response = client_for(university_staff).get(page_url(page, enrollment))

    assert response.status_code == 200
    assert response["Content-Language"] == "ko"
    body = response.content.decode()
    assert [text for text in SHOWS[page] if text not in body] == [], f"{page} lacks these"


@pytest.mark.parametrize("page", ["admit-person", "edit", "fast-track"])
def test_another_universitys_enrollment_or_student_is_not_found(
    page, enrollment, phd_programme, other_university_staff, client_for
):
    enrolled(enrollment, enrollment.events.get().actor)
    before = written()
    client = client_for(other_university_staff)
    body = {
        **new_student(phd_programme),
        "doctoral_programme": phd_programme.pk,
        "effective_date": "2026-09-01",
    }

    seen = client.get(page_url(page, enrollment))
    posted = client.post(page_url(page, enrollment), body)

    assert (seen.status_code, posted.status_code) == (404, 404)
    assert written() == before
    enrollment.refresh_from_db()
    assert (enrollment.student_number, enrollment.status) == ("2026-0001", "enrolled")


def test_another_universitys_staff_cannot_admit_into_this_universitys_programme(
    ms_programme, other_university_staff, client_for
):
    response = client_for(other_university_staff).post(reverse("web:university-admit"), new_student(ms_programme))

    assert errors(response, "programme")
    assert not Person.objects.filter(family_name_latin="Choi").exists()
    assert ms_programme.pk not in [p.pk for p in response.context["form"].fields["programme"].queryset]


def test_a_person_with_no_relation_to_the_university_is_not_found(university_staff, researcher, client_for):
    stranger = factories.PersonFactory(family_name_ko="한", given_name_ko="낯선")
    client = client_for(university_staff)

    for person in (stranger, researcher.person):
        response = client.get(reverse("web:university-admit-person", kwargs={"pk": person.pk}))
        assert response.status_code == 404
    assert not Enrollment.objects.exists()


def test_an_admission_without_the_csrf_token_is_refused(ms_programme, university_staff, client_for):
    client = client_for(university_staff, enforce_csrf_checks=True)

    response = client.post(reverse("web:university-admit"), new_student(ms_programme))

    assert response.status_code == 403
    assert not Person.objects.exists()


# --- Links from the existing pages ------------------------------------------------------------------------------


def test_the_list_and_the_detail_link_to_the_new_pages(enrollment, university_staff, client_for):
    client = client_for(university_staff)

    listing = client.get(reverse("web:university-enrollments")).content.decode()
    admitted_only = client.get(reverse("web:university-enrollment", kwargs={"pk": enrollment.pk})).content.decode()
    enrolled(enrollment, university_staff)
    detail = client.get(reverse("web:university-enrollment", kwargs={"pk": enrollment.pk})).content.decode()

    assert f'href="{page_url("admit", enrollment)}"' in listing
    assert f'href="{page_url("edit", enrollment)}"' in detail
    assert f'href="{page_url("admit-person", enrollment)}"' in detail
    # The fast track is offered once the master's student is enrolled, not before.
    assert page_url("fast-track", enrollment) not in admitted_only
    assert f'href="{page_url("fast-track", enrollment)}"' in detail


# --- Admitting a student ------------------------------------------------------------------------------------------


def test_staff_admit_a_person_new_to_the_registry(ms_programme, university_staff, client_for):
    client = client_for(university_staff)

    response = client.post(reverse("web:university-admit"), new_student(ms_programme))

    person = Person.objects.get(family_name_latin="Choi")
    enrollment = Enrollment.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:university-enrollment", kwargs={"pk": enrollment.pk})
    assert (person.family_name_ko, person.given_name_ko, person.email) == ("최", "유나", "yuna.choi@example.ac.kr")
    assert (enrollment.programme, enrollment.university, enrollment.student_number) == (
        ms_programme,
        ms_programme.school.university,
        "2026-0777",
    )
    assert (enrollment.admission_date, enrollment.expected_completion) == (
        datetime.date(2026, 9, 1),
        datetime.date(2028, 8, 31),
    )
    event = enrollment.events.get()
    assert (event.status, event.effective_date, event.actor) == (
        "admitted",
        datetime.date(2026, 9, 1),
        university_staff,
    )
    shown = client.get(response["Location"])
    assert [str(m) for m in shown.context["messages"]]  # the confirmation


def test_staff_admit_a_student_already_in_the_registry_to_another_programme(
    enrollment, phd_programme, university_staff, client_for
):
    persons = Person.objects.count()
    body = {
        "programme": phd_programme.pk,
        "student_number": "2026-5001",
        "admission_date": "2026-09-01",
        "family_name_ko": "무시",  # a new person's details are not read for a known person
    }

    response = client_for(university_staff).post(page_url("admit-person", enrollment), body)

    assert response.status_code == 302
    doctoral = Enrollment.objects.get(student_number="2026-5001")
    assert (doctoral.person_id, doctoral.programme, doctoral.status) == (
        enrollment.person_id,
        phd_programme,
        "admitted",
    )
    assert Person.objects.count() == persons
    enrollment.person.refresh_from_db()
    assert enrollment.person.family_name_ko == "박"


def test_the_known_persons_admission_page_names_them_and_logs_the_read(enrollment, university_staff, client_for):
    response = client_for(university_staff).get(page_url("admit-person", enrollment))

    page = response.content.decode()
    assert "박지훈" in page
    assert 'name="family_name_ko"' not in page  # their details are not asked again
    assert AccessLog.objects.filter(user=university_staff, person=enrollment.person, action="person_admit").exists()


def test_a_taken_student_number_is_refused_next_to_it_and_nothing_is_kept(
    enrollment, ms_programme, university_staff, client_for
):
    before = written()

    response = client_for(university_staff).post(
        reverse("web:university-admit"), new_student(ms_programme, student_number="2026-0001")
    )

    assert "이미" in errors(response, "student_number")
    assert written() == before  # the new person is kept only with their enrollment
    page = response.content.decode()
    assert 'data-testid="error-student_number"' in page
    assert 'value="yuna.choi@example.ac.kr"' in page and 'value="2026-0001"' in page and 'value="Choi"' in page


def test_a_resident_registration_number_is_refused_next_to_the_field(ms_programme, university_staff, client_for):
    response = client_for(university_staff).post(
        reverse("web:university-admit"), new_student(ms_programme, given_name_ko="900101-1234568")
    )

    assert "주민등록번호" in errors(response, "given_name_ko", form="person_form")
    assert not Person.objects.exists() and not Enrollment.objects.exists()


def test_a_new_persons_problems_and_the_enrollments_are_shown_together(ms_programme, university_staff, client_for):
    response = client_for(university_staff).post(
        reverse("web:university-admit"),
        new_student(ms_programme, email="not-an-email", student_number="", admission_date=""),
    )

    assert errors(response, "email", form="person_form")
    assert errors(response, "student_number") and errors(response, "admission_date")
    assert not Person.objects.exists()


# --- Correcting an enrollment's details ------------------------------------------------------------------------


@pytest.fixture
def advisor(enrollment, ms_programme, university_staff):
    """A professor appointed at the university, who already advises one of its students."""
    professor = services.advisor_appoint(
        actor=university_staff,
        university=enrollment.university,
        role="advisor",
        new_person={"family_name_ko": "정", "given_name_ko": "교수"},
    ).person
    other = services.enrollment_admit(
        actor=university_staff,
        person=factories.PersonFactory(),
        programme=ms_programme,
        student_number="2026-0002",
        admission_date=datetime.date(2026, 3, 2),
    )
    services.enrollment_update(actor=university_staff, enrollment=other, advisor=professor)
    return professor


def edit_body(enrollment: Enrollment, **changes: Any) -> dict[str, Any]:
    return {
        "student_number": enrollment.student_number,
        "admission_date": enrollment.admission_date.isoformat(),
        "expected_completion": "",
        "completion_route": "",
        "advisor": "",
        "co_advisor": "",
        **changes,
    }


def test_staff_correct_an_enrollments_details(enrollment, advisor, university_staff, client_for):
    body = edit_body(
        enrollment,
        student_number="2026-0101",
        expected_completion="2028-08-31",
        completion_route="thesis",
        advisor=advisor.pk,
    )

    response = client_for(university_staff).post(page_url("edit", enrollment), body)

    assert response.status_code == 302
    assert response["Location"] == reverse("web:university-enrollment", kwargs={"pk": enrollment.pk})
    enrollment.refresh_from_db()
    assert (enrollment.student_number, enrollment.expected_completion, enrollment.completion_route) == (
        "2026-0101",
        datetime.date(2028, 8, 31),
        "thesis",
    )
    assert (enrollment.advisor, enrollment.status, enrollment.events.count()) == (advisor, "admitted", 1)


def test_the_edit_form_starts_from_the_stored_details(enrollment, university_staff, client_for):
    page = client_for(university_staff).get(page_url("edit", enrollment)).content.decode()

    assert 'value="2026-0001"' in page and 'value="2028-02-28"' in page


def test_advisors_are_picked_among_the_universitys_own(
    enrollment, advisor, other_university, other_university_staff, university_staff, client_for
):
    foreign_professor = services.advisor_appoint(
        actor=other_university_staff,
        university=other_university,
        role="advisor",
        new_person={"family_name_ko": "외", "given_name_ko": "부교수"},
    ).person
    foreign_school = factories.GraduateSchoolFactory(university=other_university)
    services.enrollment_admit(
        actor=other_university_staff,
        person=factories.PersonFactory(),
        programme=factories.ProgrammeFactory(school=foreign_school, degree_level="ms"),
        student_number="N-1",
        admission_date=datetime.date(2026, 3, 2),
        advisor=foreign_professor,
    )
    client = client_for(university_staff)

    offered = client.get(page_url("edit", enrollment)).context["form"].fields["advisor"].queryset
    refused = client.post(page_url("edit", enrollment), edit_body(enrollment, advisor=foreign_professor.pk))

    assert list(offered) == [advisor]
    assert errors(refused, "advisor")
    enrollment.refresh_from_db()
    assert enrollment.advisor is None


def test_a_taken_student_number_is_refused_next_to_it_and_nothing_changes(
    enrollment, advisor, university_staff, client_for
):
    response = client_for(university_staff).post(
        page_url("edit", enrollment),
        edit_body(enrollment, student_number="2026-0002", expected_completion="2028-08-31"),
    )

    assert "이미" in errors(response, "student_number")
    page = response.content.decode()
    assert 'value="2026-0002"' in page and 'value="2028-08-31"' in page  # what was typed
    assert "· 2026-0001</small>" in page  # the heading shows the stored number
    enrollment.refresh_from_db()
    assert (enrollment.student_number, enrollment.expected_completion) == ("2026-0001", datetime.date(2028, 2, 28))


def test_an_expected_completion_before_admission_is_refused(enrollment, university_staff, client_for):
    response = client_for(university_staff).post(
        page_url("edit", enrollment), edit_body(enrollment, expected_completion="2025-01-01")
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    enrollment.refresh_from_db()
    assert enrollment.expected_completion == datetime.date(2028, 2, 28)


# --- The fast track to a doctorate ---------------------------------------------------------------------------


def fast_track_body(programme: Any, **changes: Any) -> dict[str, Any]:
    return {
        "doctoral_programme": programme.pk,
        "student_number": "2026-9001",
        "effective_date": "2026-09-01",
        "reason": "석박사 연계 진학",
        **changes,
    }


def test_staff_fast_track_an_enrolled_masters_student(enrollment, phd_programme, university_staff, client_for):
    enrolled(enrollment, university_staff)

    response = client_for(university_staff).post(page_url("fast-track", enrollment), fast_track_body(phd_programme))

    doctoral = Enrollment.objects.get(student_number="2026-9001")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:university-enrollment", kwargs={"pk": doctoral.pk})
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.status_since, enrollment.progressed_to) == (
        "progressed",
        datetime.date(2026, 9, 1),
        doctoral,
    )
    assert (doctoral.person_id, doctoral.programme, doctoral.status) == (
        enrollment.person_id,
        phd_programme,
        "enrolled",
    )
    assert enrollment.events.order_by("-sequence").first().reason == "석박사 연계 진학"


def test_the_fast_track_is_shown_on_both_enrollments(enrollment, phd_programme, university_staff, client_for):
    enrolled(enrollment, university_staff)
    doctoral = services.enrollment_fast_track(
        actor=university_staff,
        enrollment=enrollment,
        doctoral_programme=phd_programme,
        student_number="2026-9001",
        effective_date=datetime.date(2026, 9, 1),
        reason="석박사 연계 진학",
    )

    page = client_for(university_staff).get(reverse("web:university-enrollment", kwargs={"pk": enrollment.pk}))

    assert f'href="{reverse("web:university-enrollment", kwargs={"pk": doctoral.pk})}"' in page.content.decode()


def test_an_illegal_fast_track_is_refused_and_nothing_is_written(
    enrollment, phd_programme, university_staff, client_for
):
    before = written()  # still only admitted: not yet enrolled

    response = client_for(university_staff).post(page_url("fast-track", enrollment), fast_track_body(phd_programme))

    assert response.status_code == 200
    assert "박사과정 진입" in " ".join(response.context["form"].non_field_errors())
    assert 'data-testid="form-errors"' in response.content.decode()
    assert 'data-testid="fast-track-unavailable"' in response.content.decode()
    assert written() == before
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.progressed_to) == ("admitted", None)


def test_a_taken_student_number_for_the_doctorate_is_refused_next_to_it(
    enrollment, advisor, phd_programme, university_staff, client_for
):
    enrolled(enrollment, university_staff)
    before = written()

    response = client_for(university_staff).post(
        page_url("fast-track", enrollment), fast_track_body(phd_programme, student_number="2026-0002")
    )

    assert "이미" in errors(response, "student_number")
    assert 'value="2026-0002"' in response.content.decode() and "석박사 연계 진학" in response.content.decode()
    assert written() == before
    enrollment.refresh_from_db()
    assert enrollment.status == "enrolled"  # the master's enrollment is not left progressed


def test_a_fast_track_in_the_future_is_refused_next_to_the_date(
    enrollment, phd_programme, university_staff, client_for
):
    enrolled(enrollment, university_staff)
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

    response = client_for(university_staff).post(
        page_url("fast-track", enrollment), fast_track_body(phd_programme, effective_date=future)
    )

    assert "미래 날짜" in errors(response, "effective_date")
    assert not Enrollment.objects.filter(student_number="2026-9001").exists()


def test_only_the_universitys_doctoral_programmes_are_offered(
    enrollment, ms_programme, phd_programme, other_university, university_staff, client_for
):
    enrolled(enrollment, university_staff)
    client = client_for(university_staff)

    offered = client.get(page_url("fast-track", enrollment)).context["form"].fields["doctoral_programme"].queryset
    refused = client.post(page_url("fast-track", enrollment), fast_track_body(ms_programme))

    assert list(offered) == [phd_programme]
    assert errors(refused, "doctoral_programme")
    enrollment.refresh_from_db()
    assert enrollment.status == "enrolled"
