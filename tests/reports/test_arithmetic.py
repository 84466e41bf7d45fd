"""The report arithmetic: pure functions, no database."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talent.reports import arithmetic
from talent.reports.arithmetic import Band

D = datetime.date


def test_a_month_is_a_twelfth_of_the_mean_year():
    assert arithmetic.months_between(D(2026, 1, 1), D(2027, 1, 1)) == pytest.approx(12, abs=0.01)
    assert arithmetic.months_between(D(2027, 1, 1), D(2026, 1, 1)) == 0


def test_a_year_before_a_leap_day_is_the_28th():
    assert arithmetic.year_before(D(2028, 2, 29)) == D(2027, 2, 28)
    assert arithmetic.year_before(D(2027, 6, 30)) == D(2026, 6, 30)


def test_the_pace_window_is_the_last_year_or_since_the_start():
    assert arithmetic.pace_window_start(start=D(2026, 1, 1), as_of=D(2028, 5, 1)) == D(2027, 5, 1)
    assert arithmetic.pace_window_start(start=D(2026, 1, 1), as_of=D(2026, 5, 1)) == D(2026, 1, 1)


def test_required_pace_spreads_what_is_missing_over_the_months_left():
    assert arithmetic.required_pace(target=5000, achieved=200, months_left=48) == 100
    assert arithmetic.required_pace(target=5000, achieved=5000, months_left=48) == 0
    assert arithmetic.required_pace(target=5000, achieved=4999, months_left=0) is None


def test_observed_pace_is_none_before_anything_could_be_observed():
    assert arithmetic.observed_pace(gained=120, window_months=12) == 10
    assert arithmetic.observed_pace(gained=0, window_months=0) is None


@pytest.mark.parametrize(
    ("observed", "required", "band"),
    [
        (95, 100, Band.ON_TRACK),
        (120, 100, Band.ON_TRACK),
        (94.9, 100, Band.NEEDS_ACCELERATION),
        (60, 100, Band.NEEDS_ACCELERATION),
        (59.9, 100, Band.OFF_TRACK),
        (None, 100, Band.OFF_TRACK),
    ],
)
def test_the_band_follows_the_pace_ratio(observed, required, band):
    assert arithmetic.status_band(started=True, achieved=10, target=5000, observed=observed, required=required) == band


def test_a_reached_target_is_on_track_and_a_missed_deadline_off_track():
    assert arithmetic.status_band(started=True, achieved=5000, target=5000, observed=0, required=0) == Band.ON_TRACK
    assert arithmetic.status_band(started=True, achieved=10, target=5000, observed=50, required=None) == Band.OFF_TRACK
    assert arithmetic.status_band(started=False, achieved=0, target=5000, observed=None, required=80) == (
        Band.NOT_STARTED
    )


def test_the_completion_rate_is_the_prior_without_data_and_the_observed_rate_with_much():
    assert arithmetic.completion_rate(graduated=0, finished=0, prior_rate=0.85, prior_weight=20) == 0.85
    assert arithmetic.completion_rate(graduated=5, finished=10, prior_rate=0.85, prior_weight=20) == pytest.approx(
        (5 + 17) / 30
    )
    many = arithmetic.completion_rate(graduated=7000, finished=10000, prior_rate=0.85, prior_weight=20)
    assert many == pytest.approx(0.7, abs=0.001)
    with pytest.raises(ValueError):
        arithmetic.completion_rate(graduated=3, finished=2, prior_rate=0.85, prior_weight=20)


@given(
    graduated=st.integers(0, 10_000),
    extra=st.integers(0, 10_000),
    prior=st.floats(0, 1),
    weight=st.integers(0, 1000),
)
def test_the_completion_rate_lies_between_the_prior_and_the_observed_share(graduated, extra, prior, weight):
    finished = graduated + extra
    rate = arithmetic.completion_rate(graduated=graduated, finished=finished, prior_rate=prior, prior_weight=weight)
    observed = graduated / finished if finished else prior
    assert min(prior, observed) - 1e-9 <= rate <= max(prior, observed) + 1e-9


def test_the_projection_adds_the_expected_finishers_at_the_rate_rounded_half_up():
    assert arithmetic.projected_trained(achieved=100, expected_to_finish=10, rate=0.85) == 109  # 8.5 → 9
    assert arithmetic.projected_trained(achieved=100, expected_to_finish=0, rate=0.85) == 100
    assert arithmetic.projected_linear(achieved=10, pace=2.5, months_left=10) == 35
    assert arithmetic.projected_linear(achieved=10, pace=None, months_left=10) == 10


def test_the_straight_path_runs_from_zero_to_the_target():
    start, deadline = D(2026, 1, 1), D(2030, 12, 31)
    assert arithmetic.straight_path(start=start, deadline=deadline, target=5000, on=start) == 0
    assert arithmetic.straight_path(start=start, deadline=deadline, target=5000, on=deadline) == 5000
    assert arithmetic.straight_path(start=start, deadline=deadline, target=5000, on=D(2031, 6, 1)) == 5000
    middle = arithmetic.straight_path(start=start, deadline=deadline, target=5000, on=D(2028, 7, 2))
    assert middle == pytest.approx(2500, rel=0.01)
