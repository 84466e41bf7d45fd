"""Overseas careers of returning researchers: years abroad and return-track eligibility. Pure, no ORM."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

#: The return track is for researchers with a STEM or medical PhD who lived abroad this many years or more.
RETURN_TRACK_MIN_YEARS_ABROAD = 5
DAYS_PER_YEAR = 365.2425


def years_abroad(periods: Iterable[tuple[datetime.date, datetime.date | None]], *, until: datetime.date) -> float:
    """Years spent abroad: the union of the periods (overlaps counted once), open periods running to `until`."""
    spans = sorted((start, min(end or until, until)) for start, end in periods if start < until)
    days = 0
    covered_until: datetime.date | None = None
    for start, end in spans:
        if covered_until is not None:
            start = max(start, covered_until)
        if end > start:
            days += (end - start).days
        covered_until = end if covered_until is None else max(covered_until, end)
    return round(days / DAYS_PER_YEAR, 2)


def eligible_for_return_track(*, nationality: str, phd_is_stem_or_medical: bool, years_abroad: float) -> bool:
    """Korean researchers with a STEM/medical PhD who lived abroad five years or more."""
    return nationality == "KR" and phd_is_stem_or_medical and years_abroad >= RETURN_TRACK_MIN_YEARS_ABROAD
