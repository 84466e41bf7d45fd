"""Roster files: the template, the import, the export, the uploads' record. A university's own staff and operators
only; naming another university is refused (403: universities are public, their rosters are not)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from talent.registry.models import ImportBatch, ImportBatchStatus
from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses

STAFF_ONLY = {"company": 403, "other_company": 403, "researcher": 403, "other_researcher": 403, "ministry": 403}

ROSTER = "학번,성,이름,과정,입학일,학적상태\r\nA2026101,문,채원,가람 AX 석사,2026-03-02,재학\r\n".encode()


def _upload(world: World) -> dict:
    return {
        "file": SimpleUploadedFile("가람 명단.csv", ROSTER, content_type="text/csv"),
        "university": world.university_a.id,
        "dry_run": "true",
    }


def _batches(world: World) -> str:
    for university in (world.university_a, world.university_b):
        batch = ImportBatch.objects.create(
            university=university, filename="명단.csv", sha256="0" * 64, size=1, status=ImportBatchStatus.DRY_RUN,
            dry_run=True,
        )  # fmt: skip
        world.extra[f"batch_{university.pk}"] = batch.pk
    return "/api/v1/import-batches/"


def _batch_ids(world: World, role: str) -> set[int]:
    a, b = world.extra[f"batch_{world.university_a.pk}"], world.extra[f"batch_{world.university_b.pk}"]
    return {"university_a": {a}, "university_b": {b}, "operator": {a, b}}.get(role, set())


ROUTES: list[Route] = [
    Route(
        "enrollment-import",
        "POST",
        lambda w: "/api/v1/enrollments/import/",
        statuses(200, university_b=403, **STAFF_ONLY),
        body=_upload,
        format="multipart",
        notes="a dry run into university A",
    ),
    Route(
        "enrollment-import-template",
        "GET",
        lambda w: "/api/v1/enrollments/import/template/?file_format=csv",
        statuses(200, **STAFF_ONLY),
    ),
    Route(
        "enrollment-export",
        "GET",
        lambda w: f"/api/v1/enrollments/export/?university={w.university_a.id}&file_format=xlsx",
        statuses(200, university_b=403, **STAFF_ONLY),
    ),
    Route("import-batch-list", "GET", _batches, statuses(200, **STAFF_ONLY), visible_ids=_batch_ids),
]
