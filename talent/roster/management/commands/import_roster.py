"""`manage.py import_roster FILE --university ID [--dry-run] [--user NAME]`: a roster file into a university,
with a progress bar on the terminal. The work is `talent.roster.roster_import`'s."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO, cast

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from talent.common.errors import DomainError
from talent.registry.models import Organization
from talent.registry.vocabulary import OrganizationKind
from talent.roster import services as roster

PHASES = {"check": "checking rows", "write": "storing"}


class Command(BaseCommand):
    help = (
        "Import a roster (CSV or XLSX) into a university: every row, in one transaction, or nothing. "
        "With --dry-run, report what would be created, updated or left unchanged, and every problem."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the roster file (.csv or .xlsx)")
        parser.add_argument("--university", type=int, required=True, help="the university's organization id")
        parser.add_argument("--dry-run", action="store_true", help="check and report; store nothing")
        parser.add_argument("--user", help="username recorded as the uploader (default: nobody, a system import)")

    def handle(self, *args: Any, file: Path, university: int, dry_run: bool, user: str | None, **options: Any) -> None:
        target = Organization.objects.filter(pk=university, kind=OrganizationKind.UNIVERSITY).first()
        if target is None:
            raise CommandError(f"No university has organization id {university}.")
        actor = get_user_model().objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"No user is called {user}.")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        bars: dict[str, tqdm] = {}

        def progress(phase: str, done: int, total: int) -> None:
            bar = bars.get(phase)
            if bar is None:
                # tqdm redraws its line with "\r": it writes to the raw stream, not Django's line-ending wrapper.
                bar = bars[phase] = tqdm(
                    total=total, unit=" rows", desc=PHASES.get(phase, phase), file=cast(TextIO, self.stderr._out),
                    disable=True if options["verbosity"] == 0 else None,  # None: only on a terminal
                )  # fmt: skip
            bar.update(done - bar.n)

        try:
            result = roster.roster_import(
                actor=actor, university=target, filename=file.name, content=content, dry_run=dry_run, progress=progress
            )
        except DomainError as refusal:
            raise CommandError(str(refusal)) from refusal
        finally:
            for bar in bars.values():
                bar.close()
        self._report(result)

    def _report(self, result: roster.ImportResult) -> None:
        totals = result.totals()
        verb = "Dry run" if result.dry_run else ("Imported" if result.applied else "Nothing imported")
        self.stdout.write(
            f"{verb}: {totals['rows']} rows — {totals['created']} created, {totals['updated']} updated, "
            f"{totals['unchanged']} unchanged, {totals['errors']} with errors (batch {result.batch_id})."
        )
        for problem in result.problems:
            where = f"row {problem.row}" if problem.row is not None else "file"
            column = f", {problem.column}" if problem.column else ""
            self.stdout.write(f"  {where}{column}: {problem.message}")
        if not result.ok:
            raise CommandError(f"{totals['errors']} rows have errors; nothing was imported.")
