"""Reads of the registry. Permission-scoped list/detail selectors for each role arrive with the API;
the as-of reads here are shared by services, admin and reports."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from talent.registry.models import Enrollment, EnrollmentEvent


def enrollment_status_on(*, enrollment: Enrollment, on: datetime.date) -> str | None:
    """The status an enrollment had on a date, from its events (None before it was admitted)."""
    event = (
        EnrollmentEvent.objects.filter(enrollment=enrollment, effective_date__lte=on)
        .order_by("-effective_date", "-sequence")
        .values_list("status", flat=True)
        .first()
    )
    return event


def enrollments_with_status_on(queryset: QuerySet[Enrollment], *, on: datetime.date) -> QuerySet[Enrollment]:
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
