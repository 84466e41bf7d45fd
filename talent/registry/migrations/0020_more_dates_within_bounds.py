"""The database refuses an expected completion and a graduate school's support period outside the registry's
constant bounds too (talent.registry.plausible), as migration 0016 made it refuse the other dates: added NOT VALID
in the same way, for the same reason (rows stored before the bounds existed still migrate)."""

import importlib

from django.db import migrations, models

dates_within_bounds = importlib.import_module("talent.registry.migrations.0016_dates_within_bounds")
AddConstraintNotValid = dates_within_bounds.AddConstraintNotValid
within = dates_within_bounds.within


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0019_programme_counting_rules"),
    ]

    operations = [
        AddConstraintNotValid(
            model_name="enrollment",
            constraint=models.CheckConstraint(
                condition=within("expected_completion", null=True),
                name="enrollment_expected_completion_within_bounds",
            ),
        ),
        AddConstraintNotValid(
            model_name="graduateschool",
            constraint=models.CheckConstraint(
                condition=within("support_start"), name="school_support_start_within_bounds"
            ),
        ),
        AddConstraintNotValid(
            model_name="graduateschool",
            constraint=models.CheckConstraint(condition=within("support_end"), name="school_support_end_within_bounds"),
        ),
    ]
