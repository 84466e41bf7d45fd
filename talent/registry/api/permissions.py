"""Which kinds of user may use an endpoint at all. Which rows they see is the selectors' job."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from talent.registry import roles, selectors


class IsUniversityStaff(BasePermission):
    message = _("Only staff of a university (or an operator) may do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return roles.is_operator(request.user) or roles.university_of(request.user) is not None


class IsUniversityStaffOrMinistryReading(BasePermission):
    """University staff manage their own catalogue; the ministry may read every school and programme."""

    message = _("Only university staff, the ministry or an operator may see this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if roles.is_operator(user) or roles.university_of(user) is not None:
            return True
        return roles.is_ministry(user) and request.method in ("GET", "HEAD", "OPTIONS")


class IsCompanyMember(BasePermission):
    message = _("Only members of a company (or an operator) may do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return roles.is_operator(request.user) or roles.company_of(request.user) is not None


class IsMinistryOrOperator(BasePermission):
    message = _("Only the ministry (or an operator) may see this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return roles.is_operator(request.user) or roles.is_ministry(request.user)


class HasPersonRecord(BasePermission):
    """Researchers and students who claimed their record: their own data only."""

    message = _("This login has no personal record: register as a researcher or claim your student record first.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return selectors.own_person(user=request.user) is not None
