"""Dates within bounds that fit their meaning, refused with a message naming the bound wherever they come in
(service, API, roster); and the return-track eligibility ignores a career no one could have had."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from rest_framework.test import APIClient

from talent.common.errors import InvalidInput
from talent.registry import services
from talent.registry.models import GraduateSchool, OverseasPosition, ResearcherProfile
from talent.roster import services as roster
from tests.roster.conftest import csv_bytes

D = datetime.date
DAY_ONE, LAST_DAY = D(1, 1, 1), D(9999, 12, 31)


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as excinfo:
        call()
    return excinfo.value.as_dict()


@pytest.mark.parametrize("birth_date", [DAY_ONE, D(1899, 12, 31), LAST_DAY])
def test_a_birth_date_outside_its_bounds_is_refused_naming_them(university_staff, birth_date):
    errors = refusal(lambda: services.person_create(actor=university_staff, family_name_ko="한", birth_date=birth_date))

    assert "1900-01-01" in errors["birth_date"][0]
    assert birth_date.isoformat() in errors["birth_date"][0]


def test_a_ten_year_old_is_not_a_plausible_student_and_a_twenty_year_old_is(university_staff):
    ten_years_ago = timezone.localdate() - datetime.timedelta(days=3653)

    errors = refusal(
        lambda: services.person_create(actor=university_staff, family_name_ko="한", birth_date=ten_years_ago)
    )
    person = services.person_create(actor=university_staff, family_name_ko="한", birth_date=D(2006, 1, 1))

    assert "14" in errors["birth_date"][0]
    assert person.pk


@pytest.mark.parametrize("admission_date", [DAY_ONE, D(1949, 12, 31), LAST_DAY])
def test_an_admission_date_outside_its_bounds_is_refused_naming_them(university_staff, ms_programme, admission_date):
    errors = refusal(
        lambda: services.enrollment_admit(
            actor=university_staff,
            new_person={"family_name_ko": "한", "given_name_ko": "결"},
            programme=ms_programme,
            student_number="2026-0900",
            admission_date=admission_date,
            admitted_on=D(2026, 3, 2),
        )
    )

    # Too early names the first date allowed; too late names the end of the planning horizon (a year ahead).
    horizon_end = timezone.localdate() + datetime.timedelta(days=settings.FUTURE_HORIZON_DAYS)
    bound = "1950-01-01" if admission_date < D(1950, 1, 1) else horizon_end.isoformat()
    assert bound in errors["admission_date"][0]


@pytest.mark.parametrize("expected_completion", [D(1949, 12, 31), LAST_DAY])
def test_an_expected_completion_outside_its_bounds_is_refused_naming_them(
    university_staff, ms_programme, expected_completion
):
    errors = refusal(
        lambda: services.enrollment_admit(
            actor=university_staff,
            new_person={"family_name_ko": "한", "given_name_ko": "결"},
            programme=ms_programme,
            student_number="2026-0901",
            admission_date=D(2026, 3, 2),
            expected_completion=expected_completion,
        )
    )

    ten_years_ahead = str(timezone.localdate().year + 10)
    assert ("1950-01-01" if expected_completion.year < 1950 else ten_years_ahead) in errors["expected_completion"][0]
    assert expected_completion.isoformat() in errors["expected_completion"][0]


def test_a_support_period_outside_its_bounds_is_refused_naming_both_bounds_in_korean(university_staff, university):
    with translation.override("ko"):
        errors = refusal(
            lambda: services.graduate_school_create(
                actor=university_staff,
                university=university,
                name_ko="기간 오류 대학원",
                track="open",
                selection_year=2026,
                support_start=DAY_ONE,
                support_end=LAST_DAY,
                convergence_fields=["robotics"],
            )
        )

    assert "1950-01-01" in errors["support_start"][0] and "지원 기간" in errors["support_start"][0]
    assert str(timezone.localdate().year + 15) in errors["support_end"][0]
    assert not GraduateSchool.objects.filter(name_ko="기간 오류 대학원").exists()


def test_the_api_refuses_an_expected_completion_beyond_its_bound_beside_the_field(
    university_staff, ms_programme, enrollment
):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(university_staff)
    response = client.patch(
        f"/api/v1/enrollments/{enrollment.pk}/", {"expected_completion": LAST_DAY.isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert "An expected completion must be between 1950-01-01 and" in str(response.data)
    assert "expected_completion" in str(response.data)
    enrollment.refresh_from_db()
    assert enrollment.expected_completion != LAST_DAY


def test_a_status_change_dated_day_one_is_refused_even_when_declining_an_admission(enrollment, university_staff):
    """Declining an admission may predate the admission date; it may not predate the registry's earliest record."""
    errors = refusal(
        lambda: services.enrollment_transition(
            actor=university_staff, enrollment=enrollment, status="withdrawn", effective_date=DAY_ONE
        )
    )

    assert "1950-01-01" in errors["effective_date"][0]
    assert enrollment.events.count() == 1


