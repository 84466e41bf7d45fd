"""reports_enrollment_groups, kept by triggers, always equals a GROUP BY over registry_enrollment.

The counting statements read it instead of the enrollments; here every kind of write the registry makes
(admission, status changes, corrections, a roster import by COPY, a change of person, a delete, a truncate)
is followed by the comparison."""

from __future__ import annotations

import datetime
import functools
import random
import threading
from collections.abc import Callable

import pgtrigger
import pytest
from django.db import connection, connections, transaction

from talent.common.errors import Conflict
from talent.registry import services
from talent.registry.models import Enrollment, EnrollmentEvent, Person
from talent.roster import services as roster
from tests import factories
from tests.reports.conftest import D
from tests.reports.test_counting_reference import random_histories

COLUMNS = "programme_id, status, status_since, admission_date, expected_completion"


def groups() -> dict[tuple, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS}, gender, enrollments FROM reports_enrollment_groups")  # noqa: S608
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}


def grouped_enrollments() -> dict[tuple, int]:
    columns = ", ".join(f"e.{column}" for column in COLUMNS.split(", "))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT {columns}, pe.gender, count(*)
                  FROM registry_enrollment e JOIN registry_person pe ON pe.id = e.person_id
                 GROUP BY {columns}, pe.gender"""  # noqa: S608
        )
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}


def assert_groups_match() -> None:
    expected = grouped_enrollments()
    assert expected, "nothing was written: the comparison would prove nothing"
    assert groups() == expected


@pytest.mark.parametrize("seed", [1, 2])
def test_admissions_and_status_changes_are_counted(campus, history, seed):
    random_histories(campus, history, random.Random(seed), persons=30)
    assert_groups_match()
    assert sum(groups().values()) == Enrollment.objects.count()


def test_a_status_change_and_a_corrected_expected_completion_move_the_enrollment(campus, history):
    steps = [("enrolled", D(2025, 3, 2))]
    enrollment = history(factories.PersonFactory(), campus.ms_x, admitted=D(2025, 3, 1), steps=steps)
    other = history(factories.PersonFactory(gender="female"), campus.ms_x, admitted=D(2025, 3, 1), steps=steps)
    Person.objects.filter(pk=enrollment.person_id).update(gender="female")
    assert groups()[(campus.ms_x.pk, "enrolled", D(2025, 3, 2), D(2025, 3, 1), None, "female")] == 2

    services.enrollment_transition(actor=None, enrollment=enrollment, status="on_leave", effective_date=D(2025, 9, 1))
    services.enrollment_update(actor=None, enrollment=other, expected_completion=D(2027, 2, 28))

    assert_groups_match()
    assert (campus.ms_x.pk, "enrolled", D(2025, 3, 2), D(2025, 3, 1), None, "female") not in groups(), "emptied"


def test_a_persons_changed_gender_moves_their_enrollments(campus, history):
    person = factories.PersonFactory(gender="female")
    history(person, campus.ms_x, admitted=D(2024, 3, 4), steps=[("enrolled", D(2024, 3, 4))])
    history(person, campus.phd_x, admitted=D(2025, 3, 4))
    history(factories.PersonFactory(gender="female"), campus.ms_x, admitted=D(2024, 3, 4))

    services.person_update(actor=None, person=person, gender="male")
    assert_groups_match()
    assert {key[-1]: count for key, count in groups().items() if key[0] == campus.phd_x.pk} == {"male": 1}

    Person.objects.filter(gender="female").update(gender="")  # several persons in one statement
    assert_groups_match()
    assert {key[-1] for key in groups()} == {"male", ""}


def test_a_roster_import_by_copy_is_counted(university, university_staff, ms_programme):
    rows = [
        [f"2026-{n:04d}", "김", f"학생{n}", "", "", "2001-04-12", "여", "", ms_programme.name_ko, "2026-03-02", status]
        for n, status in enumerate(["재학", "재학", "입학", "휴학"], start=1)
    ]
    header = "학번,성,이름,영문 성,영문 이름,생년월일,성별,이메일,과정,입학일,학적상태\r\n"
    content = (header + "".join(",".join(row) + "\r\n" for row in rows)).encode()
    result = roster.roster_import(
        actor=university_staff, university=university, filename="명단.csv", content=content, dry_run=False
    )
    assert result.applied and result.totals()["created"] == 4

    assert_groups_match()


def test_moving_an_enrollment_to_another_person_and_deleting_one_are_counted(campus, history):
    first = history(factories.PersonFactory(), campus.ms_y, admitted=D(2025, 9, 1))
    history(factories.PersonFactory(), campus.ms_y, admitted=D(2025, 9, 1))
    Enrollment.objects.filter(pk=first.pk).update(person=factories.PersonFactory())
    # Events are append-only, so an enrollment is never deleted in use; the trigger counts a delete all the same.
    with pgtrigger.ignore("registry.EnrollmentEvent:enrollment_event_append_only"):
        EnrollmentEvent.objects.filter(enrollment=first).delete()
    Enrollment.objects.filter(pk=first.pk).delete()

    assert_groups_match()
    assert sum(groups().values()) == 1


@pytest.mark.django_db(transaction=True)
def test_a_truncate_empties_the_groups_and_the_shared_persons(campus, history):
    # Django's flush (after this very test too) truncates the tables: the groups go with the enrollments.
    history(factories.PersonFactory(), campus.ms_x, admitted=D(2025, 9, 1))
    assert groups()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_enrollment CASCADE")
        cursor.execute("SELECT count(*) FROM reports_person_enrollments")
        shared = cursor.fetchone()[0]
    assert groups() == {}
    assert shared == 0


def test_a_drift_fails_the_write_instead_of_miscounting(campus, history):
    enrollment = history(factories.PersonFactory(), campus.ms_x, admitted=D(2025, 9, 1))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_enrollment_groups")  # as if the table had lost its rows
    with pytest.raises(Conflict) as refused, transaction.atomic():
        services.enrollment_transition(
            actor=None, enrollment=enrollment, status="enrolled", effective_date=datetime.date(2025, 9, 2)
        )
    assert "reports_enrollment_groups has drifted" in str(refused.value.__cause__)


def run_together(*jobs: Callable[[], object], timeout: float = 60) -> None:
    """Run each job in a thread of its own (its own database connection) and fail with any job's error."""
    failures: list[Exception] = []

    def run(job: Callable[[], object]) -> None:
        try:
            job()
        except Exception as exc:  # noqa: BLE001 -- reported in the test's thread below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not failures, failures


