"""Every read of the target reports, with the caller's permissions applied (talent.reports.scope):

- the ministry and operators: the whole country, exact figures, targets' versions and snapshots;
- university staff: the same reports restricted to the persons attributed to their university (their first
  counting enrollment is there; returned researchers: their current affiliation). The pace against the
  national target and its band are national figures and are not computed for one university;
- everyone else: refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.common.metrics import timed_report
from talent.registry import counting_rules
from talent.registry.models import EnrollmentEvent, EnrollmentEventVoid
from talent.reports import arithmetic, counting
from talent.reports.models import SEEDED_TARGETS, ReportSnapshot, Target, TargetBasis
from talent.reports.scope import ReportScope, checked_as_of, may_manage_reports, scope_for

if TYPE_CHECKING:
    from talent.registry.roles import User

STEPS = ("month", "year")
ACTIVE_STATUSES = ("enrolled", "on_leave", "coursework_complete")
#: The columns of a breakdown table, per counting basis (each adds up over the rows to the total).
HEADCOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    TargetBasis.TRAINED: ("achieved", "entrants", *ACTIVE_STATUSES, "active", "expected_to_finish"),
    TargetBasis.RETURNED: ("achieved", "planned"),
}
DIMENSIONS: dict[str, dict[str, counting.Dimension]] = {
    TargetBasis.TRAINED: counting.TRAINED_DIMENSIONS,
    TargetBasis.RETURNED: counting.RETURNED_DIMENSIONS,
}


# --- Targets --------------------------------------------------------------------------------------------


def target_list(*, on: datetime.date | None = None) -> list[Target]:
    """The version in force of each target on a date (default today), in code order: one query."""
    day = on or timezone.localdate()
    in_force: dict[str, Target] = {}
    for target in Target.objects.order_by("code", "version"):
        if target.code not in in_force or target.effective_from <= day:
            in_force[target.code] = target
    return list(in_force.values())


class TargetMissing(Conflict):
    """A seeded target (AX-TRAINED, OVERSEAS-RETURNED) has no version in this registry (its rows were removed, as
    a test's flush does): the pages built on it say so (talent.reports.target_missing), the API answers 409."""

    default_code = "target_missing"

    def __init__(self, code: str) -> None:
        super().__init__(
            _(
                "The target “%(code)s” is not defined in this registry, so there is nothing to plan or project "
                "against. An operator adds it again in the admin (Reports › Targets); no other data is lost."
            )
            % {"code": code},
            field="target",
        )
        self.target_code = code


def target_current(*, code: str, on: datetime.date | None = None, version: int | None = None) -> Target:
    """The version asked for, or the one in force on a date (default today): the newest whose `effective_from`
    is on or before it; before the first one's date, the first. Refused: a code no target has (400, the caller's
    mistake), a seeded target that is missing (409 `TargetMissing`)."""
    versions = Target.objects.filter(code=code)
    if version is not None:
        target = versions.filter(version=version).first()
        if target is None and versions.exists():
            raise InvalidInput(
                _("The target %(code)s has no version %(version)s.") % {"code": code, "version": version},
                field="version",
            )
    else:
        day = on or timezone.localdate()
        target = (
            versions.filter(effective_from__lte=day).order_by("-version").first()
            or versions.order_by("version").first()
        )
    if target is None:
        if code in SEEDED_TARGETS:
            raise TargetMissing(code)
        known = ", ".join(t.code for t in target_list())
        raise InvalidInput(
            _("Unknown target “%(code)s”; use one of: %(known)s.") % {"code": code, "known": known}, field="target"
        )
    return target


def target_rule_changes(*, code: str) -> list[Target]:
    """The versions that changed a target's rules (every one after the first), by the date they took effect."""
    return list(Target.objects.filter(code=code).order_by("version")[1:])


def target_versions(*, user: User, code: str) -> QuerySet[Target]:
    scope_for(user=user)
    target_current(code=code)
    return Target.objects.filter(code=code).select_related("created_by").order_by("-version")


# --- The report of one target ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    window_start: datetime.date
    window_months: float
    gained: int
    observed: float | None  # persons per month over the window
    required: float | None  # persons per month still needed (national reports only)
    ratio: float | None


@dataclass(frozen=True)
class CompletionRate:
    graduations: int
    endings: int
    observed: float | None
    prior: float
    prior_weight: int
    used: float


@dataclass(frozen=True)
class TargetReport:
    target: Target
    as_of: datetime.date
    scope: str
    national: bool
    achieved: int
    share_of_target: float
    months_left: float
    projected: int
    shortfall: int  # target − projected (0 when the projection reaches the target)
    pace: Pace
    band: str | None  # None for a university's own report (bands compare with the national target)
    entrants: int | None = None
    active: dict[str, int] | None = None
    expected_to_finish: int | None = None
    completion_rate: CompletionRate | None = None
    planned_returns: int | None = None


def period_of(target: Target, as_of: datetime.date) -> counting.Period:
    """The counting period; the observed pace counts what was gained after `counted_until` (the window's
    start, or the day before the target's start when the window reaches back to it). The programmes that
    count are those of the target version: counting under the rules in force from its date (every change of
    them adds a version from its date, so for the version in force on `as_of` these are the rules then)."""
    window_start = arithmetic.pace_window_start(start=target.start_date, as_of=as_of)
    counted_until = window_start if window_start > target.start_date else target.start_date - datetime.timedelta(1)
    return counting.Period(
        start=target.start_date,
        as_of=as_of,
        deadline=target.deadline,
        counted_until=counted_until,
        rules_on=target.effective_from,
        rules_through=target.counting_rules_through,
    )


def target_reports(*, user: User, as_of: datetime.date | None = None) -> list[TargetReport]:
    """Every target's report on the date (default today), each under its version in force then: one query for
    the targets, one per target."""
    scope = scope_for(user=user)
    day = checked_as_of(as_of)
    return [target_report(scope=scope, target=target, as_of=day) for target in target_list(on=day)]


@timed_report("target_report")
def target_report(*, scope: ReportScope, target: Target, as_of: datetime.date) -> TargetReport:
    period = period_of(target, as_of)
    counts = _counts(target, scope, period, by=None).total
    months_left = arithmetic.months_between(as_of, target.deadline)
    window_start = arithmetic.pace_window_start(start=target.start_date, as_of=as_of)
    window_months = arithmetic.months_between(window_start, as_of)
    gained = counts["achieved"] - counts["achieved_at_window_start"]
    observed = arithmetic.observed_pace(gained=gained, window_months=window_months)
    required = (
        arithmetic.required_pace(target=target.value, achieved=counts["achieved"], months_left=months_left)
        if scope.national
        else None
    )
    extra: dict[str, Any] = {}
    if target.basis == TargetBasis.TRAINED:
        rate = _completion_rate(target, counts)
        projected = arithmetic.projected_trained(
            achieved=counts["achieved"], expected_to_finish=counts["expected_to_finish"], rate=rate.used
        )
        active = {status: counts[status] for status in ACTIVE_STATUSES}
        extra = {
            "entrants": counts["entrants"],
            "active": {**active, "total": sum(active.values())},
            "expected_to_finish": counts["expected_to_finish"],
            "completion_rate": rate,
        }
    else:
        projected = arithmetic.projected_linear(achieved=counts["achieved"], pace=observed, months_left=months_left)
        extra = {"planned_returns": counts["planned"]}
    band = (
        arithmetic.status_band(
            started=target.started_by(as_of),
            achieved=counts["achieved"],
            target=target.value,
            observed=observed,
            required=required,
        ).value
        if scope.national
        else None
    )
    return TargetReport(
        target=target,
        as_of=as_of,
        scope=scope.label,
        national=scope.national,
        achieved=counts["achieved"],
        share_of_target=round(counts["achieved"] / target.value, 4),
        months_left=round(months_left, 2),
        projected=projected,
        shortfall=max(target.value - projected, 0),
        pace=Pace(
            window_start=window_start,
            window_months=round(window_months, 2),
            gained=gained,
            observed=_rounded(observed),
            required=_rounded(required),
            ratio=_rounded(arithmetic.pace_ratio(observed=observed, required=required)),
        ),
        band=band,
        **extra,
    )


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _completion_rate(target: Target, counts: dict[str, int]) -> CompletionRate:
    prior = float(target.prior_completion_rate)
    used = arithmetic.completion_rate(
        graduated=counts["graduations"], finished=counts["endings"], prior_rate=prior, prior_weight=target.prior_weight
    )
    observed = counts["graduations"] / counts["endings"] if counts["endings"] else None
    return CompletionRate(
        graduations=counts["graduations"],
        endings=counts["endings"],
        observed=_rounded(observed, 4),
        prior=prior,
        prior_weight=target.prior_weight,
        used=round(used, 4),
    )


def _counts(target: Target, scope: ReportScope, period: counting.Period, by: str | None) -> counting.Counts:
    if target.basis == TargetBasis.TRAINED:
        return counting.trained_counts(scope=scope.counting, period=period, by=by)
    return counting.returned_counts(scope=scope.counting, period=period, by=by)


# --- Breakdowns -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadcountRow:
    key: str
    label: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Headcount:
    target: Target
    as_of: datetime.date
    scope: str
    by: str
    columns: tuple[str, ...]
    rows: list[HeadcountRow] = field(default_factory=list)
    total: dict[str, int] = field(default_factory=dict)


def dimensions_of(target: Target) -> tuple[str, ...]:
    return tuple(DIMENSIONS[target.basis])


def headcount(
    *, user: User, code: str, by: str, as_of: datetime.date | None = None, version: int | None = None
) -> Headcount:
    """A target's figures broken down `by` one dimension: each person in exactly one row, so every column
    adds up to the total; under the version in force on the date unless another is asked for. One query for
    the target, one for the table."""
    scope = scope_for(user=user)
    day = checked_as_of(as_of)
    target = target_current(code=code, on=day, version=version)
    return headcount_of(scope=scope, target=target, by=by, as_of=day)


@timed_report("headcount")
def headcount_of(*, scope: ReportScope, target: Target, by: str, as_of: datetime.date) -> Headcount:
    allowed = dimensions_of(target)
    if by not in allowed:
        raise InvalidInput(
            _("The target %(code)s cannot be broken down by “%(by)s”; use one of: %(allowed)s.")
            % {"code": target.code, "by": by, "allowed": ", ".join(allowed)},
            field="by",
        )
    counts = _counts(target, scope, period_of(target, as_of), by=by)
    columns = HEADCOUNT_COLUMNS[target.basis]
    return Headcount(
        target=target,
        as_of=as_of,
        scope=scope.label,
        by=by,
        columns=columns,
        rows=[HeadcountRow(key=row.key, label=row.label, counts=_columns(row.counts, columns)) for row in counts.rows],
        total=_columns(counts.total, columns),
    )


def _columns(counts: dict[str, int], columns: tuple[str, ...]) -> dict[str, int]:
    with_active = {**counts, "active": sum(counts.get(status, 0) for status in ACTIVE_STATUSES)}
    return {column: with_active[column] for column in columns}


# --- Trajectory -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrajectoryPoint:
    period: datetime.date  # first day of the month or year
    end: datetime.date  # its last day, or the as-of date for the current one
    gained: int
    achieved: int  # cumulative: the report's `achieved` on `end`


@dataclass(frozen=True)
class PathPoint:
    on: datetime.date
    value: float


@dataclass(frozen=True)
class Trajectory:
    target: Target
    as_of: datetime.date
    scope: str
    step: str
    points: list[TrajectoryPoint]
    straight_path: list[PathPoint]  # from 0 at the start to the target at the deadline
    projection: list[PathPoint]  # from today's count to the projected count at the deadline


def trajectory(
    *, user: User, code: str, as_of: datetime.date | None = None, step: str = "month", version: int | None = None
) -> Trajectory:
    scope = scope_for(user=user)
    day = checked_as_of(as_of)
    target = target_current(code=code, on=day, version=version)
    return trajectory_of(scope=scope, target=target, as_of=day, step=step)


@timed_report("trajectory")
def trajectory_of(
    *, scope: ReportScope, target: Target, as_of: datetime.date, step: str, report: TargetReport | None = None
) -> Trajectory:
    """Achieved per month (or year) from the start to the date, the straight path and the projection."""
    if step not in STEPS:
        raise InvalidInput(_("The step is “month” or “year”."), field="step")
    period = period_of(target, as_of)
    series_of = counting.trained_trajectory if target.basis == TargetBasis.TRAINED else counting.returned_trajectory
    series = series_of(scope=scope.counting, period=period, step=step)
    points = [
        TrajectoryPoint(period=start, end=min(_period_end(start, step), as_of), gained=gained, achieved=cumulative)
        for start, gained, cumulative in series
    ]
    report = report or target_report(scope=scope, target=target, as_of=as_of)
    straight = [PathPoint(target.start_date, 0.0), PathPoint(target.deadline, float(target.value))]
    projection = [PathPoint(as_of, float(report.achieved)), PathPoint(target.deadline, float(report.projected))]
    return Trajectory(
        target=target,
        as_of=as_of,
        scope=scope.label,
        step=step,
        points=points,
        straight_path=straight,
        projection=projection,
    )


def _period_end(start: datetime.date, step: str) -> datetime.date:
    if step == "year":
        return datetime.date(start.year, 12, 31)
    following = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - datetime.timedelta(1)


# --- Snapshots ------------------------------------------------------------------------------------------


def snapshot_list(*, user: User) -> QuerySet[ReportSnapshot]:
    if not may_manage_reports(user=user):
        raise NotAllowed(_("Only the ministry (or an operator) may see report snapshots."))
    return ReportSnapshot.objects.select_related("target", "created_by").order_by("-created_at", "-id")


def snapshot_get_for_user(*, user: User, pk: int) -> ReportSnapshot:
    return get_object_or_404(snapshot_list(user=user), pk=pk)


@dataclass(frozen=True)
class Correction:
    """A change to the records a snapshot was computed from, made after it was frozen: an event voided (its
    correction's reason) or an event recorded late, dated on or before the snapshot's date (its own reason).
    Which student is not said: the ministry reads no personal data."""

    kind: str  # "voided" or "recorded_late"
    status: str
    effective_date: datetime.date
    university: str
    reason: str
    recorded_at: datetime.datetime


#: How many corrections a recomputation lists (the newest); `corrections_total` counts them all.
CORRECTIONS_SHOWN = 200


def snapshot_corrections(*, snapshot: ReportSnapshot, target: Target) -> tuple[list[Correction], int]:
    """Why a snapshot's figures may differ now: the corrections since it was frozen to the events of the
    programmes counting under `target`'s rules, dated on or before its date (the newest first, at most
    CORRECTIONS_SHOWN), and how many there are. None for a target that does not count enrollments."""
    if target.basis != TargetBasis.TRAINED:
        return [], 0
    counting_ids = counting_rules.counting_programme_ids(
        on=target.effective_from, recorded_through=target.counting_rules_through
    )
    events = EnrollmentEvent.objects.filter(
        effective_date__lte=snapshot.as_of, enrollment__programme_id__in=counting_ids
    ).select_related("enrollment__university")
    voids = EnrollmentEventVoid.objects.filter(
        recorded_at__gt=snapshot.created_at, event__in=events.values("pk")
    ).select_related("event__enrollment__university")
    late = events.filter(recorded_at__gt=snapshot.created_at)
    found = [
        Correction("voided", v.event.status, v.event.effective_date, str(v.event.enrollment.university), v.reason,
                   v.recorded_at)
        for v in voids.order_by("-recorded_at")[:CORRECTIONS_SHOWN]
    ] + [
        Correction("recorded_late", e.status, e.effective_date, str(e.enrollment.university), e.reason, e.recorded_at)
        for e in late.order_by("-recorded_at")[:CORRECTIONS_SHOWN]
    ]  # fmt: skip
    found.sort(key=lambda c: c.recorded_at, reverse=True)
    return found[:CORRECTIONS_SHOWN], voids.count() + late.count()
