"""Persons, returning researchers' profiles and overseas positions, expert profiles and consent."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import NotAllowed
from talent.registry import roles
from talent.registry.models import (
    ExpertProfile,
    OverseasPosition,
    Person,
    ResearcherProfile,
)
from talent.registry.services._base import Actor, acting, assign, clean_skills, save
from talent.registry.services.problems import announce_text_saved

PERSON_FIELDS = (
    "family_name_ko",
    "given_name_ko",
    "family_name_latin",
    "given_name_latin",
    "birth_date",
    "gender",
    "nationality",
    "email",
    "orcid",
    "national_researcher_number",
)


def normalise_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
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


def person_create(*, actor: Actor, user: User | None = None, **fields: Any) -> Person:
    """Register a person. Anything that looks like a resident registration number is refused."""
    person = Person(user=user)
    assign(person, normalise_person_fields(fields), PERSON_FIELDS)
    with acting(actor, "person_create"):
        save(person)
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


def person_update(*, actor: Actor, person: Person, **fields: Any) -> Person:
    """Change a person's own fields: the person, an operator, or a university that enrols them."""
    _check_may_edit(actor, person, enrolling_university=True)
    assign(person, normalise_person_fields(fields), PERSON_FIELDS)
    with acting(actor, "person_update"):
        save(person)
    return person


RESEARCHER_FIELDS = (
    "phd_field",
    "phd_subject",
    "phd_year",
    "phd_country",
    "return_date",
    "return_planned",
    "return_programme",
    "korean_affiliation",
)


def researcher_profile_save(*, actor: Actor, person: Person, **fields: Any) -> ResearcherProfile:
    """Create or update a person's returning-researcher profile."""
    _check_may_edit(actor, person)
    profile = ResearcherProfile.objects.filter(person=person).first() or ResearcherProfile(person=person)
    assign(profile, fields, RESEARCHER_FIELDS)
    with acting(actor, "researcher_profile_save"):
        save(profile)
    return profile


POSITION_FIELDS = ("country", "institution", "title", "start_date", "end_date")


def overseas_position_add(*, actor: Actor, profile: ResearcherProfile, **fields: Any) -> OverseasPosition:
    _check_may_edit(actor, profile.person)
    position = OverseasPosition(profile=profile)
    assign(position, fields, POSITION_FIELDS)
    with acting(actor, "overseas_position_add"):
        save(position)
    return position


EXPERT_FIELDS = ("skills", "summary_ko", "summary_en", "ksic_sections", "regions", "remote_ok", "capacity", "available")


def expert_profile_save(*, actor: Actor, person: Person, **fields: Any) -> ExpertProfile:
    """Create or update what a person offers companies. Consent is set separately (`expert_consent_set`)."""
    _check_may_edit(actor, person)
    profile = ExpertProfile.objects.filter(person=person).first() or ExpertProfile(person=person)
    if "skills" in fields:
        fields["skills"] = clean_skills(fields["skills"])
    for many in ("ksic_sections", "regions"):
        if many in fields:
            fields[many] = sorted(set(fields[many]))
    assign(profile, fields, EXPERT_FIELDS)
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


def overseas_position_update(*, actor: Actor, position: OverseasPosition, **fields: Any) -> OverseasPosition:
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
