"""The report's figures as a person reads them: with their unit, rounded for reading, and the sentences the
dashboard puts beside them (the shortfall, the status band's reading, why active can exceed entrants).

One place for the wording, so that the page, its print and any later export say the same thing. The exact
figures stay in the API and the downloads; these are for reading at a glance:
- persons are whole numbers with thousands separators (명 / people);
- paces are persons per month with one decimal (명/월 / people/month);
- shares are percentages with one decimal (a completion rate of 0.4727 reads 47.3%).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from talent.registry.vocabulary import DegreeLevel
from talent.reports.arithmetic import Band


def persons(count: int) -> str:
    """1,234명 / 1,234 people."""
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": f"{count:,}"}


def per_month(pace: float | None) -> str:
    """0.8명/월 / 0.8 people/month; a dash where there is no pace."""
    if pace is None:
        return "–"
    return _("%(pace)s people/month") % {"pace": f"{pace:,.1f}"}


def percent(share: float | None) -> str:
    """A share (0–1) as a percentage with one decimal: 0.4727 → 47.3%."""
    if share is None:
        return "–"
    return f"{100 * share:,.1f}%"


def rules_sentence(*, version: int, effective_from: datetime.date) -> str:
    """The target version a report was counted under: every report page names it (a past date's report uses the
    version in force then, unless another is asked for)."""
    return _("Counted under version %(version)s of the counting rules, in force from %(date)s.") % {
        "version": version,
        "date": effective_from.isoformat(),
    }


def asked_version_sentence(*, version: int, as_of: datetime.date, in_force: int) -> str:
    """Beside the rules sentence when a report was asked for under another version than the one in force on its
    date: a reader must not take it for the official figure of that date."""
    return _(
        "Version %(version)s as asked: the version in force on %(as_of)s is %(in_force)s, and the official "
        "figures of that date are counted under it."
    ) % {"version": version, "as_of": as_of.isoformat(), "in_force": in_force}


def shortfall_sentence(*, projected: int, target: int, deadline: datetime.date) -> str:
    """The projection against the target in words and numbers: "Projected 302 of 5,000 by 2030-12-31:
    4,698 short." (or the surplus, or exactly reached)."""
    figures = {
        "projected": f"{projected:,}",
        "target": f"{target:,}",
        "deadline": deadline.isoformat(),
        "gap": f"{abs(target - projected):,}",
    }
    if projected < target:
        return _("Projected %(projected)s of %(target)s by %(deadline)s: %(gap)s short.") % figures
    if projected > target:
        return _("Projected %(projected)s of %(target)s by %(deadline)s: %(gap)s more than the target.") % figures
    return _("Projected %(projected)s of %(target)s by %(deadline)s: the target exactly.") % figures


def projection_figure(*, expected: int, low: int, high: int, confident: bool) -> str:
    """The headline projection as a figure: "2,345 people (10th–90th percentile 2,100–2,600)"; while the data
    are thin, the band alone (no single figure is printed with confidence)."""
    band = f"{low:,}" if low == high else f"{low:,}–{high:,}"
    if confident:
        return _("%(persons)s (10th–90th percentile %(band)s)") % {"persons": persons(expected), "band": band}
    return ngettext(
        "%(band)s person (too little data for one figure)", "%(band)s people (too little data for one figure)", high
    ) % {"band": band}


def shortfall_figure(*, target: int, expected: int, low: int, high: int, confident: bool) -> str:
    """The target minus the headline projection (0 when reached); while the data are thin, the range the band
    gives."""
    if confident:
        return persons(max(target - expected, 0))
    least, most = max(target - high, 0), max(target - low, 0)
    if least == most:
        return persons(most)
    return ngettext("%(range)s person", "%(range)s people", most) % {"range": f"{least:,}–{most:,}"}


def band_sentence(
    *,
    band: str | None,
    target: int,
    deadline: datetime.date,
    observed: float | None,
    required: float | None,
    ratio: float | None,
) -> str:
    """One line that reads the status band: what the last 12 months gave against what the deadline needs."""
    figures = {
        "target": f"{target:,}",
        "deadline": deadline.isoformat(),
        "observed": per_month(observed),
        "required": per_month(required),
        "share": percent(ratio),
    }
    if band is None:
        return _("Pace bands compare with the national target: see the ministry's report.")
    if band == Band.NOT_STARTED:
        return _("Counting has not started yet.")
    if required == 0:
        return _("The target of %(target)s is reached.") % figures
    if required is None:
        return _("The deadline %(deadline)s has passed short of the target of %(target)s.") % figures
    if band == Band.ON_TRACK:
        text = _(
            "On track: the last 12 months gained %(observed)s; reaching %(target)s by %(deadline)s needs "
            "%(required)s (%(share)s of the required pace)."
        )
    elif band == Band.NEEDS_ACCELERATION:
        text = _(
            "Needs acceleration: the last 12 months gained %(observed)s; reaching %(target)s by %(deadline)s "
            "needs %(required)s (%(share)s of the required pace; 95%% is on track)."
        )
    else:
        text = _(
            "Off track: the last 12 months gained %(observed)s; reaching %(target)s by %(deadline)s needs "
            "%(required)s (%(share)s of the required pace; below 60%% is off track)."
        )
    return text % figures


