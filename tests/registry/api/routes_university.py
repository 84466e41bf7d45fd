"""The university staff's routes: the catalogue (organizations, schools, programmes) and enrollments."""

from __future__ import annotations

import datetime

from talent.registry import services
from talent.registry.services.people import PersonFields
from tests import factories
from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses

OUTSIDERS = {"company": 403, "other_company": 403, "researcher": 403, "other_researcher": 403}
STAFF_ONLY = {**OUTSIDERS, "ministry": 403}


def _organization_ids(world: World, role: str) -> set[int]:
    ministry = world.users["ministry"].membership.organization_id
    return {world.university_a.id, world.university_b.id, world.company.id, world.other_company.id, ministry}


def _by_university(a: int, b: int, *, ministry_sees: bool) -> dict[str, set[int]]:
    return {
        "university_a": {a},
        "university_b": {b},
        "operator": {a, b},
        "ministry": {a, b} if ministry_sees else set(),
    }


def _school_ids(world: World, role: str) -> set[int]:
    return _by_university(world.school_a.id, world.school_b.id, ministry_sees=True).get(role, set())


def _programme_ids(world: World, role: str) -> set[int]:
    return _by_university(world.programme_a.id, world.programme_b.id, ministry_sees=True).get(role, set())


def _enrollment_ids(world: World, role: str) -> set[int]:
    return _by_university(world.enrollment_a.id, world.enrollment_b.id, ministry_sees=False).get(role, set())


def _event_ids_of_a(world: World, role: str) -> set[int]:
    return set(world.enrollment_a.events.values_list("id", flat=True))


def _mistake_of_a(world: World) -> int:
    """A change of A's enrollment that can be voided (its latest), recorded once per world."""
    if "mistake" not in world.extra:
        event = services.enrollment_transition(
            actor=None, enrollment=world.enrollment_a, status="enrolled", effective_date=datetime.date(2026, 3, 2)
        )
        world.extra["mistake"] = event.id
    return int(world.extra["mistake"])


def _new_school(world: World) -> dict:
    # `university` names A: operators need it; staff of B must still get a school of their own (B).
    return {
        "university": world.university_a.id,
        "name_ko": "신설 AX 대학원",
        "track": "open",
        "selection_year": 2027,
        "support_start": "2027-03-01",
        "support_end": "2031-02-28",
        "convergence_fields": ["energy"],
        "consortium_companies": [world.company.id],
    }


def _new_programme(world: World) -> dict:
    return {"school": world.school_a.id, "name_ko": "가람 AX 박사", "degree_level": "phd", "normal_duration_months": 48}


def _admission(world: World) -> dict:
    return {
        "person": {"family_name_ko": "한", "given_name_ko": "서준", "email": "seojun@example.ac.kr"},
        "programme": world.programme_a.id,
        "student_number": "A2026002",
        "admission_date": "2026-09-01",
        "completion_route": "ax_project",
    }


def _fast_track(world: World) -> dict:
    """A doctoral programme at A, and enrollment_a enrolled: what the fast track needs."""
    doctoral = factories.ProgrammeFactory(school=world.school_a, name_ko="가람 AX 박사", degree_level="phd")
    services.enrollment_transition(
        actor=None, enrollment=world.enrollment_a, status="enrolled", effective_date=datetime.date(2026, 3, 2)
    )
    return {
        "doctoral_programme": doctoral.id,
        "student_number": "A2026P01",
        "effective_date": "2026-09-01",
        "reason": "석박사 통합 전환",
    }


def _appointments(world: World) -> dict:
    """An advisor appointed at each university (kept in `world.extra`); the GET sends no query."""
    for key, university in (("appointment_a", world.university_a), ("appointment_b", world.university_b)):
        new_person: PersonFields = {"family_name_ko": "정", "given_name_ko": f"교수{key[-1]}"}
        appointment = services.advisor_appoint(actor=None, university=university, role="advisor", new_person=new_person)
        world.extra[key] = appointment.id
    return {}


def _appointment_ids(world: World, role: str) -> set[int]:
    a, b = world.extra["appointment_a"], world.extra["appointment_b"]
    return {"university_a": {a}, "university_b": {b}, "operator": {a, b}}.get(role, set())


def _school_a(world: World) -> str:
    return f"/api/v1/graduate-schools/{world.school_a.id}/"


def _programme_a(world: World) -> str:
    return f"/api/v1/programmes/{world.programme_a.id}/"


def _enrollment_a(world: World) -> str:
    return f"/api/v1/enrollments/{world.enrollment_a.id}/"


