"""Migration registry 0018 writes each university's record of persons shared before PersonAsRecorded existed: the
stored person with what that university gave and the registry kept as a difference; without what a merge took
from the other record; an enrollment a merge moved keeps the merged record's details."""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps

from talent.registry import services
from talent.registry.models import PersonAsRecorded
from talent.registry.services.merges import person_merge
from tests import factories

D = datetime.date
backfill = importlib.import_module("talent.registry.migrations.0018_person_as_recorded_backfill").backfill


def test_linked_and_merged_persons_get_their_universities_records(
    university_staff, ms_programme, other_university_staff, other_university, operator
):
    nuri = factories.ProgrammeFactory(school__university=other_university)
    first = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, student_number="2026-0001", admission_date=D(2026, 3, 2),
        new_person={"family_name_ko": "정", "given_name_ko": "하린", "email": "harin@hanbit.ac.kr",
                    "orcid": "0000-0002-1825-0097"},
    )  # fmt: skip
    linked = services.enrollment_admit(
        actor=other_university_staff, programme=nuri, student_number="N-1", admission_date=D(2026, 3, 3),
        new_person={"family_name_ko": "정", "given_name_ko": "하린", "email": "harin@nuri.ac.kr",
                    "orcid": "0000-0002-1825-0097"},
    )  # fmt: skip
    kept = services.enrollment_admit(
        actor=university_staff, programme=ms_programme, student_number="2026-0002", admission_date=D(2026, 3, 2),
        new_person={"family_name_ko": "이", "given_name_ko": "서연"},
    )  # fmt: skip
    moved = services.enrollment_admit(
        actor=other_university_staff, programme=nuri, student_number="N-2", admission_date=D(2026, 3, 3),
        new_person={"family_name_ko": "이", "given_name_ko": "서연", "family_name_latin": "Rhee"},
    )  # fmt: skip
    person_merge(actor=operator, survivor=kept.person, merged=moved.person)
    PersonAsRecorded.objects.all().delete()  # as before the model existed

    backfill(apps, None)

    records = {r.enrollment_id: r for r in PersonAsRecorded.objects.all()}
    assert (records[first.pk].email, records[linked.pk].email) == ("harin@hanbit.ac.kr", "harin@nuri.ac.kr")
    assert records[kept.pk].family_name_latin == ""  # the survivor took it from the merged record
    assert records[moved.pk].family_name_latin == "Rhee"
