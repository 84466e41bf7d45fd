"""Seed version 1 of the two national targets (Minister of Science and ICT, September 2025).

Counting starts on 2026-01-01, the year the first AX graduate schools were selected; the ministry revises a
target by adding a version (API or admin), never by editing this one.
"""

import datetime
from decimal import Decimal

from django.db import migrations

TARGETS = [
    {
        "code": "AX-TRAINED",
        "name_ko": "AX 융합 인재 양성",
        "name_en": "AX convergence talent trained",
        "basis": "trained",
        "value": 5000,
    },
    {
        "code": "OVERSEAS-RETURNED",
        "name_ko": "해외 인재 유치",
        "name_en": "Overseas researchers returned",
        "basis": "returned",
        "value": 2000,
    },
]


#: What both targets' version 1 share.
FIRST_VERSION = {
    "start_date": datetime.date(2026, 1, 1),
    "deadline": datetime.date(2030, 12, 31),
    "prior_completion_rate": Decimal("0.850"),
    "prior_weight": 20,
    "note": "Seeded: the minister's targets of September 2025.",
}


def seed(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    for target in TARGETS:
        Target.objects.get_or_create(code=target["code"], version=1, defaults={**target, **FIRST_VERSION})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    # Version rows are append-only (a database trigger refuses deletes), so there is nothing to undo safely.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
