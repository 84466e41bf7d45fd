"""Storing a checked roster: everything in bulk, inside the import's transaction.

New persons, enrollments and status events are loaded with COPY (PostgreSQL's bulk load, ids reserved from
the sequences first so that rows can be linked before they are sent); Django's bulk_create spends most of a
10,000-row import preparing each value in Python. COPY runs the same constraints and triggers as INSERT: the
history (django-pghistory) records every new row, and the events' statement trigger derives each
enrollment's status. Changed rows are written with bulk_update, only the fields that changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.db import database_refusals
from talent.registry.models import Enrollment, EnrollmentEvent, Person, PersonAsRecorded
from talent.registry.services._base import Actor
from talent.registry.services.enrollments import enrollment_event_void
from talent.registry.services.identity import Differences, disagreements_record, person_records_ensure, person_values
from talent.registry.services.people import PersonFields, announce_persons_saved
from talent.registry.services.recorded import person_details_correct
from talent.registry.vocabulary import EnrollmentStatus
from talent.roster.results import RowOutcome

BULK_BATCH = 2000


@dataclass
class NewRow:
    outcome: RowOutcome
    person: Person
    enrollment: Enrollment
    steps: list[tuple[str, datetime.date]]  # statuses after admission, with their dates
    #: The row's details that differ from the registry's record of the person its identifiers named.
    differing: dict[str, Any] = field(default_factory=dict)
    #: The row's person details when its identifiers named a person already in the registry: the university's own
    #: record of them (PersonAsRecorded).
    sent: dict[str, Any] | None = None

    @property
    def statuses(self) -> list[tuple[str, datetime.date]]:
        return [(EnrollmentStatus.ADMITTED, self.enrollment.admission_date), *self.steps]

    @property
    def final(self) -> tuple[str, datetime.date]:
        return self.statuses[-1]


@dataclass
class Plan:
    """What a checked file changes: new students, changed persons and enrollments, status events to add."""

    new: list[NewRow] = field(default_factory=list)
    persons: dict[int, tuple[Person, set[str]]] = field(default_factory=dict)  # changed persons and fields
    enrollments: dict[int, tuple[Enrollment, set[str]]] = field(default_factory=dict)
    #: Status events of known enrollments: status, previous standing status, date, sequence.
    events: list[tuple[Enrollment, str, str, datetime.date, int]] = field(default_factory=list)
    #: Events the file voids, in the order they are voided (an enrollment's latest first), before the new events are
    #: added: with the reason its row gave (정정사유), or None for a correction of a date, whose reason names the file.
    voids: list[tuple[int, str | None]] = field(default_factory=list)
    #: Corrections of shared persons' details, by enrollment: the university's own record changes
    #: (`registry.services.recorded.person_details_correct`), not the registry's Person.
    recorded: dict[int, tuple[Enrollment, dict[str, Any]]] = field(default_factory=dict)


def apply(plan: Plan, actor: Actor, filename: str) -> None:
    """Store the plan. Must run inside the import's transaction, after a statement that carried the
    history context (the ImportBatch's insert): COPY bypasses Django's cursor, so it relies on the
    transaction-local context that statement set."""
    now = timezone.now()
    reason = _("Roster import: %(file)s") % {"file": filename[:200]}
    recorded_by = actor if actor is not None and actor.pk else None
    if plan.voids:
        # Through the one service that voids and cancels (its rule, its reason, its record), one change at a time.
        correction = _("Roster import %(file)s gives this change another date.") % {"file": filename[:200]}
        events = EnrollmentEvent.objects.select_related("enrollment").in_bulk([pk for pk, _reason in plan.voids])
        for pk, given in plan.voids:
            enrollment_event_void(actor=actor, event=events[pk], reason=given or correction)
    with database_refusals(Person, Enrollment, EnrollmentEvent):
        _write(plan, now, reason, recorded_by)
    for enrollment, fields in plan.recorded.values():
        person_details_correct(actor=actor, enrollment=enrollment, fields=cast(PersonFields, fields))


def _write(plan: Plan, now: datetime.datetime, reason: str, recorded_by: Any) -> None:
    # A row may be a person the registry (or an earlier row) already holds: each new person is inserted once.
    _copy(Person, list({id(row.person): row.person for row in plan.new if row.person.pk is None}.values()), now)
    # Persons already in the registry that rows link to: their universities keep reading what they recorded.
    person_records_ensure(*(row.person for row in plan.new if row.sent is not None))
    for row in plan.new:
        row.enrollment.person_id = row.person.pk
        # Inserted with the status its events give: the database's derivation (the events' trigger) then
        # finds nothing to correct, instead of updating, and versioning in the history, every new row. (A row
        # with a change scheduled ahead is corrected by it to the status in force today.)
        row.enrollment.status, row.enrollment.status_since = row.final
    _copy(Enrollment, [row.enrollment for row in plan.new], now)
    PersonAsRecorded.objects.bulk_create(
        [
            PersonAsRecorded(enrollment_id=row.enrollment.pk, **person_values(Person(**row.sent)))
            for row in plan.new
            if row.sent is not None
        ]
    )
    events = []
    for row in plan.new:
        previous = ""
        for sequence, (status, on) in enumerate(row.statuses, start=1):
            events.append(_event(row.enrollment, sequence, status, previous, on, reason, recorded_by))
            previous = status
    for enrollment, status, previous, on, sequence in plan.events:
        events.append(_event(enrollment, sequence, status, previous, on, reason, recorded_by))
    _bulk_update(Person, plan.persons.values(), now)
    _bulk_update(Enrollment, plan.enrollments.values(), now)
    # One statement: the database derives the status of each enrollment with new events.
    _copy(EnrollmentEvent, events, now)
    announce_persons_saved([*(row.person.pk for row in plan.new), *plan.persons])
    disagreements_record(
        *(Differences(row.person, row.enrollment.university, row.differing, row.enrollment) for row in plan.new)
    )


def _event(
    enrollment: Enrollment, sequence: int, status: str, previous: str, on: datetime.date, reason: str, actor: Any
) -> EnrollmentEvent:
    return EnrollmentEvent(
        enrollment_id=enrollment.pk,
        sequence=sequence,
        status=status,
        previous_status=previous,
        effective_date=on,
        reason=reason,
        actor_id=actor.pk if actor is not None else None,
    )


def _copy(model: type[models.Model], instances: Sequence[models.Model], now: datetime.datetime) -> None:
    """Insert unsaved instances with COPY, giving each its id from the table's sequence. auto_now and
    auto_now_add fields take `now`, as save() would; every other value is sent as the instance holds it."""
    if not instances:
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(instances)],
        )
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
    stamped = [
        f.attname for f in meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for instance in instances:
        for name in stamped:
            setattr(instance, name, now)
        instance._state.adding = False
    fields = meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)  # concrete: has a column
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    names = [f.attname for f in fields]
    # COPY is psycopg's own: its errors become Django's (an IntegrityError a Conflict) only when wrapped.
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(statement) as copy:
        for instance in instances:
            copy.write_row([getattr(instance, name) for name in names])


def _bulk_update(model: type[Person] | type[Enrollment], changed: Iterable[tuple[Any, set[str]]], now: Any) -> None:
    """Changed rows, grouped by the fields that change (so that no other field is written back)."""
    groups: dict[tuple[str, ...], list[Any]] = {}
    for instance, names in changed:
        instance.updated_at = now
        groups.setdefault(tuple(sorted(names)), []).append(instance)
    for fields, instances in groups.items():
        model.objects.bulk_update(instances, [*fields, "updated_at"], batch_size=BULK_BATCH)
