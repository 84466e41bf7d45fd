"""Every write of the reports app: revising a target (a new version) and freezing a snapshot; and the
recomputation of a snapshot, which compares its frozen figures with today's computation of the same report.

Which programmes count is read at computation time (see talent.reports.counting): when the ministry stops
counting a programme, recomputed reports drop its graduates for every date, while frozen snapshots keep the
figures they were published with; recomputing such a snapshot names the programme beside the changed figures.
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
from talent.common.errors import NotAllowed
from talent.reports import figures, scope, selectors
from talent.reports.models import ReportSnapshot, Target

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
    note: str = "",
) -> Target:
    """Add the next version of a target: unchanged fields are copied from the version in force. Ministry
    and operators only; earlier versions and their snapshots stay as they were."""
    if not scope.may_manage_reports(user=actor):
        raise NotAllowed(_("Only the ministry (or an operator) may revise a target."))
    with transaction.atomic():
        current = Target.objects.select_for_update().filter(code=code).order_by("-version").first()
        current = current or selectors.target_current(code=code)  # unknown code: its clear refusal
        revised = Target(
            code=current.code,
            version=current.version + 1,
            name_ko=current.name_ko,
            name_en=current.name_en,
            basis=current.basis,
            value=current.value if value is None else value,
            start_date=start_date or current.start_date,
            deadline=deadline or current.deadline,
            prior_completion_rate=(
                current.prior_completion_rate if prior_completion_rate is None else prior_completion_rate
            ),
            prior_weight=current.prior_weight if prior_weight is None else prior_weight,
            note=note.strip(),
            created_by=actor if actor.pk else None,
        )
        validate(revised)
        with database_refusals(Target):
            revised.save()
    return revised


def snapshot_freeze(*, actor: User, code: str, as_of: datetime.date | None = None, note: str = "") -> ReportSnapshot:
    """Freeze the national report of the target version in force on a date (default today): its figures,
    the code version and a checksum. Ministry and operators only."""
    if not scope.may_manage_reports(user=actor):
        raise NotAllowed(_("Only the ministry (or an operator) may freeze a report."))
    day = scope.checked_as_of(as_of)
    target = selectors.target_current(code=code)
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
    checksum_valid: bool  # the stored figures still match their checksum
    changes: list[figures.Change]
    programmes_no_longer_counting: dict[str, str]
    programmes_now_counting: dict[str, str]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def snapshot_recompute(*, snapshot: ReportSnapshot) -> Recomputation:
    """Compute the snapshot's report again (same target version, same date) and list every figure that
    differs from the frozen one, with the programmes whose counting changed since. Writes nothing."""
    now = figures.report_figures(target=snapshot.target, as_of=snapshot.as_of)
    frozen: dict[str, Any] = snapshot.figures
    was = frozen.get("basis", {}).get("counting_programmes", {})
    is_now = now["basis"]["counting_programmes"]
    return Recomputation(
        snapshot=snapshot,
        recomputed_at=timezone.now(),
        code_version=figures.code_version(),
        checksum_valid=figures.checksum(frozen) == snapshot.checksum,
        changes=[
            change
            for change in figures.differences(frozen, now)
            if not change.figure.startswith("basis.counting_programmes.")
        ],
        programmes_no_longer_counting={pk: name for pk, name in was.items() if pk not in is_now},
        programmes_now_counting={pk: name for pk, name in is_now.items() if pk not in was},
    )
