"""Matching's defaults, written once: the settings (talent/settings.py) read them as the fallback of each
`MATCHING_*` environment variable, the engine (`scoring.Weights`, `score_candidates`) as its keyword defaults,
the services when a setting is absent, and the API and pages as the mode a run request starts with.

Plain values and no imports, so that the settings module and the pure engine can both read it.
"""

from __future__ import annotations

from typing import Final

#: The share of each score component; they add up to 1 (`scoring.Weights` checks).
WEIGHT_SKILLS: Final = 0.40
WEIGHT_TEXT: Final = 0.35
WEIGHT_SECTOR: Final = 0.15
WEIGHT_REGION: Final = 0.10
#: The most an expert's past proposals in a problem's KSIC section add to (accepted) or take from (declined) the
#: score, on top of the weighted components (`scoring.history_balance`).
HISTORY_WEIGHT: Final = 0.05
#: Candidates kept per field problem before the assignment.
TOP_K: Final = 20
#: The least score a candidate pair needs (0: any pair with something in common).
MIN_SCORE: Final = 0.0
#: The assignment mode a run request starts with (`MatchMode.STABLE`: deferred acceptance).
MODE: Final = "stable"
#: Seconds without a heartbeat after which a running run's worker is taken for dead.
STALE_AFTER_SECONDS: Final = 600.0
#: Attempts of one run before the sweeper gives it up.
MAX_ATTEMPTS: Final = 3
#: Seconds after which a queued run that no worker took is sent again.
RESEND_AFTER_SECONDS: Final = 120.0
#: Seconds a run may compute before Celery stops it softly (and a minute more before it kills it).
RUN_SOFT_TIME_LIMIT: Final = 20 * 60
#: The Celery queue of match runs (None: the default queue).
QUEUE: Final[str | None] = None
#: The Celery queue of the indexing tasks (one per saved profile or problem): never the match runs' queue, so that
#: a burst of saves, or one document that takes its task to the time limit, does not hold a run up.
INDEX_QUEUE: Final = "indexing"
