"""A report as plain figures (JSON), their checksum, and what changed between two sets of figures.

The figures of a snapshot are the national report of one target version on one date, every breakdown of it
and its monthly trajectory, plus the basis they were counted on (the counting rules' version and which
programmes counted). Rows are keyed by code or id, never by a label, so that a comparison does not depend
on the language the figures were computed in.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from talent.reports import counting, outlook, selectors
from talent.reports.models import Target, TargetBasis
from talent.reports.scope import ReportScope


def plain(value: Any) -> Any:
    """Dataclasses, dates, decimals and targets as JSON values (a target as its code and version)."""
    if isinstance(value, Target):
        return {"code": value.code, "version": value.version}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def report_figures(*, target: Target, as_of: datetime.date) -> dict[str, Any]:
    """Every figure of a target's national report on a date (as frozen in a snapshot)."""
    scope = ReportScope()
    report = selectors.target_report(scope=scope, target=target, as_of=as_of)
    breakdowns = {}
    for by in selectors.dimensions_of(target):
        table = selectors.headcount_of(scope=scope, target=target, by=by, as_of=as_of)
        breakdowns[by] = {
            "rows": {row.key: row.counts for row in table.rows},
            "total": table.total,
        }
    path = selectors.trajectory_of(scope=scope, target=target, as_of=as_of, step="month", report=report)
    report_plain = plain(report)
    report_plain.pop("scope")  # a label in the reader's language
    projected = (
        {"outlook": outlook_figures(target=target, as_of=as_of, achieved=report.achieved)}
        if target.basis == TargetBasis.TRAINED
        else {}
    )
    return projected | {
        "target": plain(target) | {"value": target.value, "deadline": target.deadline.isoformat()},
        "as_of": as_of.isoformat(),
        "report": report_plain,
        "breakdowns": breakdowns,
        "trajectory": {p.period.strftime("%Y-%m"): p.achieved for p in path.points},
        "basis": {
            "rules_version": counting.RULES_VERSION,
            "counting_programmes": (
                {
                    str(p["id"]): p["name_ko"]
                    for p in counting.counting_programmes(
                        on=target.effective_from, recorded_through=target.counting_rules_through
                    )
                }
                if target.basis == TargetBasis.TRAINED
                else {}
            ),
        },
    }


def outlook_figures(*, target: Target, as_of: datetime.date, achieved: int) -> dict[str, Any]:
    """The projection with the plans in force, its band, what it takes, the back-test and the rates it used
    (talent.reports.outlook), as plain figures; schools without a plan by id, not by name."""
    value = outlook.outlook_of(scope=ReportScope(), target=target, as_of=as_of, achieved=achieved)
    return {
        "projection": plain(value.projection),
        "requirement": plain(value.requirement),
        "backtest": plain(value.backtest),
        "confident": value.confident,
        "thin": value.thin,
        "planned_by_year": plain(value.planned_by_year),
        "mix": value.mix,
        "rates": {level: dict(zip(("graduate", "fast_track", "leave"), rates.shares, strict=True))
                  for level, rates in value.rates.items()},
    }  # fmt: skip


def checksum(figures: dict[str, Any]) -> str:
    """SHA-256 of the figures' canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclasses.dataclass(frozen=True)
class Change:
    figure: str  # a path such as "report.achieved" or "breakdowns.university.rows.12.achieved"
    frozen: Any
    now: Any


def differences(frozen: Any, now: Any, path: str = "") -> list[Change]:
    """Every leaf that differs between two figure trees (missing on one side: None there), in path order."""
    if isinstance(frozen, dict) and isinstance(now, dict):
        changes: list[Change] = []
        for key in sorted(set(frozen) | set(now), key=str):
            changes += differences(frozen.get(key), now.get(key), f"{path}.{key}" if path else str(key))
        return changes
    if isinstance(frozen, dict) or isinstance(now, dict):
        return differences(frozen if isinstance(frozen, dict) else {}, now if isinstance(now, dict) else {}, path)
    return [] if frozen == now else [Change(path, frozen, now)]


@cache
def code_version() -> str:
    """The counting rules' version and the code's commit (CODE_VERSION, else read from the git checkout)."""
    commit = os.environ.get("CODE_VERSION", "") or _git_commit(Path(settings.BASE_DIR) / ".git") or "unknown"
    return f"rules {counting.RULES_VERSION}; code {commit[:12]}"


def _git_commit(git_dir: Path) -> str:
    try:
        head = (git_dir / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (git_dir / ref).exists():
            return (git_dir / ref).read_text().strip()
        for line in (git_dir / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split(" ")[0]
    except OSError:
        return ""
    return ""
