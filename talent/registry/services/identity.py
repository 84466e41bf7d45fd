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

from django.db.models import Q
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


def person_records_ensure(*persons: Person) -> None:
    """Give each of the persons' enrollments without one a PersonAsRecorded of its Person as stored now
    (`services.recorded`): called just before the persons become shared (linked, merged), so that every university
    keeps reading what it read before. Three statements, however many persons."""
    ids = {person.pk for person in persons}
    if not ids:
        return
    # As stored, whatever the caller's instances already hold.
    stored = {person.pk: person_values(person) for person in Person.objects.filter(pk__in=ids)}
    missing = Enrollment.objects.filter(person_id__in=ids, recorded__isnull=True).values_list("pk", "person_id")
    PersonAsRecorded.objects.bulk_create(
        [PersonAsRecorded(enrollment_id=pk, **stored[person_id]) for pk, person_id in missing], ignore_conflicts=True
    )


def person_probe(fields: Mapping[str, Any]) -> Person:
    """A person made of these (normalised) fields only, never saved: validated as a person is, except for the
    uniqueness of its identifiers (another record may hold them)."""
    probe = Person(**{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    validate(probe, exclude=list(IDENTIFIERS) if probe.orcid or probe.national_researcher_number else None)
    return probe


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


def _same_person(one: Person, other: Person) -> bool:
    return one is other or (one.pk is not None and one.pk == other.pk)


class PersonLinker:
    """The one rule of an admission's person, for one admission or a whole roster: an admission whose ORCID iD,
    else national researcher number, a person holds is that person (empty fields filled, differing ones returned,
    never written); else it is a new person, whose identifiers later admissions of the same batch link to.

    Who holds the batch's identifiers is read once, one statement (locked, for a batch that will be stored); the
    rest is decided in memory, so a roster of 20,000 rows asks no more than one admission. Nothing is written here:
    `person_link_or_create` stores one admission, the roster import a whole file (`person_records_ensure` first,
    then the filled fields, then `disagreements_record`)."""

    def __init__(self, batch: Iterable[Mapping[str, Any]], *, lock: bool = False) -> None:
        """`batch`: the normalised person fields of every admission to be linked."""
        self.owners: dict[tuple[str, Any], Person] = {}
        wanted: dict[str, set[Any]] = {name: set() for name in IDENTIFIERS}
        for fields in batch:
            for name in IDENTIFIERS:
                if fields.get(name):
                    wanted[name].add(fields[name])
        if not any(wanted.values()):
            return
        holders = Person.objects.filter(
            Q(orcid__in=wanted["orcid"]) | Q(national_researcher_number__in=wanted["national_researcher_number"])
        ).order_by("pk")  # locked in one order: two batches naming the same persons wait rather than deadlock
        for person in holders.select_for_update() if lock else holders:
            self.take(person)

    def link(self, fields: Mapping[str, Any]) -> tuple[Person, Comparison] | None:
        """The person these normalised fields name, with the comparison; its empty fields take the given values
        (on the instance only). None: no one holds them, a new person (`take` it once made)."""
        holder = self._holder(fields)
        if holder is None:
            return None
        comparison = compare_with_person(holder, fields, held_by_another=self.held_by_another(holder))
        for name, value in comparison.filled.items():
            setattr(holder, name, value)
        self.take(holder)
        return holder, comparison

    def take(self, person: Person, values: Mapping[str, Any] | None = None) -> None:
        """The person's identifiers (or those of `values` the person takes): later admissions that give them are
        this person."""
        for name in IDENTIFIERS:
            value = getattr(person, name) if values is None else values.get(name)
            if value:
                self.owners.setdefault((name, value), person)

    def held_by_another(self, person: Person) -> Callable[[str, Any], bool]:
        """Whether a person other than this one holds an identifier's value, asked of the batch's holders (the
        roster asks it too of a known student's row that gives one: `services.recorded.person_correction`)."""

        def held(name: str, value: Any) -> bool:
            holder = self.owners.get((name, value))
            return holder is not None and not _same_person(holder, person)

        return held

    def _holder(self, fields: Mapping[str, Any]) -> Person | None:
        for name in IDENTIFIERS:  # the ORCID iD decides first
            value = fields.get(name)
            if value and (name, value) in self.owners:
                return self.owners[(name, value)]
        return None


def person_link_or_create(*, actor: Actor, fields: Mapping[str, Any]) -> tuple[Person, Comparison | None]:
    """The person an admission is for, by `PersonLinker`'s rule: the one its ORCID iD or national researcher number
    names (empty fields filled, differing ones returned, never written), else a new person. Validates the given
    fields either way, so nothing that looks like a resident registration number is kept, even as a
    disagreement."""
    normalised = normalise_person_fields(fields)
    with acting(actor, "person_link"):
        linked = PersonLinker([normalised], lock=True).link(normalised)
        if linked is None:
            return person_create(actor=actor, **normalised), None
        person, comparison = linked
        person_probe(normalised)
        person_records_ensure(person)  # the universities that enrol them keep reading what they recorded
        if comparison.filled:
            save(person, update_fields=list(comparison.filled))
            announce_persons_saved([person.pk])
    return person, comparison


@dataclass(frozen=True)
class Differences:
    """What a university gave for a person that differs from the stored person."""

    person: Person
    university: Organization
    differing: Mapping[str, Any]
    enrollment: Enrollment | None = None


def disagreements_record(*differences: Differences) -> list[IdentityDisagreement]:
    """Keep each differing field for an operator (in the caller's transaction; one statement). The caller announces
    the persons saved (`announce_persons_saved`): an identifier given here may be another person's, a probable
    duplicate."""
    rows = [
        IdentityDisagreement(
            person=each.person,
            enrollment=each.enrollment,
            university=each.university,
            field=name,
            submitted=submitted_text(value),
        )
        for each in differences
        for name, value in each.differing.items()
    ]
    return IdentityDisagreement.objects.bulk_create(rows) if rows else []


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
