"""The operator's admin: every record can be found, filtered and opened; every write goes through a service,
and a service's refusal is shown on the page with nothing written."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from talent.common.errors import IllegalTransition
from talent.registry import services, validators
from talent.registry.admin.base import history_url
from talent.registry.models import (
    Enrollment,
    EnrollmentEvent,
    ExpertProfile,
    FieldProblem,
    Person,
    Programme,
    ProgrammeCountingRule,
)
from talent.registry.vocabulary import EnrollmentStatus as S
from tests import factories

D = datetime.date


def url(model: str, view: str = "changelist", *args: Any) -> str:
    return reverse(f"admin:registry_{model}_{view}", args=args)


def posted_back(response) -> dict[str, Any]:
    """What an admin change page posts back when the operator saves it unchanged."""
    data: dict[str, Any] = {"_save": "1"}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
    return data


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def admitted(operator, student, ms_programme):
    """박지훈, admitted to the AX convergence master's on 2024-03-04."""
    return services.enrollment_admit(
        actor=operator,
        person=student,
        programme=ms_programme,
        student_number="2024-0107",
        admission_date=D(2024, 3, 4),
        expected_completion=D(2026, 2, 27),
    )


@pytest.fixture
def registry(operator, university_staff, company, school, ms_programme, admitted):
    """One record of every kind, in Korean."""
    researcher = services.person_create(
        actor=operator, family_name_ko="이", given_name_ko="서연", family_name_latin="Lee", given_name_latin="Seoyeon"
    )
    researcher_profile = services.researcher_profile_save(
        actor=operator,
        person=researcher,
        phd_field="06",
        phd_subject="기계학습",
        phd_year=2015,
        phd_country="US",
        return_date=D(2025, 9, 1),
        return_programme="brain_pool",
        korean_affiliation=company,
    )
    position = services.overseas_position_add(
        actor=operator,
        person=researcher_profile.person,
        country="US",
        institution="스탠퍼드 대학교",
        title="박사후연구원",
        start_date=D(2015, 9, 1),
        end_date=D(2025, 8, 31),
    )
    expert_profile = services.expert_profile_save(
        actor=operator,
        person=researcher,
        skills=["컴퓨터 비전", "PyTorch"],
        summary_ko="제조 공정의 불량 검출을 위한 비전 모델을 개발했습니다.",
        ksic_sections=["C"],
        regions=["KR-41"],
        capacity=2,
    )
    services.expert_consent_set(
        actor=operator, profile=expert_profile, consent_to_matching=True, shared_fields=["name", "skills"]
    )
    problem = services.field_problem_create(
        actor=operator,
        organization=company,
        title="용접 불량 자동 검출",
        description="생산 라인의 용접 이미지를 분석하여 불량을 실시간으로 검출하고자 합니다.",
        ksic_section="C",
        skills_wanted=["컴퓨터 비전"],
        region="KR-41",
    )
    return SimpleNamespace(
        organization=company,
        membership=university_staff.membership,
        graduateschool=school,
        programme=ms_programme,
        person=admitted.person,
        enrollment=admitted,
        enrollmentevent=admitted.events.get(),
        researcherprofile=researcher_profile,
        overseasposition=position,
        expertprofile=expert_profile,
        fieldproblem=problem,
    )


# --- Finding and opening records ------------------------------------------------------------------------

CHANGELIST_SEARCHES = [
    ("organization", "한빛", {"kind__exact": "company", "region__exact": "KR-41"}),
    ("membership", "한빛대학교", {"role__exact": "member"}),
    ("graduateschool", "인공지능혁신대학원", {"track__exact": "designated"}),
    ("programme", "석사", {"degree_level__exact": "ms", "counts_toward_target__exact": "1"}),
    ("person", "박지훈", {"nationality": "KR"}),
    ("enrollment", "박지훈", {"status__exact": "admitted"}),
    ("enrollmentevent", "박지훈", {"status__exact": "admitted"}),
    ("researcherprofile", "이서연", {"return_programme__exact": "brain_pool"}),
    ("overseasposition", "스탠퍼드", {"country": "US"}),
    ("expertprofile", "컴퓨터 비전", {"consent_to_matching__exact": "1"}),
    ("fieldproblem", "용접", {"status__exact": "draft"}),
]


@pytest.mark.parametrize(("model", "query", "filters"), CHANGELIST_SEARCHES, ids=[c[0] for c in CHANGELIST_SEARCHES])
def test_every_list_finds_a_record_by_korean_text_with_a_filter_applied(
    operator_client, registry, model, query, filters
):
    response = operator_client.get(url(model), {"q": query, **filters})

    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.query == query
    assert set(filters) <= set(changelist.get_filters_params())
    assert list(changelist.result_list) == [getattr(registry, model)]


