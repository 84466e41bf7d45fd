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
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery

from talent.registry import roles
from talent.registry.models import (
    ClaimCode,
    Enrollment,
    EnrollmentEvent,
    FieldProblem,
    GraduateSchool,
    ImportBatch,
    Organization,
    Person,
    Programme,
)
from talent.registry.vocabulary import ProblemStatus

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    from talent.registry.roles import User

    class _StatusOn(TypedDict):
        status_on: str | None


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
        "person", "programme__school", "university", "advisor", "co_advisor", "progressed_to"
    )
    if roles.is_operator(user):
        return qs
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(university=university)
    return qs.none()


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
        ).distinct()
    own = own_person(user=user)
    return Person.objects.filter(pk=own.pk) if own else Person.objects.none()


def own_person(*, user: User) -> Person | None:
    """The person record linked to this login, if any."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def import_batch_list(*, user: User) -> QuerySet[ImportBatch]:
    """Roster uploads: a university's staff see their own university's, operators all."""
    qs = ImportBatch.objects.select_related("university", "created_by")
    if roles.is_operator(user):
        return qs
    university = roles.university_of(user)
    if university is not None:
        return qs.filter(university=university)
    return qs.none()


def claim_code_list(*, user: User) -> QuerySet[ClaimCode]:
    """Claim codes, newest first, with their persons and issuers: the issuing university's staff and operators only
    (never the ministry, a company or the student)."""
    qs = ClaimCode.objects.select_related("person", "issued_by").order_by("-created_at", "-id")
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


# --- Status as of a date ------------------------------------------------------------------------------


def enrollment_status_on(*, enrollment: Enrollment, on: datetime.date) -> str | None:
    """The status an enrollment had on a date, from its events (None before it was admitted)."""
    return (
        EnrollmentEvent.objects.filter(enrollment=enrollment, effective_date__lte=on)
        .order_by("-effective_date", "-sequence")
        .values_list("status", flat=True)
        .first()
    )


def enrollments_with_status_on(
    queryset: QuerySet[Enrollment], *, on: datetime.date
) -> QuerySet[WithAnnotations[Enrollment, _StatusOn]]:
    """Annotate each enrollment with `status_on`: its status on the given date, in one query."""
    latest = (
        EnrollmentEvent.objects.filter(enrollment=OuterRef("pk"), effective_date__lte=on)
        .order_by("-effective_date", "-sequence")
        .values("status")[:1]
    )
    return queryset.annotate(status_on=Subquery(latest))


def enrollment_history(*, enrollment: Enrollment) -> QuerySet[EnrollmentEvent]:
    """The status timeline of an enrollment, oldest first, with who recorded each change."""
    return enrollment.events.select_related("actor").order_by("effective_date", "sequence")
