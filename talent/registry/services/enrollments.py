"""Enrollments and their status events: the only way a status changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.db import database_refusals, serialise, validate
from talent.common.errors import Conflict, DomainError, IllegalTransition, InvalidInput, NotAllowed
from talent.registry import lifecycle, plausible, roles
from talent.registry.models import (
    Enrollment,
    EnrollmentEvent,
    EnrollmentEventVoid,
    Person,
    Programme,
)
from talent.registry.services._base import Actor, acting, assign, save
from talent.registry.services.advisors import check_advisors
from talent.registry.services.identity import Differences, disagreements_record, person_link_or_create
from talent.registry.services.people import PersonFields, announce_persons_saved
from talent.registry.services.recorded import person_details_correct, recorded_for_admission
from talent.registry.validators import future_horizon
from talent.registry.vocabulary import (
    DegreeLevel,
    EnrollmentStatus,
)


class EnrollmentFields(TypedDict, total=False):
    """An enrollment's details, as admitting and correcting take them (any subset)."""

    student_number: str
    admission_date: datetime.date
    expected_completion: datetime.date | None
    completion_route: str
    advisor: Person | None
    co_advisor: Person | None


ENROLLMENT_FIELDS = tuple(EnrollmentFields.__annotations__)


def serialise_enrollment_writes(university_id: int) -> None:
    """Make this transaction wait for its turn among the writes to one university's enrollments and status events,
    and keep the turn until it ends. Every service that appends events or changes enrollments calls it first:
    such writes meet on the same rows (the enrollments, their events' sequence numbers, the counting groups of
    the university's programmes) in orders no single statement controls, and deadlocked (a 500) before."""
    serialise("registry.enrollment_writes", university_id)


def _enrollment_values(fields: EnrollmentFields) -> dict[str, object]:
    values: dict[str, object] = dict(fields)
    if isinstance(values.get("student_number"), str):
        values["student_number"] = str(values["student_number"]).strip()
    return values


def enrollment_admit(
    *,
    actor: Actor,
    programme: Programme,
    person: Person | None = None,
    new_person: PersonFields | None = None,
    admitted_on: datetime.date | None = None,
    reason: str = "",
    **fields: Unpack[EnrollmentFields],
) -> Enrollment:
    """Enrol a person in a programme: the enrollment and its first event (admitted, on `admitted_on`, default the
    admission date or, for an admission ahead of term, today: the enrollment shows as admitted until its term
    starts). The person is one already in the registry (`person`) or a new one (`new_person`), created in
    the same transaction: kept only with their enrollment. A new person whose ORCID iD or national researcher
    number the registry knows is that person (`identity.person_link_or_create`); details that differ are kept for
    an operator (`admission_differences` names them to the university). The student number is unique within the
    university; the advisors are appointed there (`check_advisors`). Dates may lie up to the future horizon
    ahead."""
    university = programme.school.university
    if actor is not None and not roles.may_manage_university(actor, university):
        raise NotAllowed(_("You may only enrol students in your own university's programmes."))
    if (person is None) == (new_person is None):
        raise InvalidInput(
            _("Give either the new person's details or an existing person (one of the two)."), field="person"
        )
    enrollment = Enrollment(person=person, programme=programme, university=university)
    assign(enrollment, _enrollment_values(fields), ENROLLMENT_FIELDS)
    today = timezone.localdate()
    effective = admitted_on or min(enrollment.admission_date, today)
    _check_horizon(enrollment.admission_date, today, field="admission_date")
    _check_horizon(effective, today, field="admitted_on")
    with acting(actor, "enrollment_admit"):
        serialise_enrollment_writes(university.pk)
        comparison = None
        if new_person is not None:
            enrollment.person, comparison = person_link_or_create(actor=actor, fields=new_person)
        check_advisors(enrollment)
        save(enrollment, EnrollmentEvent)
        _append_event(enrollment, EnrollmentStatus.ADMITTED, None, effective, reason, actor, sequence=1)
        if comparison is not None and comparison.differing:
            disagreements_record(Differences(enrollment.person, university, comparison.differing, enrollment))
            announce_persons_saved([enrollment.person.pk])  # what it gave may be another person's (identity)
        recorded_for_admission(enrollment, sent=new_person if comparison is not None else None)
    enrollment.refresh_from_db()
    return enrollment


