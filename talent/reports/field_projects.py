"""Field projects in the reports: the engagements field problems came to, and the AX graduate students who do one
as their AX project and complete through it. Counts only, never a name or a person's id.

The same scope, permission, labels and as-of date as every report (talent.reports.scope, talent.reports.labels):
the ministry and operators count the whole country; a university counts its own students' AX projects and the
engagements they do or whose expert is its student. As of a date:
- engagements: started on or before it; under way (not closed by then); closed by then, by outcome; by the
  field problem's KSIC section;
- AX projects: `students` — distinct persons with an enrollment linked by then and not unlinked by then;
  `completed` — distinct persons of those whose enrollment, with the completion route "AX project", graduated on
  or before it (a graduation that was voided does not count); both by graduate school (with the engagements its
  students do) and by the problem's KSIC section (with every engagement on problems of that section). A person
  with AX projects in two groups counts in both, once in the total.

Every figure is one database aggregation (GROUP BY); Python only arranges the aggregated rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from talent.engagements.models import AXProject, Engagement, Outcome
from talent.registry.models import Enrollment
from talent.registry.vocabulary import CompletionRoute, EnrollmentStatus
from talent.reports import labels
from talent.reports.scope import ReportScope, checked_as_of, scope_for

if TYPE_CHECKING:
    from talent.registry.roles import User


@dataclass(frozen=True)
class ProjectGroup:
    key: str
    label: str
    engagements: int
    students: int
    completed: int


@dataclass(frozen=True)
class FieldProjects:
    as_of: datetime.date
    engagements: int
    engagements_active: int
    engagements_closed: dict[str, int]
    students: int
    completed: int
    by_school: list[ProjectGroup]
    by_section: list[ProjectGroup]


def field_projects(*, user: User, as_of: datetime.date | None = None) -> FieldProjects:
    """The engagements and AX projects `user` may count (see the module docstring), as of `as_of` (default today;
    a future date is refused)."""
    return field_projects_of(scope=scope_for(user=user), as_of=checked_as_of(as_of))


def field_projects_of(*, scope: ReportScope, as_of: datetime.date) -> FieldProjects:
    engagements = _engagements(scope).filter(started_at__date__lte=as_of).order_by()
    closed = Q(closed_at__date__lte=as_of)
    # An AX project counts from its link until it was unlinked (a report as of an earlier date still counts it).
    projects = _projects(scope).filter(linked_at__date__lte=as_of).exclude(unlinked_at__date__lte=as_of).order_by()
    heads = _heads(as_of)
    totals = projects.aggregate(**heads)
    closed_by_outcome = dict.fromkeys(Outcome.values, 0)
    for row in _rows(engagements.filter(closed).values("outcome").annotate(n=Count("pk"))):
        closed_by_outcome[row["outcome"]] = row["n"]
    sections: dict[str, dict[str, int]] = {}
    for row in _rows(engagements.values("proposal__problem__ksic_section").annotate(n=Count("pk"))):
        sections.setdefault(labels.group_key(row["proposal__problem__ksic_section"]), {})["engagements"] = row["n"]
    for row in _rows(projects.values("engagement__proposal__problem__ksic_section").annotate(**heads)):
        key = labels.group_key(row["engagement__proposal__problem__ksic_section"])
        sections.setdefault(key, {}).update(students=row["students"], completed=row["completed"])
    schools = _rows(
        projects.values(
            "enrollment__programme__school",
            "enrollment__programme__school__name_ko",
            "enrollment__programme__school__name_en",
        ).annotate(**heads, engagements=Count("engagement", distinct=True))
    )
    return FieldProjects(
        as_of=as_of,
        engagements=engagements.count(),
        engagements_active=engagements.exclude(closed).count(),
        engagements_closed=closed_by_outcome,
        students=totals["students"] or 0,
        completed=totals["completed"] or 0,
        by_school=_ordered(
            ProjectGroup(
                key=(key := labels.group_key(row["enrollment__programme__school"])),
                label=labels.group_label(
                    "school",
                    key,
                    row["enrollment__programme__school__name_ko"],
                    row["enrollment__programme__school__name_en"],
                ),
                engagements=row["engagements"],
                students=row["students"],
                completed=row["completed"],
            )
            for row in schools
        ),
        by_section=_ordered(
            ProjectGroup(
                key=key,
                label=labels.group_label("ksic_section", key),
                engagements=counts.get("engagements", 0),
                students=counts.get("students", 0),
                completed=counts.get("completed", 0),
            )
            for key, counts in sections.items()
        ),
    )


def _heads(as_of: datetime.date) -> dict[str, Count]:
    """Distinct students, and those of them who completed through the AX project by `as_of`."""
    graduated = Q(
        enrollment__completion_route=CompletionRoute.AX_PROJECT,
        enrollment__events__status=EnrollmentStatus.GRADUATED,
        enrollment__events__effective_date__lte=as_of,
        enrollment__events__void__isnull=True,
    )
    return {
        "students": Count("enrollment__person", distinct=True),
        "completed": Count("enrollment__person", distinct=True, filter=graduated),
    }


def _engagements(scope: ReportScope) -> QuerySet[Engagement]:
    if scope.national:
        return Engagement.objects.all()
    own_students = Enrollment.objects.filter(university=scope.university).values("person_id")
    return Engagement.objects.filter(
        Q(pk__in=_projects(scope).values("engagement_id")) | Q(proposal__expert__person_id__in=own_students)
    )


def _projects(scope: ReportScope) -> QuerySet[AXProject]:
    if scope.national:
        return AXProject.objects.all()
    return AXProject.objects.filter(enrollment__university=scope.university)


def _rows(queryset: Any) -> list[dict[str, Any]]:
    """Aggregated rows as plain dicts (their keys come from `**` annotations the type checker cannot follow)."""
    return list(queryset)


def _ordered(groups: Any) -> list[ProjectGroup]:
    return sorted(groups, key=lambda group: labels.group_order(group.key, group.label))
