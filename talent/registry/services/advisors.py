"""Advisor appointments: whom a university names as its students' advisors (its faculty) and co-advisors (companies'
engineers). An enrollment names only a person appointed at its university in that role (`check_advisors`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from talent.common.errors import InvalidInput, NotAllowed
from talent.registry import roles
from talent.registry.models import AdvisorAppointment, Enrollment, Organization, Person
from talent.registry.services._base import Actor, acting, save
from talent.registry.services.people import PersonFields, person_create
from talent.registry.vocabulary import AdvisorRole, OrganizationKind

#: The role each advisor field of an enrollment needs, with the refusal when the person is not appointed in it.
ADVISOR_FIELDS = {
    "advisor": AdvisorRole.ADVISOR,
    "co_advisor": AdvisorRole.CO_ADVISOR,
}


def advisor_appoint(
    *,
    actor: Actor,
    university: Organization,
    role: str,
    person: Person | None = None,
    new_person: PersonFields | None = None,
) -> AdvisorAppointment:
    """Appoint a person to advise (role `advisor`) or co-advise (`co_advisor`) the university's students: a person
    already in the registry, or a new one (`new_person`, created in the same transaction). The university's own
    staff, or an operator."""
    if university.kind != OrganizationKind.UNIVERSITY:
        raise InvalidInput(_("Advisors are appointed by a university."), field="university")
    if actor is not None and not roles.may_manage_university(actor, university):
        raise NotAllowed(_("You may only appoint advisors at your own university."))
    if (person is None) == (new_person is None):
        raise InvalidInput(_("Give either the new person's details or an existing person (one of the two)."))
    with acting(actor, "advisor_appoint"):
        if new_person is not None:
            person = person_create(actor=actor, **new_person)
        appointment = AdvisorAppointment(university=university, person=person, role=role)
        save(appointment)
    return appointment


def check_advisors(enrollment: Enrollment) -> None:
    """The advisor and co-advisor an enrollment names are appointed at its university in those roles: one rule
    for the API, the pages, the admin and the roster alike."""
    errors: dict[str, list[str]] = {}
    for field, role in ADVISOR_FIELDS.items():
        person_id = getattr(enrollment, f"{field}_id")
        if person_id is None:
            continue
        appointed = AdvisorAppointment.objects.filter(
            university_id=enrollment.university_id, person_id=person_id, role=role
        ).exists()
        if not appointed:
            errors[field] = [
                _("Name one of the university advisors appointed at this university.")
                if role == AdvisorRole.ADVISOR
                else _("Name one of the company co-advisors appointed at this university.")
            ]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
