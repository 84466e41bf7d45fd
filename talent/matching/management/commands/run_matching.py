"""Start a match run from the command line and show its progress.

By default the run executes here, in this process, with a progress bar. With `--queue` it is sent to the Celery
workers and this command follows its progress until it ends.
"""

from __future__ import annotations

import time
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from talent.common.errors import DomainError
from talent.matching import services
from talent.matching.models import MatchMode, MatchRun, RunStatus, RunTrigger

FINISHED = {RunStatus.SUCCEEDED, RunStatus.FAILED}


class Command(BaseCommand):
    help = "Run the matching engine: in this process (default) or on the workers (--queue), with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mode", choices=MatchMode.values, default=MatchMode.STABLE)
        parser.add_argument("--queue", action="store_true", help="Send the run to the workers and follow it.")
        parser.add_argument("--timeout", type=float, default=3600.0, help="With --queue: seconds to follow it.")

    def handle(self, *args: Any, mode: str, queue: bool, timeout: float, **options: Any) -> None:
        try:
            run = services.match_run_request(actor=None, mode=mode, trigger=RunTrigger.COMMAND, enqueue=queue)
        except DomainError as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"match run #{run.pk} ({run.mode})")
        # tqdm redraws its line with "\r": it writes to the raw stream, not to Django's line-ending wrapper.
        with tqdm(total=100, unit="%", file=cast(TextIO, self.stderr._out), disable=options["verbosity"] == 0) as bar:

            def show(progress: int, phase: str) -> None:
                bar.set_postfix_str(phase)
                bar.update(progress - bar.n)

            if queue:
                self._follow(run.pk, show, timeout)
            else:
                outcome = services.match_run_execute(run_id=run.pk, on_progress=show)
                if outcome == services.RunOutcome.BUSY:
                    raise CommandError(f"Another match run is running; run #{run.pk} stays queued.")
        self._report(MatchRun.objects.get(pk=run.pk))

    def _follow(self, run_id: int, show: Any, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = MatchRun.objects.get(pk=run_id)
            show(run.progress, run.phase or run.status)
            if run.status in FINISHED:
                return
            time.sleep(0.5)
        raise CommandError(f"Match run #{run_id} has not finished after {timeout:.0f} s; it goes on on the workers.")

    def _report(self, run: MatchRun) -> None:
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Match run #{run.pk} is {run.status}: {run.error}")
        counts = ", ".join(f"{key} {value}" for key, value in run.counts.items())
        self.stdout.write(self.style.SUCCESS(f"match run #{run.pk} succeeded: {counts}"))
        self.stdout.write(f"seconds: {', '.join(f'{key} {value}' for key, value in run.timings.items())}")
        self.stdout.write(f"invariants: {run.invariants}")
