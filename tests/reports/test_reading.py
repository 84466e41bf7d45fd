"""The words and units beside the dashboard's figures, and the chart as a table: no database."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from talent.reports import charts, reading

D = datetime.date


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def korean():
    with translation.override("ko"):
        yield


def test_persons_have_their_unit_and_thousands_separators(english):
    assert reading.persons(1) == "1 person"
    assert reading.persons(4698) == "4,698 people"


def test_persons_in_korean_are_counted_in_myeong(korean):
    assert reading.persons(4698) == "4,698명"
    assert reading.per_month(102.022) == "102.0명/월"


def test_paces_and_shares_are_rounded_for_reading(english):
    assert reading.per_month(0.815) == "0.8 people/month"
    assert reading.per_month(None) == "–"
    assert reading.percent(0.4727) == "47.3%"
    assert reading.percent(1) == "100.0%"


def test_the_shortfall_reads_in_words_and_numbers(english):
    deadline = D(2030, 12, 31)
    assert (
        reading.shortfall_sentence(projected=302, target=5000, deadline=deadline)
        == "Projected 302 of 5,000 by 2030-12-31: 4,698 short."
    )
    assert (
        reading.shortfall_sentence(projected=5200, target=5000, deadline=deadline)
        == "Projected 5,200 of 5,000 by 2030-12-31: 200 more than the target."
    )
    assert reading.shortfall_sentence(projected=5000, target=5000, deadline=deadline).endswith("the target exactly.")


def test_the_band_reads_as_a_sentence(english):
    def sentence(**figures: Any) -> str:
        return reading.band_sentence(target=5000, deadline=D(2030, 12, 31), **figures)

    assert sentence(band="needs_acceleration", observed=80.0, required=100.0, ratio=0.8) == (
        "Needs acceleration: the last 12 months gained 80.0 people/month; reaching 5,000 by 2030-12-31 needs "
        "100.0 people/month (80.0% of the required pace; 95% is on track)."
    )
    assert sentence(band="on_track", observed=0.0, required=0.0, ratio=None) == ("The target of 5,000 is reached.")
    assert sentence(band="off_track", observed=1.0, required=None, ratio=None) == (
        "The deadline 2030-12-31 has passed short of the target of 5,000."
    )
    assert sentence(band=None, observed=1.0, required=None, ratio=None).startswith(
        "Pace bands compare with the national target"
    )


def test_every_term_is_defined_in_both_languages():
    with translation.override("en"):
        english = reading.terms()
    with translation.override("ko"):
        korean = reading.terms()
    assert [t["code"] for t in english] == [t["code"] for t in korean]
    for en, ko in zip(english, korean, strict=True):
        assert en["definition"] != ko["definition"], en["code"]  # translated


TRAJECTORY = {
    "target": {"start_date": "2026-01-01", "deadline": "2030-12-31", "value": 5000},
    "as_of": "2027-06-30",
    "points": [
        {"end": "2026-06-30", "achieved": 10},
        {"end": "2026-12-31", "achieved": 40},
        {"end": "2027-06-30", "achieved": 100},
    ],
    "straight_path": [{"on": "2026-01-01", "value": 0.0}, {"on": "2030-12-31", "value": 5000.0}],
    "projection": [{"on": "2027-06-30", "value": 100.0}, {"on": "2030-12-31", "value": 1378.0}],
}


def test_the_chart_as_a_table_reads_each_year_end():
    rows = charts.yearly_rows(TRAJECTORY)
    assert [r.year for r in rows] == [2026, 2027, 2028, 2029, 2030]
    assert [r.achieved for r in rows] == [40, 100, None, None, None]
    # The straight path: 5,000 × days elapsed / 1,825 days (2026-01-01 to 2030-12-31).
    assert [r.straight for r in rows] == [round(5000 * 364 / 1825), round(5000 * 729 / 1825), 3000, 4000, 5000]
    # The projection: from 100 on 2027-06-30 to 1,378 on 2030-12-31 (1,280 days), linearly.
    assert rows[0].projection is None
    assert rows[1].projection == round(100 + 1278 * 184 / 1280)
    assert rows[-1].projection == 1378


def test_the_outlook_reads_one_figure_once_the_data_suffice(english):
    deadline = datetime.date(2030, 12, 31)
    short = reading.outlook_sentence(expected=945.4, low=878, high=1008, target=5000, deadline=deadline, thin={})
    assert short == "With the planned intake: 945 of 5,000 by 2030-12-31 (10th–90th percentile 878–1,008): 4,055 short."
    reached = reading.outlook_sentence(expected=5100, low=4900, high=5300, target=5000, deadline=deadline, thin={})
    assert reached.endswith("the target is reached.")
    thin = reading.outlook_sentence(expected=10, low=5, high=6, target=5000, deadline=deadline, thin={"phd": 3})
    assert thin.startswith("Too little data for one figure: between 5 and 6") and "Doctorate (3 finished)" in thin


def test_what_it_takes_reads_each_case(english):
    def sentence(intake: int | None) -> str:
        deadline = datetime.date(2030, 12, 31)
        return reading.requirement_sentence(
            intake_per_year=intake, from_year=2027, to_year=2030, target=5000, deadline=deadline
        )

    assert sentence(1234).startswith("What it takes: 1,234 people entering each year 2027–2030")
    assert "without further intake" in sentence(0)
    assert "cannot be reached by new entrants" in sentence(None)


def test_the_headline_projection_and_its_shortfall_read_as_figures():
    with translation.override("en"):
        assert reading.projection_figure(expected=2345, low=2100, high=2600, confident=True) == (
            "2,345 people (10th–90th percentile 2,100–2,600)"
        )
        assert reading.projection_figure(expected=2345, low=2100, high=2600, confident=False) == (
            "2,100–2,600 people (too little data for one figure)"
        )
        assert reading.shortfall_figure(target=5000, expected=2345, low=2100, high=2600, confident=True) == (
            "2,655 people"
        )
        assert reading.shortfall_figure(target=5000, expected=2345, low=2100, high=2600, confident=False) == (
            "2,400–2,900 people"
        )
        assert reading.shortfall_figure(target=5000, expected=5100, low=4900, high=5300, confident=True) == "0 people"
    with translation.override("ko"):
        assert reading.projection_figure(expected=2345, low=2100, high=2600, confident=True) == (
            "2,345명 (10–90 백분위 2,100–2,600명)"
        )
