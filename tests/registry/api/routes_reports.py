"""Reports: the ministry and operators see everything, university staff their own university's figures;
revising targets and snapshots are the ministry's (and operators'); nobody else sees anything."""

from __future__ import annotations

from talent.reports import services
from talent.reports.models import ReportSnapshot
from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses

OUTSIDERS = {"company": 403, "other_company": 403, "researcher": 403, "other_researcher": 403}
MINISTRY_ONLY = {**OUTSIDERS, "university_a": 403, "university_b": 403}


def _snapshot(world: World) -> ReportSnapshot:
    if "snapshot" not in world.extra:
        world.extra["snapshot"] = services.snapshot_freeze(actor=world.users["operator"], code="AX-TRAINED")
    return world.extra["snapshot"]


SCENARIO = {"kind": "new_schools", "from_year": 2028, "schools": 2, "intake": 40}

ROUTES: list[Route] = [
    Route("reports-scenarios", "GET", lambda w: "/api/v1/reports/scenarios/", statuses(200, **MINISTRY_ONLY)),
    Route(
        "reports-scenarios",
        "POST",
        lambda w: "/api/v1/reports/scenarios/",
        statuses(200, **MINISTRY_ONLY),
        body=lambda w: SCENARIO,
        notes="new schools from a year whose graduates can finish by the deadline: an effect",
    ),
    Route("reports-outlook", "GET", lambda w: "/api/v1/reports/outlook/", statuses(200, **OUTSIDERS)),
    Route(
        "reports-outlook",
        "GET",
        lambda w: "/api/v1/reports/outlook/?target=OVERSEAS-RETURNED",
        statuses(400, **OUTSIDERS),
        notes="the outlook projects graduates",
    ),
    Route("reports-targets", "GET", lambda w: "/api/v1/reports/targets/", statuses(200, **OUTSIDERS)),
    Route(
        "reports-targets",
        "GET",
        lambda w: "/api/v1/reports/targets/?as_of=2026-04-01&format=csv",
        statuses(200, **OUTSIDERS),
    ),
    Route(
        "reports-targets",
        "GET",
        lambda w: "/api/v1/reports/targets/?as_of=2999-01-01",
        statuses(400, **OUTSIDERS),
        notes="a future date is refused (after the role check)",
    ),
    Route(
        "reports-headcount",
        "GET",
        lambda w: "/api/v1/reports/headcount/?by=university",
        statuses(200, **OUTSIDERS),
    ),
    Route(
        "reports-headcount",
        "GET",
        lambda w: "/api/v1/reports/headcount/?by=region&format=xlsx&public=true",
        statuses(200, **OUTSIDERS),
    ),
    Route(
        "reports-headcount",
        "GET",
        lambda w: "/api/v1/reports/headcount/?by=shoe_size",
        statuses(400, **OUTSIDERS),
        notes="an unknown breakdown is refused",
    ),
    Route(
        "reports-trajectory",
        "GET",
        lambda w: "/api/v1/reports/trajectory/?target=OVERSEAS-RETURNED&step=year",
        statuses(200, **OUTSIDERS),
    ),
    Route(
        "reports-target-versions",
        "GET",
        lambda w: "/api/v1/reports/targets/AX-TRAINED/versions/",
        statuses(200, **OUTSIDERS),
    ),
    Route(
        "reports-target-versions",
        "POST",
        lambda w: "/api/v1/reports/targets/AX-TRAINED/versions/",
        statuses(201, **MINISTRY_ONLY),
        body=lambda w: {"value": 5500, "note": "상향 조정"},
    ),
    Route("reports-snapshot-list", "GET", lambda w: "/api/v1/reports/snapshots/", statuses(200, **MINISTRY_ONLY)),
    Route(
        "reports-snapshot-list",
        "POST",
        lambda w: "/api/v1/reports/snapshots/",
        statuses(201, **MINISTRY_ONLY),
        body=lambda w: {"target": "OVERSEAS-RETURNED", "as_of": "2026-06-30"},
    ),
    Route(
        "reports-snapshot-detail",
        "GET",
        lambda w: f"/api/v1/reports/snapshots/{_snapshot(w).pk}/",
        statuses(200, **MINISTRY_ONLY),
    ),
    Route(
        "reports-snapshot-recompute",
        "GET",
        lambda w: f"/api/v1/reports/snapshots/{_snapshot(w).pk}/recompute/",
        statuses(200, **MINISTRY_ONLY),
    ),
]
