"""Statistics of the registry: counts of its records, never a name, an email or a person's id.

The same scope, permission, labels, "unspecified" and as-of date as every report (talent.reports.scope,
talent.reports.labels): the ministry and operators count the whole registry, university staff their own
university, everyone else is refused. Unlike the target reports, these count every programme (counting
toward a target or not) and every enrollment where it is: a person with enrollments in two groups is in both
groups' `persons` (once per cell), so the groups' persons need not add up to the total's.

Every figure is one database aggregation (GROUP BY); Python only arranges the already aggregated rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear

from talent.registry import selectors
from talent.registry.models import (
    Enrollment,
    ExpertProfile,
    FieldProblem,
    GraduateSchool,
    Person,
    Programme,
    ResearcherProfile,
)
from talent.registry.vocabulary import (
    DegreeLevel,
    EnrollmentStatus,
    ProblemStatus,
    ReturnProgramme,
    SchoolTrack,
)
from talent.reports import labels
from talent.reports.labels import UNSPECIFIED
from talent.reports.scope import ReportScope, checked_as_of, scope_for

if TYPE_CHECKING:
    from talent.registry.roles import User


# --- Registry totals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    total: int
    counts: dict[str, int]


@dataclass(frozen=True)
class RegistryTotals:
    persons: int
    enrollments_by_status: Breakdown
    schools_by_track: Breakdown
    programmes_by_degree_level: Breakdown
    returning_researchers_by_programme: Breakdown
    expert_profiles_with_consent: int
    field_problems_by_status: Breakdown


def registry_totals(*, user: User) -> RegistryTotals:
    """Totals of the registry the user may read (see the module docstring); one query per figure.

    For a university: its students (and researchers it employs), its enrollments, schools and programmes,
    the returning researchers and consenting experts among those persons, and the published (not draft)
    field problems of its schools' consortium companies.
    """
    scope = scope_for(user=user)
    persons = _persons(scope)
    return RegistryTotals(
        persons=persons.count(),
        enrollments_by_status=_breakdown(_enrollments(scope), "status", EnrollmentStatus.values),
        schools_by_track=_breakdown(_schools(scope), "track", SchoolTrack.values),
        programmes_by_degree_level=_breakdown(_programmes(scope), "degree_level", DegreeLevel.values),
        returning_researchers_by_programme=_breakdown(
            _researchers(scope), "return_programme", [*ReturnProgramme.values, UNSPECIFIED]
        ),
        expert_profiles_with_consent=_experts(scope, persons).filter(consent_to_matching=True).count(),
        field_problems_by_status=_breakdown(_problems(scope), "status", ProblemStatus.values),
    )


def _breakdown(queryset: QuerySet[Any], field_name: str, keys: list[str]) -> Breakdown:
    """Count distinct rows per value of `field_name` (every key present, zero when absent)."""
    counts = dict.fromkeys(keys, 0)
    rows = queryset.order_by().values(field_name).annotate(n=Count("pk", distinct=True))
    for row in rows:
        counts[labels.group_key(row[field_name])] = row["n"]
    return Breakdown(total=sum(counts.values()), counts=counts)


def _enrollments(scope: ReportScope) -> QuerySet[Enrollment]:
    if scope.national:
        return Enrollment.objects.all()
    return Enrollment.objects.filter(university=scope.university)


def _persons(scope: ReportScope) -> QuerySet[Person]:
    if scope.national:
        return Person.objects.all()
    belongs = Q(enrollments__university=scope.university) | Q(researcher_profile__korean_affiliation=scope.university)
    return Person.objects.filter(pk__in=Person.objects.filter(belongs).values("pk"))


def _schools(scope: ReportScope) -> QuerySet[GraduateSchool]:
    if scope.national:
        return GraduateSchool.objects.all()
    return GraduateSchool.objects.filter(university=scope.university)


def _programmes(scope: ReportScope) -> QuerySet[Programme]:
    if scope.national:
        return Programme.objects.all()
    return Programme.objects.filter(school__university=scope.university)


def _researchers(scope: ReportScope) -> QuerySet[ResearcherProfile]:
    if scope.national:
        return ResearcherProfile.objects.all()
    return ResearcherProfile.objects.filter(korean_affiliation=scope.university)


def _experts(scope: ReportScope, persons: QuerySet[Person]) -> QuerySet[ExpertProfile]:
    if scope.national:
        return ExpertProfile.objects.all()
    return ExpertProfile.objects.filter(person__in=persons.values("pk"))


def _problems(scope: ReportScope) -> QuerySet[FieldProblem]:
    if scope.national:
        return FieldProblem.objects.all()
    # A draft is the company's own work in progress; its partners see problems once they are published.
    return FieldProblem.objects.filter(organization__consortium_schools__university=scope.university).exclude(
        status=ProblemStatus.DRAFT
    )


# --- Enrollments, grouped ------------------------------------------------------------------------------

#: `by` -> the values() expression of the group key, and the name fields that label it (if any).
GROUPINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "university": ("university", ("university__name_ko", "university__name_en")),
    "school": ("programme__school", ("programme__school__name_ko", "programme__school__name_en")),
    "programme": ("programme", ("programme__name_ko", "programme__name_en")),
    "degree_level": ("programme__degree_level", ()),
    "status": ("group_status", ()),
    "region": ("university__region", ()),
    "admission_year": ("admission_year", ()),
}
GROUPING_NAMES: tuple[str, ...] = tuple(GROUPINGS)


@dataclass(frozen=True)
class Headcount:
    enrollments: int
    persons: int


@dataclass(frozen=True)
class EnrollmentCounts:
    """Enrollments and distinct persons, in total and per status."""

    enrollments: int
    persons: int
    by_status: dict[str, Headcount]


@dataclass(frozen=True)
class EnrollmentGroup(EnrollmentCounts):
    key: str = ""
    label: str = ""


@dataclass(frozen=True)
class EnrollmentStatistics:
    as_of: datetime.date
    by: str | None
    total: EnrollmentCounts
    groups: list[EnrollmentGroup] = field(default_factory=list)


def enrollment_statistics(
    *, user: User, as_of: datetime.date | None = None, by: str | None = None
) -> EnrollmentStatistics:
    """Enrollments and distinct persons by their status on `as_of` (default today; a future date is refused),
    optionally grouped `by` one of GROUPING_NAMES. A person counts once per cell."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    enrollments = _enrollments(scope_for(user=user))
    as_of = checked_as_of(as_of)
    # The status on the date (today's is the current one, but for changes scheduled by then and not yet taken
    # in); enrollments whose first change is after it have none yet and are not counted.
    enrollments = selectors.enrollments_with_status_on(enrollments, on=as_of).filter(Q(status_on__isnull=False))
    enrollments = enrollments.annotate(group_status=F("status_on"))
    enrollments = enrollments.annotate(admission_year=ExtractYear("admission_date")).order_by()

    total = _counts(enrollments.aggregate(**_headcount()), _by_status(enrollments.values("group_status")))
    groups: list[EnrollmentGroup] = []
    if by is not None:
        key_field, name_fields = GROUPINGS[by]
        cells = enrollments.values(key_field, "group_status").annotate(**_headcount())
        rows = enrollments.values(key_field, *name_fields).annotate(**_headcount())
        groups = _groups(by, key_field, name_fields, rows, cells)
    return EnrollmentStatistics(as_of=as_of, by=by, total=total, groups=groups)


