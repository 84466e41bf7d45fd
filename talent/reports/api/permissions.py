"""Who may call the reports API: the rules of talent.reports.scope, as DRF permissions."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from talent.reports import scope


class MayReadReports(BasePermission):
    """Reports and statistics: the ministry, operators and university staff."""

    message = scope.READERS_ONLY

    def has_permission(self, request: Request, view: Any) -> bool:
        return scope.may_read_reports(user=request.user)


class MayManageReports(BasePermission):
    """Revising targets and freezing snapshots: the ministry and operators."""

    message = scope.MANAGERS_ONLY

    def has_permission(self, request: Request, view: Any) -> bool:
        return scope.may_manage_reports(user=request.user)


class ReadOrManage(BasePermission):
    """Reading for every report reader; writing for the ministry and operators."""

    message = scope.MANAGERS_ONLY

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return MayReadReports().has_permission(request, view)
        return MayManageReports().has_permission(request, view)
