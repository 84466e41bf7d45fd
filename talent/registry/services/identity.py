"""One human, one person: an admission whose ORCID iD or national researcher number the registry already knows
attaches to that person instead of creating a second one (or refusing, which would tell the university that the
person exists).

What the admitting university gives is compared with the stored person: an empty stored field takes the given
value; a different one is never written over but kept as an IdentityDisagreement for an operator, and the
university is told which of its own fields differ (the field names only, never the stored values, nor anything
about the person's other enrollments). The admit page, the API and the roster import all use these functions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.db import model_field, validate
from talent.common.errors import Conflict, NotAllowed
from talent.registry import roles
from talent.registry.models import (
    DisagreementStatus,
    Enrollment,
    IdentityDisagreement,
    Organization,
    Person,
    PersonAsRecorded,
)
from talent.registry.services._base import Actor, acting, save
from talent.registry.services.people import (
    PERSON_FIELDS,
    announce_persons_saved,
    normalise_person_fields,
    person_create,
)

#: The strong identifiers, in the order they decide: an ORCID iD first, then the national researcher number.
IDENTIFIERS = ("orcid", "national_researcher_number")


@dataclass
class Comparison:
    """A university's details of a person against the stored person: what fills an empty field, what differs."""

    filled: dict[str, Any] = field(default_factory=dict)
    differing: dict[str, Any] = field(default_factory=dict)


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(value.replace("-", "").split()).casefold()
    return value


def _empty(value: Any) -> bool:
    return value is None or value == ""


def submitted_text(value: Any) -> str:
    """A submitted value as a disagreement keeps it (a date in ISO form)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)[:200]


def person_values(person: Person) -> dict[str, Any]:
    """The person's own fields (PERSON_FIELDS) as stored on this instance."""
    return {name: getattr(person, name) for name in PERSON_FIELDS}


def person_records_ensure(person: Person) -> None:
    """Give each of the person's enrollments without one a PersonAsRecorded of the Person as stored now
    (`services.recorded`): called just before the person becomes shared (linked, merged), so that every university
    keeps reading what it read before."""
    stored = Person.objects.get(pk=person.pk)  # as stored, whatever the caller's instance already holds
    missing = Enrollment.objects.filter(person_id=person.pk, recorded__isnull=True).values_list("pk", flat=True)
    PersonAsRecorded.objects.bulk_create(
        [PersonAsRecorded(enrollment_id=pk, **person_values(stored)) for pk in missing], ignore_conflicts=True
    )


def person_identified_by(fields: Mapping[str, Any], *, lock: bool = False) -> Person | None:
    """The person who holds the ORCID iD, else the national researcher number, of these (normalised) fields."""
    for name in IDENTIFIERS:
        value = fields.get(name)
        if value:
            persons = Person.objects.filter(**{name: value})
            found = (persons.select_for_update() if lock else persons).first()
            if found is not None:
                return found
    return None


def compare_with_person(
    person: Person, fields: Mapping[str, Any], *, held_by_another: Callable[[str, Any], bool] | None = None
) -> Comparison:
    """Compare normalised fields with the stored person. Names compare without case, spaces and hyphens. A strong
    identifier another person holds cannot be taken: it differs (`held_by_another(name, value)` answers that,
    by default with a query)."""
    held = held_by_another or identifier_held_by_another(person)
    comparison = Comparison()
    for name in PERSON_FIELDS:
        value = fields.get(name)
        if name not in fields or _empty(value):
            continue
        stored = getattr(person, name)
        if _empty(stored):
            if name in IDENTIFIERS and held(name, value):
                comparison.differing[name] = value
            else:
                comparison.filled[name] = value
        elif _comparable(stored) != _comparable(value):
            comparison.differing[name] = value
    return comparison


def identifier_held_by_another(person: Person) -> Callable[[str, Any], bool]:
    """Whether another person holds an identifier's value (one query per question)."""

    def held(name: str, value: Any) -> bool:
        return Person.objects.filter(**{name: value}).exclude(pk=person.pk).exists()

    return held


def person_link_or_create(*, actor: Actor, fields: Mapping[str, Any]) -> tuple[Person, Comparison | None]:
    """The person an admission is for: the one its ORCID iD or national researcher number names (empty fields
    filled, differing ones returned, never written), else a new person. Validates the given fields either way, so
    nothing that looks like a resident registration number is kept, even as a disagreement."""
    normalised = normalise_person_fields(fields)
    with acting(actor, "person_link"):
        person = person_identified_by(normalised, lock=True)
        if person is None:
            return person_create(actor=actor, **normalised), None
        probe = Person(**{k: v for k, v in normalised.items() if k in PERSON_FIELDS})
        # The probe is never saved: its identifiers are another record's, so uniqueness is not its question.
        validate(probe, exclude=list(IDENTIFIERS) if probe.orcid or probe.national_researcher_number else None)
        comparison = compare_with_person(person, normalised)
        person_records_ensure(person)  # the universities that enrol them keep reading what they recorded
        if comparison.filled:
            for name, value in comparison.filled.items():
                setattr(person, name, value)
            save(person, update_fields=list(comparison.filled))
            announce_persons_saved([person.pk])
    return person, comparison


def disagreements_record(
    *, person: Person, university: Organization, differing: Mapping[str, Any], enrollment: Enrollment | None = None
) -> list[IdentityDisagreement]:
    """Keep each differing field for an operator (in the caller's transaction). The caller announces the person
    saved (`announce_persons_saved`): an identifier given here may be another person's, a probable duplicate."""
    rows = [
        IdentityDisagreement(
            person=person, enrollment=enrollment, university=university, field=name, submitted=submitted_text(value)
        )
        for name, value in differing.items()
    ]
    return IdentityDisagreement.objects.bulk_create(rows)


def differing_field_labels(names: Iterable[str]) -> list[str]:
    """The verbose names of person fields, in the order of PERSON_FIELDS, for a message to the university."""
    wanted = set(names)
    return [str(model_field(Person, name).verbose_name) for name in PERSON_FIELDS if name in wanted]


def differs_message(names: Iterable[str]) -> str:
    """What the admitting university is told when some of its details differ from the registry's record."""
    return _(
        "The ORCID iD or national researcher number you gave belongs to a person already in the registry: the "
        "student is admitted as that person. These details you gave differ from the registry's record and are "
        "kept for an operator to review (the record is not changed): %(fields)s."
    ) % {"fields": ", ".join(differing_field_labels(names))}


def identity_disagreement_resolve(*, actor: Actor, disagreement: IdentityDisagreement, take: bool) -> Person:
    """An operator settles a disagreement: keep the stored value, or take the submitted one (through the person's
    own validation). Settled once."""
    if actor is not None and not roles.is_operator(actor):
        raise NotAllowed(_("Only an operator settles differing details."))
    with acting(actor, "identity_disagreement_resolve"):
        locked = IdentityDisagreement.objects.select_for_update().select_related("person").get(pk=disagreement.pk)
        if locked.status != DisagreementStatus.OPEN:
            raise Conflict(_("This difference is already settled."), code="already_settled")
        person = locked.person
        if take:
            value: Any = locked.submitted
            if locked.field == "birth_date":
                value = datetime.date.fromisoformat(value)
            setattr(person, locked.field, normalise_person_fields({locked.field: value})[locked.field])
            save(person, update_fields=[locked.field])
        locked.status = DisagreementStatus.TAKEN if take else DisagreementStatus.KEPT
        locked.resolved_by = actor if actor is not None and actor.pk else None
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["status", "resolved_by", "resolved_at"])
    return person
