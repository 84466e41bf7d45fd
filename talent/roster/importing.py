"""The roster in: read the file, check every row against the registry's rules, then store the whole file in
one transaction, or nothing.

Rows are matched to enrollments on the university's student number: a new number admits a new person, a
known one updates what changed, and a changed status becomes enrollment events, checked by the very rule
the single status change uses (`services.enrollments.check_transition`). Reads and writes are in bulk: one
query fetches the existing enrollments, new rows are inserted with bulk_create, and the database derives
each enrollment's status from its new events once per statement.
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import DomainError, InvalidInput, NotAllowed
from talent.registry import lifecycle, roles, selectors, validators
from talent.registry.models import (
    Enrollment,
    EnrollmentEvent,
    EnrollmentEventVoid,
    ImportBatch,
    ImportBatchStatus,
    Organization,
    Person,
    Programme,
    RosterRefusal,
)
from talent.registry.services._base import Actor, acting
from talent.registry.services.enrollments import check_transition, check_voidable, serialise_enrollment_writes
from talent.registry.services.identity import PersonLinker
from talent.registry.services.people import PERSON_FIELDS, normalise_person_fields
from talent.registry.services.recorded import person_correction, read_elsewhere
from talent.registry.vocabulary import EnrollmentStatus, OrganizationKind
from talent.roster.columns import BY_KEY
from talent.roster.header import FileHeader, read_file
from talent.roster.reading import Table
from talent.roster.results import ImportResult, RowAction, RowMessage, RowOutcome
from talent.roster.rows import EXAMPLE_MARK, ParsedRow, parse_row, shown
from talent.roster.writing import NewRow, Plan, apply

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _LastSequence(TypedDict):
        last_sequence: int | None
        last_status: str | None
        last_status_on: datetime.date | None
        last_event_id: int | None
        last_event_previous: str | None
        prior_status_on: datetime.date | None
        scheduled_dates: list[datetime.date]
        standing: list[dict[str, Any]]
        elsewhere: bool

    #: An enrollment as _existing fetches it: with the sequence of its last event (None when it has none), its
    #: last standing change (which may be scheduled ahead), the days of its changes scheduled after today, its
    #: standing changes in order (id, status, previous, on, sequence: what a row going back voids) and whether
    #: another university reads its person (`services.recorded.read_elsewhere`).
    ExistingEnrollment = WithAnnotations[Enrollment, _LastSequence]

Progress = Callable[[str, int, int], object]
PROGRESS_EVERY = 500

ENROLLMENT_FIELDS = ("admission_date", "expected_completion", "completion_route")
#: Left out of the row-by-row validation: the foreign keys (resolved in bulk; validating each one would query).
ENROLLMENT_FK_FIELDS = ["person", "programme", "university", "advisor", "co_advisor", "progressed_to"]


def roster_import(
    *,
    actor: Actor,
    university: Organization,
    filename: str,
    content: bytes,
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a roster file (CSV or XLSX) into `university`. Dry run: store nothing but the ImportBatch and say,
    row by row, what would happen. Real: all rows in one transaction, or none when any row has an error
    (`result.applied` tells). A file refused as a whole (size, rows, format, a resident registration number)
    raises InvalidInput; staff import only into their own university (NotAllowed), operators into any.
    `progress(phase, done, total)`, if given, is called as rows are checked ("check") and stored ("write")."""
    if actor is not None and not roles.may_manage_university(actor, university):
        raise NotAllowed(_("You may only import a roster into your own university."))
    if university.kind != OrganizationKind.UNIVERSITY:
        raise InvalidInput(_("A roster is imported into a university."), field="university")
    batch = ImportBatch(
        university=university,
        created_by=actor if actor is not None and actor.pk else None,
        filename=stored_file_name(filename),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        dry_run=dry_run,
    )
    try:
        table, header = read_file(content)
    except InvalidInput as refusal:
        batch.refusal = refusal.code if refusal.code in RosterRefusal.values else ""
        _record(batch, ImportBatchStatus.REJECTED, errors=[RowMessage(None, None, str(refusal))])
        raise
    batch.file_format, batch.encoding = table.file_format, table.encoding
    result = ImportResult(None, dry_run, False, batch.filename, batch.sha256, notices=header.notices)
    if dry_run:
        _plan(university, table, header, result, lock=False, progress=progress)
        _record(batch, ImportBatchStatus.DRY_RUN, result=result)
        return result
    try:
        with acting(actor, "roster_import"):
            # Its turn first: an identical file sent twice then finds, the second time, the students the first
            # stored, and no status change slips in between the check of a row and its write.
            serialise_enrollment_writes(university.pk)
            plan = _plan(university, table, header, result, lock=True, progress=progress)
            if result.ok:
                if progress is not None:
                    progress("write", 0, len(result.rows))
                # First: its insert also sets this transaction's history context, which the bulk load uses.
                _record(batch, ImportBatchStatus.APPLIED, result=result)
                apply(plan, actor, batch.filename)
                result.applied = True
                if progress is not None:
                    progress("write", len(result.rows), len(result.rows))
    except DomainError as refusal:  # a race the checks could not see: nothing was stored
        batch.pk, result.applied = None, False
        batch.refusal = RosterRefusal.CHANGED_MEANWHILE
        _record(batch, ImportBatchStatus.FAILED, result=result, errors=[RowMessage(None, None, str(refusal))])
        raise
    if not result.applied:
        _record(batch, ImportBatchStatus.FAILED, result=result)
    return result


