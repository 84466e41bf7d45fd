"""The AX vocabulary's third edition (talent/matching/data/ax_vocabulary.json, the entries of the sector groups
below): the concepts of those groups a database does not have yet are added, as shipped, less any term a concept
there already has (`_vocabulary_editions`: an operator's term stays the operator's). Nothing else changes: a
concept the database has keeps its terms, edited or not, and a concept of an earlier edition that an operator
deleted stays deleted."""

from django.db import migrations

from talent.matching.concepts import shipped_entries
from talent.matching.migrations._vocabulary_editions import add_shipped_concepts

THIRD_EDITION_GROUPS = frozenset(
    {
        "moulding",
        "semiconductor",
        "battery",
        "shipbuilding",
        "healthcare",
        "logistics",
        "energy",
        "agriculture",
        "chemicals-materials",
        "automotive",
        "retail",
        "quality",
    }
)


def add_third_edition(apps, schema_editor):
    edition = [entry for entry in shipped_entries() if entry.get("group") in THIRD_EDITION_GROUPS]
    add_shipped_concepts(apps.get_model("matching", "AxConcept"), edition)


def remove_third_edition(apps, schema_editor):
    AxConcept = apps.get_model("matching", "AxConcept")
    keys = [entry["key"] for entry in shipped_entries() if entry.get("group") in THIRD_EDITION_GROUPS]
    AxConcept.objects.filter(shipped=True, key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("matching", "0008_concept_lists_size")]

    operations = [migrations.RunPython(add_third_edition, remove_third_edition)]
