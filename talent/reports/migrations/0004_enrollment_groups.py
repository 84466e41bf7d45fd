"""`reports_enrollment_groups`: how many enrollments there are for each value of the columns the AX-TRAINED
figures depend on (programme, status, status date, admission date, expected completion).

The counting statements (talent.reports.counting) read these few ten thousand rows instead of a million
enrollments. Triggers keep them: every insert, update, delete or truncate of registry_enrollment adds its
change to the counts in the same transaction, so they always equal a GROUP BY over the table (a test checks
this after every kind of write). Nothing in it depends on a date: the status date is one of the columns, so
as-of reports stay exact (enrollments that changed after the as-of date are still rebuilt from events).

- One statement-level trigger per operation (PostgreSQL allows transition tables on one event only), one
  function: the change is the new rows counted +1 and the old rows -1, per group, and only groups whose
  count changed are written, in key order (two transactions lock the rows they share in the same order).
- A group whose count reaches 0 is deleted. A count below 0 can only come from a drift (rows lost or written
  around the triggers): it fails the write rather than miscount. (A CHECK cannot say this: PostgreSQL checks
  the row an upsert proposes, the change itself, before it finds the group to add it to.)
- On TRUNCATE (Django's flush), this table and reports_person_enrollments are emptied too.

Beside it, `reports_enrollment_withdrawn_idx`: the withdrawn enrollments' grouping columns, by id, so that the
declined admissions among them (found in the events) are counted from the index alone.
"""

from django.db import migrations

KEY = "programme_id, status, status_since, admission_date, expected_completion"

#: Add a change (rows of the key columns and `change`) to the counts, in key order.
UPSERT = f"""
    INSERT INTO reports_enrollment_groups AS g ({KEY}, enrollments)
    SELECT {KEY}, change FROM ({{change}}) c WHERE change <> 0 ORDER BY {KEY}
        ON CONFLICT ON CONSTRAINT reports_enrollment_groups_key
        DO UPDATE SET enrollments = g.enrollments + EXCLUDED.enrollments;
"""
ADDED = f"SELECT {KEY}, count(*) AS change FROM added GROUP BY {KEY}"
REMOVED = f"SELECT {KEY}, -count(*) AS change FROM removed GROUP BY {KEY}"
CHANGED = f"SELECT {KEY}, sum(change) AS change FROM ({ADDED} UNION ALL {REMOVED}) both_ GROUP BY {KEY}"

FORWARD = f"""
CREATE TABLE reports_enrollment_groups (
    programme_id bigint NOT NULL,
    status varchar(20) NOT NULL,
    status_since date,
    admission_date date NOT NULL,
    expected_completion date,
    enrollments integer NOT NULL,
    CONSTRAINT reports_enrollment_groups_key UNIQUE NULLS NOT DISTINCT ({KEY})
);
-- The groups emptied by a change, deleted at once (this index is almost always empty).
CREATE INDEX reports_enrollment_groups_empty_idx ON reports_enrollment_groups (programme_id) WHERE enrollments <= 0;

INSERT INTO reports_enrollment_groups ({KEY}, enrollments)
SELECT {KEY}, count(*) FROM registry_enrollment GROUP BY {KEY};

CREATE INDEX IF NOT EXISTS reports_enrollment_withdrawn_idx ON registry_enrollment (id)
    INCLUDE (programme_id, status_since, admission_date, expected_completion) WHERE status = 'withdrawn';

CREATE FUNCTION reports_count_enrollment_groups() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    below_zero integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        {UPSERT.format(change=ADDED)}
    ELSIF TG_OP = 'DELETE' THEN
        {UPSERT.format(change=REMOVED)}
    ELSE
        {UPSERT.format(change=CHANGED)}
    END IF;
    WITH emptied AS (DELETE FROM reports_enrollment_groups WHERE enrollments <= 0 RETURNING enrollments)
    SELECT count(*) FILTER (WHERE enrollments < 0) INTO below_zero FROM emptied;
    IF below_zero > 0 THEN
        RAISE EXCEPTION 'reports_enrollment_groups has drifted from registry_enrollment (% groups below zero)',
            below_zero USING ERRCODE = 'integrity_constraint_violation',
            HINT = 'Rebuild it: TRUNCATE reports_enrollment_groups, then INSERT the GROUP BY of migration 0004.';
    END IF;
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
DROP TRIGGER IF EXISTS reports_count_enrollment_groups_insert ON registry_enrollment;
DROP TRIGGER IF EXISTS reports_count_enrollment_groups_update ON registry_enrollment;
DROP TRIGGER IF EXISTS reports_count_enrollment_groups_delete ON registry_enrollment;
DROP FUNCTION IF EXISTS reports_count_enrollment_groups();
DROP INDEX IF EXISTS reports_enrollment_withdrawn_idx;
DROP TABLE IF EXISTS reports_enrollment_groups;
"""


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_counting_indexes_and_shared_persons")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