def test_a_roster_status_date_of_day_one_is_refused_at_its_cell(university_staff, university, ms_programme):
    headers = ["학번", "성", "이름", "과정", "입학일", "학적상태", "상태변경일"]
    content = csv_bytes(
        [["2026-1001", "김", "서연", "AX 융합 석사", "2026-03-02", "자퇴", "0001-01-01"]], headers=headers
    )

    result = roster.roster_import(
        actor=university_staff, university=university, filename="명단.csv", content=content, dry_run=False
    )

    assert not result.applied
    [message] = result.rows[0].messages
    assert message.column == "상태변경일"
    assert "1950-01-01" in message.message


def test_a_roster_expected_completion_of_the_last_day_is_refused_at_its_cell(
    university_staff, university, ms_programme
):
    headers = ["학번", "성", "이름", "과정", "입학일", "졸업예정일"]
    content = csv_bytes([["2026-1002", "김", "서연", "AX 융합 석사", "2026-03-02", "9999-12-31"]], headers=headers)

    result = roster.roster_import(
        actor=university_staff, university=university, filename="명단.csv", content=content, dry_run=False
    )

    assert not result.applied
    [message] = result.rows[0].messages
    assert message.column == "졸업예정일"
    assert "1950-01-01" in message.message and "9999-12-31" in message.message


@pytest.fixture
def profile(researcher) -> ResearcherProfile:
    return services.researcher_profile_save(
        actor=researcher, person=researcher.person, phd_field="07", phd_year=2016, phd_country="US"
    )


def test_an_overseas_position_from_day_one_to_the_last_day_is_refused_naming_both_bounds(researcher, profile):
    errors = refusal(
        lambda: services.overseas_position_add(
            actor=researcher,
            person=researcher.person,
            country="US",
            institution="MIT",
            start_date=DAY_ONE,
            end_date=LAST_DAY,
        )
    )

    assert "1950-01-01" in errors["start_date"][0]
    assert str(timezone.localdate().year + 10) in errors["end_date"][0]
    assert not OverseasPosition.objects.exists()


@pytest.mark.parametrize("planned", [False, True])
def test_a_return_on_the_last_day_is_refused(researcher, profile, planned):
    errors = refusal(
        lambda: services.researcher_profile_save(
            actor=researcher, person=researcher.person, return_date=LAST_DAY, return_planned=planned
        )
    )

    assert "9999-12-31" in errors["return_date"][0]


def test_a_return_not_yet_happened_must_be_marked_planned(researcher, profile):
    next_month = timezone.localdate() + datetime.timedelta(days=30)

    errors = refusal(lambda: services.researcher_profile_save(actor=researcher, person=researcher.person,
                                                               return_date=next_month))  # fmt: skip
    planned = services.researcher_profile_save(
        actor=researcher, person=researcher.person, return_date=next_month, return_planned=True
    )

    assert timezone.localdate().isoformat() in errors["return_date"][0]  # the bound: today
    assert planned.return_date == next_month


def test_the_api_refuses_an_impossible_position_with_a_400_naming_the_bound(researcher, profile):
    client = APIClient()
    client.force_authenticate(researcher)
    body = {"country": "US", "institution": "MIT", "start_date": "0001-01-01", "end_date": "9999-12-31"}

    response = client.post("/api/v1/me/positions/", body, format="json")

    assert response.status_code == 400, response.content
    assert "1950-01-01" in response.json()["errors"]["start_date"][0]


@contextlib.contextmanager
def written_before_the_bounds():
    """Writes as before registry 0016: without the date constraints, which then come back as that migration adds
    them (NOT VALID: the rows already stored stay as they are). Undone with the test's transaction."""
    bounds = {
        "registry_overseasposition": ("position_start_date_within_bounds", "position_end_date_within_bounds"),
        "registry_researcherprofile": ("researcher_return_date_within_bounds",),
    }
    checks = {}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE while deferred checks are pending
        for table, names in bounds.items():
            for name in names:
                cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", [name])
                checks[table, name] = cursor.fetchone()[0].removesuffix(" NOT VALID")
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        yield
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for (table, name), check in checks.items():
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {check} NOT VALID')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are initially deferred


def test_the_return_track_ignores_an_impossible_career_stored_before_the_bounds(researcher, profile):
    """Rows written before the bounds existed (here: straight into the table, without the database's bounds) do not
    make anyone eligible."""
    researcher.person.nationality = "KR"
    researcher.person.save()
    with written_before_the_bounds():
        OverseasPosition.objects.create(
            profile=profile, country="US", institution="MIT", start_date=DAY_ONE, end_date=LAST_DAY
        )
        ResearcherProfile.objects.filter(pk=profile.pk).update(return_date=LAST_DAY)
    profile = ResearcherProfile.objects.select_related("person").get(pk=profile.pk)

    assert profile.years_abroad() == 0
    assert not profile.eligible_for_return_track()

    OverseasPosition.objects.create(
        profile=profile, country="US", institution="CMU", start_date=D(2016, 9, 1), end_date=D(2022, 8, 31)
    )
    assert profile.years_abroad() == pytest.approx(6.0, abs=0.01)
    assert profile.eligible_for_return_track()
