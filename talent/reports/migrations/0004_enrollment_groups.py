"""`reports_enrollment_groups`: how many enrollments there are for each value of the columns the AX-TRAINED
figures depend on (programme, status, status date, admission date, expected completion) and of the person's
gender, the one fact about the person that a breakdown groups by and that does not depend on the date.

The counting statements (talent.reports.counting) read these few ten thousand rows instead of a million
enrollments. Triggers keep them: every insert, update, delete or truncate of registry_enrollment, and every
change of a person's gender, adds its change to the counts in the same transaction, so they always equal a
GROUP BY over the enrollments joined to their persons (a test checks this after every kind of write). The
status date is one of the columns, so as-of reports stay exact (enrollments that changed after the as-of
date are still rebuilt from events).

- One statement-level trigger per operation (PostgreSQL allows transition tables on one event only): the
  change is the new rows counted +1 and the old rows -1, per group, and only groups whose count changed are
  written, in key order (two transactions lock the rows they share in the same order).
- The enrollment triggers read their persons' gender after locking them FOR SHARE: a concurrent change of
  that gender waits for them, or they for it, so each sees the other's rows and no enrollment stays counted
  under a gender its person no longer has.
- A group whose count reaches 0 is deleted. A count below 0 can only come from a drift (rows lost or written
  around the triggers): it fails the write rather than miscount. (A CHECK cannot say this: PostgreSQL checks
  the row an upsert proposes, the change itself, before it finds the group to add it to.)
- On TRUNCATE (Django's flush), this table and reports_person_enrollments are emptied too.

Beside it, `reports_enrollment_withdrawn_idx`: the withdrawn enrollments' grouping columns by id, so that the
declined admissions among them (found in the events) are counted from the index alone, and
`reports_person_gender_idx`, the persons' gender by id, for the gender of those looked up one by one. The
counting index of migration 0003 (`reports_enrollment_state_idx`) is no longer read: it goes, and writes are
cheaper without it.
"""

from django.db import migrations

COLUMNS = "programme_id, status, status_since, admission_date, expected_completion"
KEY = f"{COLUMNS}, gender"
E = ", ".join(f"e.{column}" for column in COLUMNS.split(", "))

#: Add a change (rows of the key columns and `change`) to the counts, in key order.
UPSERT = f"""
    INSERT INTO reports_enrollment_groups AS g ({KEY}, enrollments)
    SELECT {KEY}, change FROM ({{change}}) c WHERE change <> 0 ORDER BY {KEY}
        ON CONFLICT ON CONSTRAINT reports_enrollment_groups_key
        DO UPDATE SET enrollments = g.enrollments + EXCLUDED.enrollments;
"""
#: The enrollments of a transition table with their persons' gender, +1 or -1 each, per group.
CHANGE_OF = f"""SELECT {E}, pe.gender, {{sign}}count(*) AS change
      FROM {{rows}} e JOIN registry_person pe ON pe.id = e.person_id GROUP BY {E}, pe.gender"""
ADDED = CHANGE_OF.format(rows="added", sign="")
REMOVED = CHANGE_OF.format(rows="removed", sign="-")
CHANGED = f"SELECT {KEY}, sum(change) AS change FROM ({ADDED} UNION ALL {REMOVED}) both_ GROUP BY {KEY}"
#: The enrollments of the persons whose gender a statement changed: -1 under the old one, +1 under the new.
REGENDERED = f"""SELECT {E}, g.gender, sum(g.change) AS change
      FROM (SELECT n.id AS person_id, n.gender, 1 AS change
              FROM added_persons n JOIN removed_persons o ON o.id = n.id AND o.gender IS DISTINCT FROM n.gender
            UNION ALL
            SELECT o.id, o.gender, -1
              FROM removed_persons o JOIN added_persons n ON n.id = o.id AND o.gender IS DISTINCT FROM n.gender) g
      JOIN registry_enrollment e ON e.person_id = g.person_id
     GROUP BY {E}, g.gender"""

#: Lock the changed enrollments' persons (in id order) before their gender is read.
LOCK_PERSONS = "PERFORM 1 FROM registry_person pe WHERE pe.id IN ({rows}) ORDER BY pe.id FOR SHARE;"

#: Delete the emptied groups; fail the write if one went below zero.
EMPTIED = """
    WITH emptied AS (DELETE FROM reports_enrollment_groups WHERE enrollments <= 0 RETURNING enrollments)
    SELECT count(*) FILTER (WHERE enrollments < 0) INTO below_zero FROM emptied;
    IF below_zero > 0 THEN
        RAISE EXCEPTION 'reports_enrollment_groups has drifted from registry_enrollment (% groups below zero)',
            below_zero USING ERRCODE = 'integrity_constraint_violation',
            HINT = 'Rebuild it: TRUNCATE reports_enrollment_groups, then INSERT the GROUP BY of migration 0004.';
    END IF;
"""