def test_a_filter_that_matches_nothing_lists_nothing(operator_client, registry):
    response = operator_client.get(url("enrollment"), {"q": "박지훈", "status__exact": "graduated"})

    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("model", [c[0] for c in CHANGELIST_SEARCHES])
def test_every_record_opens_and_every_add_page_loads(operator_client, registry, model):
    record = getattr(registry, model)

    assert operator_client.get(url(model, "change", record.pk)).status_code == 200
    add_page = operator_client.get(url(model, "add"))
    assert add_page.status_code == (403 if model == "enrollmentevent" else 200)


@pytest.mark.parametrize("query", ["person", "PERSON", "0000-0002-1825-0097", "이준서"])
def test_a_person_is_found_by_name_email_or_orcid(operator_client, operator, query):
    person = services.person_create(
        actor=operator,
        family_name_ko="이",
        given_name_ko="준서",
        email="person@example.ac.kr",
        orcid="0000-0002-1825-0097",
    )
    services.person_create(actor=operator, family_name_ko="정", given_name_ko="하늘", email="sky@example.com")

    response = operator_client.get(url("person"), {"q": query})

    assert list(response.context["cl"].result_list) == [person]


def test_the_change_history_of_a_record_is_one_click_away(operator_client, operator, registry):
    person = registry.person
    services.person_update(actor=operator, person=person, email="jihoon.park@example.ac.kr")

    page = operator_client.get(url("person", "change", person.pk))
    assert escape(history_url(person)) in page.content.decode()

    history = operator_client.get(history_url(person))
    assert history.status_code == 200
    assert history.context["cl"].result_count == 2  # registered, then the email corrected


