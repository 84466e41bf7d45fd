"""The database holds a list to its field's size, as validation does (the check registry.E002 asks for it)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0007_decline_reason'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='axconcept',
            constraint=models.CheckConstraint(condition=models.Q(('terms_ko__len__lte', 30), ('terms_en__len__lte', 30), ('abbreviations__len__lte', 30), ('ksic_divisions__len__lte', 30)), name='ax_concept_lists_size'),
        ),
    ]
