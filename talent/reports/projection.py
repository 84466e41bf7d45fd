"""The cohort-flow projection of graduates to the deadline: pure arithmetic over plain data (no ORM).

Inputs: the students active on the as-of date (grouped by degree level and admission date), the planned intake
of each later year and degree level (intake plans), and per degree level what the registry's events show
(durations to graduation, graduations, departures, fast tracks). Outputs: graduates expected in each calendar
year to the deadline, a 10th–90th percentile band, and the intake per year that would reach the target.

The model, per degree level (documented for the ministry; each step is a function below):
- outcome: a student eventually graduates (share g), fast-tracks from a master's to a doctorate (share f,
  master's only) or leaves (withdrawn or dismissed, share 1 − g − f), each at some month after admission;
- the prior: `prior_weight` pseudo-students, a share equal to the target's prior completion rate graduating
  at the programme's normal duration (60% on time, 25% six months late, 15% a year late: leave and
  extensions), the others leaving evenly over the normal duration;
- the estimate: the prior's pseudo-students and the registry's students together, by the Aalen–Johansen
  estimator of competing outcomes in whole months: students still studying count as "not yet" up to the
  months they have been there (censored), so that early departures do not make the graduation share look
  low while the first cohorts are still studying. It gives the shares and the month distribution of each
  outcome; the shares are a Dirichlet posterior resting on prior_weight + the students who finished;
- a fast-tracked student graduates as a doctoral student: the month of the fast track (estimated likewise;
  FAST_TRACK_MONTH before any is seen) plus the doctorate's time to graduation, with the doctorate's
  graduation share;
- a student active now, `e` months after admission, has outcomes conditioned on being still active at `e`;
- a planned cohort enters on ENTRY_MONTH/1 of its year (the Korean academic year) at its planned size;
  plans whose entry date is not after the as-of date are left out (those students are in the registry).
- the expected figures use the posterior means. The band simulates `paths` futures: each draws the outcome
  shares from their posterior (the uncertainty of the rates, large while data are thin), then each group's
  graduates by year from a multinomial (the chance of individual outcomes); the band is the 10th and 90th
  percentile of the cumulative count. Not in the band: whether plans are filled (the plan is taken as given).
- what it takes: the same intake every year from next year (replacing those years' plans, in the plans'
  degree mix, else the entrants' mix) that brings the expected count to the target by the deadline. The
  expected count is linear in the intake, so this is one division.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from talent.reports.arithmetic import DAYS_PER_MONTH

ENTRY_MONTH = 3  # planned cohorts enter on 1 March
FAST_TRACK_MONTH = 12  # a master's student fast-tracks to the doctorate about a year after admission
PRIOR_DELAYS = ((0, 0.60), (6, 0.25), (12, 0.15))  # months beyond the normal duration, and their shares
DEFAULT_MONTHS = {"ms": 24, "phd": 48, "integrated": 60, "non_degree": 6}
MASTERS, DOCTORATE = "ms", "phd"
LOW_PERCENTILE, HIGH_PERCENTILE = 10, 90
DEFAULT_PATHS = 10_000


# --- Inputs ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActiveGroup:
    """Students active on the as-of date with the same degree level and admission date."""

    level: str
    admitted: datetime.date
    count: int


@dataclass(frozen=True)
class PlannedCohort:
    """A planned intake (모집 정원) of one school, year and degree level."""

    school: str
    year: int
    level: str
    intake: int


@dataclass(frozen=True)
class LevelObservations:
    """What the registry shows for one degree level: for each student admitted since the target's start, the
    whole months from admission to their outcome, or to the as-of date while they are still active."""

    graduated: tuple[int, ...] = ()
    left: tuple[int, ...] = ()  # withdrawn or dismissed after registering
    fast_tracked: tuple[int, ...] = ()
    active: tuple[int, ...] = ()  # still studying: censored at these months

    @property
    def endings(self) -> int:
        return len(self.graduated) + len(self.left) + len(self.fast_tracked)


@dataclass(frozen=True)
class Prior:
    completion: float  # the target's prior completion rate
    weight: int  # worth this many students
    normal_months: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_MONTHS))


@dataclass(frozen=True)
class LevelRates:
    """The posterior of one degree level: outcome shares (Dirichlet) and when each outcome happens."""

    level: str
    graduate: float  # posterior Dirichlet parameters (means × the students they rest on)
    fast_track: float
    leave: float
    durations: tuple[tuple[int, float], ...]  # months to graduation: (months, probability), sorted, summing to 1
    leave_months: tuple[tuple[int, float], ...]  # months to a departure, likewise
    fast_track_months: tuple[tuple[int, float], ...]  # months to a fast track, likewise
    normal_months: int
    observed_endings: int  # graduated + left + fast-tracked: how much data the rates rest on

    @property
    def shares(self) -> tuple[float, float, float]:
        """Posterior mean of (graduate, fast track, leave)."""
        total = self.graduate + self.fast_track + self.leave
        return self.graduate / total, self.fast_track / total, self.leave / total


# --- Rates -----------------------------------------------------------------------------------------------

GRADUATE, FAST_TRACK, LEAVE = "graduate", "fast_track", "leave"


def prior_durations(normal_months: int) -> dict[int, float]:
    return {normal_months + delay: share for delay, share in PRIOR_DELAYS}


def prior_events(level: str, prior: Prior) -> list[tuple[int, str, float]]:
    """The prior as `prior.weight` pseudo-students fully observed: (months, outcome, weight). Graduates at the
    prior durations, leavers spread evenly over the normal duration; no fast track."""
    normal = prior.normal_months.get(level, DEFAULT_MONTHS.get(level, 24))
    graduates = prior.weight * prior.completion
    leavers = prior.weight * (1 - prior.completion)
    events = [(m, GRADUATE, graduates * share) for m, share in prior_durations(normal).items()]
    events += [(m, LEAVE, leavers / normal) for m in range(1, normal + 1)]
    return [e for e in events if e[2] > 0]


def cumulative_incidence(
    events: Sequence[tuple[int, str, float]], censored: Sequence[tuple[int, float]]
) -> dict[str, dict[int, float]]:
    """The Aalen–Johansen estimate for competing outcomes in whole months: for each outcome, the probability
    mass at each month. Students still active leave the risk set after their month (counted at risk in it);
    mass left unresolved after the last event (everyone still there is censored) is shared in proportion to
    the outcomes' totals, at their own months."""
    times = sorted({t for t, _k, _w in events} | {t for t, _w in censored})
    by_time: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for t, kind, weight in events:
        by_time[t][kind] += weight
    leaving_at: dict[int, float] = defaultdict(float)
    for t, weight in censored:
        leaving_at[t] += weight
    at_risk = sum(w for _t, _k, w in events) + sum(w for _t, w in censored)
    survival = 1.0
    incidence: dict[str, dict[int, float]] = {GRADUATE: {}, FAST_TRACK: {}, LEAVE: {}}
    for t in times:
        happened = by_time.get(t, {})
        if at_risk > 0 and happened:
            total = sum(happened.values())
            for kind, weight in happened.items():
                incidence[kind][t] = incidence[kind].get(t, 0.0) + survival * weight / at_risk
            survival *= 1 - total / at_risk
        at_risk -= sum(happened.values()) + leaving_at.get(t, 0.0)
    resolved = sum(sum(masses.values()) for masses in incidence.values())
    if resolved > 0 and survival > 1e-12:
        for masses in incidence.values():
            for t in masses:
                masses[t] *= 1 / resolved
    return incidence


