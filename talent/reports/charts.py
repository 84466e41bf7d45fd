"""The trajectory chart as server-side SVG: no JavaScript library, nothing loaded from elsewhere.

Drawn from the trajectory as the API serializes it (talent.reports.api.targets.TrajectorySerializer), so that the
chart shows exactly the API's figures. Every text is escaped.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36


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


def trajectory_svg(trajectory: Mapping[str, Any], *, labels: Mapping[str, str]) -> str:
    """An SVG line chart: achieved per period (solid), the straight path to the target (dashed) and the
    projection to the deadline (dotted). `labels` gives the title and the legend in the page's language."""
    target = trajectory["target"]
    start, deadline = _date(target["start_date"]), _date(target["deadline"])
    span = max((deadline - start).days, 1)
    points = [(_date(p["end"]), float(p["achieved"])) for p in trajectory["points"]]
    straight = [(_date(p["on"]), float(p["value"])) for p in trajectory["straight_path"]]
    projection = [(_date(p["on"]), float(p["value"])) for p in trajectory["projection"]]
    top = _nice_ceiling(max([float(target["value"])] + [v for _, v in points + projection]))

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
            f'<text class="tick" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{int(value):,}</text>'
        )
    for year in range(start.year, deadline.year + 1):
        day = max(datetime.date(year, 1, 1), start)
        parts.append(f'<text class="tick" x="{x(day):.1f}" y="{HEIGHT - 14}" text-anchor="middle">{year}</text>')
    parts += [
        line(straight, "straight"),
        line(projection, "projection"),
        line(points, "achieved"),
    ]
    if points:
        last_day, last_value = points[-1]
        parts.append(f'<circle class="achieved" cx="{x(last_day):.1f}" cy="{y(last_value):.1f}" r="3.5"/>')
    legend = [("achieved", labels["achieved"]), ("straight", labels["straight"]), ("projection", labels["projection"])]
    for i, (css, text) in enumerate(legend):
        left = LEFT + 8 + i * 190
        parts.append(
            f'<line class="{css}" x1="{left}" x2="{left + 22}" y1="{TOP + 8}" y2="{TOP + 8}"/>'
            f'<text class="legend" x="{left + 28}" y="{TOP + 12}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