@pytest.mark.django_db(transaction=True)
def test_concurrent_status_changes_in_the_same_groups_are_all_counted(campus, history):
    """Four connections move students of one group through the same statuses on the same days at once: they
    meet on the same group rows (and create the same new ones), and every change is counted once."""
    cohort = [history(factories.PersonFactory(gender="male"), campus.ms_y, admitted=D(2025, 3, 1)) for _ in range(16)]
    steps = [("enrolled", D(2025, 3, 2)), ("on_leave", D(2025, 9, 1)), ("enrolled", D(2026, 3, 2))]

    def move(enrollments: list[Enrollment]) -> None:
        for status, day in steps:
            for enrollment in enrollments:
                services.enrollment_transition(
                    reason="학사 처리", actor=None, enrollment=enrollment, status=status, effective_date=day
                )

    run_together(*(functools.partial(move, cohort[n::4]) for n in range(4)))

    assert_groups_match()
    assert groups() == {(campus.ms_y.pk, "enrolled", D(2026, 3, 2), D(2025, 3, 1), None, "male"): 16}


@pytest.mark.django_db(transaction=True)
def test_a_gender_changed_while_an_enrollment_is_being_added_is_not_missed(campus):
    """An admission's trigger reads the person's gender; a concurrent change of that gender moves the
    enrollments it can see. Without a lock each would miss the other and leave the new enrollment counted
    under the old gender. The trigger's FOR SHARE makes the change wait for the admission to commit."""
    person = factories.PersonFactory(gender="female")
    admitted, done = threading.Event(), threading.Event()

    def admit() -> None:
        with transaction.atomic():
            services.enrollment_admit(
                actor=None,
                person=person,
                programme=campus.ms_x,
                student_number="L0000001",
                admission_date=D(2025, 9, 1),
            )
            admitted.set()
            done.wait(timeout=2)  # the change below is blocked meanwhile (or, without the lock, done)

    def change_gender() -> None:
        admitted.wait(timeout=10)
        Person.objects.filter(pk=person.pk).update(gender="male")
        done.set()

    run_together(admit, change_gender, timeout=30)

    assert_groups_match()
    assert {key[-1] for key in groups()} == {"male"}
