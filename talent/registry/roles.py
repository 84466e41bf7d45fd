"""Who a user is in the product: derived from their membership (organization kind) or their person record.

One place for the question "what kind of user is this?"; selectors and services ask it here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from talent.registry.vocabulary import OrganizationKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from talent.registry.models import Organization

    User = AbstractBaseUser | AnonymousUser


def is_operator(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_staff", False))


def organization_of(user: User) -> Organization | None:
    if not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.organization if membership else None


def _kind_of(user: User) -> str | None:
    organization = organization_of(user)
    return organization.kind if organization else None


def is_ministry(user: User) -> bool:
    return _kind_of(user) == OrganizationKind.MINISTRY


def university_of(user: User) -> Organization | None:
    organization = organization_of(user)
    return organization if organization and organization.kind == OrganizationKind.UNIVERSITY else None


def company_of(user: User) -> Organization | None:
    organization = organization_of(user)
    return organization if organization and organization.kind == OrganizationKind.COMPANY else None


def may_manage_university(user: User, university: Organization) -> bool:
    """University staff manage their own university's schools, programmes and enrollments; operators all."""
    return is_operator(user) or (university_of(user) is not None and university_of(user) == university)


def may_manage_company(user: User, company: Organization) -> bool:
    return is_operator(user) or (company_of(user) is not None and company_of(user) == company)


def may_set_counting(user: User) -> bool:
    """Whether a programme counts toward the target is the ministry's decision (or an operator's)."""
    return is_operator(user) or is_ministry(user)
