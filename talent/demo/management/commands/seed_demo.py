"""`manage.py seed_demo [--scale N] [--seed S] [--if-empty] [--allow-production]`: realistic, deterministic demo
data and the demo logins, into an empty database. The data is made in `talent.demo`; this parses and reports.
Up to scale 10 the demo also has match runs with answered proposals and engagements (talent.demo.answers says
the answering rule).

The demo logins include a superuser with a known password: with DEBUG off the command refuses unless
`--allow-production` says the database really is a demonstration one."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from talent.demo import answers, seeding


def _at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("the scale is a whole number, 1 or more")
    return number


class Command(BaseCommand):
    help = (
        "Load realistic, deterministic demo data and the demo logins into an empty database. "
        "Scale 1: ten AX graduate schools and about a thousand students; scale 1000: about a million enrollments."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--scale", type=_at_least_one, default=1, help="size: N × ~1,000 students (default 1)")
        parser.add_argument("--seed", type=int, default=2030, help="random seed: the same seed gives the same data")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but list the demo logins) when the database already has organizations",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="seed even with DEBUG off (the demo logins, a superuser among them, share one known password)",
        )

    def handle(self, *args: Any, scale: int, seed: int, if_empty: bool, allow_production: bool, **options: Any) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: this looks like a production database, and seed_demo would create demo logins "
                "(a superuser among them) with a known password. Nothing was written. Pass --allow-production "
                "if this really is a demonstration server."
            )
        if seeding.has_data():
            if not if_empty:
                raise CommandError(
                    "The database already has organizations: seed_demo only fills an empty database. "
                    "Use a fresh database, or --if-empty to leave this one as it is."
                )
            self.stdout.write("Demo data is already there (the database has organizations): nothing seeded.")
            self._print_logins()
            return

        today = timezone.localdate()
        started = time.monotonic()
        world, students = seeding.plan(scale=scale, seed=seed, today=today)
        # One transaction: a failed match run leaves no records without their proposals behind.
        with (
            tqdm(
                total=world.student_count,
                unit=" students",
                unit_scale=True,
                desc="seed_demo",
                file=sys.stderr,
                disable=None if options["verbosity"] > 0 else True,  # None: only on a terminal
            ) as bar,
            transaction.atomic(),
        ):
            seeding.write(world, students, progress=bar.update)
            if scale <= answers.MAX_SCALE:
                with pghistory.context(action="seed_demo"):
                    seeding.seed_matching(seed=seed)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Seeded demo data (scale {scale}, seed {seed}, as of {today}) in {elapsed:.1f} s:")
        )
        for label, count, breakdown in seeding.summary():
            details = ", ".join(f"{name} {n:,}" for name, n in breakdown.items())
            self.stdout.write(f"  {label:<22}{count:>12,}" + (f"  ({details})" if details else ""))
        self._print_logins()

    def _print_logins(self) -> None:
        logins = seeding.logins()
        if not logins:
            self.stdout.write("No demo logins in this database.")
            return
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}, from DEMO_PASSWORD):")
        for login in logins:
            self.stdout.write(f"  {login.username:<20}{login.role}")