FORWARD = f"""
DROP INDEX IF EXISTS reports_enrollment_state_idx;

CREATE TABLE reports_enrollment_groups (
    programme_id bigint NOT NULL,
    status varchar(20) NOT NULL,
    status_since date,
    admission_date date NOT NULL,
    expected_completion date,
    gender varchar(10) NOT NULL,
    enrollments integer NOT NULL,
    CONSTRAINT reports_enrollment_groups_key UNIQUE NULLS NOT DISTINCT ({KEY})
);
-- The groups emptied by a change, deleted at once (this index is almost always empty).
CREATE INDEX reports_enrollment_groups_empty_idx ON reports_enrollment_groups (programme_id) WHERE enrollments <= 0;

INSERT INTO reports_enrollment_groups ({KEY}, enrollments)
SELECT {E}, pe.gender, count(*)
  FROM registry_enrollment e JOIN registry_person pe ON pe.id = e.person_id
 GROUP BY {E}, pe.gender;

CREATE INDEX IF NOT EXISTS reports_enrollment_withdrawn_idx ON registry_enrollment (id)
    INCLUDE (programme_id, status_since, admission_date, expected_completion, person_id)
    WHERE status = 'withdrawn';

-- The gender of the persons counted one by one, and of the declined admissions, from the index alone.
CREATE INDEX IF NOT EXISTS reports_person_gender_idx ON registry_person (id) INCLUDE (gender);

CREATE FUNCTION reports_count_enrollment_groups() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    below_zero integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        {LOCK_PERSONS.format(rows="SELECT person_id FROM added")}
        {UPSERT.format(change=ADDED)}
    ELSIF TG_OP = 'DELETE' THEN
        {LOCK_PERSONS.format(rows="SELECT person_id FROM removed")}
        {UPSERT.format(change=REMOVED)}
    ELSE
        {LOCK_PERSONS.format(rows="SELECT person_id FROM added UNION SELECT person_id FROM removed")}
        {UPSERT.format(change=CHANGED)}
    END IF;
    {EMPTIED}
    RETURN NULL;
END
$$;

CREATE TRIGGER reports_count_enrollment_groups_insert AFTER INSERT ON registry_enrollment
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_enrollment_groups();
CREATE TRIGGER reports_count_enrollment_groups_update AFTER UPDATE ON registry_enrollment
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_enrollment_groups();
CREATE TRIGGER reports_count_enrollment_groups_delete AFTER DELETE ON registry_enrollment
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_enrollment_groups();

CREATE FUNCTION reports_regender_enrollment_groups() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    below_zero integer;
BEGIN
    {UPSERT.format(change=REGENDERED)}
    {EMPTIED}
    RETURN NULL;
END
$$;

CREATE TRIGGER reports_regender_enrollment_groups AFTER UPDATE ON registry_person
    REFERENCING OLD TABLE AS removed_persons NEW TABLE AS added_persons
    FOR EACH STATEMENT EXECUTE FUNCTION reports_regender_enrollment_groups();

CREATE FUNCTION reports_forget_enrollments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE reports_enrollment_groups, reports_person_enrollments;
    RETURN NULL;
END
$$;
CREATE TRIGGER reports_forget_enrollments AFTER TRUNCATE ON registry_enrollment
    FOR EACH STATEMENT EXECUTE FUNCTION reports_forget_enrollments();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS reports_forget_enrollments ON registry_enrollment;
DROP FUNCTION IF EXISTS reports_forget_enrollments();
DROP TRIGGER IF EXISTS reports_regender_enrollment_groups ON registry_person;
DROP FUNCTION IF EXISTS reports_regender_enrollment_groups();
DROP TRIGGER IF EXISTS reports_count_enrollment_groups_insert ON registry_enrollment;
DROP TRIGGER IF EXISTS reports_count_enrollment_groups_update ON registry_enrollment;
DROP TRIGGER IF EXISTS reports_count_enrollment_groups_delete ON registry_enrollment;
DROP FUNCTION IF EXISTS reports_count_enrollment_groups();
DROP INDEX IF EXISTS reports_person_gender_idx;
DROP INDEX IF EXISTS reports_enrollment_withdrawn_idx;
DROP TABLE IF EXISTS reports_enrollment_groups;
CREATE INDEX IF NOT EXISTS reports_enrollment_state_idx ON registry_enrollment
    (programme_id, status, status_since, admission_date, expected_completion) INCLUDE (id);
"""


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_counting_indexes_and_shared_persons")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