ROUTES: list[Route] = [
    # --- Organizations: public facts for every signed-in user.
    Route(
        "organization-list",
        "GET",
        lambda w: "/api/v1/organizations/",
        statuses(200),
        visible_ids=_organization_ids,
    ),
    Route("organization-detail", "GET", lambda w: f"/api/v1/organizations/{w.company.id}/", statuses(200)),
    # --- Graduate schools: staff manage their own; the ministry reads all.
    Route(
        "graduate-school-list",
        "GET",
        lambda w: "/api/v1/graduate-schools/",
        statuses(200, **OUTSIDERS),
        visible_ids=_school_ids,
    ),
    Route(
        "graduate-school-list",
        "POST",
        lambda w: "/api/v1/graduate-schools/",
        statuses(201, **STAFF_ONLY),
        body=_new_school,
    ),
    Route("graduate-school-detail", "GET", _school_a, statuses(200, university_b=404, **OUTSIDERS)),
    Route(
        "graduate-school-detail",
        "PATCH",
        _school_a,
        statuses(200, university_b=404, **STAFF_ONLY),
        body=lambda w: {"name_en": "Garam AX Graduate School"},
    ),
    # --- Programmes: staff manage their own; the ministry reads all and decides what counts.
    Route(
        "programme-list",
        "GET",
        lambda w: "/api/v1/programmes/",
        statuses(200, **OUTSIDERS),
        visible_ids=_programme_ids,
    ),
    Route(
        "programme-list",
        "POST",
        lambda w: "/api/v1/programmes/",
        # B's staff cannot name A's school: a field error, as for a school that does not exist.
        statuses(201, university_b=400, **STAFF_ONLY),
        body=_new_programme,
    ),
    Route("programme-detail", "GET", _programme_a, statuses(200, university_b=404, **OUTSIDERS)),
    Route(
        "programme-detail",
        "PATCH",
        _programme_a,
        statuses(200, university_b=404, **STAFF_ONLY),
        body=lambda w: {"name_en": "Garam AX Master's"},
        notes="details: the university's staff only",
    ),
    Route(
        "programme-detail",
        "PATCH",
        _programme_a,
        statuses(200, university_b=404, **OUTSIDERS),
        body=lambda w: {"counts_toward_target": False},
        notes="counting: the ministry decides (ignored from the university's staff)",
    ),
    Route(
        "programme-counting-rules",
        "GET",
        lambda w: f"/api/v1/programmes/{w.programme_a.pk}/counting-rules/",
        statuses(200, university_b=404, **OUTSIDERS),
        notes="the history of whether the programme counts: whoever reads the programme",
    ),
    # --- Enrollments: the university's own staff and operators, never the ministry.
    Route(
        "enrollment-list",
        "GET",
        lambda w: "/api/v1/enrollments/",
        statuses(200, **STAFF_ONLY),
        visible_ids=_enrollment_ids,
    ),
    Route(
        "enrollment-list",
        "POST",
        lambda w: "/api/v1/enrollments/",
        statuses(201, university_b=400, **STAFF_ONLY),
        body=_admission,
    ),
    Route("enrollment-detail", "GET", _enrollment_a, statuses(200, university_b=404, **STAFF_ONLY)),
    # --- Advisor appointments: the university's own staff and operators.
    Route(
        "advisor-appointment-list",
        "GET",
        lambda w: "/api/v1/advisor-appointments/",
        statuses(200, **STAFF_ONLY),
        body=_appointments,
        visible_ids=_appointment_ids,
    ),
    Route(
        "advisor-appointment-list",
        "POST",
        lambda w: "/api/v1/advisor-appointments/",
        # Staff appoint at their own university (B's staff cannot name A: a field error); an operator names one.
        statuses(201, university_b=400, **STAFF_ONLY),
        body=lambda w: {
            "role": "co_advisor",
            "university": w.university_a.id,
            "person": {"family_name_ko": "문", "given_name_ko": "엔지니어"},
        },
    ),
    Route(
        "enrollment-detail",
        "PATCH",
        _enrollment_a,
        statuses(200, university_b=404, **STAFF_ONLY),
        body=lambda w: {"expected_completion": "2028-02-29", "person": {"email": "yuna@example.ac.kr"}},
    ),
    Route(
        "enrollment-transitions",
        "GET",
        lambda w: f"/api/v1/enrollments/{w.enrollment_a.id}/transitions/",
        statuses(200, university_b=404, **STAFF_ONLY),
        visible_ids=_event_ids_of_a,
    ),
    Route(
        "enrollment-transitions",
        "POST",
        lambda w: f"/api/v1/enrollments/{w.enrollment_a.id}/transitions/",
        statuses(201, university_b=404, **STAFF_ONLY),
        body=lambda w: {"status": "enrolled", "effective_date": "2026-03-02", "reason": "등록금 납부"},
    ),
    Route(
        "enrollment-event-void",
        "POST",
        lambda w: f"/api/v1/enrollments/{w.enrollment_a.id}/transitions/{_mistake_of_a(w)}/void/",
        statuses(201, university_b=404, **STAFF_ONLY),
        body=lambda w: {"reason": "다른 학생으로 잘못 입력"},
    ),
    Route(
        "enrollment-fast-track",
        "POST",
        lambda w: f"/api/v1/enrollments/{w.enrollment_a.id}/fast-track/",
        statuses(201, university_b=404, **STAFF_ONLY),
        body=_fast_track,
    ),
    Route(
        "enrollment-claim-code",
        "POST",
        lambda w: f"/api/v1/enrollments/{w.enrollment_a.id}/claim-code/",
        statuses(201, university_b=404, **STAFF_ONLY),
    ),
    Route(
        "enrollment-claim-code-revoke",
        "POST",
        lambda w: f"/api/v1/enrollments/{w.enrollment_a.id}/claim-code/revoke/",
        statuses(200, university_b=404, **STAFF_ONLY),
    ),
]
