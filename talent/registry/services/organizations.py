"""Organizations, memberships, AX graduate schools and programmes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypedDict, Unpack

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


class OrganizationFields(TypedDict, total=False):
    kind: str
    name_ko: str
    name_en: str
    region: str
    business_registration_number: str
    ksic_section: str


ORGANIZATION_FIELDS = tuple(OrganizationFields.__annotations__)


def organization_create(*, actor: Actor, **fields: Unpack[OrganizationFields]) -> Organization:
    """Create an organization (operators). A company needs a valid business registration number."""
    organization = Organization()
    values: dict[str, Any] = dict(fields)
    if "business_registration_number" in values:
        values["business_registration_number"] = values["business_registration_number"].replace("-", "").strip()
    assign(organization, values, ORGANIZATION_FIELDS)
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


class SchoolDetails(TypedDict, total=False):
    """A graduate school's details that its university corrects (`graduate_school_update`)."""

    name_ko: str
    name_en: str
    track: str
    selection_year: int
    support_start: datetime.date
    support_end: datetime.date
    convergence_fields: list[str]


class SchoolFields(SchoolDetails, total=False):
    """A new graduate school: its university (fixed once created) and its details."""

    university: Organization


SCHOOL_FIELDS = ("university", *SchoolDetails.__annotations__)


def graduate_school_create(
    *, actor: Actor, consortium_companies: Iterable[Organization] = (), **fields: Unpack[SchoolFields]
) -> GraduateSchool:
    """Create an AX graduate school of a university with its one or two consortium companies."""
    school = GraduateSchool()
    assign(school, dict(fields), SCHOOL_FIELDS)
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


class ProgrammeDetails(TypedDict, total=False):
    """A programme's details that its university corrects (`programme_update`)."""

    name_ko: str
    name_en: str
    degree_level: str
    normal_duration_months: int


class ProgrammeFields(ProgrammeDetails, total=False):
    """A new programme: its graduate school (fixed once created) and its details."""

    school: GraduateSchool


PROGRAMME_FIELDS = ("school", *ProgrammeDetails.__annotations__)


def programme_create(*, actor: Actor, **fields: Unpack[ProgrammeFields]) -> Programme:
    """Create a programme of a graduate school. Whether it counts toward the target is the ministry's call."""
    programme = Programme()
    assign(programme, dict(fields), PROGRAMME_FIELDS)
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
