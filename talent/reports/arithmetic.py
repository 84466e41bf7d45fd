"""The arithmetic of the target reports: projection, pace and status band. Pure functions over plain numbers.

Definitions (DESIGN.md § Counting rules), each stated where it is computed:
- a month is 1/12 of the mean Gregorian year (30.436875 days), so paces do not jump with month lengths;
- observed pace: persons gained in the last 12 months (or since the start, when it is more recent) per month;
- required pace: persons still missing, per month left until the deadline;
- status band: observed / required pace — ≥ 0.95 on track, 0.60–0.95 needs acceleration, < 0.60 off track;
- completion rate: the share of finished students who graduated, shrunk towards a prior while few have finished
  (a beta-binomial posterior mean: (graduated + prior × weight) / (finished + weight));
- projected by the deadline: achieved + students expected to finish by then × completion rate.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

DAYS_PER_MONTH = 365.2425 / 12
ON_TRACK_AT = 0.95
ACCELERATE_AT = 0.60


class Band(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    NEEDS_ACCELERATION = "needs_acceleration"
    OFF_TRACK = "off_track"


def months_between(start: datetime.date, end: datetime.date) -> float:
    """Months from `start` to `end` (0 when `end` is not after `start`)."""
    return max((end - start).days, 0) / DAYS_PER_MONTH


def year_before(day: datetime.date) -> datetime.date:
    """The same day one year earlier (29 February becomes 28 February)."""
    if day.year == datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def pace_window_start(*, start: datetime.date, as_of: datetime.date) -> datetime.date:
    """Where the observed pace starts counting: a year before `as_of`, or the target's start if later."""
    return max(year_before(as_of), start)


def observed_pace(*, gained: int, window_months: float) -> float | None:
    """Persons gained per month over the window; None when the window is empty (nothing observed yet)."""
    if window_months <= 0:
        return None
    return gained / window_months


def required_pace(*, target: int, achieved: int, months_left: float) -> float | None:
    """Persons per month still needed to reach the target by the deadline: 0 once reached; None when the
    deadline has passed without reaching it (no pace can make up for it)."""
    missing = target - achieved
    if missing <= 0:
        return 0.0
    if months_left <= 0:
        return None
    return missing / months_left


def pace_ratio(*, observed: float | None, required: float | None) -> float | None:
    """Observed over required pace; None when nothing more is required or nothing can help."""
    if required is None or required == 0:
        return None
    return (observed or 0.0) / required


def status_band(*, started: bool, achieved: int, target: int, observed: float | None, required: float | None) -> Band:
    """The band a target is in (thresholds ON_TRACK_AT and ACCELERATE_AT, inclusive at the lower bound)."""
    if achieved >= target:
        return Band.ON_TRACK
    if not started:
        return Band.NOT_STARTED
    ratio = pace_ratio(observed=observed, required=required)
    if ratio is None:  # the deadline passed short of the target
        return Band.OFF_TRACK
    if ratio >= ON_TRACK_AT:
        return Band.ON_TRACK
    if ratio >= ACCELERATE_AT:
        return Band.NEEDS_ACCELERATION
    return Band.OFF_TRACK


def completion_rate(*, graduated: int, finished: int, prior_rate: float, prior_weight: int) -> float:
    """The expected share of students who graduate: the observed share, shrunk towards `prior_rate` as if
    `prior_weight` more students had finished at that rate. With no data it is the prior."""
    if graduated < 0 or finished < graduated:
        raise ValueError("graduated must be between 0 and finished")
    if prior_weight == 0 and finished == 0:
        return prior_rate
    return (graduated + prior_rate * prior_weight) / (finished + prior_weight)


def round_half_up(value: float) -> int:
    """Round to a whole person the way a person does by hand (2.5 → 3), not banker's rounding."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def projected_trained(*, achieved: int, expected_to_finish: int, rate: float) -> int:
    """Trained by the deadline: those already trained + the students expected to finish by then × rate."""
    return achieved + round_half_up(expected_to_finish * rate)


def projected_linear(*, achieved: int, pace: float | None, months_left: float) -> int:
    """The count by the deadline if the observed pace continues (used where no pipeline is recorded)."""
    return achieved + round_half_up((pace or 0.0) * months_left)


def straight_path(*, start: datetime.date, deadline: datetime.date, target: int, on: datetime.date) -> float:
    """Where a straight line from 0 at the start to the target at the deadline is on a date (clamped)."""
    total = months_between(start, deadline)
    if total <= 0:
        return float(target)
    return target * min(months_between(start, on) / total, 1.0)
