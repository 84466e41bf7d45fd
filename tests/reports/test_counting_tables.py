"""`manage.py rebuild_counting_tables`: after a load that went around the triggers, the counting tables are found
to have drifted (--check fails) and are rebuilt to equal the enrollments again."""

from __future__ import annotations

import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from talent.registry.models import Enrollment
from tests.reports.test_counting_reference import random_histories
from tests.reports.test_enrollment_groups import assert_groups_match, groups


def _persons_table() -> dict[int, bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_id, several FROM reports_person_enrollments")
        return dict(cursor.fetchall())


def test_check_passes_while_the_triggers_keep_the_tables(campus, history, capsys):
    random_histories(campus, history, random.Random(3), persons=12)

    call_command("rebuild_counting_tables", "--check")

    assert "equal the enrollments" in capsys.readouterr().out


def test_a_drift_is_found_and_the_rebuild_mends_it(campus, history, capsys):
    random_histories(campus, history, random.Random(4), persons=12)
    persons_before = _persons_table()
    with connection.cursor() as cursor:  # what a load around the triggers leaves: rows lost and a wrong count
        cursor.execute("DELETE FROM reports_enrollment_groups WHERE status = 'enrolled'")
        cursor.execute("UPDATE reports_enrollment_groups SET enrollments = enrollments + 5")
        cursor.execute("DELETE FROM reports_person_enrollments WHERE person_id % 3 = 0")

    with pytest.raises(CommandError, match="drifted"):
        call_command("rebuild_counting_tables", "--check")
    call_command("rebuild_counting_tables")

    assert "found enrollment groups: " in capsys.readouterr().out
    assert_groups_match()
    assert sum(groups().values()) == Enrollment.objects.count()
    assert _persons_table() == persons_before
    call_command("rebuild_counting_tables", "--check")
