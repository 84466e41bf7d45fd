"""Roster imports and status changes at the same time, each client on its own connection to the real PostgreSQL:
no server error, every refusal a 409 that says why, and the events of each enrollment still a gapless sequence
whose last one is the enrollment's status."""

from __future__ import annotations

import datetime
import functools
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from talent.registry import services
from talent.registry.models import Enrollment, EnrollmentEvent, ImportBatch
from tests.reports.test_enrollment_groups import assert_groups_match
from tests.roster.conftest import csv_bytes

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)


def run_together(jobs: list[Callable[[], object]], *, timeout: float = 600) -> None:
    """Start every job in a thread of its own (its own database connection) at the same moment."""
    start = threading.Barrier(len(jobs))
    failures: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            start.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 -- reported in the test's thread below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a client never finished"
    assert not failures, failures


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def roster_row(number: str, status: str, programme: str) -> list[str]:
    return [number, "김", f"학생{number[-3:]}", "", "", "2001-04-12", "여", "", programme, "2026-03-02", status]


def post_roster(client: APIClient, content: bytes):
    upload = SimpleUploadedFile("명단.csv", content)
    return client.post("/api/v1/enrollments/import/", {"file": upload}, format="multipart")


def assert_events_consistent() -> None:
    """Every enrollment's events are numbered 1..n without a gap, and its status is its latest event's."""
    for enrollment in Enrollment.objects.prefetch_related("events"):
        events = sorted(enrollment.events.all(), key=lambda e: e.sequence)
        assert [e.sequence for e in events] == list(range(1, len(events) + 1)), enrollment.student_number
        latest = max(events, key=lambda e: (e.effective_date, e.sequence))
        assert (enrollment.status, enrollment.status_since) == (latest.status, latest.effective_date)


@pytest.fixture
def cohort(university_staff, ms_programme) -> list[Enrollment]:
    """Twenty enrolled students of 한빛대학교's AX master's."""
    enrollments = []
    for n in range(20):
        enrollment = services.enrollment_admit(
            actor=university_staff,
            new_person={"family_name_ko": "김", "given_name_ko": f"학생{n:03d}"},
            programme=ms_programme,
            student_number=f"2026-0{n:03d}",
            admission_date=D(2026, 3, 2),
        )
        services.enrollment_transition(
            actor=university_staff, enrollment=enrollment, status="enrolled", effective_date=D(2026, 3, 2)
        )
        enrollments.append(enrollment)
    return enrollments


def test_imports_beside_status_changes_answer_no_server_error(university_staff, ms_programme, cohort):
    """Eight clients move students between enrolled and on leave while twelve imports change the same students'
    statuses and add students of their own."""
    answers: Counter[int] = Counter()
    created: Counter[str] = Counter()
    today = timezone.localdate()

    def change_statuses(mine: list[Enrollment]) -> None:
        client = client_of(university_staff)
        for status in ("on_leave", "enrolled", "on_leave"):
            for enrollment in mine:
                url = f"/api/v1/enrollments/{enrollment.pk}/transitions/"
                response = client.post(url, {"status": status, "effective_date": today.isoformat()}, format="json")
                answers[response.status_code] += 1
                assert response.status_code in (201, 409), response.content

    def import_roster(n: int) -> None:
        rows = [roster_row(e.student_number, "휴학" if n % 2 else "재학", ms_programme.name_ko) for e in cohort[n::3]]
        rows.append(roster_row(f"2026-9{n:03d}", "재학", ms_programme.name_ko))
        response = post_roster(client_of(university_staff), csv_bytes(rows))
        assert response.status_code == 201, response.content  # imports take turns: none is refused
        created[f"2026-9{n:03d}"] += 1

    jobs: list[Callable[[], object]] = [functools.partial(change_statuses, cohort[n::8]) for n in range(8)]
    jobs += [functools.partial(import_roster, n) for n in range(12)]
    run_together(jobs)

    assert answers[500] == 0
    assert answers[201] >= 24, answers  # most changes went through; a refused one was illegal by then
    assert Enrollment.objects.filter(student_number__startswith="2026-9").count() == len(created) == 12
    assert_events_consistent()
    assert_groups_match()  # the counting groups the triggers keep agree with the enrollments


def test_identical_imports_sent_together_store_the_students_once(university_staff, ms_programme):
    content = csv_bytes([roster_row(f"2026-5{n:03d}", "재학", ms_programme.name_ko) for n in range(30)])
    answers: list[int] = []

    def import_roster() -> None:
        response = post_roster(client_of(university_staff), content)
        answers.append(response.status_code)
        assert response.status_code == 201, response.content

    run_together([import_roster for _ in range(10)])

    assert answers == [201] * 10
    assert Enrollment.objects.count() == 30
    assert EnrollmentEvent.objects.count() == 60  # admitted and enrolled, once each
    batches = ImportBatch.objects.filter(status="applied").order_by("pk")
    assert [(b.created_count, b.unchanged_count) for b in batches] == [(30, 0)] + [(0, 30)] * 9
    assert_events_consistent()
    assert_groups_match()
