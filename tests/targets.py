"""The national targets as the migrations leave them, for tests that run after a transactional test has flushed
the tables (a flush removes what the data migrations seeded)."""

from __future__ import annotations

import importlib

from talent.reports.models import Target


def seed_targets_if_flushed() -> None:
    """Version 1 of each target as migration 0002 seeds it, in force from its start date as migration 0010 dates a
    first version: the rows a freshly migrated database has."""
    if Target.objects.exists():
        return
    seeding = importlib.import_module("talent.reports.migrations.0002_seed_targets")
    first = {**seeding.FIRST_VERSION, "effective_from": seeding.FIRST_VERSION["start_date"]}
    for target in seeding.TARGETS:
        Target.objects.get_or_create(code=target["code"], version=1, defaults={**target, **first})
