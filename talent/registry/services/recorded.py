"""Each university's own record of a shared person (DESIGN.md § Identity; issue 14).

One human is one Person, but each university reads that person as it recorded them: once a person is shared (an
admission linked by an ORCID iD or researcher number another university's record holds, a merge, a student
admitted at a second university), every enrollment keeps its university's values in a PersonAsRecorded, and the
selectors show those (`selectors.person_as_recorded`). The Person stays the registry's one record: a university's
correction fills what it lacks, and what differs waits for an operator as an IdentityDisagreement, as at admission.
A person only one university records, and who was never merged, has no PersonAsRecorded: the Person is its record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Q

from talent.registry.models import (
    AdvisorAppointment,
    DisagreementStatus,
    Enrollment,
    IdentityDisagreement,
    Person,
    PersonAsRecorded,
)
from talent.registry.services._base import Actor, assign, save
from talent.registry.services.identity import (
    IDENTIFIERS,
    Differences,
    compare_with_person,
    disagreements_record,
    identifier_held_by_another,
    person_probe,
    person_records_ensure,
    person_values,
    submitted_text,
)
from talent.registry.services.people import (
    PERSON_FIELDS,
    PersonFields,
    announce_persons_saved,
    normalise_person_fields,
    person_update,
)


def read_elsewhere(person_id: Any, university_id: Any) -> Q:
    """Whether another university reads the Person: it enrols them, or appoints them to advise its students (an
    advisor has no record of its own: the appointing university shows the Person's name). As a condition on a person
    id or an outer reference, so that a roster asks it of a whole file in its one query."""
    return Exists(Enrollment.objects.filter(person_id=person_id).exclude(university_id=university_id)) | Exists(
        AdvisorAppointment.objects.filter(person_id=person_id).exclude(university_id=university_id)
    )


def _elsewhere(person: Person, university_id: int) -> bool:
    return Person.objects.filter(read_elsewhere(person.pk, university_id), pk=person.pk).exists()


def _recorded(person: Person) -> bool:
    """Whether a university keeps its own record of the person (the person is, or was, shared)."""
    return PersonAsRecorded.objects.filter(enrollment__person_id=person.pk).exists()


def recorded_for_admission(enrollment: Enrollment, *, sent: Mapping[str, Any] | None) -> None:
    """The new enrollment's record of its person (in the admission's transaction): what the university sent when
    its admission was linked to a person already in the registry (`sent`); else, for a shared person, what that
    university already recorded of them (its newest record) or the Person as stored."""
    person = enrollment.person
    if sent is not None:
        save(PersonAsRecorded(enrollment=enrollment, **person_values(person_probe(normalise_person_fields(sent)))))
        return
    own = (
        PersonAsRecorded.objects.filter(enrollment__person_id=person.pk, enrollment__university=enrollment.university)
        .exclude(enrollment=enrollment)
        .order_by("-updated_at", "-pk")
        .first()
    )
    if own is not None:
        save(PersonAsRecorded(enrollment=enrollment, **{name: getattr(own, name) for name in PERSON_FIELDS}))
    elif _recorded(person) or _elsewhere(person, enrollment.university_id):
        person_records_ensure(person)


@dataclass
class Correction:
    """What a university's correction of its student's details does (`person_correction`)."""

    #: Written to the Person.
    direct: dict[str, Any] = field(default_factory=dict)
    #: Kept for an operator (IdentityDisagreement), never written over the Person.
    differing: dict[str, Any] = field(default_factory=dict)
    #: Whether the university's own record of the person (PersonAsRecorded) takes every corrected value.
    own_record: bool = False


def person_correction(
    person: Person,
    fields: Mapping[str, Any],
    *,
    elsewhere: bool,
    recorded: bool,
    held_by_another: Callable[[str, Any], bool] | None = None,
) -> Correction:
    """The rule of a correction, without writing: what of these (normalised) fields the Person takes and what waits
    for an operator. `elsewhere`: another university reads the person (`read_elsewhere`); `recorded`: a university
    keeps its own record of them. `held_by_another(name, value)` answers whether another person holds an identifier
    (by default, a query); the roster answers it for a whole file at once."""
    held_by_another = held_by_another or identifier_held_by_another(person)
    comparison = compare_with_person(person, fields, held_by_another=held_by_another)
    held = {
        name: value
        for name, value in comparison.differing.items()
        if name in IDENTIFIERS and held_by_another(name, value)
    }
    if elsewhere:
        return Correction(comparison.filled, comparison.differing, own_record=True)
    direct = {name: value for name, value in fields.items() if name not in held}
    return Correction(direct, held, own_record=bool(held) or recorded)


def person_details_correct(*, actor: Actor, enrollment: Enrollment, fields: PersonFields) -> None:
    """A university corrects its student's details (in the caller's transaction, after its permission check), by the
    rule of `person_correction`. A person no other university reads: the Person changes, as before (and the
    university's own record, if it keeps one). A person another university enrols or appoints as an advisor
    (`read_elsewhere`): the university's own record
    changes; the Person takes what it lacks, and what differs is kept for an operator (never written over). An ORCID
    iD or researcher number another person holds is never refused (that would tell the university the other exists):
    the university keeps it in its record and an operator reviews it (identity proposes the pair)."""
    normalised = normalise_person_fields(fields)
    person = Person.objects.select_for_update().get(pk=enrollment.person_id)
    university = enrollment.university
    correction = person_correction(
        person, normalised, elsewhere=_elsewhere(person, university.pk), recorded=_recorded(person)
    )
    if correction.own_record:
        person_records_ensure(person)
        records = list(
            PersonAsRecorded.objects.select_for_update().filter(
                enrollment__person_id=person.pk, enrollment__university=university
            )
        )
        for record in records:
            assign(record, normalised, PERSON_FIELDS)
            save(record)
    if correction.direct:
        person_update(actor=actor, person=person, **correction.direct)
    if correction.differing:
        # A difference already waiting for the same value is not kept twice.
        waiting = IdentityDisagreement.objects.filter(person=person, university=university)
        kept = set(waiting.filter(status=DisagreementStatus.OPEN).values_list("field", "submitted"))
        new = {name: value for name, value in correction.differing.items() if (name, submitted_text(value)) not in kept}
        disagreements_record(Differences(person, university, new, enrollment))
        announce_persons_saved([person.pk])
