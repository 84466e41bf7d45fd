"""`reports_person_enrollments` follows an enrollment that moves to another person (a merge of two records of one
human, or its undo): the old person is forgotten when it has no enrollment left, and both persons' "several" is
computed again. Before, the trigger only noted the new person, so a merge left the old one behind and an undo left
the survivor marked as having several."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION reports_note_enrollment_person_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reports_person_enrollments
     WHERE person_id = OLD.person_id
       AND NOT EXISTS (SELECT 1 FROM registry_enrollment WHERE person_id = OLD.person_id);
    UPDATE reports_person_enrollments
       SET several = (SELECT count(*) > 1 FROM registry_enrollment WHERE person_id = OLD.person_id)
     WHERE person_id = OLD.person_id;
    INSERT INTO reports_person_enrollments AS known (person_id, several)
    SELECT NEW.person_id, count(*) > 1 FROM registry_enrollment WHERE person_id = NEW.person_id
    ON CONFLICT (person_id) DO UPDATE SET several = EXCLUDED.several;
    RETURN NULL;
END
$$;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION reports_note_enrollment_person_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_person_enrollments AS known (person_id, several) VALUES (NEW.person_id, false)
    ON CONFLICT (person_id) DO UPDATE SET several = true WHERE NOT known.several;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_guarded_bounded_text")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
