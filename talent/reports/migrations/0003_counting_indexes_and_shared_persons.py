"""What the counting statements (talent.reports.counting) read instead of whole registry tables.

- `reports_enrollment_state_idx`: every enrollment's programme, status, status date, admission date and
  expected completion (and its id), in that order: the statements count enrollments per value of these
  columns straight from this index, in index order, without reading the table.
- `reports_enrollment_person_idx`: the same columns by person, for the persons with several enrollments.
- `reports_event_declined_idx`: the admissions declined before registering (withdrawn from admitted), a few
  per cent of the events.
- `reports_person_enrollments`: who has more than one enrollment. Almost every person has one, and for them
  an enrollment's figures are the person's; only the others are aggregated person by person. A row per person
  with an enrollment, kept by a trigger on every insert (and on a change of an enrollment's person). A person's
  `several` only ever goes from false to true: a person who lost an enrollment stays marked, which costs one
  aggregation and never a wrong count. Concurrent inserts for the same person meet on the primary key, so
  the second sees the first. Nothing in it depends on a date: as-of reports stay exact.

The indexes are on registry tables: they belong with the statements that need them (the registry's own
migrations are not touched), and dropping them loses speed, never correctness.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS reports_enrollment_state_idx ON registry_enrollment
    (programme_id, status, status_since, admission_date, expected_completion) INCLUDE (id);

CREATE INDEX IF NOT EXISTS reports_enrollment_person_idx ON registry_enrollment (person_id)
    INCLUDE (programme_id, status, status_since, admission_date, expected_completion, id);

CREATE INDEX IF NOT EXISTS reports_event_declined_idx ON registry_enrollmentevent (effective_date, enrollment_id)
    WHERE status = 'withdrawn' AND previous_status = 'admitted';

CREATE TABLE reports_person_enrollments (
    person_id bigint PRIMARY KEY,
    several boolean NOT NULL
);
CREATE INDEX reports_person_enrollments_several_idx ON reports_person_enrollments (person_id) WHERE several;

INSERT INTO reports_person_enrollments (person_id, several)
SELECT person_id, count(*) > 1 FROM registry_enrollment GROUP BY person_id;

CREATE FUNCTION reports_note_enrollment_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_person_enrollments AS known (person_id, several)
    SELECT person_id, count(*) > 1 FROM added_enrollments GROUP BY person_id
    ON CONFLICT (person_id) DO UPDATE SET several = true WHERE NOT known.several;
    RETURN NULL;
END
$$;

CREATE TRIGGER reports_note_enrollment_persons_insert AFTER INSERT ON registry_enrollment
    REFERENCING NEW TABLE AS added_enrollments
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_enrollment_persons();

CREATE FUNCTION reports_note_enrollment_person_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_person_enrollments AS known (person_id, several) VALUES (NEW.person_id, false)
    ON CONFLICT (person_id) DO UPDATE SET several = true WHERE NOT known.several;
    RETURN NULL;
END
$$;

CREATE TRIGGER reports_note_enrollment_person_change AFTER UPDATE OF person_id ON registry_enrollment
    FOR EACH ROW WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id)
    EXECUTE FUNCTION reports_note_enrollment_person_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS reports_note_enrollment_person_change ON registry_enrollment;
DROP FUNCTION IF EXISTS reports_note_enrollment_person_change();
DROP TRIGGER IF EXISTS reports_note_enrollment_persons_insert ON registry_enrollment;
DROP FUNCTION IF EXISTS reports_note_enrollment_persons();
DROP TABLE IF EXISTS reports_person_enrollments;
DROP INDEX IF EXISTS reports_event_declined_idx;
DROP INDEX IF EXISTS reports_enrollment_person_idx;
DROP INDEX IF EXISTS reports_enrollment_state_idx;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_student_number_error_code"),
        ("reports", "0002_seed_targets"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