def enrollment_update(
    *,
    actor: Actor,
    enrollment: Enrollment,
    person_fields: PersonFields | None = None,
    **fields: Unpack[EnrollmentFields],
) -> Enrollment:
    """Correct an enrollment's details and, with `person_fields`, its person's, together or not at all (the person is
    corrected by the university that enrols them). Its status changes only through `enrollment_transition`."""
    if actor is not None and not roles.may_manage_university(actor, enrollment.university):
        raise NotAllowed(_("You may only manage your own university's enrollments."))
    assign(enrollment, _enrollment_values(fields), ENROLLMENT_FIELDS)
    with acting(actor, "enrollment_update"):
        serialise_enrollment_writes(enrollment.university_id)
        if person_fields:
            person_details_correct(actor=actor, enrollment=enrollment, fields=person_fields)
        if fields:
            check_advisors(enrollment)
            # Never write `status`: it is derived from the events by the database.
            save(enrollment, update_fields=ENROLLMENT_FIELDS)
    if person_fields:
        enrollment.refresh_from_db()  # its person and the university's own record of them, as now stored
    return enrollment


def _check_horizon(effective_date: datetime.date, today: datetime.date, *, field: str) -> None:
    horizon = future_horizon(today)
    if effective_date > horizon:
        raise InvalidInput(
            _("%(date)s is too far ahead: a date may be at most %(days)s days ahead (until %(horizon)s).")
            % {"date": effective_date.isoformat(), "days": (horizon - today).days, "horizon": horizon.isoformat()},
            field=field,
        )


def _append_event(
    enrollment: Enrollment,
    status: str,
    previous: str | None,
    effective_date: datetime.date,
    reason: str,
    actor: Actor,
    *,
    sequence: int,
) -> EnrollmentEvent:
    event = EnrollmentEvent(
        enrollment=enrollment,
        sequence=sequence,
        status=status,
        previous_status=previous or "",
        effective_date=effective_date,
        reason=reason.strip(),
        actor=actor if actor is not None and actor.pk else None,
    )
    validate(event, exclude=["enrollment"])
    with database_refusals(EnrollmentEvent, Enrollment):
        event.save()
    enrollment.refresh_from_db(fields=["status", "status_since", "next_change_on"])  # derived by the database
    return event


def enrollment_transition(
    *,
    actor: Actor,
    enrollment: Enrollment,
    status: str,
    effective_date: datetime.date,
    reason: str = "",
    completion_route: str | None = None,
) -> EnrollmentEvent:
    """Record a status change as a new event (the enrollment's status follows), now or scheduled ahead (up to
    the future horizon; it takes effect on its date). Illegal transitions, dates beyond the horizon, before the
    previous change or the admission, and a second change scheduled for the same day are refused; a change that
    ends or completes a course of study needs a reason."""
    _check_status_input(status)
    with acting(actor, "enrollment_transition"):
        serialise_enrollment_writes(enrollment.university_id)
        locked = _lock_for_change(actor, enrollment)
        event = _transition_locked(actor, locked, status, effective_date, reason)
        if completion_route is not None:
            locked.completion_route = completion_route
            save(locked, update_fields=["completion_route"])
    enrollment.refresh_from_db()
    return event


def enrollment_transition_check(
    *, actor: Actor, enrollment: Enrollment, status: str, effective_date: datetime.date, reason: str = ""
) -> None:
    """Everything `enrollment_transition` checks, recording nothing: the pages ask to confirm a change only once it
    would be accepted."""
    _check_status_input(status)
    with transaction.atomic():
        locked = _lock_for_change(actor, enrollment)
        _checked(locked, status, effective_date, reason)


def _check_status_input(status: str) -> None:
    if status not in EnrollmentStatus.values:
        raise InvalidInput(_("Unknown status: %(status)s") % {"status": status}, field="status")
    if status == EnrollmentStatus.PROGRESSED:
        raise InvalidInput(
            _("Fast track to a doctorate is recorded with the fast-track action, which links the new enrollment."),
            field="status",
        )


def _lock_for_change(actor: Actor, enrollment: Enrollment) -> Enrollment:
    # Of the enrollment alone: a lock on its programme too would block every other write that refers to it.
    locked = Enrollment.objects.select_for_update(of=("self",)).select_related("programme").get(pk=enrollment.pk)
    if actor is not None and not roles.may_manage_university(actor, locked.university):
        raise NotAllowed(_("You may only record status changes of your own university's students."))
    return locked


def standing_events(enrollment: Enrollment) -> list[EnrollmentEvent]:
    """The enrollment's events that stand (not voided), in the order they take effect."""
    return list(enrollment.events.filter(void__isnull=True).order_by("effective_date", "sequence"))


def check_reason(status: str, reason: str) -> None:
    """A change that ends or completes a course of study (lifecycle.REASONED_STATUSES) needs a reason."""
    if status in lifecycle.REASONED_STATUSES and not reason.strip():
        raise InvalidInput(
            _("Give the reason for this change: %(status)s ends or completes a course of study.")
            % {"status": EnrollmentStatus(status).label},
            field="reason",
        )