def active_vs_entrants_sentence(*, entrants: int, active: int, start: datetime.date) -> str:
    """Why there can be more active students than entrants: active counts students who entered before the
    counting start and are still studying; entrants counts only those who entered since."""
    figures = {"active": f"{active:,}", "entrants": f"{entrants:,}", "start": start.isoformat()}
    if active > entrants:
        return (
            _(
                "There are more active students (%(active)s) than entrants (%(entrants)s): students who entered "
                "before counting started on %(start)s and are still studying are active, but were not entrants."
            )
            % figures
        )
    return (
        _(
            "Entrants are counted from %(start)s; active students include those who entered earlier and are still "
            "studying, and exclude entrants who have since graduated or left."
        )
        % figures
    )


def outlook_sentence(
    *, expected: float, low: int, high: int, target: int, deadline: datetime.date, thin: dict[str, int]
) -> str:
    """The cohort-flow projection in words: one figure with its band and the shortfall, or, while a degree
    level's rates rest mostly on the prior, the band alone and why (too little data for one figure)."""
    figures = {
        "expected": f"{round(expected):,}",
        "low": f"{low:,}",
        "high": f"{high:,}",
        "target": f"{target:,}",
        "deadline": deadline.isoformat(),
        "gap": f"{abs(target - round(expected)):,}",
    }
    if thin:
        figures["levels"] = ", ".join(
            _("%(level)s (%(count)s finished)") % {"level": DegreeLevel(level).label, "count": f"{n:,}"}
            for level, n in sorted(thin.items())
        )
        return (
            _(
                "Too little data for one figure: between %(low)s and %(high)s of %(target)s by %(deadline)s "
                "(10th–90th percentile). The rates of %(levels)s rest mostly on the prior."
            )
            % figures
        )
    if round(expected) < target:
        text = _(
            "With the planned intake: %(expected)s of %(target)s by %(deadline)s (10th–90th percentile "
            "%(low)s–%(high)s): %(gap)s short."
        )
    else:
        text = _(
            "With the planned intake: %(expected)s of %(target)s by %(deadline)s (10th–90th percentile "
            "%(low)s–%(high)s): the target is reached."
        )
    return text % figures


def requirement_sentence(
    *, intake_per_year: int | None, from_year: int, to_year: int, target: int, deadline: datetime.date
) -> str:
    """What it takes: the same intake every year from next year that reaches the target at the observed rates."""
    figures = {
        "intake": persons(intake_per_year or 0),
        "from": from_year,
        "to": to_year,
        "target": f"{target:,}",
        "deadline": deadline.isoformat(),
    }
    if intake_per_year is None:
        return (
            _("No intake from %(from)s can graduate by %(deadline)s: the target cannot be reached by new entrants.")
            % figures
        )
    if intake_per_year == 0:
        return _("The students already enrolled reach %(target)s by %(deadline)s without further intake.") % figures
    return (
        _(
            "What it takes: %(intake)s entering each year %(from)s–%(to)s (instead of the plans) to reach "
            "%(target)s by %(deadline)s at the observed rates."
        )
        % figures
    )


def backtest_sentence(*, made_on: str, for_date: str, expected: float, low: int, high: int, actual: int) -> str:
    """The projection made a year ago for today, against what happened."""
    error = round(expected) - actual
    figures = {
        "made_on": made_on,
        "for_date": for_date,
        "expected": f"{round(expected):,}",
        "low": f"{low:,}",
        "high": f"{high:,}",
        "actual": f"{actual:,}",
        "error": f"{error:+,}",
    }
    if low <= actual <= high:
        return (
            _(
                "Back-test: made on %(made_on)s for %(for_date)s, the projection said %(expected)s "
                "(%(low)s–%(high)s); %(actual)s were trained: off by %(error)s, inside the band."
            )
            % figures
        )
    return (
        _(
            "Back-test: made on %(made_on)s for %(for_date)s, the projection said %(expected)s "
            "(%(low)s–%(high)s); %(actual)s were trained: off by %(error)s, outside the band."
        )
        % figures
    )


