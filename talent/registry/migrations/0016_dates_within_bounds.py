"""The database refuses dates outside the registry's constant bounds (talent.registry.plausible: EARLIEST_RECORD or
EARLIEST_BIRTH to LATEST_RECORD), which validation enforces with tighter, relative ones.

Added NOT VALID: every row written from now on is checked, rows stored before the bounds existed (a probe's
0001-01-01) are not, so a registry holding one still migrates. An operator corrects such rows and then runs
ALTER TABLE ... VALIDATE CONSTRAINT; the return-track eligibility ignores them meanwhile.
"""

import datetime

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState

EARLIEST_BIRTH = datetime.date(1900, 1, 1)
EARLIEST_RECORD = datetime.date(1950, 1, 1)
LATEST_RECORD = datetime.date(2100, 12, 31)


class AddConstraintNotValid(migrations.AddConstraint):
    """AddConstraint whose CHECK leaves the rows already stored unchecked (PostgreSQL's NOT VALID)."""

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.execute(f"{self.constraint.create_sql(model, schema_editor)} NOT VALID")


def within(field, *, earliest=EARLIEST_RECORD, null=False):
    bounds = models.Q(**{f"{field}__gte": earliest, f"{field}__lte": LATEST_RECORD})
    return models.Q(**{f"{field}__isnull": True}) | bounds if null else bounds


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0015_privacy_consent"),
    ]

    operations = [
        AddConstraintNotValid(
            model_name="enrollment",
            constraint=models.CheckConstraint(
                condition=within("admission_date"), name="enrollment_admission_date_within_bounds"
            ),
        ),
        AddConstraintNotValid(
            model_name="enrollmentevent",
            constraint=models.CheckConstraint(
                condition=within("effective_date"), name="enrollment_event_effective_date_within_bounds"
            ),
        ),
        AddConstraintNotValid(
            model_name="overseasposition",
            constraint=models.CheckConstraint(condition=within("start_date"), name="position_start_date_within_bounds"),
        ),
        AddConstraintNotValid(
            model_name="overseasposition",
            constraint=models.CheckConstraint(
                condition=within("end_date", null=True), name="position_end_date_within_bounds"
            ),
        ),
        AddConstraintNotValid(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=within("birth_date", earliest=EARLIEST_BIRTH, null=True),
                name="person_birth_date_within_bounds",
            ),
        ),
        AddConstraintNotValid(
            model_name="researcherprofile",
            constraint=models.CheckConstraint(
                condition=within("return_date", null=True), name="researcher_return_date_within_bounds"
            ),
        ),
    ]
