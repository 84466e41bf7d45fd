"""Intake plans: the ministry and operators read and plan every school's, a university's staff their own
schools' (another university's school is not found); the ministry approves; nobody else sees any."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from talent.reports import intake
from talent.reports.models import IntakePlan
from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses

OUTSIDERS = {"company": 403, "other_company": 403, "researcher": 403, "other_researcher": 403}


def _year() -> int:
    return timezone.localdate().year + 2


def _plan(world: World, key: str = "a") -> IntakePlan:
    if f"plan_{key}" not in world.extra:
        world.extra[f"plan_{key}"] = intake.intake_plan_set(
            actor=world.users[f"university_{key}"],
            school=getattr(world, f"school_{key}"),
            year=_year(),
            degree_level="ms",
            intake=30,
        )
    return world.extra[f"plan_{key}"]


def _visible(world: World, role: str) -> set[int]:
    plans = {"a": _plan(world, "a").pk, "b": _plan(world, "b").pk}
    if role in ("ministry", "operator"):
        return set(plans.values())
    return {plans[role[-1]]}


def _sheet(world: World) -> dict[str, object]:
    content = f"대학원,연도,과정,모집정원\n{world.school_a.name_ko},{_year()},석사,35\n".encode()
    return {"file": SimpleUploadedFile("정원.csv", content, content_type="text/csv")}


ROUTES: list[Route] = [
    Route(
        "reports-intake-plans",
        "GET",
        lambda w: (_plan(w, "a"), _plan(w, "b")) and "/api/v1/reports/intake-plans/",
        statuses(200, **OUTSIDERS),
        visible_ids=_visible,
    ),
    Route(
        "reports-intake-plans",
        "POST",
        lambda w: "/api/v1/reports/intake-plans/",
        statuses(201, university_b=404, **OUTSIDERS),
        body=lambda w: {"school": w.school_a.pk, "year": _year(), "degree_level": "phd", "intake": 12},
        notes="another university's school is not found",
    ),
    Route(
        "reports-intake-plan-versions",
        "GET",
        lambda w: f"/api/v1/reports/intake-plans/{_plan(w).pk}/versions/",
        statuses(200, university_b=404, **OUTSIDERS),
    ),
    Route(
        "reports-intake-plan-approve",
        "POST",
        lambda w: f"/api/v1/reports/intake-plans/{_plan(w).pk}/approve/",
        statuses(201, university_a=403, university_b=404, **OUTSIDERS),
        body=lambda w: {"note": "승인"},
    ),
    Route(
        "reports-intake-plans-import",
        "POST",
        lambda w: "/api/v1/reports/intake-plans/import/",
        statuses(200, university_b=400, **OUTSIDERS),
        body=_sheet,
        format="multipart",
        notes="another university's school is a problem of the row",
    ),
]