def stored_file_name(name: str) -> str:
    """The upload's name as the batch keeps it: its last path part, without control or invisible characters, at
    most 255 characters (the extension kept), digits masked when it holds a resident registration number."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf"))
    name = " ".join(validators.redact_resident_registration_numbers(name).split()) or "roster"
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 254 - len(extension)] + dot + extension) if dot and len(extension) <= 10 else name[:255]
    return name


def _record(
    batch: ImportBatch,
    status: str,
    *,
    result: ImportResult | None = None,
    errors: Iterable[RowMessage] = (),
) -> None:
    batch.status = status
    problems = [*errors]
    if result is not None:
        totals = result.totals()
        batch.row_count, batch.error_count = totals["rows"], totals["errors"]
        batch.created_count, batch.updated_count = totals["created"], totals["updated"]
        batch.unchanged_count = totals["unchanged"]
        problems += result.problems
        batch.outcomes = [row.as_stored_dict() for row in result.rows if row.action != RowAction.UNCHANGED]
    batch.errors = [p.as_stored_dict() for p in problems]
    with acting(batch.created_by, "roster_import"):
        batch.save()
    if result is not None:
        result.batch_id = batch.pk


# --- Planning: what each row would do -------------------------------------------------------------------


class _Row:
    """One row being checked: its outcome collects the problems, each under the file's column header."""

    def __init__(self, parsed: ParsedRow, header: FileHeader) -> None:
        self.parsed = parsed
        self.header = header
        self.outcome = RowOutcome(parsed.number, RowAction.UNCHANGED, parsed.student_number)
        self.faulty: set[str | None] = set()  # columns already reported
        for key, message in parsed.problems:
            self.problem(key, message)

    def problem(self, key: str | None, message: Any) -> None:
        self.faulty.add(key)
        self.outcome.messages.append(RowMessage(self.parsed.number, self.header.label(key), str(message)))
        self.outcome.action = RowAction.ERROR

    def validation(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            key = "status_date" if name == "effective_date" else name
            for message in messages:
                self.problem(key if key in BY_KEY else None, message)

    def refusal(self, error: DomainError, *, date_column: str = "status_date") -> None:
        key = date_column if error.field == "effective_date" else error.field
        self.problem(key if key in BY_KEY else None, error.message)

    @property
    def failed(self) -> bool:
        return self.outcome.action == RowAction.ERROR


def _plan(
    university: Organization,
    table: Table,
    header: FileHeader,
    result: ImportResult,
    *,
    lock: bool,
    progress: Progress | None = None,
) -> Plan:
    plan = Plan()
    rows = []
    for row_number, cells in table.rows[header.first_data :]:
        parsed = parse_row(row_number, cells, header.positions, epoch=table.epoch)
        if parsed.student_number.startswith(EXAMPLE_MARK):
            skipped = _("The template's example row (its student number starts with “%(mark)s”): not imported.")
            label = header.label("student_number")
            result.notices.append(RowMessage(row_number, label, skipped % {"mark": EXAMPLE_MARK}))
            continue
        row = _Row(parsed, header)
        row.outcome.values = {key: shown(key, value) for key, value in parsed.values.items()}
        rows.append(row)
    numbers = {row.parsed.student_number for row in rows if row.parsed.student_number}
    existing = _existing(university, numbers, lock=lock)
    programmes = _Programmes(university)
    # Who holds the file's ORCID iDs and researcher numbers: one statement, locked in a real import.
    identifiers = PersonLinker([_person_fields(row) for row in rows], lock=lock)
    chains: dict[str, _Chain | None] = {}  # per student number, where its first row (and any further ones) leave it
    seen: dict[str, int] = {}
    for done, row in enumerate(rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("check", done, len(rows))
        result.rows.append(row.outcome)
        number = row.parsed.student_number
        if not number:
            row.problem("student_number", _("The student number is missing."))
            continue
        if number in seen:
            _plan_further_step(row, seen[number], chains[number], plan)
            continue
        seen[number] = row.parsed.number
        enrollment = existing.get(number)
        if enrollment is None:
            chains[number] = _plan_new(row, university, programmes, identifiers, plan)
        else:
            chains[number] = _plan_existing(row, enrollment, programmes, identifiers, plan)
    if progress is not None:
        progress("check", len(rows), len(rows))
    return plan


def _existing(university: Organization, numbers: set[str], *, lock: bool) -> dict[str, ExistingEnrollment]:
    """The university's enrollments with these student numbers, with their persons, their last event (its
    sequence), their last standing change (which may be scheduled ahead), the days of the changes scheduled
    after today, their standing changes, and whether another university reads their person: one query (two when
    locking)."""
    events = EnrollmentEvent.objects.filter(enrollment=OuterRef("pk"))
    last_sequence = events.order_by("-sequence").values("sequence")
    standing = events.filter(void__isnull=True)
    last_standing = standing.order_by("-effective_date", "-sequence")
    scheduled = standing.filter(effective_date__gt=timezone.localdate()).values("effective_date")
    qs = Enrollment.objects.filter(university=university, student_number__in=numbers)
    if lock:
        # The rows a real import changes, locked before they are read: a statement that locked and read at once
        # would read the events as they were when it started, before the change it waited for.
        list(qs.order_by("pk").select_for_update().values_list("pk", flat=True))
    qs = qs.select_related("person", "recorded", "programme__school").annotate(
        last_sequence=Subquery(last_sequence[:1]),
        last_status=Subquery(last_standing.values("status")[:1]),
        last_status_on=Subquery(last_standing.values("effective_date")[:1]),
        last_event_id=Subquery(last_standing.values("pk")[:1]),
        last_event_previous=Subquery(last_standing.values("previous_status")[:1]),
        prior_status_on=Subquery(last_standing.values("effective_date")[1:2]),
        scheduled_dates=ArraySubquery(scheduled),
        standing=ArraySubquery(
            standing.order_by("effective_date", "sequence").values(
                json=JSONObject(
                    id="pk", status="status", previous="previous_status", on="effective_date", sequence="sequence"
                )
            )
        ),
        elsewhere=ExpressionWrapper(read_elsewhere(OuterRef("person_id"), university.pk), output_field=BooleanField()),
    )
    return {e.student_number: e for e in qs}


class _Programmes:
    """The university's programmes, found by name (Korean or English) or id, within a school when one is named."""

    def __init__(self, university: Organization) -> None:
        self.all = list(Programme.objects.filter(school__university=university).select_related("school"))

    @staticmethod
    def _key(text: str) -> str:
        return "".join(text.split()).casefold()

    def find(self, row: _Row) -> Programme | None:
        wanted = self._key(str(row.parsed.values.get("programme") or ""))
        school = self._key(str(row.parsed.values.get("school") or ""))
        candidates = [
            p
            for p in self.all
            if wanted in (self._key(p.name_ko), self._key(p.name_en), str(p.pk))
            and (not school or school in (self._key(p.school.name_ko), self._key(p.school.name_en)))
        ]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            names = ", ".join(sorted({p.name_ko for p in self.all})) or _("none yet")
            row.problem(
                "programme",
                _("This university has no programme “%(value)s”. Its programmes: %(names)s.")
                % {"value": row.parsed.values.get("programme", "")[:60], "names": names},
            )
        else:
            row.problem(
                "programme",
                _(
                    "Several programmes are called “%(value)s”: add the graduate school column (대학원) "
                    "to tell them apart."
                )
                % {"value": row.parsed.values.get("programme", "")[:60]},
            )
        return None


def _person_fields(row: _Row) -> dict[str, Any]:
    return normalise_person_fields({k: row.parsed.values[k] for k in PERSON_FIELDS if k in row.parsed.values})


def _clean(row: _Row, instance: Any, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        row.validation(exc)


def _check_records(row: _Row, person: Person, enrollment: Enrollment) -> None:
    """Field rules and the single-row rules of both records; uniqueness is checked in bulk elsewhere."""
    # The nationality is already one of vocabulary.countries() (rows.parse_country); the field's choices are
    # a callable that sorts 249 names anew on each call: the slowest check of a row, and a redundant one.
    _clean(row, person, exclude=["user", "nationality"])
    _clean(row, enrollment, exclude=ENROLLMENT_FK_FIELDS)
    if not (person.family_name_ko or person.given_name_ko or person.family_name_latin or person.given_name_latin):
        row.problem("family_name_ko", _("A person needs a name in Korean or in Latin letters."))
    if enrollment.expected_completion and enrollment.expected_completion <= enrollment.admission_date:
        row.problem("expected_completion", _("The expected completion must come after admission."))


def status_path(target: str, *, degree_level: str) -> list[str]:
    """The shortest legal way from admission to `target` (the lifecycle's transitions), admission excluded."""
    queue: deque[list[str]] = deque([[EnrollmentStatus.ADMITTED]])
    while queue:
        path = queue.popleft()
        if path[-1] == target:
            return path[1:]
        for following in sorted(lifecycle.TRANSITIONS[path[-1]]):
            if following not in path and lifecycle.is_legal(path[-1], following, degree_level=degree_level):
                queue.append([*path, following])
    return []


def _plan_new(
    row: _Row, university: Organization, programmes: _Programmes, identifiers: PersonLinker, plan: Plan
) -> _Chain | None:
    values = row.parsed.values
    for key in ("programme", "admission_date"):
        if not values.get(key) and key not in row.faulty:
            row.problem(key, _("Needed for a new student: %(what)s.") % {"what": BY_KEY[key].label})
    if row.failed:
        return None
    programme = programmes.find(row)
    person = Person(**_person_fields(row))
    enrollment = Enrollment(
        person=person,
        university=university,
        student_number=row.parsed.student_number,
        **{k: values[k] for k in ENROLLMENT_FIELDS if k in values},
    )
    if enrollment.completion_route is None:
        enrollment.completion_route = ""
    if programme is None:
        return None
    enrollment.programme = programme
    _check_records(row, person, enrollment)
    status = values.get("status") or EnrollmentStatus.ADMITTED
    steps = _new_steps(row, status, values.get("status_date"), enrollment)
    if row.failed:
        return None
    differing: dict[str, Any] = {}
    sent: dict[str, Any] | None = None
    fields = _person_fields(row)
    linked = identifiers.link(fields)
    if linked is None:
        identifiers.take(person)
    else:
        person, comparison = linked
        sent = fields if person.pk is not None else None  # a person already in the registry
        differing = comparison.differing
        _linked(row, person, comparison.filled, differing, plan)
        enrollment.person = person
    row.outcome.action = RowAction.CREATED
    new_row = NewRow(row.outcome, person, enrollment, steps, differing, sent)
    plan.new.append(new_row)
    status_now, since = new_row.final
    return _Chain(row, enrollment, status_now, since, new_row=new_row)


def _linked(row: _Row, person: Person, filled: dict[str, Any], differing: dict[str, Any], plan: Plan) -> None:
    """A new row that `PersonLinker` linked to a person: the fields it filled are stored with the file's other
    changes of persons; those that differ are reported on the row (column by column) and kept for an operator."""
    if filled and person.pk is not None:
        kept, names = plan.persons.setdefault(person.pk, (person, set()))
        for name in filled:
            setattr(kept, name, getattr(person, name))
        names.update(filled)
    for name in differing:
        row.outcome.notices.append(
            RowMessage(
                row.parsed.number,
                row.header.label(name),
                _(
                    "Differs from the registry's record of this person, whom the ORCID iD or national researcher "
                    "number identifies: the student is admitted as that person, the record is not changed, and an "
                    "operator reviews the difference."
                ),
            )
        )


def _new_steps(
    row: _Row, status: str, status_date: datetime.date | None, enrollment: Enrollment
) -> list[tuple[str, datetime.date]]:
    """Events of a new student: admitted and enrolled on the admission date, later steps on the status date."""
    if status == EnrollmentStatus.PROGRESSED:
        row.problem("status", _("Fast track to a doctorate is recorded with the fast-track action, which links "
                                "the new enrollment."))  # fmt: skip
        return []
    degree_level = enrollment.programme.degree_level
    admitted_on = enrollment.admission_date
    steps: list[tuple[str, datetime.date]] = []
    current, previous = None, None
    today = timezone.localdate()
    for step in [EnrollmentStatus.ADMITTED, *status_path(status, degree_level=degree_level)]:
        early = step in (EnrollmentStatus.ADMITTED, EnrollmentStatus.ENROLLED) and step != status
        on = admitted_on if early or step == EnrollmentStatus.ADMITTED else (status_date or admitted_on)
        try:
            check_transition(
                current=current,
                previous_date=previous,
                status=step,
                effective_date=on,
                admission_date=admitted_on,
                degree_level=degree_level,
                today=today,
            )
        except DomainError as refusal:
            row.refusal(refusal, date_column="admission_date" if step == EnrollmentStatus.ADMITTED else "status_date")
            return []
        steps.append((step, on))
        current, previous = step, on
    return steps[1:]


def _plan_existing(
    row: _Row, enrollment: ExistingEnrollment, programmes: _Programmes, identifiers: PersonLinker, plan: Plan
) -> _Chain | None:
    values = row.parsed.values
    if values.get("programme"):
        programme = programmes.find(row)
        if programme is not None and programme.pk != enrollment.programme_id:
            row.problem("programme", _("A student's programme cannot be changed by an import (it is fixed at "
                                       "admission). Admit them to the new programme instead."))  # fmt: skip
    # The person as this university recorded them: a shared person's own record (registry.services.recorded), never
    # what another university stored, is what the row is compared with and what it corrects.
    stored = enrollment.person
    person = selectors.person_as_recorded(enrollment)
    person_values = _person_fields(row)
    # What the correction does, by the rule the API's and the pages' corrections follow (the university's own record
    # or the Person; what an operator reviews), decided before the row's values are assigned.
    details = person_correction(
        stored,
        {name: value for name, value in person_values.items() if getattr(person, name) != value},
        elsewhere=enrollment.elsewhere,
        recorded=person is not stored,
        held_by_another=identifiers.held_by_another(stored),
    )
    enrollment_values = {
        k: values[k] or ("" if k == "completion_route" else None) for k in ENROLLMENT_FIELDS if k in values
    }
    before = {
        **{name: getattr(person, name) for name in person_values},
        **{name: getattr(enrollment, name) for name in enrollment_values},
    }
    person_changes = _assign(person, person_values)
    enrollment_changes = _assign(enrollment, enrollment_values, required=("admission_date",), row=row)
    if person_changes or enrollment_changes:
        _check_records(row, person, enrollment)
    status: str = values.get("status") or ""
    # A row says where the enrollment stands after its last recorded change, scheduled ones included.
    status_change = bool(status) and status != enrollment.last_status
    # An earlier status than the one recorded: the later changes are voided (cancelled, when scheduled), with a reason.
    reason = _reason_given(row)
    going_back = _going_back(row, enrollment, status, reason) if status_change else None
    if going_back is not None:
        status_change = False
    # The same status on another date: the recorded change is corrected (voided, and recorded again on that date).
    corrected_on: datetime.date | None = values.get("status_date")
    correction = (
        bool(status) and status == enrollment.last_status and corrected_on not in (None, enrollment.last_status_on)
    )
    if correction and corrected_on is not None:
        _check_correction(row, enrollment, status, corrected_on)
    if status_change:
        on = values.get("status_date") or timezone.localdate()
        try:
            _check_step(
                enrollment,
                current=enrollment.last_status,
                previous_date=enrollment.last_status_on,
                status=status,
                on=on,
                scheduled_dates=enrollment.scheduled_dates,
            )
        except DomainError as refusal:
            row.refusal(refusal)
    if row.failed:
        return None
    if person_changes:
        identifiers.take(stored, details.direct)
        for name in details.differing:
            row.outcome.notices.append(
                RowMessage(
                    row.parsed.number,
                    row.header.label(name),
                    _(
                        "Kept in your university's record of this student. The registry's record of the person is "
                        "not changed by it: an operator reviews the difference."
                    ),
                )
            )
    if person_changes and details.own_record:
        plan.recorded[enrollment.pk] = (enrollment, {name: getattr(person, name) for name in person_changes})
    elif person_changes:
        # One person may have two enrollments (a master's, then the doctorate) on two rows: one instance
        # carries every change.
        kept, names = plan.persons.setdefault(person.pk, (person, set()))
        for name in person_changes:
            setattr(kept, name, getattr(person, name))
        names.update(person_changes)
    if enrollment_changes:
        plan.enrollments[enrollment.pk] = (enrollment, enrollment_changes)
    chain = _Chain(
        row,
        enrollment,
        enrollment.last_status,
        enrollment.last_status_on,
        sequence=enrollment.last_sequence or 0,
        scheduled_dates=list(enrollment.scheduled_dates or []),
    )
    if going_back is not None:
        going_back.plan(chain, plan)
    if status_change:
        chain.add(status, on, plan)
    if correction:
        assert enrollment.last_event_id is not None and corrected_on is not None  # _check_correction made sure
        plan.voids.append((enrollment.last_event_id, reason or None))
        chain.status = enrollment.last_event_previous or None
        chain.add(status, corrected_on, plan)
        row.outcome.notices.append(
            RowMessage(
                row.parsed.number,
                row.header.label("status_date"),
                _("A correction: the recorded change to %(status)s of %(old)s is voided and recorded again on "
                  "%(new)s.") % {"status": shown("status", status), "old": shown("status_date",
                                 enrollment.last_status_on), "new": shown("status_date", corrected_on)},
            )
        )  # fmt: skip
    corrected = {"status_date"} if correction else set()
    goes_back = going_back is not None and not going_back.keeps_scheduled
    status_changed = {"status"} if status_change or goes_back else set()
    changes = sorted(person_changes | enrollment_changes | status_changed | corrected)
    row.outcome.changes = changes
    row.outcome.differences = [
        {"field": name, "old": shown(name, before[name]), "new": shown(name, getattr(person, name, None))}
        if name in person_changes
        else {"field": name, "old": shown(name, before[name]), "new": shown(name, getattr(enrollment, name))}
        for name in changes
        if name not in ("status", "status_date")
    ]
    if correction:
        row.outcome.differences.append(
            {
                "field": "status_date",
                "old": _status_shown(status, enrollment.last_status_on),
                "new": _status_shown(status, corrected_on),
            }
        )
    if status_change:
        row.outcome.differences.append(
            {
                "field": "status",
                "old": _status_shown(enrollment.last_status, enrollment.last_status_on),
                "new": _status_shown(status, on),
            }
        )
    if going_back is not None and goes_back:
        row.outcome.differences.append(
            {
                "field": "status",
                "old": _status_shown(enrollment.last_status, enrollment.last_status_on),
                "new": _status_shown(going_back.back_to.status, going_back.back_to.effective_date),
            }
        )
    row.outcome.action = RowAction.UPDATED if changes else RowAction.UNCHANGED
    return chain


# --- Going back: a row that states an earlier status than the one recorded -----------------------------------------
#
# The design: a row says where the enrollment stands. When it states a status the enrollment stood in before its
# later recorded change(s) (재학 while 수료 is recorded after it; 재학 while a 휴학 is scheduled ahead), it means
# that those later changes should not stand: the preview proposes voiding them (cancelling, for one still ahead),
# shown on the row as old → new and one notice naming each change. This happens only when the row gives the reason
# (the 정정사유 column, carried by the file, so the API, the admin and the command line ask for it as the page does):
# without it the row is refused, saying what it would void and how to confirm, since a file exported before the
# changes were recorded reads exactly the same and must not undo them. Every void goes through
# `enrollment_event_void` (and is checked first by its rule, `check_voidable`): latest first, never the admission
# nor a fast track. A row that is a legal next step on or after the last change (back from leave to 재학) is a new
# change, as before. Once applied, the same file states what is recorded and changes nothing.


@dataclass
class _GoingBack:
    """A row going back: the standing change it returns to, and the later changes it voids (latest first), with the
    reason the row gives."""

    row: _Row
    back_to: EnrollmentEvent
    voided: list[EnrollmentEvent]
    remaining: list[EnrollmentEvent]
    reason: str
    #: The row states the status in force today and only changes still ahead follow it, without a reason: the file
    #: (an export, say) says nothing of the future, so they stay, and the row says how to cancel them.
    keeps_scheduled: bool = False

    def plan(self, chain: _Chain, plan: Plan) -> None:
        """Void the later changes, and let a further row of the student continue from the change returned to."""
        today = timezone.localdate()
        if self.keeps_scheduled:
            self.row.outcome.notices.append(
                RowMessage(
                    self.row.parsed.number,
                    self.row.header.label("status"),
                    _(
                        "Unchanged: %(what)s stays scheduled. To cancel it, give the reason in the correction reason "
                        "column (정정사유) and upload the file again."
                    )
                    % {"what": _scheduled_shown(self.voided)},
                )
            )
            return
        plan.voids.extend((event.pk, self.reason) for event in self.voided)
        chain.status, chain.on = self.back_to.status, self.back_to.effective_date
        chain.scheduled_dates = [event.effective_date for event in self.remaining if event.effective_date > today]
        message = _("Correction (reason: “%(reason)s”): %(what)s.")
        self.row.outcome.notices.append(
            RowMessage(
                self.row.parsed.number,
                self.row.header.label("status"),
                message % {"reason": self.reason[:200], "what": _voided_shown(self.voided, today)},
            )
        )


def _voided_shown(events: list[EnrollmentEvent], today: datetime.date) -> str:
    """What voiding these changes does, in words: a change ahead is cancelled, one that took effect voided."""
    cancel = _("cancel the change to %(status)s scheduled for %(date)s")
    void = _("void the change to %(status)s of %(date)s")
    return "; ".join(
        (cancel if event.effective_date > today else void)
        % {"status": shown("status", event.status), "date": shown("status_date", event.effective_date)}
        for event in events
    )


def _scheduled_shown(events: list[EnrollmentEvent]) -> str:
    """Changes still ahead, in words (earliest first)."""
    return ", ".join(
        _("the change to %(status)s on %(date)s")
        % {"status": shown("status", event.status), "date": shown("status_date", event.effective_date)}
        for event in reversed(events)
    )


def _standing_of(enrollment: ExistingEnrollment) -> list[EnrollmentEvent]:
    return [
        EnrollmentEvent(
            pk=event["id"],
            enrollment_id=enrollment.pk,
            status=event["status"],
            previous_status=event["previous"],
            effective_date=datetime.date.fromisoformat(event["on"]),
            sequence=event["sequence"],
        )
        for event in enrollment.standing or []
    ]


def _going_back(row: _Row, enrollment: ExistingEnrollment, status: str, reason: str) -> _GoingBack | None:
    """The row goes back when its status is one of the standing changes before the last and it is not a new change
    (a legal next step, on or after the last change; without a date, today). Problems are the row's; None: a new
    change, checked as one."""
    if not any(event["status"] == status for event in (enrollment.standing or [])[:-1]):
        return None
    stated_on: datetime.date | None = row.parsed.values.get("status_date")
    last_status, last_on = enrollment.last_status, enrollment.last_status_on
    degree_level = enrollment.programme.degree_level
    legal = lifecycle.is_legal(last_status, status, degree_level=degree_level)
    if legal and last_on is not None and (stated_on or timezone.localdate()) >= last_on:
        return None  # a new change (e.g. back from leave), checked as one
    events = _standing_of(enrollment)
    earlier = [event for event in events[:-1] if event.status == status]
    matching = [event for event in earlier if stated_on in (None, event.effective_date)]
    back_to = matching[-1] if matching else earlier[-1]
    position = events.index(back_to)
    going_back = _GoingBack(row, back_to, list(reversed(events[position + 1 :])), events[: position + 1], reason)
    if not matching:
        message = _(
            "This row states %(status)s from %(date)s, but %(status)s is recorded from %(recorded)s, before the later "
            "change to %(last)s. A new change cannot take effect before %(last_date)s; to void or cancel the later "
            "changes instead, give the recorded date (%(recorded)s) or leave the status date empty, and the reason in "
            "the correction reason column (정정사유)."
        )
        row.problem(
            "status_date",
            message
            % {
                "status": shown("status", status),
                "date": shown("status_date", stated_on),
                "recorded": shown("status_date", back_to.effective_date),
                "last": _status_shown(last_status, last_on),
                "last_date": shown("status_date", last_on),
            },
        )
        return going_back
    remaining = list(events)
    for event in going_back.voided:  # the void service's own rule, as it will be asked: latest first
        try:
            check_voidable(event, remaining)
        except DomainError as refusal:
            row.problem("status", refusal.message)
            return going_back
        remaining.pop()
    today = timezone.localdate()
    if not reason and back_to.effective_date <= today and all(e.effective_date > today for e in going_back.voided):
        going_back.keeps_scheduled = True  # the status in force today, as an export writes it: nothing to undo
        return going_back
    if not reason and "correction_reason" not in row.faulty:
        message = _(
            "This row states %(status)s (%(date)s), which is recorded before later changes: importing it would "
            "%(what)s. If that is meant, give the reason in the correction reason column (정정사유) and upload the "
            "file again; if the file is out of date, write the status as recorded: %(recorded)s."
        )
        row.problem(
            "correction_reason",
            message
            % {
                "status": shown("status", status),
                "date": shown("status_date", back_to.effective_date),
                "what": _voided_shown(going_back.voided, timezone.localdate()),
                "recorded": _status_shown(last_status, last_on),
            },
        )
    return going_back


def _reason_given(row: _Row) -> str:
    """The row's correction reason (정정사유), checked as a void's reason is; '' when it gives none."""
    reason = str(row.parsed.values.get("correction_reason") or "").strip()
    if reason:
        try:
            EnrollmentEventVoid(reason=reason).full_clean(
                exclude=["event", "actor"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for message in error.message_dict.get("reason", []):
                row.problem("correction_reason", message)
    return reason


def _check_correction(row: _Row, enrollment: ExistingEnrollment, status: str, on: datetime.date) -> None:
    """A re-import that gives the last change another date proposes a correction: allowed where voiding that change
    is (not the admission, whose date is the 입학일 column's, nor a fast track), and where the change on the new date
    follows the one before it by the same status rule."""
    if enrollment.last_event_id is None or not enrollment.last_event_previous:
        row.problem("status_date", _("The admission's date is corrected in the admission date column (입학일)."))
        return
    if status == EnrollmentStatus.PROGRESSED:
        row.problem("status_date", _("A fast track to a doctorate cannot be voided here: its doctoral enrollment "
                                     "already exists."))  # fmt: skip
        return
    scheduled = [day for day in enrollment.scheduled_dates or [] if day != enrollment.last_status_on]
    try:
        check_transition(
            current=enrollment.last_event_previous,
            previous_date=enrollment.prior_status_on,
            status=status,
            effective_date=on,
            admission_date=enrollment.admission_date,
            degree_level=enrollment.programme.degree_level,
            today=timezone.localdate(),
            scheduled_dates=scheduled,
        )
    except DomainError as refusal:
        row.refusal(refusal)


@dataclass
class _Chain:
    """Where a student's rows leave their enrollment: the status and date of its last (planned) change. A further row
    of the same student number adds the next change, checked from there."""

    first: _Row
    enrollment: Enrollment
    status: str | None
    on: datetime.date | None
    new_row: NewRow | None = None  # a student the file admits: its changes are steps of the new row
    sequence: int = 0  # a known enrollment: the sequence of its last event
    scheduled_dates: list[datetime.date] = field(default_factory=list)

    def add(self, status: str, on: datetime.date, plan: Plan) -> None:
        if self.new_row is not None:
            self.new_row.steps.append((status, on))
        else:
            self.sequence += 1
            plan.events.append((self.enrollment, status, self.status or "", on, self.sequence))
        self.status, self.on = status, on


#: What a further row of a student may give besides the next status and its date: the same values as the first row.
_STEP_COLUMNS = frozenset({"student_number", "status", "status_date", "correction_reason"})


def _plan_further_step(row: _Row, first_row: int, chain: _Chain | None, plan: Plan) -> None:
    """A further row of a student number records the next status change (e.g. 수료, then 졸업, each with its date):
    checked by the status rule from the change before it; its other cells, if given, must be the first row's."""
    values = row.parsed.values
    if chain is None:
        message = _("Student number “%(number)s” is also on row %(row)s, which has an error: correct that row first.")
        row.problem("student_number", message % {"number": row.parsed.student_number, "row": first_row})
        return
    first = chain.first.parsed.values
    if values.get("status") in (None, "", chain.status) and values.get("status_date") in (None, chain.on):
        message = _("Student number “%(number)s” is also on row %(row)s, with the same status: a further row of a "
                    "student number records their next status change.")  # fmt: skip
        row.problem("student_number", message % {"number": row.parsed.student_number, "row": first_row})
        return
    for key, value in values.items():
        if key not in _STEP_COLUMNS and value not in (None, "") and value != first.get(key):
            message = _("Differs from row %(row)s of the same student: a further row of a student number only "
                        "records their next status change (학적상태, 상태변경일).")  # fmt: skip
            row.problem(key, message % {"row": first_row})
    status, on = values.get("status"), values.get("status_date")
    if not status:
        row.problem("status", _("A further row of the same student number gives their next status."))
    if not on:
        row.problem("status_date", _("A further row of the same student number gives the date of that change."))
    if row.failed or not status or not on:
        return
    try:
        _check_step(
            chain.enrollment,
            current=chain.status,
            previous_date=chain.on,
            status=status,
            on=on,
            scheduled_dates=chain.scheduled_dates,
        )
    except DomainError as refusal:
        row.refusal(refusal)
        return
    old = _status_shown(chain.status, chain.on)
    chain.add(status, on, plan)
    row.outcome.action = RowAction.UPDATED
    row.outcome.changes = ["status"]
    row.outcome.differences = [{"field": "status", "old": old, "new": _status_shown(status, on)}]


def _check_step(
    enrollment: Any,
    *,
    current: str | None,
    previous_date: datetime.date | None,
    status: str,
    on: datetime.date,
    scheduled_dates: Any,
) -> None:
    """The rule of a status change a roster row records (after the enrollment's last change, or after the row
    before it for the same student): the registry's transition check; a fast track is refused here, since only
    its own action links the new enrollment."""
    if status == EnrollmentStatus.PROGRESSED:
        raise InvalidInput(
            _("Fast track to a doctorate is recorded with the fast-track action, which links the new enrollment."),
            field="status",
        )
    check_transition(
        current=current,
        previous_date=previous_date,
        status=status,
        effective_date=on,
        admission_date=enrollment.admission_date,
        degree_level=enrollment.programme.degree_level,
        today=timezone.localdate(),
        scheduled_dates=scheduled_dates,
    )


def _status_shown(status: str | None, on: datetime.date | None) -> str:
    """A status with the date it took (or takes) effect, as the preview shows it: 재학 (2026-03-02)."""
    if not status:
        return ""
    return f"{shown('status', status)} ({shown('status_date', on)})" if on else shown("status", status)


def _assign(
    instance: Any, values: dict[str, Any], *, required: tuple[str, ...] = (), row: _Row | None = None
) -> set[str]:
    """Set the values that differ; the names of those changed. A required field left empty is a problem."""
    changed: set[str] = set()
    for name, value in values.items():
        if name in required and value in (None, ""):
            if row is not None:
                row.problem(name, _("This cell cannot be emptied."))
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.add(name)
    return changed
