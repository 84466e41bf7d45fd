"""Organizations, memberships, AX graduate schools and programmes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from talent.common.errors import InvalidInput, NotAllowed
from talent.registry import roles
from talent.registry.models import (
    GraduateSchool,
    Membership,
    Organization,
    Programme,
)
from talent.registry.services._base import Actor, acting, assign, save
from talent.registry.vocabulary import (
    OrganizationKind,
)

ORGANIZATION_FIELDS = ("kind", "name_ko", "name_en", "region", "business_registration_number", "ksic_section")


def organization_create(*, actor: Actor, **fields: Any) -> Organization:
    """Create an organization (operators). A company needs a valid business registration number."""
    organization = Organization()
    if "business_registration_number" in fields:
        fields["business_registration_number"] = fields["business_registration_number"].replace("-", "").strip()
    assign(organization, fields, ORGANIZATION_FIELDS)
    with acting(actor, "organization_create"):
        save(organization)
    return organization


def membership_set(*, actor: Actor, user: User, organization: Organization, role: str) -> Membership:
    """Put a login into one organization (replacing any earlier membership)."""
    with acting(actor, "membership_set"):
        membership = Membership.objects.filter(user=user).first() or Membership(user=user)
        membership.organization = organization
        membership.role = role
        save(membership)
    return membership


SCHOOL_FIELDS = (
    "university",
    "name_ko",
    "name_en",
    "track",
    "selection_year",
    "support_start",
    "support_end",
    "convergence_fields",
)


def graduate_school_create(
    *, actor: Actor, consortium_companies: Iterable[Organization] = (), **fields: Any
) -> GraduateSchool:
    """Create an AX graduate school of a university with its one or two consortium companies."""
    school = GraduateSchool()
    assign(school, fields, SCHOOL_FIELDS)
    companies = list(consortium_companies)
    _check_school(actor, school, companies)
    with acting(actor, "graduate_school_create"):
        save(school)
        school.consortium_companies.set(companies)
    return school


def _check_school(actor: Actor, school: GraduateSchool, companies: list[Organization]) -> None:
    if school.university_id and school.university.kind != OrganizationKind.UNIVERSITY:
        raise InvalidInput(_("A graduate school belongs to a university."), field="university")
    if school.university_id and actor is not None and not roles.may_manage_university(actor, school.university):
        raise NotAllowed(_("You may only manage your own university's graduate schools."))
    if len(companies) > 2:
        raise InvalidInput(_("A consortium has one or two companies."), field="consortium_companies")
    if any(c.kind != OrganizationKind.COMPANY for c in companies):
        raise InvalidInput(_("Consortium members must be companies."), field="consortium_companies")


PROGRAMME_FIELDS = ("school", "name_ko", "name_en", "degree_level", "normal_duration_months")


def programme_create(*, actor: Actor, **fields: Any) -> Programme:
    """Create a programme of a graduate school. Whether it counts toward the target is the ministry's call."""
    programme = Programme()
    assign(programme, fields, PROGRAMME_FIELDS)
    if actor is not None and not roles.may_manage_university(actor, programme.school.university):
        raise NotAllowed(_("You may only manage your own university's programmes."))
    with acting(actor, "programme_create"):
        save(programme)
    return programme


def programme_set_counting(*, actor: Actor, programme: Programme, counts_toward_target: bool) -> Programme:
    """Decide whether a programme's graduates count toward the AX target (ministry or operator only)."""
    if actor is not None and not roles.may_set_counting(actor):
        raise NotAllowed(_("Only the ministry decides which programmes count toward the target."))
    with acting(actor, "programme_set_counting"):
        programme.counts_toward_target = counts_toward_target
        save(programme)
    return programme
