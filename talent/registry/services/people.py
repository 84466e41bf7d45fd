"""Persons, returning researchers' profiles and overseas positions, expert profiles and consent."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, Unpack

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.common.errors import Conflict, NotAllowed
from talent.registry import roles, signals
from talent.registry.models import (
    ExpertProfile,
    Organization,
    OverseasPosition,
    Person,
    ResearcherProfile,
)
from talent.registry.services._base import Actor, acting, assign, clean_skills, save
from talent.registry.services.problems import announce_text_saved


class SelfDescribedFields(TypedDict, total=False):
    """What a person tells about themselves (sign-up asks these; the email there is the login's)."""

    family_name_ko: str
    given_name_ko: str
    family_name_latin: str
    given_name_latin: str
    birth_date: datetime.date | None
    gender: str
    nationality: str


class PersonFields(SelfDescribedFields, total=False):
    """A person's own fields, as the services take them (any subset)."""

    email: str
    orcid: str | None
    national_researcher_number: str | None


PERSON_FIELDS = tuple(PersonFields.__annotations__)
logger = logging.getLogger(__name__)


def normalise_person_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Person fields as stored: trimmed, ORCID upper-case, email lower-case, empty unique identifiers as NULL."""
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    for optional_unique in ("orcid", "national_researcher_number"):
        if cleaned.get(optional_unique) == "":
            cleaned[optional_unique] = None
    if cleaned.get("orcid"):
        cleaned["orcid"] = cleaned["orcid"].upper()
    if cleaned.get("email"):
        cleaned["email"] = cleaned["email"].lower()
    return cleaned


def announce_persons_saved(ids: Iterable[int]) -> None:
    """Once the transaction commits, send `signals.persons_saved` for persons created or changed (identity looks
    for their probable duplicates). The save never depends on it: a failing receiver is logged with the ids only."""
    saved = sorted(set(ids))
    if not saved:
        return

    def announce() -> None:
        for receiver, outcome in signals.persons_saved.send_robust(sender=Person, ids=saved):
            if isinstance(outcome, Exception):
                name = f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', '?')}"
                logger.warning("%s persons saved, but %s failed (%s)", len(saved), name, type(outcome).__name__)

    transaction.on_commit(announce)


def person_create(*, actor: Actor, user: User | None = None, **fields: Unpack[PersonFields]) -> Person:
    """Register a person. Anything that looks like a resident registration number is refused."""
    person = Person(user=user)
    assign(person, normalise_person_fields(fields), PERSON_FIELDS)
    with acting(actor, "person_create"):
        save(person)
        announce_persons_saved([person.pk])
    return person


def _check_may_edit(actor: Actor, person: Person, *, enrolling_university: bool = False) -> None:
    """A person's record is edited by that person, an operator or the system (no actor); with
    `enrolling_university`, also by the staff of a university where the person is enrolled."""
    if actor is None or roles.is_operator(actor) or (person.user_id is not None and person.user_id == actor.pk):
        return
    university = roles.university_of(actor) if enrolling_university else None
    if university is not None and person.enrollments.filter(university=university).exists():
        return
    raise NotAllowed(_("You may only change your own record."))


def person_update(*, actor: Actor, person: Person, **fields: Unpack[PersonFields]) -> Person:
    """Change a person's own fields: the person, an operator, or a university that enrols them."""
    _check_may_edit(actor, person, enrolling_university=True)
    assign(person, normalise_person_fields(fields), PERSON_FIELDS)
    with acting(actor, "person_update"):
        save(person)
        announce_persons_saved([person.pk])
    return person


class ResearcherFields(TypedDict, total=False):
    phd_field: str
    phd_subject: str
    phd_year: int | None
    phd_country: str
    return_date: datetime.date | None
    return_planned: bool
    return_programme: str
    korean_affiliation: Organization | None


RESEARCHER_FIELDS = tuple(ResearcherFields.__annotations__)


def researcher_profile_save(*, actor: Actor, person: Person, **fields: Unpack[ResearcherFields]) -> ResearcherProfile:
    """Create or update a person's returning-researcher profile."""
    _check_may_edit(actor, person)
    profile = ResearcherProfile.objects.filter(person=person).first() or ResearcherProfile(person=person)
    assign(profile, fields, RESEARCHER_FIELDS)
    with acting(actor, "researcher_profile_save"):
        save(profile)
    return profile


class PositionFields(TypedDict, total=False):
    country: str
    institution: str
    title: str
    start_date: datetime.date
    end_date: datetime.date | None


POSITION_FIELDS = tuple(PositionFields.__annotations__)
#: Overseas positions belong to a returning-researcher profile: the API and the pages say so in these words.
SAVE_PROFILE_FIRST = gettext_lazy("Save your returning-researcher profile first, then add its overseas positions.")


def overseas_position_add(*, actor: Actor, person: Person, **fields: Unpack[PositionFields]) -> OverseasPosition:
    """Add an overseas position to the person's returning-researcher profile (Conflict without one)."""
    profile = ResearcherProfile.objects.filter(person=person).first()
    if profile is None:
        raise Conflict(SAVE_PROFILE_FIRST, code="no_researcher_profile")
    _check_may_edit(actor, person)
    position = OverseasPosition(profile=profile)
    assign(position, fields, POSITION_FIELDS)
    with acting(actor, "overseas_position_add"):
        save(position)
    return position


class ExpertFields(TypedDict, total=False):
    skills: Iterable[str]
    summary_ko: str
    summary_en: str
    ksic_sections: Iterable[str]
    regions: Iterable[str]
    remote_ok: bool
    capacity: int
    available: bool


EXPERT_FIELDS = tuple(ExpertFields.__annotations__)


def expert_profile_save(*, actor: Actor, person: Person, **fields: Unpack[ExpertFields]) -> ExpertProfile:
    """Create or update what a person offers companies. Consent is set separately (`expert_consent_set`)."""
    _check_may_edit(actor, person)
    profile = ExpertProfile.objects.filter(person=person).first() or ExpertProfile(person=person)
    values: dict[str, Any] = dict(fields)
    if "skills" in values:
        values["skills"] = clean_skills(values["skills"])
    for many in ("ksic_sections", "regions"):
        if many in values:
            values[many] = sorted(set(values[many]))
    assign(profile, values, EXPERT_FIELDS)
    with acting(actor, "expert_profile_save"):
        save(profile)
        announce_text_saved("expert_profile", profile.pk)
    return profile


def expert_consent_set(
    *, actor: Actor, profile: ExpertProfile, consent_to_matching: bool, shared_fields: Iterable[str] = ()
) -> ExpertProfile:
    """Grant or withdraw consent to matching, and choose what companies may see. Withdrawing clears
    the shared fields. Only the expert (or an operator) decides."""
    _check_may_edit(actor, profile.person)
    profile.consent_to_matching = consent_to_matching
    profile.shared_fields = sorted(set(shared_fields)) if consent_to_matching else []
    profile.consent_updated_at = timezone.now()
    with acting(actor, "expert_consent_set"):
        save(profile)
    return profile


def overseas_position_update(
    *, actor: Actor, position: OverseasPosition, **fields: Unpack[PositionFields]
) -> OverseasPosition:
    """Correct one's own overseas position; a position may not end before it starts, nor be in Korea."""
    _check_position_owner(actor, position)
    assign(position, fields, POSITION_FIELDS)
    with acting(actor, "overseas_position_update"):
        save(position)
    return position


def overseas_position_delete(*, actor: Actor, position: OverseasPosition) -> None:
    _check_position_owner(actor, position)
    with acting(actor, "overseas_position_delete"):
        position.delete()


def _check_position_owner(actor: Actor, position: OverseasPosition) -> None:
    if actor is None or roles.is_operator(actor):
        return
    if position.profile.person.user_id != actor.pk:
        raise NotAllowed(_("You may only change your own overseas positions."))
