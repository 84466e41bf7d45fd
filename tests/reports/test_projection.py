"""The cohort-flow projection's arithmetic on hand-computed cohorts: no database.

Months are days / 30.436875 (arithmetic.DAYS_PER_MONTH). With no data the rates are the prior: a master's
takes 24 months (60%), 30 (25%) or 36 (15%); 80% graduate (the prior completion rate used here).
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pytest
from scipy import stats

from talent.reports import projection
from talent.reports.projection import ActiveGroup, LevelObservations, PlannedCohort, Prior

D = datetime.date
PRIOR = Prior(completion=0.8, weight=20)
DEADLINE = D(2030, 12, 31)


def rates(prior: Prior = PRIOR, **observed: LevelObservations) -> dict[str, projection.LevelRates]:
    return {
        level: projection.level_rates(level, observed.get(level, LevelObservations()), prior)
        for level in ("ms", "phd", "integrated", "non_degree")
    }


def test_the_prior_alone_gives_the_prior_durations_and_shares():
    ms = rates()["ms"]
    assert dict(ms.durations) == pytest.approx({24: 0.6, 30: 0.25, 36: 0.15})
    assert dict(ms.leave_months) == pytest.approx({month: 1 / 24 for month in range(1, 25)})
    assert ms.shares == pytest.approx((0.8, 0.0, 0.2))


def test_observed_outcomes_and_durations_move_the_rates():
    # Nobody still studying: the estimate is the plain shares. 20 prior students (16 graduate, 4 leave) + 30
    # graduated + 10 left: 46 / 60 graduate.
    observed = LevelObservations(graduated=(24,) * 20 + (26,) * 10, left=(3,) * 10)
    ms = rates(ms=observed)["ms"]
    assert ms.shares == pytest.approx((46 / 60, 0.0, 14 / 60))
    # Durations: 16 prior graduations (9.6 at 24, 4 at 30, 2.4 at 36) + 20 at 24 + 10 at 26, of 46.
    assert dict(ms.durations) == pytest.approx({24: 29.6 / 46, 26: 10 / 46, 30: 4 / 46, 36: 2.4 / 46})


def test_students_still_studying_are_not_taken_for_failures():
    # No prior; four students: one left at month 6, one is still studying at month 12, two graduated at 24.
    # At month 6 all four are there: a quarter leaves. At 24 the two graduates are the only ones left at risk
    # (the one still studying counted only to month 12): both graduate, 3/4 × 2/2. So 3/4 graduate, where the
    # finished students alone would say 2/3.
    ms = rates(Prior(completion=0.8, weight=0), ms=LevelObservations(graduated=(24, 24), left=(6,), active=(12,)))["ms"]
    assert ms.shares == pytest.approx((0.75, 0.0, 0.25))
    assert ms.durations == ((24, 1.0),) and ms.leave_months == ((6, 1.0),)


def test_a_planned_masters_cohort_graduates_two_and_three_years_on():
    # 100 master's students enter on 2027-03-01. 24 and 30 months fall in 2029 (2029-03-01 is 731 days =
    # 24.02 months; 2029-12-31 is 34.04 months), 36 months in 2030: 0.8 × 0.85 × 100 = 68 in 2029, 0.8 × 0.15 ×
    # 100 = 12 in 2030.
    result = projection.project(
        achieved=5,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=[],
        plans=[PlannedCohort(school="a", year=2027, level="ms", intake=60), PlannedCohort("b", 2027, "ms", 40)],
        rates=rates(),
        paths=0,
    )
    assert [y.year for y in result.by_year] == [2027, 2028, 2029, 2030]
    assert [y.expected for y in result.by_year] == pytest.approx([5, 5, 5 + 68, 5 + 68 + 12])
    assert result.expected == pytest.approx(85) and result.from_plans == pytest.approx(80)
    assert result.from_active == 0


def test_a_doctorate_entering_in_2027_cannot_finish_by_the_deadline():
    # 2027-03-01 to 2030-12-31 is 1,401 days = 46.03 months, shorter than the shortest 48.
    result = projection.project(
        achieved=0,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=[],
        plans=[PlannedCohort("a", 2027, "phd", 50)],
        rates=rates(),
        paths=0,
    )
    assert result.expected == 0


def test_a_plan_whose_intake_has_happened_is_left_out():
    # The 2026 intake entered on 2026-03-01, before the as-of date: those students are in the registry.
    result = projection.project(
        achieved=0,
        as_of=D(2026, 6, 1),
        deadline=DEADLINE,
        active=[],
        plans=[PlannedCohort("a", 2026, "ms", 100)],
        rates=rates(),
        paths=0,
    )
    assert result.expected == 0


def test_an_active_student_is_conditioned_on_being_still_there():
    # Admitted 2025-03-01; on 2026-12-31 (670 days = 22.01 months) not yet graduated (all graduate at 24+
    # months) and, of the leavers (one in 24 each month 1..24), 2/24 still there. So P(graduates by the
    # deadline | still there) = 0.8 / (0.8 + 0.2 × 2/24), all in 2027 or later.
    chance = 0.8 / (0.8 + 0.2 * 2 / 24)
    result = projection.project(
        achieved=0,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=[ActiveGroup(level="ms", admitted=D(2025, 3, 1), count=10)],
        plans=[],
        rates=rates(),
        paths=0,
    )
    assert result.expected == pytest.approx(10 * chance)
    # 24 and 30 months (2027-03-01, 2027-09-01) fall in 2027, 36 months (2028-03-01) in 2028.
    assert result.by_year[0].expected == pytest.approx(10 * chance * 0.85)
    assert result.from_active == pytest.approx(result.expected)


def test_a_student_past_every_duration_has_no_chance_left():
    result = projection.project(
        achieved=0,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=[ActiveGroup("ms", D(2022, 3, 1), 3)],
        plans=[],
        rates=rates(),
        paths=100,
    )
    assert result.expected == 0 and result.high == 0


def test_fast_track_takes_masters_students_out_of_the_masters_graduates():
    # 20 prior (16 graduate, 4 leave) + 10 fast-tracked at 12 months: shares 16/30, 10/30, 4/30. A
    # fast-tracked student graduates 12 + 48 months after admission at the earliest: after the deadline for a
    # 2027 entrant.
    ms_rates = rates(ms=LevelObservations(fast_tracked=(12,) * 10))
    result = projection.project(
        achieved=0,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=[],
        plans=[PlannedCohort("a", 2027, "ms", 30)],
        rates=ms_rates,
        paths=0,
    )
    assert result.expected == pytest.approx(30 * 16 / 30)


def test_the_band_is_the_binomial_spread_when_the_rates_are_known():
    # A prior worth a million students leaves no doubt about the rates: 1,000 entrants of 2027, each
    # graduating by the deadline with probability 0.8 (every duration fits): the band is Binomial(1000, 0.8)'s
    # 10th and 90th percentiles.
    known = rates(Prior(completion=0.8, weight=1_000_000))
    result = projection.project(
        achieved=0,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=[],
        plans=[PlannedCohort("a", 2027, "ms", 1000)],
        rates=known,
        paths=10_000,
    )
    low, high = float(stats.binom.ppf(0.1, 1000, 0.8)), float(stats.binom.ppf(0.9, 1000, 0.8))
    assert abs(result.low - low) <= 1 and abs(result.high - high) <= 1
    assert result.low < result.expected < result.high


def test_thin_data_widen_the_band_and_are_named():
    plans = [PlannedCohort("a", 2027, "ms", 1000)]
    common: dict[str, Any] = {
        "achieved": 0,
        "as_of": D(2026, 12, 31),
        "deadline": DEADLINE,
        "active": [],
        "plans": plans,
    }
    thin = projection.project(rates=rates(Prior(completion=0.8, weight=5)), **common)
    rich = projection.project(
        rates=rates(Prior(completion=0.8, weight=5), ms=LevelObservations(graduated=(24,) * 800, left=(6,) * 200)),
        **common,
    )
    assert thin.high - thin.low > 2 * (rich.high - rich.low)
    assert "ms" in thin.thin_levels and "ms" not in rich.thin_levels


def test_the_same_inputs_give_the_same_band():
    common: dict[str, Any] = {
        "achieved": 0,
        "as_of": D(2026, 12, 31),
        "deadline": DEADLINE,
        "active": [],
        "plans": [PlannedCohort("a", 2027, "ms", 100)],
        "rates": rates(),
        "paths": 500,
    }
    assert projection.project(**common) == projection.project(**common)


def test_what_it_takes_is_one_division():
    # Target 100, nothing achieved, nobody active, master's only. Per yearly entrant by 2030-12-31: a 2027
    # entrant 0.8 (46.03 months: every duration fits), a 2028 entrant 0.8 × 0.85 (34.0 months: 24 and 30),
    # 2029 and 2030 entrants 0 (22.0 and 10.0 months). 100 / 1.48 = 67.6: 68 a year.
    requirement = projection.required_intake(
        target=100,
        achieved=0,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=[],
        plans=[PlannedCohort("a", 2027, "ms", 5000)],  # replaced: the requirement is instead of the plans
        rates=rates(),
        mix={"ms": 1.0},
    )
    assert requirement.per_entrant == pytest.approx(0.8 + 0.68)
    assert requirement.intake_per_year == 68
    assert (requirement.from_year, requirement.to_year) == (2027, 2030)


def test_what_it_takes_counts_what_is_already_coming_and_says_when_nothing_can_help():
    reached = projection.required_intake(
        target=100,
        achieved=100,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=[],
        plans=[],
        rates=rates(),
        mix={"ms": 1.0},
    )
    assert reached.intake_per_year == 0
    too_late = projection.required_intake(
        target=100,
        achieved=0,
        as_of=D(2029, 6, 1),
        deadline=DEADLINE,
        active=[],
        plans=[],
        rates=rates(),
        mix={"ms": 1.0},
    )
    assert too_late.intake_per_year is None


def test_the_expected_count_lies_in_its_band_with_every_route_mixed():
    # Students active for various months, fast tracks seen, planned cohorts: each group's chances add up to at
    # most 1, and the expected count (posterior means) lies within the simulated band.
    observed = LevelObservations(
        graduated=(24,) * 40 + (30,) * 10, left=(4,) * 8, fast_tracked=(12,) * 6 + (14,) * 2, active=(10,) * 30
    )
    mixed_rates = rates(ms=observed, phd=LevelObservations(graduated=(48,) * 5, active=(20,) * 20))
    active = [
        ActiveGroup("ms", D(2024, 9, 1), 40),
        ActiveGroup("ms", D(2025, 3, 1), 60),
        ActiveGroup("ms", D(2026, 3, 1), 80),
        ActiveGroup("phd", D(2024, 3, 1), 30),
    ]
    for group in active:
        chances = projection.group_chances(
            rates=mixed_rates[group.level],
            doctorate=mixed_rates["phd"],
            admitted=group.admitted,
            as_of=D(2026, 12, 31),
            windows=projection.windows_to(D(2026, 12, 31), DEADLINE),
        )
        shares = [np.array([s]) for s in mixed_rates[group.level].shares]
        chance = projection.window_probabilities(
            chances,
            graduate=shares[0],
            fast_track=shares[1],
            leave=shares[2],
            doctorate_graduate=np.array([mixed_rates["phd"].shares[0]]),
        )
        assert 0 < chance.sum() <= 1
    result = projection.project(
        achieved=10,
        as_of=D(2026, 12, 31),
        deadline=DEADLINE,
        active=active,
        plans=[PlannedCohort("a", 2027, "ms", 100), PlannedCohort("a", 2027, "phd", 20)],
        rates=mixed_rates,
        paths=4000,
    )
    assert result.low <= result.expected <= result.high
    assert [y.low for y in result.by_year] == sorted(y.low for y in result.by_year)
