"""A small world with one of every kind of user, and a client that acts as any of them."""

from __future__ import annotations

import copy
import dataclasses
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from talent.registry import services
from talent.registry.models import Enrollment, FieldProblem, GraduateSchool, Organization, Person, Programme
from talent.registry.services.privacy import privacy_consent_give
from tests import factories

ROLES = (
    "university_a",
    "university_b",
    "company",
    "other_company",
    "researcher",
    "other_researcher",
    "ministry",
    "operator",
    "anonymous",
)


@dataclass
class World:
    users: dict[str, Any]
    university_a: Organization
    university_b: Organization
    company: Organization
    other_company: Organization
    school_a: GraduateSchool
    school_b: GraduateSchool
    programme_a: Programme
    programme_b: Programme
    enrollment_a: Enrollment
    enrollment_b: Enrollment
    problem: FieldProblem
    other_problem: FieldProblem
    draft_problem: FieldProblem
    researcher_person: Person
    other_researcher_person: Person
    extra: dict[str, Any] = field(default_factory=dict)


def _staff(username: str, organization: Organization):
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, organization=organization)
    return user


def _researcher(username: str, family: str, given: str) -> tuple[Any, Person]:
    user = factories.UserFactory(username=username)
    person = services.person_create(
        actor=user, user=user, family_name_ko=family, given_name_ko=given, email=f"{username}@example.org"
    )
    privacy_consent_give(actor=user, person=person, required=True, optional=True)  # as at sign-up
    profile = services.researcher_profile_save(
        actor=user, person=person, phd_field="06", phd_year=2017, return_date=datetime.date(2026, 3, 1)
    )
    services.overseas_position_add(
        actor=user,
        person=profile.person,
        country="US",
        institution="Stanford University",
        start_date=datetime.date(2017, 9, 1),
        end_date=datetime.date(2026, 2, 1),
    )
    expert = services.expert_profile_save(
        actor=user, person=person, skills=["자연어 처리", "LLM"], summary_ko="한국어 언어모델 연구", capacity=2
    )
    services.expert_consent_set(actor=user, profile=expert, consent_to_matching=True, shared_fields=["name", "skills"])
    return user, person


QUICK_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
T = TypeVar("T")


def module_rows(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture: `build()`'s rows, made once for the whole module inside an outer transaction that
    is rolled back when the module is done. Each test's own transaction (the `db` fixture) is a savepoint inside it,
    so what one test writes the next does not see. Passwords are hashed quickly while the rows are made (the
    per-test fixture that does so has not run yet)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[QUICK_HASHER]):
            built = build()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The world, built once per module: the route matrix alone asks for it over a thousand times."""
    yield from module_rows(django_db_blocker, build_world)


@pytest.fixture
def world(db, _module_world: World) -> World:
    """A test's own copy of the module's world: the rows are the module's (a test's writes are rolled back after
    it), the objects are copies as they were built (a service called by one test changes its copy only), and
    `extra` starts empty (what a route makes on demand is made again inside each test's transaction)."""
    return dataclasses.replace(copy.deepcopy(_module_world), extra={})


def build_world() -> World:
    """One of every kind of user and the records around them (the fuzz test builds it once per module)."""
    university_a = factories.UniversityFactory(name_ko="가람대학교", region="KR-11")
    university_b = factories.UniversityFactory(name_ko="나래대학교", region="KR-26")
    company = factories.CompanyFactory(name_ko="다온모빌리티", ksic_section="C")
    other_company = factories.CompanyFactory(name_ko="라온바이오", ksic_section="M")
    users = {
        "university_a": _staff("staff-a", university_a),
        "university_b": _staff("staff-b", university_b),
        "company": _staff("member-company", company),
        "other_company": _staff("member-other-company", other_company),
        "ministry": _staff("analyst", factories.MinistryFactory()),
        "operator": factories.UserFactory(username="operator", is_staff=True, is_superuser=True),
        "anonymous": None,
    }
    users["researcher"], researcher_person = _researcher("researcher", "오", "지민")
    users["other_researcher"], other_researcher_person = _researcher("other-researcher", "유", "하준")

    school_a = factories.GraduateSchoolFactory(university=university_a, name_ko="가람 AX 대학원")
    school_a.consortium_companies.set([company])
    school_b = factories.GraduateSchoolFactory(university=university_b, name_ko="나래 AX 대학원")
    school_b.consortium_companies.set([other_company])
    programme_a = factories.ProgrammeFactory(school=school_a, name_ko="가람 AX 석사")
    programme_b = factories.ProgrammeFactory(school=school_b, name_ko="나래 AX 석사")

    def enrol(staff, programme, family, given, number):
        person = services.person_create(actor=staff, family_name_ko=family, given_name_ko=given)
        return services.enrollment_admit(
            actor=staff,
            person=person,
            programme=programme,
            student_number=number,
            admission_date=datetime.date(2026, 3, 2),
        )

    enrollment_a = enrol(users["university_a"], programme_a, "서", "윤아", "A2026001")
    enrollment_b = enrol(users["university_b"], programme_b, "권", "도윤", "B2026001")

    def problem_of(member, organization, title, open_it=True):
        problem = services.field_problem_create(
            actor=member,
            organization=organization,
            title=title,
            description=f"{title}에 대한 현장 문제입니다.",
            ksic_section=organization.ksic_section,
            skills_wanted=["머신러닝"],
            region="KR-41",
        )
        return services.field_problem_open(actor=member, problem=problem) if open_it else problem

    return World(
        users=users,
        university_a=university_a,
        university_b=university_b,
        company=company,
        other_company=other_company,
        school_a=school_a,
        school_b=school_b,
        programme_a=programme_a,
        programme_b=programme_b,
        enrollment_a=enrollment_a,
        enrollment_b=enrollment_b,
        problem=problem_of(users["company"], company, "배터리 셀 불량 예측"),
        other_problem=problem_of(users["other_company"], other_company, "단백질 구조 분석 자동화"),
        draft_problem=problem_of(users["company"], company, "물류 경로 최적화 초안", open_it=False),
        researcher_person=researcher_person,
        other_researcher_person=other_researcher_person,
    )


@pytest.fixture
def api_as(world):
    """api_as("university_a") -> an APIClient logged in as that role (anonymous: not logged in)."""

    def client_for(role: str) -> APIClient:
        client = APIClient()
        user = world.users[role]
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return client_for
