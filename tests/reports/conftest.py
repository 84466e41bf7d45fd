"""Hand-built enrollment histories for the report tests: two universities, counting and non-counting
programmes, and a `history` helper that records a student's status changes through the services."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from talent.registry import services
from talent.registry.models import Enrollment, Organization, Person, Programme
from talent.reports.models import Target
from tests import factories

D = datetime.date
_numbers = itertools.count(1)


@dataclass
class Campus:
    university_x: Organization
    university_y: Organization
    ms_x: Programme
    phd_x: Programme
    ms_y: Programme
    uncounted_x: Programme


@pytest.fixture
def campus(db) -> Campus:
    university_x = factories.UniversityFactory(name_ko="한빛대학교", name_en="Hanbit University", region="KR-11")
    university_y = factories.UniversityFactory(name_ko="누리대학교", name_en="Nuri University", region="KR-26")
    school_x = factories.GraduateSchoolFactory(university=university_x, name_ko="한빛 AX 대학원")
    school_x.consortium_companies.set([factories.CompanyFactory(ksic_section="C")])
    school_y = factories.GraduateSchoolFactory(university=university_y, name_ko="누리 AX 대학원")
    school_y.consortium_companies.set([factories.CompanyFactory(ksic_section="J")])
    return Campus(
        university_x=university_x,
        university_y=university_y,
        ms_x=factories.ProgrammeFactory(school=school_x, name_ko="한빛 AX 석사", degree_level="ms"),
        phd_x=factories.ProgrammeFactory(
            school=school_x, name_ko="한빛 AX 박사", degree_level="phd", normal_duration_months=48
        ),
        ms_y=factories.ProgrammeFactory(school=school_y, name_ko="누리 AX 석사", degree_level="ms"),
        uncounted_x=factories.ProgrammeFactory(
            school=school_x, name_ko="한빛 일반 석사", degree_level="ms", counts_toward_target=False
        ),
    )


History = Callable[..., Enrollment]


@pytest.fixture
def history(db) -> History:
    """history(person, programme, admitted=date, steps=[(status, date), ...], admitted_on=date) -> the
    enrollment, its status changes recorded through the services in order (as the system: no acting user).
    `admitted` is the admission term's first day; `admitted_on` the admission's own date (default the same)."""

    def record(
        person: Person,
        programme: Programme,
        *,
        admitted: datetime.date,
        steps: list[tuple[str, datetime.date]] = (),  # type: ignore[assignment]
        expected_completion: datetime.date | None = None,
        admitted_on: datetime.date | None = None,
    ) -> Enrollment:
        enrollment = services.enrollment_admit(
            actor=None,
            person=person,
            programme=programme,
            student_number=f"R{next(_numbers):07d}",
            admission_date=admitted,
            expected_completion=expected_completion,
            admitted_on=admitted_on,
        )
        for status, day in steps:
            services.enrollment_transition(
                actor=None, enrollment=enrollment, status=status, effective_date=day, reason="학사 처리"
            )
        return enrollment

    return record


def graduate(admitted: datetime.date, coursework: datetime.date, graduated: datetime.date) -> list[tuple[str, D]]:
    return [("enrolled", admitted), ("coursework_complete", coursework), ("graduated", graduated)]


@pytest.fixture
def trained_target(db) -> Target:
    return Target.objects.get(code="AX-TRAINED", version=1)


@pytest.fixture
def returned_target(db) -> Target:
    return Target.objects.get(code="OVERSEAS-RETURNED", version=1)


@pytest.fixture
def client_as():
    """An API client signed in as `user`, reading English."""

    def make(user) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def graduates(campus, history):
    """Six graduates at X (2026-02-20) and two at Y; one student still enrolled at X."""
    for programme, n in ((campus.ms_x, 6), (campus.ms_y, 2)):
        for _ in range(n):
            history(
                factories.PersonFactory(),
                programme,
                admitted=D(2024, 3, 4),
                steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)),
            )
    history(factories.PersonFactory(), campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    return campus
