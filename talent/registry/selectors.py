"""Every read a user makes of the registry, with that user's permissions applied.

One place for the object-level rules (DESIGN.md § Users): a list never shows what the detail would
refuse, and another organization's object is simply not found.
- university staff: their own university's schools, programmes, enrollments, students and claim codes;
- company members: their own company's field problems; researchers see open problems;
- researchers: their own person record and profiles only;
- the ministry: aggregates, never lists of persons;
- operators (Django staff): everything.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Case, F, Model, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, Concat
from django.http import HttpRequest
from django.utils.translation import gettext as _

from talent.common.errors import NotFound
from talent.registry import privacy, roles
from talent.registry.models import (
    AdvisorAppointment,
    ClaimCode,
    Enrollment,
    EnrollmentEvent,
    FieldProblem,
    GraduateSchool,
    IdentityDisagreement,
    ImportBatch,
    Organization,
    OverseasPosition,
    Person,
    PersonAsRecorded,
    PrivacyConsent,
    Programme,
)
from talent.registry.services.access import access_log_record
from talent.registry.services.people import PERSON_FIELDS
from talent.registry.vocabulary import ProblemStatus

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    from talent.registry.roles import User

    class _StatusOn(TypedDict):
        status_on: str | None


T = TypeVar("T", bound=Model)
R = TypeVar("R")


# --- Catalogue: organizations, schools, programmes ---------------------------------------------------


def organization_list(*, user: User) -> QuerySet[Organization]:
    """Organizations are public facts (names, regions, sectors): every signed-in user may read them."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.all().order_by("kind", "name_ko")


def graduate_school_list(*, user: User) -> QuerySet[GraduateSchool]:
    qs = GraduateSchool.objects.select_related("university").prefetch_related("consortium_companies")
    if roles.is_operator(user) or roles.is_ministry(user):
        return qs
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(university=university)
    company = roles.company_of(user)
    if company is not None:
        return qs.filter(consortium_companies=company)
    return qs.none()


def programme_list(*, user: User) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("school__university")
    if roles.is_operator(user) or roles.is_ministry(user):
        return qs
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(school__university=university)
    return qs.none()


# --- Enrollments and persons ------------------------------------------------------------------------


def enrollment_list(*, user: User) -> QuerySet[Enrollment]:
    """Enrollments with their persons: the university's own staff and operators only (never the ministry)."""
    qs = Enrollment.objects.select_related(
        "person", "recorded", "programme__school", "university", "advisor", "co_advisor", "progressed_to"
    )
    if roles.is_operator(user):
        return qs
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(university=university)
    return qs.none()


def person_as_recorded(enrollment: Enrollment) -> Person:
    """The enrollment's person as its university recorded them (services.recorded): once a person is shared, the
    values of the enrollment's PersonAsRecorded (a Person never saved, with the person's id and login flag), never
    what another university or the person stored; else the Person itself. Every read of an enrollment's person by
    its university goes through here (the getters and lists below, the API's serializer, the exports)."""
    try:
        recorded = enrollment.recorded
    except PersonAsRecorded.DoesNotExist:
        return enrollment.person
    person = enrollment.person
    shown = Person(pk=person.pk, user_id=person.user_id, merged_into_id=person.merged_into_id)
    for name in PERSON_FIELDS:
        setattr(shown, name, getattr(recorded, name))
    return shown


def as_recorded(enrollments: Iterable[Enrollment]) -> list[Enrollment]:
    """The enrollments, each showing its person as its university recorded them (`person_as_recorded`)."""
    shown = list(enrollments)
    for enrollment in shown:
        enrollment.person = person_as_recorded(enrollment)
    return shown


def _one(queryset: QuerySet[T], pk: object, missing: str) -> T:
    try:
        found = queryset.filter(pk=int(str(pk))).first()
    except ValueError:
        found = None
    if found is None:
        raise NotFound(missing)
    return found


def enrollment_get_for_user(
    *, user: User, pk: object, request: HttpRequest | None = None, action: str = "enrollment_detail"
) -> Enrollment:
    """One of the enrollments the user may see (`enrollment_list`), to read: NotFound otherwise. The read of the
    student's record is written to the access log here, so no caller decides whether it is."""
    enrollment = _one(enrollment_list(user=user), pk, _("No such enrollment among those you may see."))
    access_log_record(actor=user, person_ids=[enrollment.person_id], action=action, request=request)
    return as_recorded([enrollment])[0]


def enrollment_get_for_change(*, user: User, pk: object) -> Enrollment:
    """One of the enrollments the user may see, to change (NotFound otherwise): the change is in the history, so it
    is not logged as a read. Its person is shown as its university recorded them too (the services that change a
    person read the Person by id)."""
    return as_recorded([_one(enrollment_list(user=user), pk, _("No such enrollment among those you may see."))])[0]


def enrollment_event_get(*, enrollment: Enrollment, pk: object) -> EnrollmentEvent:
    """One of the enrollment's status changes (NotFound otherwise), to correct."""
    return _one(
        EnrollmentEvent.objects.filter(enrollment=enrollment).select_related("enrollment"),
        pk,
        _("No such change of this enrollment."),
    )