def _distribution(masses: Mapping[int, float], fallback: int) -> tuple[tuple[int, float], ...]:
    total = sum(masses.values())
    if total <= 0:
        return ((fallback, 1.0),)
    return tuple(sorted((m, w / total) for m, w in masses.items() if w > 0))


def level_rates(level: str, observed: LevelObservations, prior: Prior) -> LevelRates:
    """The posterior for one degree level: the prior's pseudo-students and the observed students together,
    their outcomes and months estimated with censoring (cumulative_incidence)."""
    normal = prior.normal_months.get(level, DEFAULT_MONTHS.get(level, 24))
    events = prior_events(level, prior)
    events += [(m, GRADUATE, 1.0) for m in observed.graduated]
    events += [(m, LEAVE, 1.0) for m in observed.left]
    if level == MASTERS:
        events += [(m, FAST_TRACK, 1.0) for m in observed.fast_tracked]
    censored = [(m, 1.0) for m in observed.active]
    incidence = cumulative_incidence(events, censored)
    shares = {kind: sum(masses.values()) for kind, masses in incidence.items()}
    if sum(shares.values()) <= 0:  # no prior weight and nothing finished: the prior's share, as a point
        shares = {GRADUATE: prior.completion, FAST_TRACK: 0.0, LEAVE: 1 - prior.completion}
    resting_on = max(prior.weight + observed.endings, 1)
    whole = sum(shares.values())
    return LevelRates(
        level=level,
        graduate=shares[GRADUATE] / whole * resting_on,
        fast_track=shares[FAST_TRACK] / whole * resting_on,
        leave=shares[LEAVE] / whole * resting_on,
        durations=_distribution(incidence[GRADUATE], normal),
        leave_months=_distribution(incidence[LEAVE], normal),
        fast_track_months=_distribution(incidence[FAST_TRACK], FAST_TRACK_MONTH),
        normal_months=normal,
        observed_endings=observed.endings,
    )


