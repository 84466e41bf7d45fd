"""`reports_enrollment_groups` gains `next_change_on` (registry 0010: the day the next scheduled change takes
effect), so that the counting statements know which enrollments have their current status on a date without
reading them: those whose status was reached by then and whose next change comes after it. The others are found
through two indexes on the enrollments: the status date (changed since the date) and the next change (due).

The trigger functions of migration 0004 are replaced by the same functions over the new key; the table is
rebuilt from the enrollments in the same transaction.
"""

from django.db import migrations

COLUMNS = "programme_id, status, status_since, next_change_on, admission_date, expected_completion"
KEY = f"{COLUMNS}, gender"
E = ", ".join(f"e.{column}" for column in COLUMNS.split(", "))

UPSERT = f"""
    INSERT INTO reports_enrollment_groups AS g ({KEY}, enrollments)
    SELECT {KEY}, change FROM ({{change}}) c WHERE change <> 0 ORDER BY {KEY}
        ON CONFLICT ON CONSTRAINT reports_enrollment_groups_key
        DO UPDATE SET enrollments = g.enrollments + EXCLUDED.enrollments;
"""
CHANGE_OF = f"""SELECT {E}, pe.gender, {{sign}}count(*) AS change
      FROM {{rows}} e JOIN registry_person pe ON pe.id = e.person_id GROUP BY {E}, pe.gender"""
ADDED = CHANGE_OF.format(rows="added", sign="")
REMOVED = CHANGE_OF.format(rows="removed", sign="-")
CHANGED = f"SELECT {KEY}, sum(change) AS change FROM ({ADDED} UNION ALL {REMOVED}) both_ GROUP BY {KEY}"
REGENDERED = f"""SELECT {E}, g.gender, sum(g.change) AS change
      FROM (SELECT n.id AS person_id, n.gender, 1 AS change
              FROM added_persons n JOIN removed_persons o ON o.id = n.id AND o.gender IS DISTINCT FROM n.gender
            UNION ALL
            SELECT o.id, o.gender, -1
              FROM removed_persons o JOIN added_persons n ON n.id = o.id AND o.gender IS DISTINCT FROM n.gender) g
      JOIN registry_enrollment e ON e.person_id = g.person_id
     GROUP BY {E}, g.gender"""
LOCK_PERSONS = "PERFORM 1 FROM registry_person pe WHERE pe.id IN ({rows}) ORDER BY pe.id FOR SHARE;"
EMPTIED = """
    WITH emptied AS (DELETE FROM reports_enrollment_groups WHERE enrollments <= 0 RETURNING enrollments)
    SELECT count(*) FILTER (WHERE enrollments < 0) INTO below_zero FROM emptied;
    IF below_zero > 0 THEN
        RAISE EXCEPTION 'reports_enrollment_groups has drifted from registry_enrollment (% groups below zero)',
            below_zero USING ERRCODE = 'integrity_constraint_violation',
            HINT = 'Rebuild it: manage.py rebuild_counting_tables.';
    END IF;
"""


def functions(key: str, upsert: str, added: str, removed: str, changed: str, regendered: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION reports_count_enrollment_groups() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    below_zero integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        {LOCK_PERSONS.format(rows="SELECT person_id FROM added")}
        {upsert.format(change=added)}
    ELSIF TG_OP = 'DELETE' THEN
        {LOCK_PERSONS.format(rows="SELECT person_id FROM removed")}
        {upsert.format(change=removed)}
    ELSE
        {LOCK_PERSONS.format(rows="SELECT person_id FROM added UNION SELECT person_id FROM removed")}
        {upsert.format(change=changed)}
    END IF;
    {EMPTIED}
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION reports_regender_enrollment_groups() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    below_zero integer;
BEGIN
    {upsert.format(change=regendered)}
    {EMPTIED}
    RETURN NULL;
END
$$;
"""


def table(key: str, e: str) -> str:
    return f"""
ALTER TABLE reports_enrollment_groups DROP CONSTRAINT reports_enrollment_groups_key;
TRUNCATE reports_enrollment_groups;
INSERT INTO reports_enrollment_groups ({key}, enrollments)
SELECT {e}, pe.gender, count(*)
  FROM registry_enrollment e JOIN registry_person pe ON pe.id = e.person_id
 GROUP BY {e}, pe.gender;
ALTER TABLE reports_enrollment_groups
    ADD CONSTRAINT reports_enrollment_groups_key UNIQUE NULLS NOT DISTINCT ({key});
"""


FORWARD = f"""
LOCK TABLE registry_enrollment, registry_person IN SHARE MODE;
ALTER TABLE reports_enrollment_groups ADD COLUMN next_change_on date;
{table(KEY, E)}
{functions(KEY, UPSERT, ADDED, REMOVED, CHANGED, REGENDERED)}
CREATE INDEX IF NOT EXISTS reports_enrollment_since_idx ON registry_enrollment (status_since);
CREATE INDEX IF NOT EXISTS reports_enrollment_next_change_idx ON registry_enrollment (next_change_on)
    WHERE next_change_on IS NOT NULL;
"""

# Back to migration 0004's key: the same statements without the new column.
_OLD_COLUMNS = "programme_id, status, status_since, admission_date, expected_completion"
_OLD_KEY = f"{_OLD_COLUMNS}, gender"
_OLD_E = ", ".join(f"e.{column}" for column in _OLD_COLUMNS.split(", "))


def _old(text: str) -> str:
    return text.replace(KEY, _OLD_KEY).replace(E, _OLD_E)


BACKWARD = f"""
DROP INDEX IF EXISTS reports_enrollment_next_change_idx;
DROP INDEX IF EXISTS reports_enrollment_since_idx;
{functions(_OLD_KEY, _old(UPSERT), _old(ADDED), _old(REMOVED), _old(CHANGED), _old(REGENDERED))}
{table(_OLD_KEY, _OLD_E)}
ALTER TABLE reports_enrollment_groups DROP COLUMN next_change_on;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_registrar_year"),
        ("reports", "0006_person_enrollments_follow_merges"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
