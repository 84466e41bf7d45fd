"""Named actors for every test: each role of DESIGN.md, and an outsider with no role."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from talent.registry import services
from talent.registry.vocabulary import MembershipRole
from tests import factories
from tests.browser import artifacts, browser, pytest_runtest_makereport  # noqa: F401 - for every browser test


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language: a test client's request in English leaves its thread in
    English (LocaleMiddleware activates the request's language and nothing deactivates it), and a later test's
    names and messages on the same worker would follow it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_and_unthrottled(settings, monkeypatch):
    """Tests hash passwords quickly (Argon2 is deliberately slow) and are not throttled; the tests of
    those features turn them back on."""
    from rest_framework.throttling import SimpleRateThrottle

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES))


@pytest.fixture
def operator(db):
    return factories.UserFactory(username="operator", is_staff=True, is_superuser=True)


@pytest.fixture
def university(db):
    return factories.UniversityFactory(name_ko="한빛대학교", name_en="Hanbit University")


@pytest.fixture
def other_university(db):
    return factories.UniversityFactory(name_ko="누리대학교", name_en="Nuri University", region="KR-26")


@pytest.fixture
def company(db):
    return factories.CompanyFactory(name_ko="한빛로보틱스", name_en="Hanbit Robotics")


@pytest.fixture
def other_company(db):
    return factories.CompanyFactory(name_ko="누리반도체", name_en="Nuri Semiconductor")


@pytest.fixture
def university_staff(university):
    user = factories.UserFactory(username="univ-staff")
    factories.MembershipFactory(user=user, organization=university, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def other_university_staff(other_university):
    user = factories.UserFactory(username="other-univ-staff")
    factories.MembershipFactory(user=user, organization=other_university)
    return user


@pytest.fixture
def company_member(company):
    user = factories.UserFactory(username="company-member")
    factories.MembershipFactory(user=user, organization=company)
    return user


@pytest.fixture
def ministry_analyst(db):
    user = factories.UserFactory(username="ministry-analyst")
    factories.MembershipFactory(user=user, organization=factories.MinistryFactory())
    return user


@pytest.fixture
def researcher(db):
    user = factories.UserFactory(username="researcher")
    factories.PersonFactory(user=user, family_name_ko="이", given_name_ko="서연")
    return user


@pytest.fixture
def outsider(db):
    return factories.UserFactory(username="outsider")


@pytest.fixture
def school(university, company):
    school = factories.GraduateSchoolFactory(university=university)
    school.consortium_companies.set([company])
    return school


@pytest.fixture
def ms_programme(school):
    return factories.ProgrammeFactory(school=school, name_ko="AX 융합 석사", degree_level="ms")


@pytest.fixture
def phd_programme(school):
    return factories.ProgrammeFactory(
        school=school, name_ko="AX 융합 박사", degree_level="phd", normal_duration_months=48
    )


@pytest.fixture
def student(db):
    return factories.PersonFactory(family_name_ko="박", given_name_ko="지훈")


@pytest.fixture
def enrollment(university_staff, student, ms_programme):
    """An MS enrollment admitted on 2026-03-02 by the university's staff."""
    return services.enrollment_admit(
        actor=university_staff,
        person=student,
        programme=ms_programme,
        student_number="2026-0001",
        admission_date=datetime.date(2026, 3, 2),
        expected_completion=datetime.date(2028, 2, 28),
    )


class Clock:
    """The registry's clock in a test: `move_to(day)` makes `day` today (at noon, in TIME_ZONE) for every caller
    of django.utils.timezone (localdate, now, auto_now fields). The database's own clock is not read for dates."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch

    def move_to(self, day: datetime.date) -> None:
        from django.utils import timezone

        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        self._monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)
