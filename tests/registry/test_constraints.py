"""The database itself refuses what the rules forbid, and services turn that into a clear error."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from talent.common.errors import Conflict, DomainError, InvalidInput
from talent.registry import services
from talent.registry.models import (
    Enrollment,
    EnrollmentEvent,
    ExpertProfile,
    GraduateSchool,
    Organization,
    OverseasPosition,
    Person,
    ResearcherProfile,
)
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


def refused_by_database(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_the_database_refuses_a_duplicate_student_number_at_one_university(enrollment, ms_programme):
    refused_by_database(
        lambda: Enrollment.objects.create(
            person=factories.PersonFactory(),
            programme=ms_programme,
            university=enrollment.university,
            student_number=enrollment.student_number,
            admission_date=D(2026, 3, 2),
        )
    )


def test_the_same_student_number_may_exist_at_another_university(enrollment, other_university, university_staff):
    other_programme = factories.ProgrammeFactory(school=factories.GraduateSchoolFactory(university=other_university))
    Enrollment.objects.create(
        person=factories.PersonFactory(),
        programme=other_programme,
        university=other_university,
        student_number=enrollment.student_number,
        admission_date=D(2026, 3, 2),
    )


def test_a_duplicate_student_number_gets_a_clear_error_and_nothing_is_written(
    enrollment, university_staff, ms_programme
):
    person = factories.PersonFactory()
    with pytest.raises(DomainError) as excinfo:
        services.enrollment_admit(
            actor=university_staff,
            person=person,
            programme=ms_programme,
            student_number="2026-0001",
            admission_date=D(2026, 3, 2),
        )
    assert excinfo.value.as_dict() == {"student_number": ["이 학번은 이 대학에서 이미 사용 중입니다."]}
    assert not Enrollment.objects.filter(person=person).exists()


def test_the_database_refuses_a_second_active_enrollment_in_the_same_programme(enrollment, ms_programme):
    refused_by_database(
        lambda: Enrollment.objects.create(
            person=enrollment.person,
            programme=ms_programme,
            university=enrollment.university,
            student_number="2026-0999",
            admission_date=D(2026, 3, 2),
        )
    )


def test_a_person_who_withdrew_can_be_admitted_again(enrollment, university_staff, ms_programme):
    services.enrollment_transition(
        actor=university_staff,
        enrollment=enrollment,
        status="withdrawn",
        effective_date=D(2026, 3, 2),
        reason="입학 포기",
    )
    again = services.enrollment_admit(
        actor=university_staff,
        person=enrollment.person,
        programme=ms_programme,
        student_number="2026-0450",
        admission_date=D(2026, 9, 1),
    )
    assert again.status == "admitted"


def test_a_second_active_enrollment_gets_a_clear_error(enrollment, university_staff, ms_programme):
    with pytest.raises(DomainError) as excinfo:
        services.enrollment_admit(
            actor=university_staff,
            person=enrollment.person,
            programme=ms_programme,
            student_number="2026-0998",
            admission_date=D(2026, 9, 1),
        )
    assert str(excinfo.value) == "이 인물은 이미 이 과정에 유효한 학적이 있습니다."
    assert Enrollment.objects.filter(person=enrollment.person).count() == 1


def test_the_database_refuses_an_expected_completion_before_admission(ms_programme, university):
    refused_by_database(
        lambda: Enrollment.objects.create(
            person=factories.PersonFactory(),
            programme=ms_programme,
            university=university,
            student_number="2026-0100",
            admission_date=D(2026, 3, 2),
            expected_completion=D(2026, 1, 1),
        )
    )


def test_an_expected_completion_before_admission_is_refused_by_the_service(university_staff, ms_programme):
    with pytest.raises(InvalidInput):
        services.enrollment_admit(
            actor=university_staff,
            person=factories.PersonFactory(),
            programme=ms_programme,
            student_number="2026-0101",
            admission_date=D(2026, 3, 2),
            expected_completion=D(2025, 12, 31),
        )
    assert not Enrollment.objects.filter(student_number="2026-0101").exists()


def test_the_database_refuses_three_convergence_fields(university):
    refused_by_database(
        lambda: GraduateSchool.objects.create(
            university=university,
            name_ko="세 분야 대학원",
            track="open",
            selection_year=2026,
            support_start=D(2026, 3, 1),
            support_end=D(2030, 12, 31),
            convergence_fields=["robotics", "energy", "finance"],
        )
    )


def test_the_database_refuses_an_unknown_convergence_field_and_none_at_all(university):
    for fields in (["quantum_cooking"], []):
        refused_by_database(
            lambda fields=fields: GraduateSchool.objects.create(
                university=university,
                name_ko="잘못된 대학원",
                track="open",
                selection_year=2026,
                support_start=D(2026, 3, 1),
                support_end=D(2030, 12, 31),
                convergence_fields=fields,
            )
        )


def test_a_school_with_three_fields_is_refused_by_the_service_with_a_message(university_staff, university):
    with pytest.raises(InvalidInput) as excinfo:
        services.graduate_school_create(
            actor=university_staff,
            university=university,
            name_ko="세 분야 대학원",
            track="open",
            selection_year=2026,
            support_start=D(2026, 3, 1),
            support_end=D(2030, 12, 31),
            convergence_fields=["robotics", "energy", "finance"],
        )
    assert "convergence_fields" in excinfo.value.as_dict() or "non_field_errors" in excinfo.value.as_dict()
    assert not GraduateSchool.objects.filter(name_ko="세 분야 대학원").exists()


def test_the_database_refuses_a_support_period_that_ends_before_it_starts(university):
    refused_by_database(
        lambda: GraduateSchool.objects.create(
            university=university,
            name_ko="기간 오류 대학원",
            track="designated",
            selection_year=2026,
            support_start=D(2030, 1, 1),
            support_end=D(2026, 1, 1),
            convergence_fields=["robotics"],
        )
    )


def test_the_database_refuses_a_capacity_below_one():
    refused_by_database(lambda: factories.ExpertProfileFactory(capacity=0))
    problem_company = factories.CompanyFactory()
    refused_by_database(lambda: factories.FieldProblemFactory(organization=problem_company, experts_wanted=0))


def test_the_database_refuses_a_company_without_a_business_registration_number():
    refused_by_database(lambda: Organization.objects.create(kind="company", name_ko="번호없는 회사", region="KR-11"))


def test_the_database_refuses_a_duplicate_business_registration_number(company):
    refused_by_database(
        lambda: Organization.objects.create(
            kind="company",
            name_ko="복제 회사",
            region="KR-11",
            business_registration_number=company.business_registration_number,
        )
    )


def test_the_database_refuses_unknown_codes():
    refused_by_database(lambda: Organization.objects.create(kind="university", name_ko="가상대학교", region="KR-99"))
    refused_by_database(lambda: factories.ExpertProfileFactory(ksic_sections=["Z"]))
    refused_by_database(lambda: factories.ExpertProfileFactory(regions=["KR-00"]))


def test_the_database_refuses_an_overseas_position_that_ends_before_it_starts():
    profile = factories.ResearcherProfileFactory()
    refused_by_database(
        lambda: OverseasPosition.objects.create(
            profile=profile, country="US", institution="MIT", start_date=D(2020, 1, 1), end_date=D(2019, 1, 1)
        )
    )


def test_the_database_refuses_to_change_or_delete_a_status_event(enrollment):
    event = enrollment.events.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        EnrollmentEvent.objects.filter(pk=event.pk).update(reason="고쳐 쓰기")
    with pytest.raises(DatabaseError), transaction.atomic():
        EnrollmentEvent.objects.filter(pk=event.pk).delete()
    assert enrollment.events.get().reason == event.reason


def test_events_written_in_bulk_still_set_each_enrollments_status(enrollment):
    EnrollmentEvent.objects.bulk_create(
        [
            EnrollmentEvent(
                enrollment=enrollment,
                sequence=2,
                status="enrolled",
                previous_status="admitted",
                effective_date=D(2026, 3, 2),
            ),
            EnrollmentEvent(
                enrollment=enrollment,
                sequence=3,
                status="on_leave",
                previous_status="enrolled",
                effective_date=D(2026, 9, 1),
            ),
        ]
    )
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.status_since) == ("on_leave", D(2026, 9, 1))


def test_a_problem_needs_a_region_or_remote_work(company):
    refused_by_database(lambda: factories.FieldProblemFactory(organization=company, region="", remote=False))
    assert factories.FieldProblemFactory(organization=company, region="", remote=True).remote


def test_a_duplicate_unique_identifier_is_a_clear_error(university_staff):
    services.person_create(
        actor=university_staff, family_name_ko="정", given_name_ko="하늘", orcid="0000-0002-1825-0097"
    )
    with pytest.raises(InvalidInput) as excinfo:
        services.person_create(
            actor=university_staff, family_name_ko="정", given_name_ko="바다", orcid="0000-0002-1825-0097"
        )
    assert "orcid" in excinfo.value.as_dict()


def test_a_database_refusal_that_validation_did_not_catch_becomes_a_conflict_with_the_rules_message():
    with pytest.raises(Conflict) as excinfo:
        from talent.common.db import database_refusals

        with database_refusals(Organization), transaction.atomic():
            Organization.objects.create(kind="company", name_ko="번호없는 회사", region="KR-11")
    assert excinfo.value.code == "organization_company_has_brn"
    assert str(excinfo.value) == "기업은 사업자등록번호를 입력해야 합니다."


def test_the_database_refuses_a_status_written_without_an_event(enrollment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(status="graduated")
    stale = Enrollment.objects.get(pk=enrollment.pk)
    services.enrollment_transition(actor=None, enrollment=enrollment, status="enrolled", effective_date=D(2026, 3, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        stale.save()  # would rewind the status to "admitted"
    enrollment.refresh_from_db()
    assert enrollment.status == "enrolled"


# Dates outside the registry's constant bounds (talent.registry.plausible): the probes' 0001-01-01 and 9999-12-31,
# and the first day past each bound. Each write goes around validation, as a bulk load or a raw update would.
DAY_ONE, LAST_DAY = D(1, 1, 1), D(9999, 12, 31)


@pytest.mark.parametrize("birth_date", [DAY_ONE, D(1899, 12, 31), D(2101, 1, 1), LAST_DAY])
def test_the_database_refuses_a_birth_date_outside_its_bounds(birth_date):
    person = factories.PersonFactory()
    refused_by_database(lambda: Person.objects.filter(pk=person.pk).update(birth_date=birth_date))
    Person.objects.filter(pk=person.pk).update(birth_date=D(1900, 1, 1))  # the bound itself is a date
    Person.objects.filter(pk=person.pk).update(birth_date=None)


@pytest.mark.parametrize("admission_date", [DAY_ONE, D(1949, 12, 31), D(2101, 1, 1), LAST_DAY])
def test_the_database_refuses_an_admission_date_outside_its_bounds(enrollment, admission_date):
    refused_by_database(
        lambda: Enrollment.objects.filter(pk=enrollment.pk).update(
            admission_date=admission_date, expected_completion=None
        )
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(admission_date=D(1950, 1, 1))


@pytest.mark.parametrize("effective_date", [DAY_ONE, D(1949, 12, 31), D(2101, 1, 1), LAST_DAY])
def test_the_database_refuses_a_status_change_dated_outside_its_bounds(enrollment, effective_date):
    refused_by_database(
        lambda: EnrollmentEvent.objects.create(
            enrollment=enrollment,
            sequence=99,
            status="enrolled",
            previous_status="admitted",
            effective_date=effective_date,
        )
    )
    assert not enrollment.events.filter(sequence=99).exists()


@pytest.mark.parametrize("return_date", [DAY_ONE, D(1949, 12, 31), D(2101, 1, 1), LAST_DAY])
def test_the_database_refuses_a_return_date_outside_its_bounds(return_date):
    profile = factories.ResearcherProfileFactory()
    refused_by_database(lambda: ResearcherProfile.objects.filter(pk=profile.pk).update(return_date=return_date))
    ResearcherProfile.objects.filter(pk=profile.pk).update(return_date=D(2100, 12, 31))


@pytest.mark.parametrize("expected_completion", [DAY_ONE, D(1949, 12, 31), D(2101, 1, 1), LAST_DAY])
def test_the_database_refuses_an_expected_completion_outside_its_bounds(enrollment, expected_completion):
    enrollments = Enrollment.objects.filter(pk=enrollment.pk)
    # The admission moved to the earliest bound, so that only the bounds can refuse the earliest completions.
    enrollments.update(admission_date=D(1950, 1, 1), expected_completion=None)
    refused_by_database(lambda: enrollments.update(expected_completion=expected_completion))
    enrollments.update(expected_completion=D(2100, 12, 31))  # the bound itself is a date


@pytest.mark.parametrize(
    ("support_start", "support_end"),
    [(DAY_ONE, D(2030, 12, 31)), (D(1949, 12, 31), D(2030, 12, 31)), (D(2026, 3, 1), D(2101, 1, 1)),
     (D(2026, 3, 1), LAST_DAY)],
)  # fmt: skip
def test_the_database_refuses_a_support_period_outside_its_bounds(university, support_start, support_end):
    school = factories.GraduateSchoolFactory(university=university)
    schools = GraduateSchool.objects.filter(pk=school.pk)
    refused_by_database(lambda: schools.update(support_start=support_start, support_end=support_end))
    schools.update(support_start=D(1950, 1, 1), support_end=D(2100, 12, 31))  # the bounds themselves are dates


@pytest.mark.parametrize(
    ("start_date", "end_date"),
    [
        (DAY_ONE, None),
        (D(1949, 12, 31), D(2000, 1, 1)),
        (DAY_ONE, LAST_DAY),  # the probe that made anyone eligible for the return track
        (D(2000, 1, 1), D(2101, 1, 1)),
        (D(2000, 1, 1), LAST_DAY),
    ],
)
def test_the_database_refuses_an_overseas_position_outside_its_bounds(start_date, end_date):
    profile = factories.ResearcherProfileFactory()
    refused_by_database(
        lambda: OverseasPosition.objects.create(
            profile=profile, country="US", institution="MIT", start_date=start_date, end_date=end_date
        )
    )
    assert not profile.positions.exists()


def test_validation_is_never_looser_than_the_database(monkeypatch):
    """In 2095 a planned return ten years ahead would pass the relative bound: the constant one refuses it first,
    with its message, instead of the database refusing the write."""
    from django.core.exceptions import ValidationError

    from talent.registry import plausible

    monkeypatch.setattr(plausible.timezone, "localdate", lambda: D(2095, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        plausible.check_return_date(D(2101, 1, 1), planned=True)
    assert "2100-12-31" in excinfo.value.messages[0]
    plausible.check_return_date(D(2100, 12, 31), planned=True)


# Lists longer than their field's size (the one limit validation holds), written around validation: the database
# refuses them too (the check registry.E002 makes sure every sized list has such a constraint).
@pytest.mark.parametrize(
    ("field", "too_many"),
    [
        ("skills", [f"기술{i}" for i in range(51)]),
        ("ksic_sections", ["C"] * 22),  # every code once is 21
        ("regions", ["KR-11"] * 18),  # every region once is 17
        ("shared_fields", ["email"] * 6),
    ],
)
def test_the_database_refuses_an_expert_s_list_longer_than_its_size(field, too_many):
    profile = factories.ExpertProfileFactory()
    profiles = ExpertProfile.objects.filter(pk=profile.pk)
    refused_by_database(lambda: profiles.update(**{field: too_many}))
    size = {"skills": 50, "ksic_sections": 21, "regions": 17, "shared_fields": 5}[field]
    profiles.update(**{field: too_many[:size]})  # a list of the size itself is stored


def test_the_database_refuses_a_concept_s_or_a_muted_list_longer_than_its_size(outsider):
    from talent.matching.models import MAX_TERMS, AxConcept
    from talent.notifications.models import NotificationKind, NotificationSettings

    concept = AxConcept.objects.create(key="rul-probe", terms_ko=["잔존수명"], terms_en=["remaining useful life"])
    for field in ("terms_ko", "terms_en", "abbreviations", "ksic_divisions"):
        refused_by_database(
            lambda field=field: AxConcept.objects.filter(pk=concept.pk).update(**{field: ["x"] * (MAX_TERMS + 1)})
        )
    AxConcept.objects.filter(pk=concept.pk).update(terms_ko=["잔존수명"] * MAX_TERMS)
    kinds = list(NotificationKind.values)
    NotificationSettings.objects.get_or_create(user=outsider)
    muted = NotificationSettings.objects.filter(user=outsider)
    refused_by_database(lambda: muted.update(muted_kinds=[*kinds, kinds[0]]))
    assert muted.update(muted_kinds=kinds) == 1
