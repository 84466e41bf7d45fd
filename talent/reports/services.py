"""Every write of the reports app: revising a target (a new version from a date) and freezing a snapshot; and
the recomputation of a snapshot, which compares its frozen figures with today's computation of the same report.

A target version is also the counting rules' version: a change of which programmes count (a registry service)
adds the next version of AX-TRAINED from its date (`counting_rules_changed`, below), so a report as of a date
uses the version and the programmes in force then, and stays what it was when the rules change later.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.db import database_refusals, validate
from talent.common.errors import InvalidInput, NotAllowed
from talent.registry import counting_rules
from talent.reports import figures, scope, selectors
from talent.reports.models import AX_TRAINED, ReportSnapshot, Target

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def target_revise(
    *,
    actor: User,
    code: str,
    value: int | None = None,
    start_date: datetime.date | None = None,
    deadline: datetime.date | None = None,
    prior_completion_rate: Decimal | None = None,
    prior_weight: int | None = None,
    effective_from: datetime.date | None = None,
    note: str = "",
) -> Target:
    """Add the next version of a target, in force from `effective_from` (default today; not in the past, nor
    before the newest version's date): unchanged fields are copied from the newest version. Ministry and
    operators only; earlier versions, the reports as of earlier dates and their snapshots stay as they were."""
    if not scope.may_manage_reports(user=actor):
        raise NotAllowed(_("Only the ministry (or an operator) may revise a target."))
    return _target_add_version(
        actor=actor,
        code=code,
        effective_from=effective_from,
        note=note,
        value=value,
        start_date=start_date,
        deadline=deadline,
        prior_completion_rate=prior_completion_rate,
        prior_weight=prior_weight,
    )


def _target_add_version(
    *, actor: User | None, code: str, effective_from: datetime.date | None, note: str, **changes: Any
) -> Target:
    today = timezone.localdate()
    day = effective_from or today
    if day < today:
        raise InvalidInput(
            _("A new version takes effect today or later: reports for past dates stay as they were published."),
            field="effective_from",
        )
    with transaction.atomic():
        newest = Target.objects.select_for_update().filter(code=code).order_by("-version").first()
        newest = newest or selectors.target_current(code=code)  # unknown code: its clear refusal
        if day < newest.effective_from:
            raise InvalidInput(
                _("Version %(version)s of %(code)s takes effect on %(date)s: a new version takes effect on that "
                  "date or later.")
                % {"version": newest.version, "code": code, "date": newest.effective_from.isoformat()},
                field="effective_from",
            )  # fmt: skip
        copied = ("value", "start_date", "deadline", "prior_completion_rate", "prior_weight")
        fields = {name: getattr(newest, name) if changes.get(name) is None else changes[name] for name in copied}
        revised = Target(
            code=newest.code,
            version=newest.version + 1,
            name_ko=newest.name_ko,
            name_en=newest.name_en,
            basis=newest.basis,
            effective_from=day,
            counting_rules_through=counting_rules.newest_rule_id() or 0,
            note=note.strip(),
            created_by=actor if actor is not None and actor.pk else None,
            **fields,
        )
        validate(revised)
        with database_refusals(Target):
            revised.save()
    return revised


def counting_rules_changed(*, actor: User | None, effective_from: datetime.date, note: str, **_signal: Any) -> None:
    """Receiver of talent.registry.signals.counting_rules_changed: which programmes count changed from a date,
    so AX-TRAINED gets its next version from that date (a refusal undoes the change). Without the target
    (a database not seeded), there is no version to add."""
    if Target.objects.filter(code=AX_TRAINED).exists():
        _target_add_version(
            actor=actor,
            code=AX_TRAINED,
            effective_from=effective_from,
            note=note or _("Which programmes count changed."),
        )


def snapshot_freeze(*, actor: User, code: str, as_of: datetime.date | None = None, note: str = "") -> ReportSnapshot:
    """Freeze the national report of the target version in force on a date (default today): its figures,
    the code version and a checksum. Ministry and operators only."""
    if not scope.may_manage_reports(user=actor):
        raise NotAllowed(_("Only the ministry (or an operator) may freeze a report."))
    day = scope.checked_as_of(as_of)
    target = selectors.target_current(code=code, on=day)
    frozen = figures.report_figures(target=target, as_of=day)
    snapshot = ReportSnapshot(
        target=target,
        as_of=day,
        code_version=figures.code_version(),
        figures=frozen,
        checksum=figures.checksum(frozen),
        note=note.strip(),
        created_by=actor if actor.pk else None,
    )
    validate(snapshot)  # the note is a person's text: bounded, and never a resident registration number
    with transaction.atomic(), database_refusals(ReportSnapshot):
        snapshot.save()
    return snapshot


@dataclass(frozen=True)
class Recomputation:
    snapshot: ReportSnapshot
    recomputed_at: datetime.datetime
    code_version: str
    target_version: int  # the version recomputed under: the snapshot's own unless another was asked for
    checksum_valid: bool  # the stored figures still match their checksum
    changes: list[figures.Change]
    programmes_no_longer_counting: dict[str, str]
    programmes_now_counting: dict[str, str]
    corrections: list[selectors.Correction]  # why records changed since it was frozen (the newest)
    corrections_total: int

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def snapshot_recompute(*, snapshot: ReportSnapshot, version: int | None = None) -> Recomputation:
    """Compute the snapshot's report again (same date, under the same target version unless another is asked
    for) and list every figure that differs from the frozen one, with the programmes whose counting differs
    and the corrections to the records since it was frozen, with their reasons. Writes nothing."""
    target = (
        snapshot.target if version is None else selectors.target_current(code=snapshot.target.code, version=version)
    )
    now = figures.report_figures(target=target, as_of=snapshot.as_of)
    frozen: dict[str, Any] = snapshot.figures
    was = frozen.get("basis", {}).get("counting_programmes", {})
    is_now = now["basis"]["counting_programmes"]
    corrections, corrections_total = selectors.snapshot_corrections(snapshot=snapshot, target=target)
    return Recomputation(
        snapshot=snapshot,
        recomputed_at=timezone.now(),
        code_version=figures.code_version(),
        target_version=target.version,
        checksum_valid=figures.checksum(frozen) == snapshot.checksum,
        changes=[
            change
            for change in figures.differences(frozen, now)
            if not change.figure.startswith("basis.counting_programmes.")
        ],
        programmes_no_longer_counting={pk: name for pk, name in was.items() if pk not in is_now},
        programmes_now_counting={pk: name for pk, name in is_now.items() if pk not in was},
        corrections=corrections,
        corrections_total=corrections_total,
    )
