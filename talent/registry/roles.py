"""Who a user is in the product: derived from their membership (organization kind) or their person record.

One place for the question "what kind of user is this?"; selectors and services ask it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from talent.registry.models import Person
from talent.registry.vocabulary import OrganizationKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as Account

    from talent.registry.models import Organization

    User = Account | AnonymousUser


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


def has_person_record(user: User) -> bool:
    """Researchers and students who claimed their record: a login with a person record of its own."""
    return bool(user.is_authenticated and Person.objects.filter(user_id=user.pk).exists())


# --- Who may use a role's pages and endpoints at all (which rows they reach is the selectors' job) ----------


@dataclass(frozen=True)
class Gate:
    """A rule for using a role's pages and endpoints: the API's permission classes and the web pages' decorators
    both ask it, and both refuse with its message."""

    allows: Callable[[User], bool]
    refusal: str | Promise

    def __call__(self, user: User) -> bool:
        return self.allows(user)


UNIVERSITY_STAFF = Gate(
    lambda user: is_operator(user) or university_of(user) is not None,
    _("Only staff of a university (or an operator) may do this."),
)
COMPANY_MEMBER = Gate(
    lambda user: is_operator(user) or company_of(user) is not None,
    _("Only members of a company (or an operator) may do this."),
)
MINISTRY = Gate(
    lambda user: is_operator(user) or is_ministry(user),
    _("Only the ministry (or an operator) may see this."),
)
OPERATOR = Gate(is_operator, _("Only an operator may do this."))
PERSON_RECORD = Gate(
    has_person_record,
    _("This login has no personal record: register as a researcher or claim your student record first."),
)
