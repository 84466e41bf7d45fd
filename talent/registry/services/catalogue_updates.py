"""Corrections to a university's catalogue: its AX graduate schools and their programmes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Unpack

from django.utils.translation import gettext as _

from talent.common.errors import NotAllowed
from talent.registry import roles
from talent.registry.models import GraduateSchool, Organization, Programme
from talent.registry.services._base import Actor, acting, assign, save
from talent.registry.services.organizations import (
    ProgrammeDetails,
    SchoolDetails,
    _check_school,
    programme_set_counting,
)

# The university (of a school) and the school (of a programme) are fixed once created.
SCHOOL_EDITABLE_FIELDS = tuple(SchoolDetails.__annotations__)
PROGRAMME_EDITABLE_FIELDS = tuple(ProgrammeDetails.__annotations__)


def graduate_school_update(
    *,
    actor: Actor,
    school: GraduateSchool,
    consortium_companies: Iterable[Organization] | None = None,
    **fields: Unpack[SchoolDetails],
) -> GraduateSchool:
    """Correct a graduate school's details (its own university's staff, or an operator); `consortium_companies`,
    when given, replaces the consortium."""
    assign(school, dict(fields), SCHOOL_EDITABLE_FIELDS)
    companies = list(consortium_companies) if consortium_companies is not None else None
    _check_school(actor, school, companies if companies is not None else [])
    with acting(actor, "graduate_school_update"):
        save(school, update_fields=SCHOOL_EDITABLE_FIELDS)
        if companies is not None:
            school.consortium_companies.set(companies)
    return school


def programme_update(
    *,
    actor: Actor,
    programme: Programme,
    counts_toward_target: bool | None = None,
    counting_from: datetime.date | None = None,
    counting_note: str = "",
    **fields: Unpack[ProgrammeDetails],
) -> Programme:
    """Correct a programme's details (its university's staff, or an operator). `counts_toward_target`, when
    given and changed (or given from a date), is the ministry's decision from `counting_from`
    (`programme_set_counting`), in the same transaction."""
    if fields and actor is not None and not roles.may_manage_university(actor, programme.school.university):
        raise NotAllowed(_("You may only manage your own university's programmes."))
    assign(programme, dict(fields), PROGRAMME_EDITABLE_FIELDS)
    with acting(actor, "programme_update"):
        if fields:
            save(programme, update_fields=PROGRAMME_EDITABLE_FIELDS)
        if counts_toward_target is not None and (
            counts_toward_target != programme.counts_toward_target or counting_from is not None
        ):
            programme_set_counting(
                actor=actor,
                programme=programme,
                counts_toward_target=counts_toward_target,
                effective_from=counting_from,
                note=counting_note,
            )
    return programme
