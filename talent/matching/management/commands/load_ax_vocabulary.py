"""Load the shipped AX vocabulary (talent/matching/data/ax_vocabulary.json) into the database; safe to repeat."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talent.common.errors import DomainError
from talent.matching import services


class Command(BaseCommand):
    help = (
        "Create the shipped concepts of the AX vocabulary and bring changed ones back to the file's terms; "
        "concepts operators added are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="a vocabulary file in the shipped format (default: the shipped)")

    def handle(self, *args: Any, **options: Any) -> None:
        entries = None
        if options["file"] is not None:
            try:
                entries = json.loads(options["file"].read_text(encoding="utf-8"))["concepts"]
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise CommandError(f"{options['file']}: not a vocabulary file ({error})") from None
        try:
            counts = services.ax_vocabulary_load(entries=entries)
        except DomainError as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(", ".join(f"{outcome}: {count}" for outcome, count in counts.items()))
