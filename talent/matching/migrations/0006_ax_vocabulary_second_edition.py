"""The AX vocabulary's second edition (talent/matching/data/ax_vocabulary.json): the concepts a database migrated
before it does not have yet are added, as shipped, less any term a concept there already has (an operator's term
stays the operator's: `_vocabulary_editions`); concepts it has, and operators' own, are left as they are
(`manage.py load_ax_vocabulary` brings shipped concepts back to the file)."""

from django.db import migrations

from talent.matching.concepts import shipped_entries
from talent.matching.migrations._vocabulary_editions import add_shipped_concepts


def add_new_concepts(apps, schema_editor):
    add_shipped_concepts(apps.get_model("matching", "AxConcept"), shipped_entries())


class Migration(migrations.Migration):
    dependencies = [("matching", "0005_guarded_bounded_text")]

    operations = [migrations.RunPython(add_new_concepts, migrations.RunPython.noop)]
