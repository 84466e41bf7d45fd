"""The counting tables that triggers keep on the registry's tables (migrations 0003 and 0004 create them):

- `reports_enrollment_groups`: enrollments per (programme, status, status date, next scheduled change,
  admission date, expected completion, person's gender);
- `reports_person_enrollments`: every person with an enrollment, and whether they have several.

Triggers keep both equal to `registry_enrollment` (and `registry_person`'s gender) in the same transaction. A
bulk load that bypasses the triggers (`session_replication_role = replica`, disabled triggers, a restore of
the registry tables alone) must rebuild them: `manage.py rebuild_counting_tables`.
"""

# The statements are assembled from this module's constants only (table and column names); nothing comes from input.
# ruff: noqa: S608
from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

GROUP_COLUMNS = "programme_id, status, status_since, next_change_on, admission_date, expected_completion"
GROUP_KEY = f"{GROUP_COLUMNS}, gender"
_E = ", ".join(f"e.{column}" for column in GROUP_COLUMNS.split(", "))

#: The groups as they should be: the GROUP BY the triggers keep equal to the enrollments.
EXPECTED_GROUPS = f"""
SELECT {_E}, pe.gender, count(*) AS enrollments
  FROM registry_enrollment e JOIN registry_person pe ON pe.id = e.person_id
 GROUP BY {_E}, pe.gender"""
EXPECTED_PERSONS = "SELECT person_id, count(*) > 1 AS several FROM registry_enrollment GROUP BY person_id"


@dataclass(frozen=True)
class Drift:
    """How far the counting tables are from the enrollments: rows missing from, or extra in, each table."""

    groups_missing: int
    groups_extra: int
    persons_missing: int
    persons_extra: int

    @property
    def none(self) -> bool:
        return not (self.groups_missing or self.groups_extra or self.persons_missing or self.persons_extra)


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])


def counting_tables_drift() -> Drift:
    """Compare the counting tables with the enrollments (read only)."""
    groups = f"SELECT {GROUP_KEY}, enrollments FROM reports_enrollment_groups"
    persons = "SELECT person_id, several FROM reports_person_enrollments"
    return Drift(
        groups_missing=_count(f"SELECT count(*) FROM ({EXPECTED_GROUPS} EXCEPT ALL {groups}) d"),
        groups_extra=_count(f"SELECT count(*) FROM ({groups} EXCEPT ALL {EXPECTED_GROUPS}) d"),
        persons_missing=_count(f"SELECT count(*) FROM ({EXPECTED_PERSONS} EXCEPT ALL {persons}) d"),
        persons_extra=_count(f"SELECT count(*) FROM ({persons} EXCEPT ALL {EXPECTED_PERSONS}) d"),
    )


def counting_tables_rebuild() -> Drift:
    """Rebuild both tables from the enrollments, in one transaction that holds writers of enrollments and
    persons off until it commits. Returns the drift found before the rebuild."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE registry_enrollment, registry_person IN SHARE MODE")
        drift = counting_tables_drift()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM reports_enrollment_groups")
            cursor.execute(f"INSERT INTO reports_enrollment_groups ({GROUP_KEY}, enrollments) {EXPECTED_GROUPS}")
            cursor.execute("DELETE FROM reports_person_enrollments")
            cursor.execute(f"INSERT INTO reports_person_enrollments (person_id, several) {EXPECTED_PERSONS}")
    return drift
