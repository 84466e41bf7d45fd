"""Every change to personal data leaves a history row naming who made it; bulk writes too."""

from __future__ import annotations

import datetime

import pghistory
import pytest

from talent.registry import services
from talent.registry.models import Enrollment, Person

pytestmark = pytest.mark.django_db


def history_of(model, obj):
    return model.history.rel.related_model.objects.filter(pgh_obj_id=obj.pk).order_by("pgh_id")


def test_creating_and_editing_a_person_is_recorded_with_the_acting_user(university_staff, ms_programme):
    person = services.person_create(actor=university_staff, family_name_ko="문", given_name_ko="채원")
    services.enrollment_admit(
        actor=university_staff,
        person=person,
        programme=ms_programme,
        student_number="2026-0009",
        admission_date=datetime.date(2026, 3, 2),
    )
    services.person_update(actor=university_staff, person=person, email="chaewon@example.ac.kr")
    rows = list(history_of(Person, person))
    assert [r.pgh_label for r in rows] == ["insert", "update"]
    assert rows[1].email == "chaewon@example.ac.kr"
    assert all(r.pgh_context.metadata["user"] == university_staff.pk for r in rows)
    assert rows[1].pgh_context.metadata["action"] == "person_update"


def test_bulk_updates_are_recorded_too(university_staff):
    person = services.person_create(actor=university_staff, family_name_ko="문", given_name_ko="채원")
    with pghistory.context(user=university_staff.pk):
        Person.objects.filter(pk=person.pk).update(given_name_ko="채린")
    assert history_of(Person, person).last().given_name_ko == "채린"


def test_a_status_change_is_in_the_enrollment_history(enrollment, university_staff):
    services.enrollment_transition(
        actor=university_staff, enrollment=enrollment, status="enrolled", effective_date=datetime.date(2026, 3, 2)
    )
    labels = list(history_of(Enrollment, enrollment).values_list("pgh_label", "status"))
    assert labels[-1] == ("update", "enrolled")