def _headcount() -> dict[str, Count]:
    return {"n_enrollments": Count("pk"), "n_persons": Count("person", distinct=True)}


def _by_status(queryset: QuerySet[Any]) -> dict[str, Headcount]:
    by_status = dict.fromkeys(EnrollmentStatus.values, Headcount(0, 0))
    for row in queryset.annotate(**_headcount()):
        by_status[row["group_status"]] = Headcount(row["n_enrollments"], row["n_persons"])
    return by_status


def _counts(row: dict[str, Any], by_status: dict[str, Headcount]) -> EnrollmentCounts:
    return EnrollmentCounts(enrollments=row["n_enrollments"] or 0, persons=row["n_persons"] or 0, by_status=by_status)


def _groups(
    by: str,
    key_field: str,
    name_fields: tuple[str, ...],
    rows: QuerySet[Any],
    cells: QuerySet[Any],
) -> list[EnrollmentGroup]:
    statuses: dict[Any, dict[str, Headcount]] = {}
    for cell in cells:
        by_key = statuses.setdefault(cell[key_field], dict.fromkeys(EnrollmentStatus.values, Headcount(0, 0)))
        by_key[cell["group_status"]] = Headcount(cell["n_enrollments"], cell["n_persons"])
    groups = []
    for row in rows:
        key = labels.group_key(row[key_field])
        groups.append(
            EnrollmentGroup(
                key=key,
                label=labels.group_label(by, key, *(row[name] for name in name_fields)),
                enrollments=row["n_enrollments"],
                persons=row["n_persons"],
                by_status=statuses[row[key_field]],
            )
        )
    return sorted(groups, key=lambda group: labels.group_order(group.key, group.label))