def scenario_sentence(
    *,
    deadline: datetime.date,
    planned: int,
    planned_band: tuple[int, int],
    scenario: int,
    scenario_band: tuple[int, int],
) -> str:
    """Trained by the deadline with the plans and with a scenario, and the difference."""
    return _(
        "Trained by %(deadline)s: %(planned)s with the plans (%(planned_low)s–%(planned_high)s), %(scenario)s with "
        "this scenario (%(scenario_low)s–%(scenario_high)s): %(moved)s."
    ) % {
        "deadline": deadline.isoformat(),
        "planned": persons(planned),
        "planned_low": f"{planned_band[0]:,}",
        "planned_high": f"{planned_band[1]:,}",
        "scenario": persons(scenario),
        "scenario_low": f"{scenario_band[0]:,}",
        "scenario_high": f"{scenario_band[1]:,}",
        "moved": f"{scenario - planned:+,}",
    }


def unplanned_sentence(*, year: int, schools: list[str]) -> str:
    return ngettext(
        "No plan for %(year)s: %(count)s school (%(names)s), counted as no entrants.",
        "No plan for %(year)s: %(count)s schools (%(names)s), counted as no entrants.",
        len(schools),
    ) % {"year": year, "count": len(schools), "names": ", ".join(schools)}


#: The terms the dashboard shows, each defined once (the page's legend; every figure links to its term).
TERMS = {
    "trained": (
        gettext_lazy("Trained"),
        gettext_lazy(
            "Distinct persons who graduated from a counting programme between the target's start and the date; "
            "a person with two degrees counts once."
        ),
    ),
    "returned": (
        gettext_lazy("Returned"),
        gettext_lazy("Distinct overseas researchers whose return date lies between the target's start and the date."),
    ),
    "entrants": (
        gettext_lazy("Entrants"),
        gettext_lazy(
            "Distinct persons who entered a counting programme since the target's start. A student who entered "
            "earlier is not an entrant, even while still studying."
        ),
    ),
    "active": (
        gettext_lazy("Active"),
        gettext_lazy(
            "Persons enrolled, on leave or coursework complete (수료) in a counting programme on the date, whenever "
            "they entered; each person once."
        ),
    ),
    "projected": (
        gettext_lazy("Projected by the deadline"),
        gettext_lazy(
            "Graduates: the projection with the planned intake (below), its expected value and its 10th–90th "
            "percentile band. Returned researchers: the observed pace continued to the deadline."
        ),
    ),
    "projected_enrolled": (
        gettext_lazy("Projected from enrolled students only (no new intake)"),
        gettext_lazy(
            "Those trained plus the students enrolled now expected to finish by the deadline, times the completion "
            "rate. No new entrant is counted, so it stays below the projection with the planned intake; the "
            "counting rules publish it beside the headline."
        ),
    ),
    "shortfall": (
        gettext_lazy("Shortfall by the deadline"),
        gettext_lazy("The target minus the projection (0 when the projection reaches the target)."),
    ),
    "observed_pace": (
        gettext_lazy("Observed pace"),
        gettext_lazy("Persons gained per month over the last 12 months (or since the start, if more recent)."),
    ),
    "required_pace": (
        gettext_lazy("Required pace"),
        gettext_lazy("Persons still missing, per month left until the deadline."),
    ),
    "band": (
        gettext_lazy("Status band"),
        gettext_lazy(
            "Observed pace ÷ required pace: 95% or more is on track, 60–95% needs acceleration, below 60% is off track."
        ),
    ),
    "completion_rate": (
        gettext_lazy("Completion rate used"),
        gettext_lazy(
            "The share of students who finished (graduated, withdrew or were dismissed) that graduated, drawn "
            "towards a prior while few have finished."
        ),
    ),
    "planned_returns": (
        gettext_lazy("Planned returns by the deadline"),
        gettext_lazy("Researchers whose return is planned after the date and by the deadline."),
    ),
    "outlook": (
        gettext_lazy("Projection with the planned intake"),
        gettext_lazy(
            "Each cohort, enrolled or planned (intake plans, entering on 1 March), is followed to the deadline "
            "with the registry's own rates of graduation, departure and fast track per degree level and their "
            "times (censored for students still studying), drawn towards a prior while few have finished. The "
            "band is the 10th–90th percentile of 10,000 simulated futures (uncertain rates and individual "
            "outcomes); whether plans are filled is not in it."
        ),
    ),
    "what_it_takes": (
        gettext_lazy("What it takes"),
        gettext_lazy(
            "The same intake every year from next year to the deadline's year, in the plans' degree mix, that "
            "brings the projection to the target at the observed rates."
        ),
    ),
    "backtest": (
        gettext_lazy("Back-test"),
        gettext_lazy(
            "The projection made with what was known a year ago, for today, set beside what was trained: its "
            "error shows how far to trust today's."
        ),
    ),
    "breakdown": (
        gettext_lazy("Breakdown"),
        gettext_lazy(
            "Each person is attributed to their first counting enrollment (returned researchers: their current "
            "affiliation in Korea), so the rows add up to the total."
        ),
    ),
}


def terms() -> list[dict[str, str]]:
    """The legend: each term's code (the page's anchor), name and definition, in the active language."""
    return [{"code": code, "term": str(term), "definition": str(text)} for code, (term, text) in TERMS.items()]
