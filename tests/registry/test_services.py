"""Services refuse bad input with a specific error and write nothing; good input is recorded with its author."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from talent.common.errors import IllegalTransition, InvalidInput, NotAllowed
from talent.registry import services
from talent.registry.models import Organization, Person
from tests import factories

D = datetime.date
RRN = "900101-1234567"


@pytest.mark.parametrize(
    "field",
    ["family_name_ko", "given_name_ko", "family_name_latin", "given_name_latin", "email"],
)
def test_a_resident_registration_number_in_any_person_field_is_refused_and_nothing_is_stored(university_staff, field):
    fields: dict[str, Any] = {"family_name_ko": "한", "given_name_ko": "결"}
    fields[field] = RRN if field != "email" else f"{RRN.replace('-', '')}@example.com"
    with pytest.raises(InvalidInput) as excinfo:
        services.person_create(actor=university_staff, **fields)
    assert "주민등록번호" in excinfo.value.as_dict()[field][0]
    assert Person.objects.count() == 0


@pytest.mark.parametrize(("field", "value"), [("orcid", "9001011234567"), ("national_researcher_number", RRN)])
def test_a_resident_registration_number_given_as_an_identifier_is_refused(university_staff, field, value):
    with pytest.raises(InvalidInput) as excinfo:
        services.person_create(actor=university_staff, family_name_ko="한", given_name_ko="결", **{field: value})
    assert field in excinfo.value.as_dict()
    assert Person.objects.count() == 0


def test_a_resident_registration_number_as_a_student_number_is_refused(university_staff, ms_programme, student):
    with pytest.raises(InvalidInput) as excinfo:
        services.enrollment_admit(
            actor=university_staff,
            person=student,
            programme=ms_programme,
            student_number="9001011234567",
            admission_date=D(2026, 3, 2),
        )
    assert "주민등록번호" in excinfo.value.as_dict()["student_number"][0]
    assert not student.enrollments.exists()


def test_the_refusal_is_explained_in_english_too(university_staff):
    with translation.override("en"), pytest.raises(InvalidInput) as excinfo:
        services.person_create(actor=university_staff, family_name_ko=RRN)
    assert "resident registration number" in str(excinfo.value)


def test_a_person_without_any_name_is_refused(university_staff):
    with pytest.raises(InvalidInput):
        services.person_create(actor=university_staff, email="noname@example.com")


def test_a_birth_date_in_the_future_is_refused(university_staff):
    with pytest.raises(InvalidInput) as excinfo:
        services.person_create(actor=university_staff, family_name_ko="한", birth_date=D(2099, 1, 1))
    assert "birth_date" in excinfo.value.as_dict()


def test_identifiers_are_normalised(university_staff):
    person = services.person_create(
        actor=university_staff,
        family_name_ko="한",
        given_name_ko="결",
        email=" Gyeol.Han@Example.AC.KR ",
        orcid="0000-0002-1694-233x",
        national_researcher_number="",
    )
    assert (person.email, person.orcid, person.national_researcher_number) == (
        "gyeol.han@example.ac.kr",
        "0000-0002-1694-233X",
        None,
    )


def test_a_company_with_a_wrong_check_digit_is_refused_and_nothing_is_stored(operator):
    with pytest.raises(InvalidInput) as excinfo:
        services.organization_create(
            actor=operator,
            kind="company",
            name_ko="오타 주식회사",
            region="KR-11",
            business_registration_number="124-81-00999",
        )
    assert "business_registration_number" in excinfo.value.as_dict()
    assert not Organization.objects.filter(name_ko="오타 주식회사").exists()


def test_a_company_is_stored_with_its_number_compacted(operator):
    company = services.organization_create(
        actor=operator,
        kind="company",
        name_ko="정상 주식회사",
        region="KR-11",
        business_registration_number="124-81-00998",
        ksic_section="C",
    )
    assert company.business_registration_number == "1248100998"


def test_an_unknown_region_is_refused(operator):
    with pytest.raises(InvalidInput) as excinfo:
        services.organization_create(actor=operator, kind="university", name_ko="가상대학교", region="KR-99")
    assert "region" in excinfo.value.as_dict()


def test_a_university_cannot_set_whether_its_programme_counts(university_staff, ms_programme):
    with pytest.raises(NotAllowed):
        services.programme_set_counting(actor=university_staff, programme=ms_programme, counts_toward_target=False)
    ms_programme.refresh_from_db()
    assert ms_programme.counts_toward_target is True


def test_the_ministry_sets_whether_a_programme_counts(ministry_analyst, ms_programme):
    services.programme_set_counting(actor=ministry_analyst, programme=ms_programme, counts_toward_target=False)
    ms_programme.refresh_from_db()
    assert ms_programme.counts_toward_target is False


def test_staff_cannot_enrol_students_at_another_university(other_university_staff, ms_programme, student):
    with pytest.raises(NotAllowed):
        services.enrollment_admit(
            actor=other_university_staff,
            person=student,
            programme=ms_programme,
            student_number="2026-0003",
            admission_date=D(2026, 3, 2),
        )
    assert not student.enrollments.exists()


def test_a_school_consortium_has_at_most_two_companies(university_staff, university):
    companies = [factories.CompanyFactory() for _ in range(3)]
    with pytest.raises(InvalidInput):
        services.graduate_school_create(
            actor=university_staff,
            consortium_companies=companies,
            university=university,
            name_ko="세 회사 대학원",
            track="designated",
            selection_year=2026,
            support_start=D(2026, 3, 1),
            support_end=D(2030, 12, 31),
            convergence_fields=["robotics"],
        )


def test_a_field_problem_goes_from_draft_to_open_to_closed(company_member, company):
    problem = services.field_problem_create(
        actor=company_member,
        organization=company,
        title="물류 창고 적재 최적화",
        description="창고 로봇의 적재 순서를 최적화하고 싶습니다.",
        ksic_section="H",
        skills_wanted=["강화학습", " 강화학습 ", "OR-Tools"],
        region="KR-28",
    )
    assert problem.status == "draft"
    assert problem.skills_wanted == ["강화학습", "OR-Tools"]
    services.field_problem_open(actor=company_member, problem=problem)
    assert problem.status == "open" and problem.opened_at is not None
    services.field_problem_close(actor=company_member, problem=problem)
    assert problem.status == "closed" and problem.closed_at is not None
    with pytest.raises(IllegalTransition):
        services.field_problem_open(actor=company_member, problem=problem)


def test_another_company_cannot_touch_a_field_problem(company, other_company):
    stranger = factories.UserFactory(username="stranger")
    factories.MembershipFactory(user=stranger, organization=other_company)
    problem = factories.FieldProblemFactory(organization=company)
    with pytest.raises(NotAllowed):
        services.field_problem_open(actor=stranger, problem=problem)
    problem.refresh_from_db()
    assert problem.status == "draft"


def test_withdrawing_consent_clears_what_is_shared(researcher):
    profile = services.expert_profile_save(
        actor=researcher,
        person=researcher.person,
        skills=["로봇 제어", "ROS2"],
        summary_ko="협동로봇 제어 전문가",
        ksic_sections=["C", "C", "M"],
        regions=["KR-41"],
        capacity=2,
    )
    assert profile.ksic_sections == ["C", "M"]
    services.expert_consent_set(
        actor=researcher, profile=profile, consent_to_matching=True, shared_fields=["name", "skills"]
    )
    assert profile.shared_fields == ["name", "skills"]
    services.expert_consent_set(actor=researcher, profile=profile, consent_to_matching=False)
    profile.refresh_from_db()
    assert (profile.consent_to_matching, profile.shared_fields) == (False, [])
    assert profile.consent_updated_at is not None


def test_a_returning_researchers_years_abroad_decide_the_return_track(researcher):
    profile = services.researcher_profile_save(
        actor=researcher,
        person=researcher.person,
        phd_field="07",
        phd_subject="로봇공학",
        phd_year=2016,
        phd_country="US",
        return_date=D(2026, 3, 1),
        return_programme="return_track",
    )
    services.overseas_position_add(
        actor=researcher,
        person=profile.person,
        country="US",
        institution="Carnegie Mellon University",
        start_date=D(2016, 9, 1),
        end_date=D(2021, 8, 31),
    )
    services.overseas_position_add(
        actor=researcher,
        person=profile.person,
        country="DE",
        institution="TU München",
        start_date=D(2021, 9, 1),
        end_date=None,
    )
    assert profile.years_abroad() == pytest.approx(9.5, abs=0.01)
    assert profile.eligible_for_return_track()


def test_an_overseas_position_in_korea_is_refused(researcher):
    profile = services.researcher_profile_save(actor=researcher, person=researcher.person, phd_field="06")
    with pytest.raises(InvalidInput):
        services.overseas_position_add(
            actor=researcher, person=profile.person, country="KR", institution="KAIST", start_date=D(2020, 1, 1)
        )


def test_unknown_fields_are_refused_rather_than_silently_ignored(university_staff):
    with pytest.raises(InvalidInput):
        services.person_create(actor=university_staff, family_name_ko="한", resident_number="x")  # type: ignore[call-arg]
