"""Each enrollment of a person already shared (enrolled at two universities, or a merge's survivor) keeps its
university's record of the person (PersonAsRecorded): the stored person, with what that university gave and the
registry kept as a difference (IdentityDisagreement), without what a merge took from another record; an
enrollment a merge moved keeps the merged record's details."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import migrations
from django.db.models import Count

FIELDS = (
    "family_name_ko",
    "given_name_ko",
    "family_name_latin",
    "given_name_latin",
    "birth_date",
    "gender",
    "nationality",
    "email",
    "orcid",
    "national_researcher_number",
)


def _empty(name: str) -> Any:
    return None if name in ("birth_date", "orcid", "national_researcher_number") else ""


def backfill(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("registry", "Person")
    Enrollment = apps.get_model("registry", "Enrollment")
    PersonAsRecorded = apps.get_model("registry", "PersonAsRecorded")
    PersonMerge = apps.get_model("registry", "PersonMerge")
    IdentityDisagreement = apps.get_model("registry", "IdentityDisagreement")
    merges = list(PersonMerge.objects.filter(undone_at__isnull=True))
    shared = set(
        Enrollment.objects.values("person_id")
        .annotate(universities=Count("university_id", distinct=True))
        .filter(universities__gt=1)
        .values_list("person_id", flat=True)
    )
    shared |= {merge.survivor_id for merge in merges}
    moved_from: dict[int, Any] = {}
    taken: dict[int, set[str]] = {}
    for merge in merges:
        taken.setdefault(merge.survivor_id, set()).update(merge.taken)
        for pk in merge.moved.get("registry.Enrollment.person", []):
            moved_from[pk] = merge
    given: dict[tuple[int, int], dict[str, str]] = {}
    for row in IdentityDisagreement.objects.filter(person_id__in=shared).order_by("created_at", "pk"):
        given.setdefault((row.person_id, row.university_id), {})[row.field] = row.submitted
    rows = []
    for enrollment in Enrollment.objects.filter(person_id__in=shared, recorded__isnull=True).select_related("person"):
        merge = moved_from.get(enrollment.pk)
        if merge is not None:
            source = Person.objects.get(pk=merge.merged_id)
            values = {name: merge.cleared.get(name, getattr(source, name)) for name in FIELDS}
        else:
            person = enrollment.person
            values = {
                name: _empty(name) if name in taken.get(person.pk, ()) else getattr(person, name) for name in FIELDS
            }
            for name, submitted in given.get((enrollment.person_id, enrollment.university_id), {}).items():
                if name in FIELDS:
                    values[name] = datetime.date.fromisoformat(submitted) if name == "birth_date" else submitted
        rows.append(PersonAsRecorded(enrollment_id=enrollment.pk, **values))
    PersonAsRecorded.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("registry", "0017_person_as_recorded")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
