"""`manage.py rebuild_counting_tables [--check]`: rebuild the trigger-kept counting tables from the enrollments,
after a bulk load that bypassed the triggers (see talent.reports.counting_tables)."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from talent.reports.counting_tables import Drift, counting_tables_drift, counting_tables_rebuild


def _describe(drift: Drift) -> str:
    return (
        f"enrollment groups: {drift.groups_missing} missing, {drift.groups_extra} extra; "
        f"persons: {drift.persons_missing} missing, {drift.persons_extra} extra"
    )


class Command(BaseCommand):
    help = "Rebuild reports_enrollment_groups and reports_person_enrollments from the enrollments."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="only compare; exit with an error when the tables have drifted"
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        if check:
            drift = counting_tables_drift()
            if not drift.none:
                raise CommandError(f"The counting tables have drifted ({_describe(drift)}): rebuild them.")
            self.stdout.write("The counting tables equal the enrollments.")
            return
        drift = counting_tables_rebuild()
        found = "they were exact" if drift.none else f"found {_describe(drift)}"
        self.stdout.write(self.style.SUCCESS(f"Counting tables rebuilt ({found})."))