def person_get_for_user(
    *, user: User, pk: object, request: HttpRequest | None = None, action: str = "person_detail"
) -> Person:
    """One of the persons the user may see (`person_list`), to read: NotFound otherwise; the read is written to the
    access log (one's own record is not). A university's staff read a shared person as their university recorded
    them (its newest record of them)."""
    person = _one(person_list(user=user), pk, _("No such person among those you may see."))
    access_log_record(actor=user, person_ids=[person.pk], action=action, request=request)
    university = None if roles.is_operator(user) else roles.university_of(user)
    if university is not None:
        own = (
            Enrollment.objects.filter(person=person, university=university, recorded__isnull=False)
            .select_related("person", "recorded")
            .order_by("-recorded__updated_at", "-pk")
            .first()
        )
        if own is not None:
            return person_as_recorded(own)
    return person


def reads_logged(
    rows: Iterable[R],
    *,
    user: User,
    person_of: Callable[[R], int | None],
    action: str,
    request: HttpRequest | None = None,
) -> list[R]:
    """The rows of a page the user is shown, each row's person written to the access log: a list's counterpart of
    the getters. Returns the rows as a list."""
    shown = list(rows)
    access_log_record(actor=user, person_ids=[person_of(row) for row in shown], action=action, request=request)
    return shown


def enrollment_reads_logged(
    rows: Iterable[Enrollment], *, user: User, action: str, request: HttpRequest | None = None
) -> list[Enrollment]:
    """A page of enrollments the user is shown (`reads_logged`), each with its person as its university recorded
    them (`as_recorded`)."""
    return as_recorded(reads_logged(rows, user=user, person_of=lambda e: e.person_id, action=action, request=request))


def own_enrollment_list(*, user: User) -> QuerySet[Enrollment]:
    """The enrollments of the login's own person record (a student who claimed it), oldest first."""
    if not user.is_authenticated:
        return Enrollment.objects.none()
    return (
        Enrollment.objects.filter(person__user=user)
        .select_related("university", "programme__school")
        .order_by("admission_date", "id")
    )


def person_list(*, user: User) -> QuerySet[Person]:
    """Persons a user may read: a university's own students (and their advisors), one's own record."""
    if roles.is_operator(user):
        return Person.objects.all()
    university = roles.university_of(user)
    if university is not None:
        return Person.objects.filter(
            Q(enrollments__university=university)
            | Q(advised_enrollments__university=university)
            | Q(co_advised_enrollments__university=university)
            | Q(advisor_appointments__university=university)
        ).distinct()
    own = own_person(user=user)
    return Person.objects.filter(pk=own.pk) if own else Person.objects.none()


def advisor_list(*, user: User, role: str, university: Organization | None = None) -> QuerySet[Person]:
    """Whom the user may name as an enrollment's advisor (`role` advisor) or co-advisor (`co_advisor`): the persons
    appointed in that role at the user's university (or at `university`, for an operator, who may name anyone
    appointed anywhere). The service checks the enrollment's own university again."""
    if roles.is_operator(user):
        appointed = AdvisorAppointment.objects.filter(role=role)
        if university is not None:
            appointed = appointed.filter(university=university)
    else:
        own = roles.university_of(user)
        if own is None or (university is not None and university != own):
            return Person.objects.none()
        appointed = AdvisorAppointment.objects.filter(role=role, university=own)
    return Person.objects.filter(pk__in=appointed.values("person_id")).order_by("family_name_ko", "given_name_ko", "id")


def advisor_appointment_list(*, user: User) -> QuerySet[AdvisorAppointment]:
    """A university's advisor appointments: its own staff and operators only."""
    qs = AdvisorAppointment.objects.select_related("person", "university").order_by(
        "role", "person__family_name_ko", "id"
    )
    if roles.is_operator(user):
        return qs
    university = roles.university_of(user)
    return qs.filter(university=university) if university is not None else qs.none()


def own_person(*, user: User) -> Person | None:
    """The person record linked to this login, if any."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def privacy_consent_list(*, person: Person) -> QuerySet[PrivacyConsent]:
    """The person's consents to the privacy notice, every version, oldest first (the caller has the person)."""
    return PrivacyConsent.objects.filter(person=person).order_by("given_at", "pk")


def privacy_consent_needed(*, person: Person) -> bool:
    """Whether the person has yet to consent to the required part of the notice in force: at the first sign-in
    of someone a university registered, and after the notice changed."""
    return not PrivacyConsent.objects.filter(
        person=person, notice_version=privacy.NOTICE_VERSION, scope=privacy.ConsentScope.REQUIRED
    ).exists()


def overseas_position_list(*, user: User) -> QuerySet[OverseasPosition]:
    """One's own overseas positions (those of the login's returning-researcher profile), oldest first: another
    person's position is simply not found."""
    if not user.is_authenticated:
        return OverseasPosition.objects.none()
    return OverseasPosition.objects.filter(profile__person__user=user).order_by("start_date", "id")


