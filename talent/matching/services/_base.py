"""What the matching services share: their settings, the types they pass around, the errors worth retrying."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import InterfaceError, OperationalError

from talent.matching import defaults, scoring

Actor = User | None
Pair = tuple[int, int]
ProgressCallback = Callable[[int, str], None]

# A database that is down or restarting: the task retries; anything else fails the run with its reason.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def setting(name: str) -> Any:
    """`settings.MATCHING_<name>`, or its default (`talent.matching.defaults.<name>`)."""
    return getattr(settings, f"MATCHING_{name}", getattr(defaults, name))


def run_parameters() -> dict[str, Any]:
    """The settings a run is made with, fixed when it is requested so that a retry computes the same thing."""
    weights = getattr(settings, "MATCHING_WEIGHTS", None)
    return {
        "weights": (scoring.Weights(**weights) if weights is not None else scoring.Weights()).as_dict(),
        "top_k": int(setting("TOP_K")),
        "min_score": float(setting("MIN_SCORE")),
    }


def stale_after() -> float:
    """Seconds without a heartbeat after which a running run's worker is taken for dead."""
    return float(setting("STALE_AFTER_SECONDS"))


def stale_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=stale_after())


def max_attempts() -> int:
    return int(setting("MAX_ATTEMPTS"))
