"""Load the shipped AX vocabulary (talent/matching/data/ax_vocabulary.json); `manage.py load_ax_vocabulary`
reloads it later."""

import json
from pathlib import Path

from django.db import migrations

VOCABULARY = Path(__file__).resolve().parent.parent / "data" / "ax_vocabulary.json"


def load(apps, schema_editor):
    AxConcept = apps.get_model("matching", "AxConcept")
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
        ],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("matching", "AxConcept").objects.filter(shipped=True).delete()


class Migration(migrations.Migration):
    dependencies = [("matching", "0003_ax_concept")]

    operations = [migrations.RunPython(load, unload)]