def months_from(start: datetime.date, end: datetime.date) -> float:
    """Months (of 30.436875 days) from start to end; negative when end is earlier."""
    return (end - start).days / DAYS_PER_MONTH


def duration_cdf(durations: Sequence[tuple[int, float]], months: float) -> float:
    """P(time to graduation ≤ months)."""
    return sum(p for m, p in durations if m <= months + 1e-9)


# --- One group's chances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupChances:
    """For students admitted on one date, `elapsed` months ago (≤ 0 for a future cohort): the chance of
    graduating in each window (by route), and of being still active now (by route), before the shares."""

    by_window_graduate: tuple[float, ...]
    by_window_fast_track: tuple[float, ...]  # × the doctorate's graduation share
    alive_graduate: float
    alive_fast_track: float
    alive_leave: float


def group_chances(
    *,
    rates: LevelRates,
    doctorate: LevelRates | None,
    admitted: datetime.date,
    as_of: datetime.date,
    windows: Sequence[tuple[datetime.date, datetime.date]],
) -> GroupChances:
    """Chances per graduation window [start, end] (dates inclusive, each after as_of), by route."""
    elapsed = max(months_from(admitted, as_of), 0.0)

    def grad_between(durations: Sequence[tuple[int, float]], offset: float, lo: float, hi: float) -> float:
        return duration_cdf(durations, hi - offset) - duration_cdf(durations, lo - offset)

    graduate, fast = [], []
    for start, end in windows:
        lo = max(months_from(admitted, start - datetime.timedelta(days=1)), elapsed)
        hi = months_from(admitted, end)
        graduate.append(grad_between(rates.durations, 0.0, lo, hi) if hi > lo else 0.0)
        if doctorate is not None and rates.fast_track > 0 and hi > lo:
            # Fast-tracked at month τ (only after now: a student still a master's student now has not been),
            # then a doctoral student for the doctorate's time to graduation.
            fast.append(
                sum(
                    share * grad_between(doctorate.durations, month, max(lo, month), hi)
                    for month, share in rates.fast_track_months
                    if month > elapsed
                )
            )
        else:
            fast.append(0.0)
    return GroupChances(
        by_window_graduate=tuple(graduate),
        by_window_fast_track=tuple(fast),
        alive_graduate=1 - duration_cdf(rates.durations, elapsed),
        alive_fast_track=1 - duration_cdf(rates.fast_track_months, elapsed),
        alive_leave=1 - duration_cdf(rates.leave_months, elapsed),
    )


def window_probabilities(
    chances: GroupChances,
    *,
    graduate: np.ndarray,
    fast_track: np.ndarray,
    leave: np.ndarray,
    doctorate_graduate: np.ndarray,
) -> np.ndarray:
    """P(graduating in each window | active now), for arrays of outcome shares (one per path): shape
    (paths, windows). A group that cannot be active now (every route over) has no chance left."""
    alive = graduate * chances.alive_graduate + fast_track * chances.alive_fast_track + leave * chances.alive_leave
    by_graduate = np.outer(graduate, chances.by_window_graduate)
    by_fast = np.outer(fast_track * doctorate_graduate, chances.by_window_fast_track)
    with np.errstate(invalid="ignore", divide="ignore"):
        probabilities = np.where(alive[:, None] > 0, (by_graduate + by_fast) / alive[:, None], 0.0)
    return np.clip(probabilities, 0.0, 1.0)