def next_statuses(enrollment: Enrollment) -> list[str]:
    """What may be recorded next: the moves the lifecycle allows after the last standing change (which may be
    scheduled ahead). The fast track is among them where it is legal; it has its own service."""
    standing = standing_events(enrollment)
    current = standing[-1].status if standing else None
    return lifecycle.legal_next(current, degree_level=enrollment.programme.degree_level)


def voidable_change(standing: list[EnrollmentEvent]) -> EnrollmentEvent | None:
    """The one change that may be voided, of the standing ones in order: the latest, unless it is the admission
    or a fast track (so that what remains is always a legal sequence)."""
    latest = standing[-1] if standing else None
    if latest is None or latest.status == EnrollmentStatus.PROGRESSED or _is_admission(latest):
        return None
    return latest


def _is_admission(event: EnrollmentEvent) -> bool:
    return event.status == EnrollmentStatus.ADMITTED and not event.previous_status


def _transition_locked(
    actor: Actor, enrollment: Enrollment, status: str, effective_date: datetime.date, reason: str
) -> EnrollmentEvent:
    last = _checked(enrollment, status, effective_date, reason)
    # Voided events keep their numbers: the next one follows every event recorded, standing or not.
    sequence = (enrollment.events.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    return _append_event(
        enrollment, status, last.status if last else None, effective_date, reason, actor, sequence=sequence
    )


def _checked(enrollment: Enrollment, status: str, effective_date: datetime.date, reason: str) -> EnrollmentEvent | None:
    """Check a change of a locked enrollment against what stands; the last standing change (None: no events)."""
    standing = standing_events(enrollment)
    last = standing[-1] if standing else None
    today = timezone.localdate()
    check_transition(
        current=last.status if last else None,
        previous_date=last.effective_date if last else None,
        status=status,
        effective_date=effective_date,
        admission_date=enrollment.admission_date,
        degree_level=enrollment.programme.degree_level,
        today=today,
        scheduled_dates=[e.effective_date for e in standing if e.effective_date > today],
    )
    check_reason(status, reason)
    return last


def check_transition(
    *,
    current: str | None,
    previous_date: datetime.date | None,
    status: str,
    effective_date: datetime.date,
    admission_date: datetime.date,
    degree_level: str,
    today: datetime.date,
    scheduled_dates: Iterable[datetime.date] = (),
) -> None:
    """The rule for every status change, wherever it is recorded (one change here, a roster import in bulk):
    legal after the last standing change (`current`, which may itself be scheduled), at most the future horizon
    after `today`, not before the previous change nor before the admission, and not on a day for which another
    change is already scheduled (`scheduled_dates`: the standing changes after today).
    Pure: raises IllegalTransition, Conflict or InvalidInput, reads nothing."""
    if not lifecycle.is_legal(current, status, degree_level=degree_level):
        allowed = ", ".join(
            str(EnrollmentStatus(s).label) for s in lifecycle.legal_next(current, degree_level=degree_level)
        )
        raise IllegalTransition(
            _("An enrollment that is %(current)s cannot become %(new)s. Possible next: %(allowed)s.")
            % {
                "current": EnrollmentStatus(current).label if current else _("not yet admitted"),
                "new": EnrollmentStatus(status).label,
                "allowed": allowed or _("none (this status is final)"),
            },
            field="status",
        )
    _check_horizon(effective_date, today, field="effective_date")
    try:
        plausible.check_status_date(effective_date)
    except ValidationError as refusal:
        raise InvalidInput(refusal.messages[0], field="effective_date") from refusal
    if previous_date and effective_date < previous_date:
        raise InvalidInput(
            _("This change cannot take effect before the previous one (%(date)s).")
            % {"date": previous_date.isoformat()},
            field="effective_date",
        )
    if effective_date > today and effective_date in set(scheduled_dates):
        raise Conflict(
            _("Another change is already scheduled for %(date)s: cancel it first, or choose another day.")
            % {"date": effective_date.isoformat()},
            field="effective_date",
        )
    declining_admission = current == EnrollmentStatus.ADMITTED and status == EnrollmentStatus.WITHDRAWN
    if effective_date < admission_date and not declining_admission:
        raise InvalidInput(
            _("A status change cannot take effect before the admission date (%(date)s).")
            % {"date": admission_date.isoformat()},
            field="effective_date",
        )


def enrollment_event_void(*, actor: Actor, event: EnrollmentEvent, reason: str) -> EnrollmentEventVoid:
    """Void a change recorded by mistake, or cancel a scheduled change before its date: a correction naming the
    event, with the reason and who; the event stays in the history and the status is derived again from the
    events that stand. Only the latest standing change can be voided (what stands is then always a legal
    sequence), never the admission nor a fast track."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Give the reason for this correction."), field="reason")
    with acting(actor, "enrollment_event_void"):
        locked = _lock_for_change(actor, event.enrollment)
        if EnrollmentEventVoid.objects.filter(event_id=event.pk).exists():
            raise Conflict(_("This change has already been voided."), field="event", code="already_voided")
        check_voidable(event, standing_events(locked))
        void = EnrollmentEventVoid(event=event, reason=reason, actor=actor if actor is not None and actor.pk else None)
        validate(void, exclude=["event"])
        with database_refusals(EnrollmentEventVoid, Enrollment):
            void.save()
    event.enrollment.refresh_from_db()
    return void


def check_voidable(event: EnrollmentEvent, standing: list[EnrollmentEvent]) -> None:
    """The rule of a void, wherever it is asked for (one change here, a roster row that voids several, latest first):
    `event` must be the latest of the `standing` changes (in order) and neither the admission nor a fast track.
    Pure: raises IllegalTransition, reads nothing."""
    if voidable_change(standing) != event:
        raise _not_voidable(event, standing)


def _not_voidable(event: EnrollmentEvent, standing: list[EnrollmentEvent]) -> DomainError:
    if _is_admission(event):
        return IllegalTransition(
            _(
                "The admission cannot be voided. Correct the enrollment's details, or record that the "
                "admission was declined (withdrawn)."
            ),
            field="event",
        )
    if event.status == EnrollmentStatus.PROGRESSED:
        return IllegalTransition(
            _("A fast track to a doctorate cannot be voided here: its doctoral enrollment already exists."),
            field="event",
        )
    latest = standing[-1]
    return IllegalTransition(
        _(
            "Only the latest change can be voided, so that what remains is a legal sequence: void the "
            "change to %(status)s of %(date)s first."
        )
        % {"status": EnrollmentStatus(latest.status).label, "date": latest.effective_date.isoformat()},
        field="event",
    )


def enrollment_statuses_refresh(*, today: datetime.date | None = None) -> int:
    """Scheduled changes due by `today` (default: the registry's today) take effect: the status of every
    enrollment whose next change is due is derived again. Idempotent. Returns how many enrollments were due."""
    today = today or timezone.localdate()
    with acting(None, "enrollment_statuses_refresh"), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM registry_enrollment WHERE next_change_on <= %s ORDER BY id FOR UPDATE", [today])
        due = [row[0] for row in cursor.fetchall()]
        if due:
            cursor.execute("SELECT registry_derive_enrollment_status(%s::bigint[], %s)", [due, today])
    return len(due)


def enrollment_fast_track(
    *,
    actor: Actor,
    enrollment: Enrollment,
    doctoral_programme: Programme,
    student_number: str,
    effective_date: datetime.date,
    reason: str = "",
) -> Enrollment:
    """Move an enrolled master's student onto the fast track: the MS enrollment becomes `progressed`
    and a linked doctoral enrollment starts (enrolled) on the same date, today or past. The person still counts
    once."""
    if doctoral_programme.degree_level not in (DegreeLevel.PHD, DegreeLevel.INTEGRATED):
        raise InvalidInput(_("The fast track leads into a doctoral programme."), field="doctoral_programme")
    if effective_date > timezone.localdate():
        # Not scheduled ahead: a fast track cannot be voided (its doctoral enrollment exists at once).
        raise InvalidInput(
            _("A status change is recorded once it has happened: %(date)s is in the future.")
            % {"date": effective_date.isoformat()},
            field="effective_date",
        )
    with acting(actor, "enrollment_fast_track"):
        serialise_enrollment_writes(enrollment.university_id)
        locked = _lock_for_change(actor, enrollment)
        if doctoral_programme.school.university_id != locked.university_id:
            raise InvalidInput(_("The fast track continues at the same university."), field="doctoral_programme")
        _transition_locked(actor, locked, EnrollmentStatus.PROGRESSED, effective_date, reason)
        doctoral = enrollment_admit(
            actor=actor,
            person=locked.person,
            programme=doctoral_programme,
            student_number=student_number,
            admission_date=effective_date,
            reason=reason,
        )
        _transition_locked(actor, doctoral, EnrollmentStatus.ENROLLED, effective_date, reason)
        locked.progressed_to = doctoral
        with database_refusals(Enrollment):
            locked.save(update_fields=["progressed_to", "updated_at"])
    enrollment.refresh_from_db()
    doctoral.refresh_from_db()
    return doctoral
