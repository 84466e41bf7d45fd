"""The AX vocabulary's second edition (talent/matching/data/ax_vocabulary.json): the concepts a database migrated
before it does not have yet are added, as shipped; concepts it has, and operators' own, are left as they are
(`manage.py load_ax_vocabulary` brings shipped concepts back to the file)."""

import json
from pathlib import Path

from django.db import migrations

VOCABULARY = Path(__file__).resolve().parent.parent / "data" / "ax_vocabulary.json"


def add_new_concepts(apps, schema_editor):
    AxConcept = apps.get_model("matching", "AxConcept")
    known = set(AxConcept.objects.values_list("key", flat=True))
    entries = json.loads(VOCABULARY.read_text(encoding="utf-8"))["concepts"]
    AxConcept.objects.bulk_create(
        [
            AxConcept(
                key=entry["key"],
                terms_ko=entry.get("ko", []),
                terms_en=entry.get("en", []),
                abbreviations=entry.get("abbr", []),
                ksic_divisions=entry.get("ksic", []),
                shipped=True,
            )
            for entry in entries
            if entry["key"] not in known
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("matching", "0005_guarded_bounded_text")]

    operations = [migrations.RunPython(add_new_concepts, migrations.RunPython.noop)]
