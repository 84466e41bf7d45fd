"""Realistic, deterministic demo data for the registry (`manage.py seed_demo`).

`plan` makes the data — a pure function of scale, seed and today, with one `random.Random(seed)` — and
`write` stores it with bulk inserts in one transaction; `seed_matching` then runs the engine and answers its
proposals by a documented rule (talent.demo.answers; scales up to answers.MAX_SCALE). Scale 1 is a demo of about
a thousand students in ten AX graduate schools; scale N has N times the students, researchers and problems (about
a million enrollments at 1000), for benchmarks.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count

from talent.demo.answers import seed_matching
from talent.demo.records import StudentPlan, World
from talent.demo.students import StudentPlanner
from talent.demo.world import WorldPlanner
from talent.demo.writer import write
from talent.engagements.models import Engagement
from talent.matching.models import MatchRun, Proposal
from talent.registry.models import (
    Enrollment,
    EnrollmentEvent,
    ExpertProfile,
    FieldProblem,
    GraduateSchool,
    Organization,
    OverseasPosition,
    Person,
    Programme,
    ResearcherProfile,
)

__all__ = ["LOGINS", "Login", "World", "has_data", "logins", "plan", "seed_matching", "summary", "write"]

#: The demo logins, all with the password settings.DEMO_PASSWORD.
LOGINS = (
    "demo-operator",
    "demo-university",
    "demo-university-2",
    "demo-company",
    "demo-company-2",
    "demo-researcher",
    "demo-researcher-2",
    "demo-ministry",
)


def plan(*, scale: int, seed: int, today: datetime.date) -> tuple[World, Iterator[StudentPlan]]:
    """The demo data for `scale` and `seed` as of `today`: the world, and the students as a stream."""
    rng = random.Random(seed)
    planner = WorldPlanner(rng, scale=scale, today=today)
    world = planner.plan()
    students = StudentPlanner(
        rng, planner.people, world, today=today, faculty=planner.faculty, co_advisors=planner.co_advisors
    )
    return world, students.students()


def has_data() -> bool:
    """Demo data goes into an empty registry only: one with no organizations."""
    return Organization.objects.exists()


@dataclass(frozen=True)
class Login:
    username: str
    role: str


def logins() -> list[Login]:
    """The demo logins present in the database, with what each one is."""
    users = (
        get_user_model()
        .objects.filter(username__in=LOGINS)
        .select_related("membership__organization", "person")
        .order_by("username")
    )
    by_name = {user.username: user for user in users}
    result = []
    for username in LOGINS:
        user = by_name.get(username)
        if user is None:
            continue
        membership = getattr(user, "membership", None)
        person = getattr(user, "person", None)
        if user.is_superuser:
            role = "operator (Django admin)"
        elif membership is not None:
            organization = membership.organization
            role = f"{organization.get_kind_display()} · {organization.name_ko} · {membership.get_role_display()}"
        elif person is not None:
            role = f"researcher · {person}"
        else:
            role = "no role"
        result.append(Login(username, role))
    return result


def summary() -> list[tuple[str, int, dict[str, int]]]:
    """(what, how many, breakdown) for each kind of record, as the command prints them."""

    def by(model: type[models.Model], field: str) -> dict[str, int]:
        return {
            str(value): n
            for value, n in model._default_manager.order_by(field).values_list(field).annotate(n=Count("pk"))
        }

    enrollments = by(Enrollment, "status")
    enrollments["linked to a fast-track doctorate"] = Enrollment.objects.filter(progressed_to__isnull=False).count()
    returned = ResearcherProfile.objects.filter(return_planned=False).count()
    consenting = ExpertProfile.objects.filter(consent_to_matching=True).count()
    return [
        ("organizations", Organization.objects.count(), by(Organization, "kind")),
        ("AX graduate schools", GraduateSchool.objects.count(), by(GraduateSchool, "track")),
        ("programmes", Programme.objects.count(), by(Programme, "degree_level")),
        ("persons", Person.objects.count(), {}),
        ("enrollments", Enrollment.objects.count(), enrollments),
        ("enrollment events", EnrollmentEvent.objects.count(), {}),
        ("researcher profiles", ResearcherProfile.objects.count(), {"returned": returned}),
        ("overseas positions", OverseasPosition.objects.count(), {}),
        ("expert profiles", ExpertProfile.objects.count(), {"consenting to matching": consenting}),
        ("field problems", FieldProblem.objects.count(), by(FieldProblem, "status")),
        ("match runs", MatchRun.objects.count(), by(MatchRun, "status")),
        ("proposals", Proposal.objects.count(), by(Proposal, "status")),
        ("engagements", Engagement.objects.count(), {}),
    ]
