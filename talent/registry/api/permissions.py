"""Which kinds of user may use an endpoint at all: the role gates of `talent.registry.roles`, as DRF permission
classes (the web pages ask the same gates). Which rows they see is the selectors' job."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from talent.registry import roles


class GatePermission(BasePermission):
    gate: roles.Gate
    message: str | Promise  # DRF's refusal text for has_permission (its stubs do not declare it)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.message = cls.gate.refusal

    def has_permission(self, request: Request, view: Any) -> bool:
        return self.gate(request.user)


class IsUniversityStaff(GatePermission):
    gate = roles.UNIVERSITY_STAFF


class IsCompanyMember(GatePermission):
    gate = roles.COMPANY_MEMBER


class IsOperator(GatePermission):
    gate = roles.OPERATOR


class HasPersonRecord(GatePermission):
    """Researchers and students who claimed their record: their own data only."""

    gate = roles.PERSON_RECORD


class IsUniversityStaffOrMinistryReading(BasePermission):
    """University staff manage their own catalogue; the ministry may read every school and programme."""

    message = _("Only university staff, the ministry or an operator may see this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if roles.UNIVERSITY_STAFF(request.user):
            return True
        return roles.is_ministry(request.user) and request.method in ("GET", "HEAD", "OPTIONS")
