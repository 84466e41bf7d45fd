"""The university staff's pages as each role meets them: the staff of the enrollment's own university work with
them; another university's staff find nothing (404); every other role is refused (403) as by the API; an
anonymous visitor is sent to sign in. Status changes, claim codes, search and filters work as the API's do."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.registry import services
from talent.registry.models import AccessLog, ClaimCode, Enrollment, EnrollmentEvent
from tests import factories

PAGES = [
    ("web:university-home", False),
    ("web:university-enrollments", False),
    ("web:university-enrollment", True),
    ("web:university-claim-codes", False),
    ("web:university-roster-import", False),
]
OTHER_ROLES = ["company_member", "ministry_analyst", "researcher", "outsider"]


def url(name: str, enrollment: Enrollment, needs_pk: bool) -> str:
    return reverse(name, kwargs={"pk": enrollment.pk}) if needs_pk else reverse(name)


def admit(programme: Any, number: str, family: str, given: str, *, on: datetime.date, by: Any) -> Enrollment:
    person = factories.PersonFactory(family_name_ko=family, given_name_ko=given)
    return services.enrollment_admit(
        actor=by, person=person, programme=programme, student_number=number, admission_date=on
    )


# --- Who may see which page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "needs_pk"), PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(name, needs_pk, enrollment, client_for):
    response = client_for(None).get(url(name, enrollment, needs_pk))

    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize(("name", "needs_pk"), PAGES)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_as_by_the_api(role, name, needs_pk, enrollment, client_for, request):
    response = client_for(request.getfixturevalue(role)).get(url(name, enrollment, needs_pk))

    assert response.status_code == 403


#: What each page shows the staff of the `enrollment` fixture's university (박지훈, 2026-0001, AX 융합 석사).
SHOWS = {
    "web:university-home": ["한빛대학교", "AX 융합 석사"],
    "web:university-enrollments": ['data-testid="enrollments"', "박지훈", "2026-0001"],
    "web:university-enrollment": ['data-testid="enrollment-facts"', "박지훈", "2026-0001", "AX 융합 석사"],
    "web:university-claim-codes": ['data-testid="claim-codes"', 'name="student_number"'],
    "web:university-roster-import": ['data-testid="upload"', 'name="file"'],
}


@pytest.mark.parametrize(("name", "needs_pk"), PAGES)
def test_the_universitys_staff_see_every_page(name, needs_pk, enrollment, university_staff, client_for):
    response = client_for(university_staff).get(url(name, enrollment, needs_pk))

    assert response.status_code == 200
    assert response["Content-Language"] == "ko"
    body = response.content.decode()
    assert [text for text in SHOWS[name] if text not in body] == [], f"{name} lacks these"


@pytest.mark.parametrize(
    "name", ["web:university-enrollment", "web:university-claim-code"], ids=["detail", "claim-code"]
)
def test_another_universitys_enrollment_is_not_found(name, enrollment, other_university_staff, client_for):
    client = client_for(other_university_staff)

    seen = client.get(reverse("web:university-enrollment", kwargs={"pk": enrollment.pk}))
    changed = client.post(
        reverse(name, kwargs={"pk": enrollment.pk}), {"status": "enrolled", "effective_date": "2026-03-02"}
    )

    assert (seen.status_code, changed.status_code) == (404, 404)
    assert list(enrollment.events.values_list("status", flat=True)) == ["admitted"]
    assert not ClaimCode.objects.exists()


def test_an_operator_sees_every_universitys_enrollment(enrollment, operator, client_for):
    response = client_for(operator).get(reverse("web:university-enrollment", kwargs={"pk": enrollment.pk}))

    assert response.status_code == 200
    body = response.content.decode()
    assert "박지훈" in body and "2026-0001" in body


def test_a_change_without_the_csrf_token_is_refused(enrollment, university_staff, client_for):
    client = client_for(university_staff, enforce_csrf_checks=True)

    response = client.post(
        reverse("web:university-enrollment", kwargs={"pk": enrollment.pk}),
        {"status": "enrolled", "effective_date": "2026-03-02"},
    )

    assert response.status_code == 403
    assert enrollment.events.count() == 1


# --- Schools and programmes -----------------------------------------------------------------------------------


def test_the_home_page_lists_the_universitys_schools_and_programmes_only(
    school, ms_programme, phd_programme, other_university, university_staff, client_for
):
    foreign = factories.GraduateSchoolFactory(university=other_university, name_ko="누리 AX 대학원")

    page = client_for(university_staff).get(reverse("web:university-home")).content.decode()

    assert school.name_ko in page
    assert "AX 융합 석사" in page and "AX 융합 박사" in page
    assert "한빛로보틱스" in page  # the consortium company
    assert foreign.name_ko not in page


# --- The enrollment list ----------------------------------------------------------------------------------------


@pytest.fixture
def students(university_staff, ms_programme, phd_programme, other_university_staff, other_university):
    on = datetime.date(2026, 3, 2)
    kim = admit(ms_programme, "2026-0101", "김", "민준", on=on, by=university_staff)
    services.enrollment_transition(actor=university_staff, enrollment=kim, status="enrolled", effective_date=on)
    lee = admit(phd_programme, "2026-0102", "이", "하은", on=on, by=university_staff)
    foreign_school = factories.GraduateSchoolFactory(university=other_university)
    foreign_programme = factories.ProgrammeFactory(school=foreign_school, degree_level="ms")
    stranger = admit(foreign_programme, "2026-0103", "김", "도윤", on=on, by=other_university_staff)
    return {"kim": kim, "lee": lee, "stranger": stranger}


def listed(response: Any) -> list[str]:
    assert response.status_code == 200
    return [e.student_number for e in response.context["page"]]


def test_the_list_shows_the_universitys_own_enrollments_and_logs_the_reads(students, university_staff, client_for):
    response = client_for(university_staff).get(reverse("web:university-enrollments"))

    assert sorted(listed(response)) == ["2026-0101", "2026-0102"]
    logged = AccessLog.objects.filter(user=university_staff, action="enrollment_list")
    assert {row.person_id for row in logged} == {students["kim"].person_id, students["lee"].person_id}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"search": "김민준"}, ["2026-0101"]),
        ({"search": "0102"}, ["2026-0102"]),
        ({"search": "김"}, ["2026-0101"]),  # never another university's 김
        ({"status": ["enrolled"]}, ["2026-0101"]),
        ({"status": ["admitted", "enrolled"]}, ["2026-0101", "2026-0102"]),
        ({"admission_date_after": "2026-03-03"}, []),
        ({"admission_date_before": "2026-03-02"}, ["2026-0101", "2026-0102"]),
    ],
)
def test_search_and_filters_narrow_the_list(query, expected, students, university_staff, client_for):
    response = client_for(university_staff).get(reverse("web:university-enrollments"), query)

    assert sorted(listed(response)) == expected


def test_the_programme_filter_offers_only_the_universitys_programmes(
    students, ms_programme, university_staff, client_for
):
    client = client_for(university_staff)
    foreign = students["stranger"].programme_id

    narrowed = client.get(reverse("web:university-enrollments"), {"programme": ms_programme.pk})
    refused = client.get(reverse("web:university-enrollments"), {"programme": foreign})

    assert listed(narrowed) == ["2026-0101"]
    assert refused.context["filter"].form.errors["programme"]  # not among the choices: shown next to the field
    assert foreign not in [choice.pk for choice in refused.context["filter"].form.fields["programme"].queryset]


def test_the_list_is_paginated_and_keeps_the_filters_in_the_page_links(ms_programme, university_staff, client_for):
    for n in range(27):
        admit(ms_programme, f"2025-{n:04d}", "정", f"서{n}", on=datetime.date(2025, 3, 3), by=university_staff)
    client = client_for(university_staff)

    first = client.get(reverse("web:university-enrollments"), {"search": "정"})
    second = client.get(reverse("web:university-enrollments"), {"search": "정", "page": 2})

    assert len(listed(first)) == 25 and len(listed(second)) == 2
    assert "?search=%EC%A0%95&amp;page=2" in first.content.decode()


def test_the_list_costs_the_same_queries_for_2_and_25_rows(
    ms_programme, university_staff, client_for, django_assert_max_num_queries
):
    client = client_for(university_staff)
    for n in range(2):
        admit(ms_programme, f"A-{n}", "한", f"결{n}", on=datetime.date(2025, 3, 3), by=university_staff)
    client.get(reverse("web:university-enrollments"))  # warm: session, user
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("web:university-enrollments"))
    for n in range(2, 25):
        admit(ms_programme, f"A-{n}", "한", f"결{n}", on=datetime.date(2025, 3, 3), by=university_staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:university-enrollments"))


# --- The enrollment detail and status changes -----------------------------------------------------------------


def detail(enrollment: Enrollment) -> str:
    return reverse("web:university-enrollment", kwargs={"pk": enrollment.pk})


def test_the_detail_shows_the_status_timeline(enrollment, university_staff, client_for):
    services.enrollment_transition(
        actor=university_staff,
        enrollment=enrollment,
        status="enrolled",
        effective_date=datetime.date(2026, 3, 2),
        reason="등록금 납부",
    )

    response = client_for(university_staff).get(detail(enrollment))

    assert [e.status for e in response.context["events"]] == ["admitted", "enrolled"]
    assert "등록금 납부" in response.content.decode()
    assert AccessLog.objects.filter(user=university_staff, action="enrollment_detail").count() == 1


def test_a_status_change_is_recorded_by_the_transition_service(enrollment, university_staff, client_for):
    client = client_for(university_staff)

    response = client.post(
        detail(enrollment), {"status": "enrolled", "effective_date": "2026-03-02", "reason": "첫 학기 등록"}
    )
    shown = client.get(response["Location"])

    assert response.status_code == 302
    event = EnrollmentEvent.objects.get(enrollment=enrollment, sequence=2)
    assert (event.status, event.reason, event.actor) == ("enrolled", "첫 학기 등록", university_staff)
    assert [str(m) for m in shown.context["messages"]]  # the confirmation
    assert shown.context["enrollment"].status == "enrolled"


def test_the_services_refusal_is_shown_next_to_the_field_in_korean_and_nothing_typed_is_lost(
    enrollment, university_staff, client_for
):
    future = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()

    response = client_for(university_staff).post(
        detail(enrollment), {"status": "enrolled", "effective_date": future, "reason": "미리 입력한 사유"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "너무 먼 날짜" in " ".join(form.errors["effective_date"])
    page = response.content.decode()
    assert 'id="id_effective_date_error"' in page and 'aria-invalid="true"' in page
    assert "미리 입력한 사유" in page and f'value="{future}"' in page
    assert enrollment.events.count() == 1


def test_only_the_legal_next_statuses_are_offered(enrollment, university_staff, client_for):
    response = client_for(university_staff).get(detail(enrollment))

    form = response.context["form"]
    assert [value for value, _ in form.fields["status"].choices] == ["", "enrolled", "withdrawn"]
    assert not form.initial  # nothing pre-selected, no date filled in


def test_an_illegal_status_is_refused_next_to_the_field(enrollment, university_staff, client_for):
    response = client_for(university_staff).post(
        detail(enrollment), {"status": "graduated", "effective_date": "2026-03-02"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert enrollment.events.count() == 1


# --- Claim codes -------------------------------------------------------------------------------------------------


def test_staff_issue_a_claim_code_from_the_detail_page_and_see_it_once(enrollment, university_staff, client_for):
    response = client_for(university_staff).post(reverse("web:university-claim-code", kwargs={"pk": enrollment.pk}))

    assert response.status_code == 200
    code = response.context["code"]
    assert code in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    claim = ClaimCode.objects.get(person=enrollment.person)
    assert claim.code_hash != code and claim.issued_by == university_staff


def test_staff_revoke_the_valid_claim_code_from_the_detail_page(enrollment, university_staff, client_for):
    client = client_for(university_staff)
    claim, _code = services.claim_code_issue(actor=university_staff, enrollment=enrollment)
    detail = reverse("web:university-enrollment", kwargs={"pk": enrollment.pk})
    revoke = reverse("web:university-claim-code-revoke", kwargs={"pk": enrollment.pk})
    assert revoke in client.get(detail).content.decode()

    response = client.post(revoke)

    assert response.status_code == 302 and response["Location"] == detail + "#claim"
    claim.refresh_from_db()
    assert claim.expires_at <= timezone.now() and claim.used_at is None
    page = client.get(detail)
    assert "폐기" in " ".join(str(m) for m in page.context["messages"])
    assert revoke not in page.content.decode()  # nothing valid is left to revoke


def test_another_universitys_staff_cannot_revoke_a_claim_code(
    enrollment, university_staff, other_university_staff, client_for
):
    claim, _code = services.claim_code_issue(actor=university_staff, enrollment=enrollment)

    response = client_for(other_university_staff).post(
        reverse("web:university-claim-code-revoke", kwargs={"pk": enrollment.pk})
    )

    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.expires_at > timezone.now()


def test_no_claim_code_for_a_student_who_already_claimed(enrollment, university_staff, client_for):
    enrollment.person.user = factories.UserFactory()
    enrollment.person.save()
    client = client_for(university_staff)

    response = client.post(reverse("web:university-claim-code", kwargs={"pk": enrollment.pk}))

    assert response.status_code == 302
    assert "이미" in " ".join(str(m) for m in client.get(response["Location"]).context["messages"])
    assert not ClaimCode.objects.exists()


def test_the_claim_code_page_issues_by_student_number_and_lists_the_universitys_codes(
    students, university_staff, other_university_staff, client_for
):
    services.claim_code_issue(actor=other_university_staff, enrollment=students["stranger"])
    client = client_for(university_staff)

    issued = client.post(reverse("web:university-claim-codes"), {"student_number": "2026-0102"})
    listed_codes = client.get(reverse("web:university-claim-codes")).context["page"]

    assert issued.status_code == 200 and issued.context["code"]
    assert [c.person_id for c in listed_codes] == [students["lee"].person_id]


@pytest.mark.parametrize("number", ["2026-0103", "없는-번호"], ids=["another-universitys", "unknown"])
def test_a_student_number_not_of_the_university_is_refused_next_to_the_field(
    number, students, university_staff, client_for
):
    response = client_for(university_staff).post(reverse("web:university-claim-codes"), {"student_number": number})

    assert response.status_code == 200
    assert response.context["form"].errors["student_number"]
    assert f'value="{number}"' in response.content.decode()
    assert not ClaimCode.objects.exists()


def test_a_resident_registration_number_in_the_reason_is_refused_next_to_it(enrollment, university_staff, client_for):
    response = client_for(university_staff).post(
        detail(enrollment), {"status": "enrolled", "effective_date": "2026-03-02", "reason": "900101-1234568 확인"}
    )

    assert response.status_code == 200
    assert "주민등록번호" in " ".join(response.context["form"].errors["reason"])
    assert enrollment.events.count() == 1