def import_batch_list(*, user: User) -> QuerySet[ImportBatch]:
    """Roster uploads: a university's staff see their own university's, operators all."""
    qs = ImportBatch.objects.select_related("university", "created_by")
    if roles.is_operator(user):
        return qs
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(university=university)
    return qs.none()


def import_batch_get_for_user(*, user: User, pk: object) -> ImportBatch:
    """One roster upload the user may see (`import_batch_list`), with its counts and problems: NotFound otherwise.
    A batch keeps no value of the file (its problems name rows and columns), so the read is not a person's."""
    return _one(import_batch_list(user=user), pk, _("No such roster import among those you may see."))


def claim_code_list(*, user: User) -> QuerySet[ClaimCode]:
    """Claim codes, newest first, with their persons and issuers, and the student's Korean name as the issuing
    university recorded them (`student_name_ko`): the issuing university's staff and operators only (never the
    ministry, a company or the student)."""
    qs = ClaimCode.objects.select_related("person", "issued_by").order_by("-created_at", "-id")
    # The student's name as the issuing university recorded them (its own record of a shared person).
    recorded = PersonAsRecorded.objects.filter(
        enrollment__person=OuterRef("person"), enrollment__university=OuterRef("issued_by_organization")
    ).order_by("-updated_at", "-pk")
    qs = qs.annotate(
        student_name_ko=Concat(
            Coalesce(Subquery(recorded.values("family_name_ko")[:1]), F("person__family_name_ko")),
            Coalesce(Subquery(recorded.values("given_name_ko")[:1]), F("person__given_name_ko")),
        )
    )
    if roles.is_operator(user):
        return qs
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(issued_by_organization=university)
    return qs.none()


# --- Field problems -----------------------------------------------------------------------------------


def field_problem_list(*, user: User) -> QuerySet[FieldProblem]:
    """A company sees its own problems in every status; researchers see open problems; operators all."""
    qs = FieldProblem.objects.select_related("organization")
    if roles.is_operator(user):
        return qs
    company = roles.company_of(user)
    if company is not None:
        return qs.filter(organization=company)
    if own_person(user=user) is not None:
        return qs.filter(status=ProblemStatus.OPEN)
    return qs.none()


#: How alike a new problem's title and description must be to an open one's to be warned of (difflib's ratio of
#: the normalised texts, 0–1): a copy with a word or two changed, not a problem of the same field.
NEAR_DUPLICATE_RATIO = 0.85


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def near_duplicate(title: str, description: str, other_title: str, other_description: str) -> bool:
    """Whether two problems read as the same one: titles and descriptions each nearly the same."""
    return all(
        SequenceMatcher(None, _normalised(a), _normalised(b)).ratio() >= NEAR_DUPLICATE_RATIO
        for a, b in ((title, other_title), (description, other_description))
    )


def field_problem_near_duplicates(
    *, user: User, title: str, description: str, exclude_pk: int | None = None
) -> list[FieldProblem]:
    """The open problems of the user's company whose title and description are nearly those given (a company has
    few open problems: compared here, one by one)."""
    company = roles.company_of(user)
    if company is None:
        return []
    open_ones = FieldProblem.objects.filter(organization=company, status=ProblemStatus.OPEN)
    if exclude_pk is not None:
        open_ones = open_ones.exclude(pk=exclude_pk)
    return [
        problem
        for problem in open_ones.only("pk", "title", "description", "status").order_by("-opened_at", "-pk")[:500]
        if near_duplicate(title, description, problem.title, problem.description)
    ]


# --- Status as of a date ------------------------------------------------------------------------------


def enrollments_with_status_on(
    queryset: QuerySet[Enrollment], *, on: datetime.date
) -> QuerySet[WithAnnotations[Enrollment, _StatusOn]]:
    """Annotate each enrollment with `status_on`: its status on the given date, in one query (None before its
    first change takes effect). An enrollment whose current status was reached by then and whose next scheduled
    change comes after it has its current status; only the others are looked up in their standing events."""
    latest = (
        EnrollmentEvent.objects.filter(enrollment=OuterRef("pk"), effective_date__lte=on, void__isnull=True)
        .order_by("-effective_date", "-sequence")
        .values("status")[:1]
    )
    current = Q(status_since__lte=on) & (Q(next_change_on__isnull=True) | Q(next_change_on__gt=on))
    return queryset.annotate(status_on=Case(When(current, then=F("status")), default=Subquery(latest)))


def enrollment_history(*, enrollment: Enrollment) -> QuerySet[EnrollmentEvent]:
    """The status timeline of an enrollment, oldest first, with who recorded each change and, for a voided one,
    its correction (`event.void`: reason, who, when). Changes still ahead are in it too (scheduled)."""
    return enrollment.events.select_related("actor", "void__actor").order_by("effective_date", "sequence")


def admission_differences(*, enrollment: Enrollment) -> list[str]:
    """The fields of the admitting university's own details that differ from the registry's record of the person
    (kept for an operator): names only, so that the university learns nothing it did not send."""
    names = IdentityDisagreement.objects.filter(enrollment=enrollment).values_list("field", flat=True)
    return list(names.order_by("id"))
