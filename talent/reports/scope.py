"""What a report covers, for every report, table and statistic of this app (API, dashboard, exports alike).

- whose figures: the ministry and operators read the whole country; university staff read their own
  university's; everyone else reads no report at all (refused, never an empty report);
- who may change them: revising targets and freezing snapshots is for the ministry and operators;
- which date: today by default, or a past date; a date in the future is refused (nothing has happened yet,
  and no status change is ever recorded ahead of its date).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.common.errors import InvalidInput, NotAllowed
from talent.common.presentation import bilingual_name
from talent.registry import roles
from talent.registry.models import Organization
from talent.reports import counting

if TYPE_CHECKING:
    from talent.registry.roles import User

#: Why a user who may read no report is refused (the API, the dashboard and the selectors say the same).
READERS_ONLY = gettext_lazy("Only the ministry, university staff or an operator may see the reports.")
MANAGERS_ONLY = gettext_lazy("Only the ministry (or an operator) may do this.")


@dataclass(frozen=True)
class ReportScope:
    """The whole country, or one university."""

    university: Organization | None = None

    @property
    def counting(self) -> counting.Scope:
        return counting.Scope(university_id=self.university.pk if self.university else None)

    @property
    def national(self) -> bool:
        return self.university is None

    @property
    def label(self) -> str:
        if self.university is None:
            return _("National")
        return bilingual_name(self.university.name_ko, self.university.name_en)


def may_read_reports(*, user: User) -> bool:
    """Reports and statistics: the ministry, operators and university staff; not companies or researchers."""
    return roles.is_operator(user) or roles.is_ministry(user) or roles.university_of(user) is not None


def may_manage_reports(*, user: User) -> bool:
    """Revising targets and freezing snapshots: the ministry and operators."""
    return roles.is_operator(user) or roles.is_ministry(user)


def scope_for(*, user: User) -> ReportScope:
    """The figures `user` may read, or NotAllowed."""
    if roles.is_operator(user) or roles.is_ministry(user):
        return ReportScope()
    university = roles.university_of(user)
    if university is None:
        raise NotAllowed(READERS_ONLY)
    return ReportScope(university=university)


def checked_as_of(as_of: datetime.date | None) -> datetime.date:
    """The date a report is as of: today by default; a date in the future is refused."""
    today = timezone.localdate()
    if as_of is None:
        return today
    if as_of > today:
        raise InvalidInput(
            _("A report is as of today or a past date: %(date)s is in the future.") % {"date": as_of.isoformat()},
            field="as_of",
        )
    return as_of