def test_someone_who_is_not_staff_is_sent_to_the_login_page(client, outsider):
    client.force_login(outsider)

    response = client.get(url("enrollment"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_enrollment_list_costs_the_same_queries_for_3_or_20_enrollments(
    operator_client, operator, ms_programme, django_assert_max_num_queries
):
    def admit(numbers: range) -> None:
        for n in numbers:
            services.enrollment_admit(
                actor=operator,
                person=factories.PersonFactory(family_name_ko="최", given_name_ko=f"유나{n}"),
                programme=ms_programme,
                student_number=f"2024-{n:04d}",
                admission_date=D(2024, 3, 4),
            )

    params = {"q": "최", "status__exact": "admitted"}
    admit(range(3))
    operator_client.get(url("enrollment"), params)  # warm the caches
    with CaptureQueriesContext(connection) as three_rows:
        operator_client.get(url("enrollment"), params)
    admit(range(3, 20))

    with django_assert_max_num_queries(len(three_rows)):
        response = operator_client.get(url("enrollment"), params)

    assert response.context["cl"].result_count == 20
    # session, user, the university and school filters, two counts, the page: 7 whatever the rows
    assert len(three_rows) == 7


# --- Enrollments: admitted, edited, moved on -------------------------------------------------------------


def test_an_enrollment_added_in_the_admin_is_admitted_with_exactly_one_event(
    operator_client, operator, student, ms_programme
):
    response = operator_client.post(
        url("enrollment", "add"),
        {
            "person": student.pk,
            "programme": ms_programme.pk,
            "student_number": "2024-0107",
            "admission_date": "2024-03-04",
            "expected_completion": "2026-02-27",
            "completion_route": "",
            "advisor": "",
            "co_advisor": "",
            "_save": "1",
        },
    )

    assert response.status_code == 302
    enrollment = Enrollment.objects.get(student_number="2024-0107")
    assert enrollment.status == S.ADMITTED
    assert enrollment.university == ms_programme.school.university
    assert list(enrollment.events.values_list("sequence", "status", "effective_date", "actor")) == [
        (1, "admitted", D(2024, 3, 4), operator.pk)
    ]


def test_a_student_number_taken_at_the_university_is_refused_on_the_form_and_nothing_is_written(
    operator_client, admitted, operator, ms_programme
):
    other = services.person_create(actor=operator, family_name_ko="정", given_name_ko="하늘")

    response = operator_client.post(
        url("enrollment", "add"),
        {
            "person": other.pk,
            "programme": ms_programme.pk,
            "student_number": admitted.student_number,
            "admission_date": "2024-03-04",
            "_save": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["student_number"] == ["이 학번은 이 대학에서 이미 사용 중입니다."]
    assert Enrollment.objects.count() == 1
    assert EnrollmentEvent.objects.count() == 1


def test_editing_an_enrollment_changes_its_details_but_never_its_status(operator_client, admitted):
    page = operator_client.get(url("enrollment", "change", admitted.pk))
    assert "status" not in page.context["adminform"].form.fields

    data = posted_back(page) | {"expected_completion": "2026-08-31", "status": "graduated"}
    response = operator_client.post(url("enrollment", "change", admitted.pk), data)

    assert response.status_code == 302
    admitted.refresh_from_db()
    assert admitted.expected_completion == D(2026, 8, 31)
    assert admitted.status == S.ADMITTED
    assert admitted.events.count() == 1


def test_the_enrollment_page_shows_the_status_history_and_offers_to_record_a_change(
    operator_client, admitted, operator
):
    services.enrollment_transition(
        actor=operator, enrollment=admitted, status=S.ENROLLED, effective_date=D(2024, 3, 4), reason="등록금 납부"
    )

    response = operator_client.get(url("enrollment", "change", admitted.pk))

    (history,) = response.context["inline_admin_formsets"]
    assert [form.instance.status for form in history.formset.forms] == ["admitted", "enrolled"]
    assert not history.has_add_permission and not history.has_change_permission and not history.has_delete_permission
    assert "등록금 납부" in response.content.decode()
    assert url("enrollment", "status_change", admitted.pk) in response.content.decode()


def test_the_status_change_page_offers_only_the_legal_next_statuses(operator_client, admitted):
    response = operator_client.get(url("enrollment", "status_change", admitted.pk))

    assert response.status_code == 200
    offered = [value for value, _label in response.context["form"].fields["status"].widget.choices]
    assert offered == ["", "enrolled", "withdrawn"]  # nothing pre-selected: the first choice is empty


def test_recording_a_status_change_writes_one_event_and_updates_the_status(operator_client, admitted, operator):
    response = operator_client.post(
        url("enrollment", "status_change", admitted.pk),
        {"status": "enrolled", "effective_date": "2024-03-04", "reason": "등록 완료"},
    )

    assert response.status_code == 302
    assert response.url == url("enrollment", "change", admitted.pk)
    admitted.refresh_from_db()
    assert admitted.status == S.ENROLLED
    assert admitted.status_since == D(2024, 3, 4)
    latest = admitted.events.order_by("sequence").last()
    assert (latest.sequence, latest.previous_status, latest.status, latest.reason, latest.actor) == (
        2,
        "admitted",
        "enrolled",
        "등록 완료",
        operator,
    )


def test_a_graduation_records_the_completion_route(operator_client, admitted, operator):
    for status, on in [(S.ENROLLED, D(2024, 3, 4)), (S.COURSEWORK_COMPLETE, D(2026, 2, 27))]:
        services.enrollment_transition(
            actor=operator, enrollment=admitted, status=status, effective_date=on, reason="학사 처리"
        )

    operator_client.post(
        url("enrollment", "status_change", admitted.pk),
        {"status": "graduated", "effective_date": "2026-08-21", "completion_route": "ax_project", "reason": "학위수여"},
    )

    admitted.refresh_from_db()
    assert (admitted.status, admitted.completion_route) == (S.GRADUATED, "ax_project")


def test_an_illegal_transition_shows_the_services_explanation_and_writes_nothing(operator_client, admitted):
    response = operator_client.post(
        url("enrollment", "status_change", admitted.pk),
        {"status": "graduated", "effective_date": "2024-09-02"},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [
        "An enrollment that is Admitted cannot become Graduated. Possible next: Enrolled, Withdrawn."
    ]
    admitted.refresh_from_db()
    assert admitted.status == S.ADMITTED
    assert admitted.events.count() == 1


def test_an_illegal_transition_is_explained_in_korean_by_default(operator_client, admitted, operator):
    with translation.override("ko"), pytest.raises(IllegalTransition) as refused:
        services.enrollment_transition(
            actor=operator, enrollment=admitted, status=S.GRADUATED, effective_date=D(2024, 9, 2), reason="학위수여"
        )

    response = operator_client.post(
        url("enrollment", "status_change", admitted.pk),
        {"status": "graduated", "effective_date": "2024-09-02", "reason": "학위수여"},
    )

    assert escape(str(refused.value)) in response.content.decode()
    assert admitted.events.count() == 1


def test_a_status_change_dated_beyond_the_horizon_is_refused_next_to_the_date(operator_client, admitted):
    response = operator_client.post(
        url("enrollment", "status_change", admitted.pk),
        {"status": "enrolled", "effective_date": "2099-03-02"},
        headers={"accept-language": "en"},
    )

    [message] = response.context["form"].errors["effective_date"]
    assert message.startswith("2099-03-02 is too far ahead: a date may be at most 365 days ahead")
    assert admitted.events.count() == 1


def test_a_final_status_offers_no_further_change(operator_client, admitted, operator):
    services.enrollment_transition(
        actor=operator, enrollment=admitted, status=S.WITHDRAWN, effective_date=D(2024, 3, 4), reason="입학 포기"
    )

    change_page = operator_client.get(url("enrollment", "change", admitted.pk))
    status_page = operator_client.get(url("enrollment", "status_change", admitted.pk))

    assert url("enrollment", "status_change", admitted.pk) not in change_page.content.decode()
    assert status_page.context["statuses"] == []
    assert "status_change_form" not in status_page.content.decode()


def test_enrollment_events_cannot_be_added_changed_or_deleted_in_the_admin(operator_client, admitted):
    event = admitted.events.get()

    assert operator_client.get(url("enrollmentevent", "add")).status_code == 403
    assert operator_client.post(url("enrollmentevent", "change", event.pk), {"reason": "수정"}).status_code == 403
    assert operator_client.post(url("enrollmentevent", "delete", event.pk), {"post": "yes"}).status_code == 403
    assert admitted.events.get().reason == ""


# --- Persons ---------------------------------------------------------------------------------------------


def test_a_resident_registration_number_in_a_name_is_refused_next_to_the_field(operator_client):
    response = operator_client.post(
        url("person", "add"),
        {"family_name_ko": "900101-1234567", "given_name_ko": "지훈", "nationality": "KR", "_save": "1"},
    )

    assert response.status_code == 200
    with translation.override("ko"):
        message = str(validators.RRN_MESSAGE)
    assert response.context["adminform"].form.errors["family_name_ko"] == [message]
    assert escape(message) in response.content.decode()
    assert not Person.objects.exists()


def test_a_person_added_in_the_admin_is_registered_by_the_service(operator_client):
    response = operator_client.post(
        url("person", "add"),
        {
            "family_name_ko": "정",
            "given_name_ko": "하늘",
            "nationality": "KR",
            "email": "Haneul.Jeong@Example.ac.kr",
            "orcid": "0000-0002-1694-233x",
            "_save": "1",
        },
    )

    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.email, person.orcid) == ("haneul.jeong@example.ac.kr", "0000-0002-1694-233X")


# --- Programmes, experts, researchers, field problems -------------------------------------------------------


def test_an_operator_decides_whether_a_programme_counts_toward_the_target(operator_client, ms_programme):
    page = operator_client.get(url("programme", "change", ms_programme.pk))
    assert list(page.context["adminform"].form.fields) == ["counts_toward_target", "counting_from", "counting_note"]

    data = posted_back(page)
    del data["counts_toward_target"]  # an unticked box is not posted
    response = operator_client.post(url("programme", "change", ms_programme.pk), data)

    assert response.status_code == 302
    assert Programme.objects.get(pk=ms_programme.pk).counts_toward_target is False


def test_an_operator_decides_from_a_later_date_and_the_history_shows_it(operator_client, ms_programme):
    later = timezone.localdate() + datetime.timedelta(days=30)
    page = operator_client.get(url("programme", "change", ms_programme.pk))
    data = posted_back(page)
    del data["counts_toward_target"]
    data |= {"counting_from": later.isoformat(), "counting_note": "부처 기준 변경"}
    response = operator_client.post(url("programme", "change", ms_programme.pk), data)

    assert response.status_code == 302
    assert Programme.objects.get(pk=ms_programme.pk).counts_toward_target is True  # until that date
    rule = ProgrammeCountingRule.objects.filter(programme=ms_programme).latest("id")
    assert (rule.counts, rule.effective_from, rule.note) == (False, later, "부처 기준 변경")
    history = operator_client.get(url("programme", "change", ms_programme.pk)).content.decode()
    assert later.isoformat() in history and "부처 기준 변경" in history


def test_a_counting_date_in_the_past_is_refused_beside_the_form(operator_client, ms_programme):
    page = operator_client.get(url("programme", "change", ms_programme.pk))
    data = posted_back(page)
    del data["counts_toward_target"]
    data["counting_from"] = "2020-01-02"
    response = operator_client.post(url("programme", "change", ms_programme.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Programme.objects.get(pk=ms_programme.pk).counts_toward_target is True
    assert ProgrammeCountingRule.objects.filter(programme=ms_programme).count() == 1


def test_withdrawing_consent_in_the_admin_clears_what_companies_may_see(operator_client, registry):
    profile = registry.expertprofile
    page = operator_client.get(url("expertprofile", "change", profile.pk))
    data = posted_back(page)
    del data["consent_to_matching"]

    response = operator_client.post(url("expertprofile", "change", profile.pk), data)

    assert response.status_code == 302
    profile = ExpertProfile.objects.get(pk=profile.pk)
    assert (profile.consent_to_matching, profile.shared_fields) == (False, [])
    assert profile.skills == ["컴퓨터 비전", "PyTorch"]


def test_a_returning_researcher_is_added_with_an_overseas_position(operator_client, operator, university):
    person = services.person_create(actor=operator, family_name_ko="한", given_name_ko="지민")
    form = "positions"
    response = operator_client.post(
        url("researcherprofile", "add"),
        {
            "person": person.pk,
            "phd_field": "06",
            "phd_subject": "강화학습",
            "phd_year": "2016",
            "phd_country": "DE",
            "return_date": "2026-03-02",
            "return_programme": "return_track",
            "korean_affiliation": university.pk,
            f"{form}-TOTAL_FORMS": "1",
            f"{form}-INITIAL_FORMS": "0",
            f"{form}-0-country": "DE",
            f"{form}-0-institution": "막스플랑크 연구소",
            f"{form}-0-start_date": "2016-10-01",
            f"{form}-0-end_date": "2026-02-27",
            "_save": "1",
        },
    )

    assert response.status_code == 302
    (position,) = person.researcher_profile.positions.all()
    assert (position.institution, position.country) == ("막스플랑크 연구소", "DE")


def test_the_open_action_opens_a_draft_field_problem(operator_client, registry):
    problem = registry.fieldproblem

    response = operator_client.post(
        url("fieldproblem"), {"action": "open_problems", "_selected_action": [problem.pk]}, follow=True
    )

    problem.refresh_from_db()
    assert problem.status == "open"
    assert problem.opened_at is not None
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_closing_a_closed_field_problem_is_explained_and_changes_nothing(operator_client, registry, operator):
    problem = services.field_problem_close(actor=operator, problem=registry.fieldproblem)
    closed_at = problem.closed_at

    response = operator_client.post(
        url("fieldproblem"), {"action": "close_problems", "_selected_action": [problem.pk]}, follow=True
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert FieldProblem.objects.get(pk=problem.pk).closed_at == closed_at


def test_a_field_problem_status_is_not_editable_on_its_page(operator_client, registry):
    response = operator_client.get(url("fieldproblem", "change", registry.fieldproblem.pk))

    assert "status" not in response.context["adminform"].form.fields


def test_an_organization_is_read_only_once_created_and_nothing_is_deleted(operator_client, registry):
    organization = registry.organization

    assert operator_client.post(url("organization", "change", organization.pk), {}).status_code == 403
    assert operator_client.post(url("organization", "delete", organization.pk), {"post": "yes"}).status_code == 403


def test_the_audit_trail_is_readable_but_not_writable_in_the_admin(client, operator):
    client.force_login(operator)
    for url in ("/admin/registry/accesslog/", "/admin/registry/claimcode/"):
        assert client.get(url).status_code == 200
    assert client.get("/admin/registry/accesslog/add/").status_code == 403


def test_the_operator_voids_a_mistaken_change_with_a_reason(operator_client, admitted, operator):
    mistake = services.enrollment_transition(
        actor=operator, enrollment=admitted, status=S.ENROLLED, effective_date=D(2024, 3, 4), reason="오입력"
    )
    page = operator_client.get(url("enrollment", "status_change", admitted.pk)).content.decode()
    void_url = reverse("admin:registry_enrollment_event_void", args=[admitted.pk, mistake.pk])
    assert void_url in page
    admission = admitted.events.get(sequence=1)
    assert reverse("admin:registry_enrollment_event_void", args=[admitted.pk, admission.pk]) not in page

    refused = operator_client.post(void_url, {"reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    operator_client.post(void_url, {"reason": "다른 학생으로 잘못 입력"})

    admitted.refresh_from_db()
    assert admitted.status == S.ADMITTED
    listed = operator_client.get(url("enrollmentevent")).content.decode()
    assert "다른 학생으로 잘못 입력" in listed
