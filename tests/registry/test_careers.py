"""Years abroad and return-track eligibility of returning researchers."""

from __future__ import annotations

import datetime

from talent.registry import careers

d = datetime.date


def test_overlapping_positions_count_once():
    periods = [(d(2010, 1, 1), d(2015, 1, 1)), (d(2014, 1, 1), d(2016, 1, 1))]
    assert careers.years_abroad(periods, until=d(2026, 1, 1)) == 6.0


def test_an_open_position_runs_until_the_return():
    periods = [(d(2018, 3, 1), None)]
    assert careers.years_abroad(periods, until=d(2024, 3, 1)) == 6.0


def test_gaps_between_positions_are_not_counted():
    periods = [(d(2012, 1, 1), d(2014, 1, 1)), (d(2016, 1, 1), d(2018, 1, 1))]
    assert careers.years_abroad(periods, until=d(2026, 1, 1)) == 4.0


def test_time_after_the_cut_off_is_not_counted():
    periods = [(d(2020, 1, 1), d(2030, 1, 1)), (d(2027, 1, 1), None)]
    assert careers.years_abroad(periods, until=d(2025, 1, 1)) == 5.0


def test_the_return_track_needs_a_korean_with_a_stem_phd_and_five_years_abroad():
    assert careers.eligible_for_return_track(nationality="KR", phd_is_stem_or_medical=True, years_abroad=5.0)
    assert not careers.eligible_for_return_track(nationality="KR", phd_is_stem_or_medical=True, years_abroad=4.99)
    assert not careers.eligible_for_return_track(nationality="US", phd_is_stem_or_medical=True, years_abroad=9)
    assert not careers.eligible_for_return_track(nationality="KR", phd_is_stem_or_medical=False, years_abroad=9)
