"""The database holds a list to its field's size, as validation does (the check registry.E002 asks for it)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0020_more_dates_within_bounds'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='expertprofile',
            constraint=models.CheckConstraint(condition=models.Q(('ksic_sections__len__lte', 21)), name='expert_ksic_sections_size'),
        ),
        migrations.AddConstraint(
            model_name='expertprofile',
            constraint=models.CheckConstraint(condition=models.Q(('regions__len__lte', 17)), name='expert_regions_size'),
        ),
        migrations.AddConstraint(
            model_name='expertprofile',
            constraint=models.CheckConstraint(condition=models.Q(('shared_fields__len__lte', 5)), name='expert_shared_fields_size'),
        ),
    ]