# --- The projection --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearFigure:
    year: int
    end: datetime.date  # 31 December, or the deadline
    expected: float  # cumulative trained by `end`
    low: int  # 10th percentile
    high: int  # 90th percentile


@dataclass(frozen=True)
class Projection:
    as_of: datetime.date
    deadline: datetime.date
    achieved: int
    expected: float  # trained by the deadline
    low: int
    high: int
    from_active: float  # of the expected, graduates of students active now
    from_plans: float  # ... of planned cohorts
    by_year: list[YearFigure]
    paths: int
    thin_levels: list[str]  # degree levels projected whose rates rest mostly on the prior


def windows_to(as_of: datetime.date, deadline: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The graduation windows after as_of: the rest of this year, each later year, the last cut at the deadline."""
    windows = []
    start = as_of + datetime.timedelta(days=1)
    while start <= deadline:
        end = min(datetime.date(start.year, 12, 31), deadline)
        windows.append((start, end))
        start = end + datetime.timedelta(days=1)
    return windows


def entry_date(year: int) -> datetime.date:
    return datetime.date(year, ENTRY_MONTH, 1)


def _groups(
    active: Iterable[ActiveGroup], plans: Iterable[PlannedCohort], as_of: datetime.date
) -> list[tuple[str, datetime.date, int, bool]]:
    """(level, admitted, count, planned) per distinct level and date: schools share their level's rates,
    so plans are added up per year and level."""
    totals: dict[tuple[str, datetime.date, bool], int] = {}
    for group in active:
        key = (group.level, group.admitted, False)
        totals[key] = totals.get(key, 0) + group.count
    for plan in plans:
        if entry_date(plan.year) > as_of:
            key = (plan.level, entry_date(plan.year), True)
            totals[key] = totals.get(key, 0) + plan.intake
    return [(level, day, count, planned) for (level, day, planned), count in sorted(totals.items()) if count > 0]


def project(
    *,
    achieved: int,
    as_of: datetime.date,
    deadline: datetime.date,
    active: Iterable[ActiveGroup],
    plans: Iterable[PlannedCohort],
    rates: Mapping[str, LevelRates],
    paths: int = DEFAULT_PATHS,
    seed: int = 2030,
    thin_below: int = 20,
) -> Projection:
    """Trained by each year's end to the deadline: expected (posterior means) and a 10th–90th percentile band
    from `paths` simulated futures (seeded: the same inputs give the same band)."""
    windows = windows_to(as_of, deadline)
    groups = _groups(active, plans, as_of)
    rng = np.random.default_rng(seed)
    draws = {level: _draw_shares(r, rng, paths) for level, r in rates.items()}
    means = {level: tuple(np.array([s]) for s in r.shares) for level, r in rates.items()}
    doctorate = rates.get(DOCTORATE)
    doctorate_draw = draws[DOCTORATE][0] if DOCTORATE in draws else np.zeros(paths)
    doctorate_mean = means[DOCTORATE][0] if DOCTORATE in means else np.zeros(1)

    expected_by_window = np.zeros(len(windows))
    from_active = from_plans = 0.0
    simulated = np.zeros((paths, len(windows)), dtype=np.int64)
    for level, admitted, count, planned in groups:
        level_rates_ = rates[level]
        chances = group_chances(
            rates=level_rates_, doctorate=doctorate, admitted=admitted, as_of=as_of, windows=windows
        )
        g, f, leave = means[level]
        mean = window_probabilities(chances, graduate=g, fast_track=f, leave=leave, doctorate_graduate=doctorate_mean)
        expected = count * mean[0]
        expected_by_window += expected
        if planned:
            from_plans += float(expected.sum())
        else:
            from_active += float(expected.sum())
        if paths and windows:
            g, f, leave = draws[level]
            probabilities = window_probabilities(
                chances, graduate=g, fast_track=f, leave=leave, doctorate_graduate=doctorate_draw
            )
            rest = np.clip(1.0 - probabilities.sum(axis=1, keepdims=True), 0.0, 1.0)
            pvals = np.hstack([probabilities, rest])
            pvals = pvals / pvals.sum(axis=1, keepdims=True)
            simulated += rng.multinomial(count, pvals)[:, : len(windows)]
    cumulative_expected = achieved + np.cumsum(expected_by_window)
    cumulative_paths = achieved + np.cumsum(simulated, axis=1)
    by_year = []
    for i, (_start, end) in enumerate(windows):
        low, high = _band(cumulative_paths[:, i]) if paths else (achieved, achieved)
        by_year.append(YearFigure(year=end.year, end=end, expected=float(cumulative_expected[i]), low=low, high=high))
    total_expected = float(cumulative_expected[-1]) if windows else float(achieved)
    low, high = (by_year[-1].low, by_year[-1].high) if by_year else (achieved, achieved)
    return Projection(
        as_of=as_of,
        deadline=deadline,
        achieved=achieved,
        expected=total_expected,
        low=low,
        high=high,
        from_active=from_active,
        from_plans=from_plans,
        by_year=by_year,
        paths=paths,
        thin_levels=sorted({level for level, *_rest in groups if rates[level].observed_endings < thin_below}),
    )


def _draw_shares(rates: LevelRates, rng: np.random.Generator, paths: int) -> tuple[np.ndarray, ...]:
    """`paths` draws of (graduate, fast track, leave) from the Dirichlet posterior (a zero parameter: 0)."""
    alpha = np.array([rates.graduate, rates.fast_track, rates.leave])
    positive = alpha > 0
    shares = np.zeros((paths, 3))
    if paths:
        shares[:, positive] = rng.dirichlet(alpha[positive], size=paths)
    return shares[:, 0], shares[:, 1], shares[:, 2]


def _band(values: np.ndarray) -> tuple[int, int]:
    low, high = np.percentile(values, [LOW_PERCENTILE, HIGH_PERCENTILE], method="inverted_cdf")
    return int(low), int(high)


# --- What it takes ---------------------------------------------------------------------------------------


def graduation_chance(
    *, rates: LevelRates, doctorate: LevelRates | None, entry: datetime.date, by: datetime.date
) -> float:
    """P(a student entering on `entry` graduates by `by`) at the posterior mean rates."""
    chances = group_chances(rates=rates, doctorate=doctorate, admitted=entry, as_of=entry, windows=[(entry, by)])
    g, f, leave = (np.array([s]) for s in rates.shares)
    doctorate_share = np.array([doctorate.shares[0]]) if doctorate is not None else np.zeros(1)
    return float(
        window_probabilities(chances, graduate=g, fast_track=f, leave=leave, doctorate_graduate=doctorate_share)[0, 0]
    )


@dataclass(frozen=True)
class Requirement:
    intake_per_year: int | None  # None: no intake from next year can graduate by the deadline
    from_year: int
    to_year: int
    expected_without: float  # expected by the deadline from the active students and this year's plans
    per_entrant: float  # graduates by the deadline per yearly entrant, summed over the years


def required_intake(
    *,
    target: int,
    achieved: int,
    as_of: datetime.date,
    deadline: datetime.date,
    active: Iterable[ActiveGroup],
    plans: Iterable[PlannedCohort],
    rates: Mapping[str, LevelRates],
    mix: Mapping[str, float],
) -> Requirement:
    """The same intake every year from next year to the deadline's year (replacing those years' plans, split
    by `mix` over degree levels) that makes the expected count reach the target (0 if it already does)."""
    from_year = as_of.year + 1
    kept = [p for p in plans if p.year < from_year]
    base = project(
        achieved=achieved, as_of=as_of, deadline=deadline, active=active, plans=kept, rates=rates, paths=0
    ).expected
    doctorate = rates.get(DOCTORATE)
    total_mix = sum(mix.values())
    per_entrant = 0.0
    for year in range(from_year, deadline.year + 1):
        if entry_date(year) > deadline:
            continue
        for level, share in mix.items():
            if share > 0 and level in rates:
                chance = graduation_chance(rates=rates[level], doctorate=doctorate, entry=entry_date(year), by=deadline)
                per_entrant += share / total_mix * chance
    missing = target - base
    if missing <= 0:
        intake: int | None = 0
    elif per_entrant <= 0:
        intake = None
    else:
        intake = math.ceil(missing / per_entrant - 1e-9)
    return Requirement(
        intake_per_year=intake,
        from_year=from_year,
        to_year=deadline.year,
        expected_without=base,
        per_entrant=per_entrant,
    )
