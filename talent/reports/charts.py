"""The trajectory chart as server-side SVG: no JavaScript library, nothing loaded from elsewhere.

Drawn from the trajectory as the API serializes it (talent.reports.api.targets.TrajectorySerializer), so that the
chart shows exactly the API's figures. Every text is escaped.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

# Room for axis labels up to 24 units high (the page's style enlarges them on a phone, where the 640-unit chart
# is drawn about 350 px wide). The legend is the page's (HTML that wraps), not the picture's.
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 16, 40


def _date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at or above the value (an axis maximum a person reads easily)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def trajectory_svg(
    trajectory: Mapping[str, Any], *, labels: Mapping[str, str], outlook: Sequence[Mapping[str, Any]] = ()
) -> str:
    """An SVG line chart: achieved per period (solid), the straight path to the target (dashed) and the
    projection to the deadline (dotted); with `outlook` (points {"end", "expected", "low", "high"} from the
    as-of date on), the cohort-flow projection (solid, orange) inside its 10th–90th percentile band (shaded).
    `labels["title"]` names it in the page's language; the page shows the legend and the figures as tables."""
    target = trajectory["target"]
    start, deadline = _date(target["start_date"]), _date(target["deadline"])
    span = max((deadline - start).days, 1)
    points = [(_date(p["end"]), float(p["achieved"])) for p in trajectory["points"]]
    straight = [(_date(p["on"]), float(p["value"])) for p in trajectory["straight_path"]]
    projection = [(_date(p["on"]), float(p["value"])) for p in trajectory["projection"]]
    flow = [(_date(p["end"]), float(p["expected"]), float(p["low"]), float(p["high"])) for p in outlook]
    top = _nice_ceiling(max([float(target["value"])] + [v for _, v in points + projection] + [f[3] for f in flow]))

    def x(day: datetime.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * min(max((day - start).days / span, 0), 1)

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)

    def line(series: Sequence[tuple[datetime.date, float]], css: str) -> str:
        if not series:
            return ""
        coordinates = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in series)
        return f'<polyline class="{css}" fill="none" points="{coordinates}"/>'

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="trajectory" aria-label={quoteattr(labels["title"])}>',
        f"<title>{escape(labels['title'])}</title>",
    ]
    for i in range(5):
        value = top * i / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text class="tick" x="{LEFT - 8}" y="{y(value) + 7:.1f}" text-anchor="end">{int(value):,}</text>'
        )
    for year in range(start.year, deadline.year + 1):
        day = max(datetime.date(year, 1, 1), start)
        parts.append(f'<text class="tick" x="{x(day):.1f}" y="{HEIGHT - 12}" text-anchor="middle">{year}</text>')
    if flow:
        edge = [(d, high) for d, _e, _l, high in flow] + [(d, low) for d, _e, low, _h in reversed(flow)]
        coordinates = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in edge)
        parts.append(f'<polygon class="band-area" points="{coordinates}"/>')
    parts += [
        line([(d, expected) for d, expected, _l, _h in flow], "outlook"),
        line(straight, "straight"),
        line(projection, "projection"),
        line(points, "achieved"),
    ]
    if points:
        last_day, last_value = points[-1]
        parts.append(f'<circle class="achieved" cx="{x(last_day):.1f}" cy="{y(last_value):.1f}" r="3.5"/>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class YearRow:
    """The chart's figures at one year's end (or the deadline): the chart as a table."""

    year: int
    achieved: int | None  # None for years not reached yet
    straight: int
    projection: int | None  # None for years before the as-of date


def _value_on(series: Sequence[tuple[datetime.date, float]], day: datetime.date) -> float | None:
    """A polyline's value on a day (linear between its points); None outside it."""
    for (d0, v0), (d1, v1) in itertools.pairwise(series):
        if d0 <= day <= d1:
            return v0 if d1 == d0 else v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return None


def yearly_rows(trajectory: Mapping[str, Any]) -> list[YearRow]:
    """For each year of the target period, at its end (the deadline for the last): achieved (the last point
    on or before it), the straight path and the projection, rounded to whole persons."""
    target = trajectory["target"]
    start, deadline = _date(target["start_date"]), _date(target["deadline"])
    as_of = _date(trajectory["as_of"])
    points = [(_date(p["end"]), int(p["achieved"])) for p in trajectory["points"]]
    straight = [(_date(p["on"]), float(p["value"])) for p in trajectory["straight_path"]]
    projection = [(_date(p["on"]), float(p["value"])) for p in trajectory["projection"]]
    rows = []
    for year in range(start.year, deadline.year + 1):
        day = min(datetime.date(year, 12, 31), deadline)
        reached = [value for end, value in points if end <= day]
        achieved = reached[-1] if reached and day.year <= as_of.year else None
        straight_value = _value_on(straight, day)
        projected = _value_on(projection, day) if day >= as_of else None
        rows.append(
            YearRow(
                year=year,
                achieved=achieved,
                straight=round(straight_value or 0.0),
                projection=None if projected is None else round(projected),
            )
        )
    return rows
