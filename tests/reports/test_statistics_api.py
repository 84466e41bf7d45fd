"""Registry statistics: exact counts for the ministry, a university's own counts for its staff, no personal data.

The hand-built registry (dates in the past, so every event has happened):
- 한빛대학교 (designated track; MS and PhD programmes; consortium company 한빛로보틱스)
  - 박지훈: MS admitted 2025-03-03, enrolled the same day, fast-tracked to the PhD on 2025-09-01
    (MS progressed, PhD enrolled): two enrollments, one person;
  - 최수아: MS admitted 2025-03-03, enrolled, on leave 2025-09-01, withdrawn 2026-03-02;
  - 이서연: a researcher back through Brain Pool, working at 한빛대학교, consenting expert.
- 누리대학교 (open-call track; MS programme): 정민서 admitted 2026-03-02, expert without consent.
- 강도현: back through InnoCORE, no Korean affiliation yet, consenting expert.
- Field problems: 한빛로보틱스 one open and one draft; 누리반도체 one closed.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talent.registry import services
from talent.registry.vocabulary import SchoolTrack
from tests import factories

D = datetime.date
REGISTRY = "/api/v1/statistics/registry/"
ENROLLMENTS = "/api/v1/statistics/enrollments/"
PERSONAL_KEYS = {"name", "email", "person", "person_id", "family_name_ko", "given_name_ko", "birth_date", "user"}


@pytest.fixture
def registry(
    university, other_university, university_staff, other_university_staff, school, ms_programme, phd_programme,
    student, researcher, company, company_member, other_company,
):  # fmt: skip
    staff = university_staff
    other_school = factories.GraduateSchoolFactory(university=other_university, track=SchoolTrack.OPEN)
    other_ms = factories.ProgrammeFactory(school=other_school, name_ko="누리 AX 석사", degree_level="ms")

    def admit(actor, person, programme, number, on):
        return services.enrollment_admit(
            actor=actor, person=person, programme=programme, student_number=number, admission_date=on
        )

    def move(enrollment, status, on):
        services.enrollment_transition(
            reason="학사 처리", actor=staff, enrollment=enrollment, status=status, effective_date=on
        )

    jihun_ms = admit(staff, student, ms_programme, "2025-0001", D(2025, 3, 3))
    move(jihun_ms, "enrolled", D(2025, 3, 3))
    services.enrollment_fast_track(
        reason="학사 처리",
        actor=staff,
        enrollment=jihun_ms,
        doctoral_programme=phd_programme,
        student_number="2025-9001",
        effective_date=D(2025, 9, 1),
    )
    sua = services.person_create(actor=staff, family_name_ko="최", given_name_ko="수아", email="sua@example.ac.kr")
    sua_ms = admit(staff, sua, ms_programme, "2025-0002", D(2025, 3, 3))
    move(sua_ms, "enrolled", D(2025, 3, 3))
    move(sua_ms, "on_leave", D(2025, 9, 1))
    move(sua_ms, "withdrawn", D(2026, 3, 2))
    minseo = services.person_create(actor=other_university_staff, family_name_ko="정", given_name_ko="민서")
    admit(other_university_staff, minseo, other_ms, "N2026-01", D(2026, 3, 2))
    services.expert_profile_save(actor=None, person=minseo, skills=["로봇 제어"])

    seoyeon = researcher.person
    services.researcher_profile_save(
        actor=researcher, person=seoyeon, return_programme="brain_pool", korean_affiliation=university
    )
    expert = services.expert_profile_save(actor=researcher, person=seoyeon, skills=["자연어 처리"])
    services.expert_consent_set(actor=researcher, profile=expert, consent_to_matching=True)
    dohyun = services.person_create(actor=None, family_name_ko="강", given_name_ko="도현", email="dohyun@example.org")
    services.researcher_profile_save(actor=None, person=dohyun, return_programme="innocore")
    services.expert_consent_set(
        actor=None, profile=services.expert_profile_save(actor=None, person=dohyun), consent_to_matching=True
    )

    open_problem = factories.FieldProblemFactory(organization=company)
    services.field_problem_open(actor=company_member, problem=open_problem)
    factories.FieldProblemFactory(organization=company)
    closed = factories.FieldProblemFactory(organization=other_company)
    services.field_problem_close(actor=None, problem=closed)
    return {"persons": [student, sua, minseo, seoyeon, dohyun]}


def client_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def headcount(data: dict[str, Any], status: str) -> tuple[int, int]:
    cell = data["by_status"][status]
    return cell["enrollments"], cell["persons"]


def groups(data: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {group["label"]: (group["enrollments"], group["persons"]) for group in data["groups"]}


def test_the_ministry_reads_the_registry_totals(registry, ministry_analyst):
    response = client_as(ministry_analyst).get(REGISTRY)

    assert response.status_code == 200
    data = response.data
    assert data["persons"] == 5
    assert data["enrollments_by_status"]["total"] == 4
    assert {k: v for k, v in data["enrollments_by_status"]["counts"].items() if v} == {
        "admitted": 1,
        "enrolled": 1,
        "progressed": 1,
        "withdrawn": 1,
    }
    assert data["schools_by_track"]["counts"] == {"designated": 1, "open": 1}
    assert data["programmes_by_degree_level"]["counts"] == {"ms": 2, "phd": 1, "integrated": 0, "non_degree": 0}
    assert data["returning_researchers_by_programme"]["counts"] == {
        "brain_pool": 1,
        "innocore": 1,
        "return_track": 0,
        "other": 0,
        "unspecified": 0,
    }
    assert data["expert_profiles_with_consent"] == 2
    assert data["field_problems_by_status"]["counts"] == {"draft": 1, "open": 1, "closed": 1}


def test_a_university_reads_only_its_own_totals(registry, university_staff):
    data = client_as(university_staff).get(REGISTRY).data

    assert data["persons"] == 3  # 박지훈, 최수아 and 이서연 who works there
    assert data["enrollments_by_status"]["total"] == 3
    assert data["enrollments_by_status"]["counts"]["admitted"] == 0
    assert data["schools_by_track"]["counts"] == {"designated": 1, "open": 0}
    assert data["programmes_by_degree_level"]["total"] == 2
    assert data["returning_researchers_by_programme"]["counts"]["brain_pool"] == 1
    assert data["returning_researchers_by_programme"]["total"] == 1
    assert data["expert_profiles_with_consent"] == 1
    # Its consortium company's published problems only: a draft is the company's own business.
    assert data["field_problems_by_status"]["counts"] == {"draft": 0, "open": 1, "closed": 0}


def test_enrollments_are_counted_by_current_status_and_a_person_counts_once(registry, ministry_analyst):
    data = client_as(ministry_analyst).get(ENROLLMENTS).data

    assert (data["total"]["enrollments"], data["total"]["persons"]) == (4, 3)
    assert headcount(data["total"], "enrolled") == (1, 1)
    assert headcount(data["total"], "progressed") == (1, 1)
    assert headcount(data["total"], "withdrawn") == (1, 1)
    assert headcount(data["total"], "admitted") == (1, 1)
    assert headcount(data["total"], "graduated") == (0, 0)
    assert data["groups"] == []


def test_enrollments_grouped_by_university(registry, ministry_analyst):
    data = client_as(ministry_analyst).get(ENROLLMENTS, {"by": "university"}).data

    assert groups(data) == {"한빛대학교": (3, 2), "누리대학교": (1, 1)}
    hanbit = next(group for group in data["groups"] if group["label"] == "한빛대학교")
    assert headcount(hanbit, "enrolled") == (1, 1)
    assert headcount(hanbit, "admitted") == (0, 0)


def test_group_labels_follow_the_requested_language(registry, ministry_analyst):
    data = client_as(ministry_analyst).get(ENROLLMENTS, {"by": "university"}, HTTP_ACCEPT_LANGUAGE="en").data

    assert set(groups(data)) == {"Hanbit University", "Nuri University"}


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("degree_level", {"Master's": (3, 3), "Doctorate": (1, 1)}),
        ("status", {"Enrolled": (1, 1), "Progressed to doctorate": (1, 1), "Withdrawn": (1, 1), "Admitted": (1, 1)}),
        ("admission_year", {"2025": (3, 2), "2026": (1, 1)}),
        ("region", {"Daejeon Metropolitan City": (3, 2), "Busan Metropolitan City": (1, 1)}),
    ],
)
def test_enrollments_grouped_by_a_category(registry, ministry_analyst, by, expected):
    data = client_as(ministry_analyst).get(ENROLLMENTS, {"by": by}, HTTP_ACCEPT_LANGUAGE="en").data

    assert groups(data) == expected


@pytest.mark.parametrize(
    ("as_of", "total", "by_status"),
    [
        # Before the fast track: both master's students enrolled; the PhD did not exist yet.
        ("2025-06-01", (2, 2), {"enrolled": (2, 2)}),
        # After it: 박지훈's MS progressed and his PhD enrolled (one person), 최수아 on leave.
        ("2025-10-01", (3, 2), {"enrolled": (1, 1), "progressed": (1, 1), "on_leave": (1, 1)}),
        ("2024-12-31", (0, 0), {}),
    ],
)
def test_a_past_date_gives_the_statuses_in_force_then(registry, ministry_analyst, as_of, total, by_status):
    data = client_as(ministry_analyst).get(ENROLLMENTS, {"as_of": as_of}).data

    assert data["as_of"] == as_of
    assert (data["total"]["enrollments"], data["total"]["persons"]) == total
    shown = {status: (cell["enrollments"], cell["persons"]) for status, cell in data["total"]["by_status"].items()}
    assert {status: cell for status, cell in shown.items() if cell != (0, 0)} == by_status


def test_a_past_date_grouped_by_programme(registry, ministry_analyst, ms_programme, phd_programme):
    data = client_as(ministry_analyst).get(ENROLLMENTS, {"as_of": "2025-10-01", "by": "programme"}).data

    assert {group["key"]: (group["enrollments"], group["persons"]) for group in data["groups"]} == {
        str(ms_programme.pk): (2, 2),
        str(phd_programme.pk): (1, 1),
    }


def test_a_university_counts_only_its_own_enrollments(registry, other_university_staff):
    data = client_as(other_university_staff).get(ENROLLMENTS, {"by": "school"}).data

    assert (data["total"]["enrollments"], data["total"]["persons"]) == (1, 1)
    assert [group["enrollments"] for group in data["groups"]] == [1]


def test_no_personal_data_in_any_statistics_response(registry, ministry_analyst):
    client = client_as(ministry_analyst)
    bodies = [client.get(REGISTRY).data] + [
        client.get(ENROLLMENTS, {"by": by, "as_of": "2026-06-01"}).data
        for by in ("university", "school", "programme", "degree_level", "status", "region", "admission_year")
    ]

    text = json.dumps(bodies, ensure_ascii=False, default=str)
    for person in registry["persons"]:
        assert person.given_name_ko not in text
        assert not person.email or person.email not in text
    assert not _keys(bodies) & PERSONAL_KEYS


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for child in value.values() for key in _keys(child)}
    if isinstance(value, list):
        return {key for child in value for key in _keys(child)}
    return set()


def test_a_bad_date_is_refused_with_a_field_message(ministry_analyst):
    response = client_as(ministry_analyst).get(ENROLLMENTS, {"as_of": "2026-13-01"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.data["errors"]["as_of"] == ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]


def test_an_unknown_grouping_lists_the_allowed_ones(ministry_analyst):
    response = client_as(ministry_analyst).get(ENROLLMENTS, {"by": "gender"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.data["errors"]["by"] == [
        "Unknown grouping “gender”; use one of: university, school, programme, degree_level, status, region, "
        "admission_year."
    ]


@pytest.mark.parametrize("actor", ["company_member", "researcher", "outsider"])
def test_companies_researchers_and_outsiders_may_not_read_statistics(request, actor):
    client = client_as(request.getfixturevalue(actor))

    assert client.get(REGISTRY).status_code == 403
    assert client.get(ENROLLMENTS).status_code == 403


def _queries(user, url: str, params: dict[str, str]) -> int:
    client = client_as(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_statistics_cost_a_fixed_number_of_queries_whatever_the_registry_size(registry, ministry_analyst, ms_programme):
    before = (_queries(ministry_analyst, REGISTRY, {}), _queries(ministry_analyst, ENROLLMENTS, {"by": "programme"}))
    for number in range(20):
        person = factories.PersonFactory()
        services.enrollment_admit(
            actor=None,
            person=person,
            programme=ms_programme,
            student_number=f"X{number:03d}",
            admission_date=D(2025, 3, 3),
        )
    after = (_queries(ministry_analyst, REGISTRY, {}), _queries(ministry_analyst, ENROLLMENTS, {"by": "programme"}))

    # The user's membership and organization, then one aggregation per figure.
    assert before == after == (2 + 7, 2 + 4)
