"""Identity's answers to the registry's signals (connected in `IdentityConfig.ready()`)."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def find_candidates_of_saved(sender: Any, *, ids: list[int], **kwargs: Any) -> None:
    """Persons were created or changed (and committed): look for their probable duplicates in a task. The save never
    depends on it: the nightly run finds whatever a lost task missed."""
    from talent.identity.tasks import find_candidates_for

    find_candidates_for.delay(sorted(ids))
