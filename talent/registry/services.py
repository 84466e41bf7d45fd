"""Every write to the registry. Each service validates, runs in a transaction, records who acted
(pghistory context) and raises DomainErrors with messages a person understands.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pghistory
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.db import database_refusals, validate
from talent.common.errors import Conflict, IllegalTransition, InvalidInput, NotAllowed
from talent.registry import lifecycle, roles
from talent.registry.models import (
    Enrollment,
    EnrollmentEvent,
    ExpertProfile,
    FieldProblem,
    GraduateSchool,
    Membership,
    Organization,
    OverseasPosition,
    Person,
    Programme,
    ResearcherProfile,
)
from talent.registry.vocabulary import (
    DegreeLevel,
    EnrollmentStatus,
    OrganizationKind,
    ProblemStatus,
)

Actor = AbstractBaseUser | None


@contextmanager
def _acting(actor: Actor, action: str) -> Iterator[None]:
    """One transaction whose history rows carry the acting user and what they did."""
    with transaction.atomic(), pghistory.context(user=actor.pk if actor else None, action=action):
        yield


def _assign(instance: Any, fields: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(_("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(instance, name, value)


def _save(instance: Any, *models: type, update_fields: Iterable[str] | None = None) -> None:
    validate(instance)
    with database_refusals(type(instance), *models):
        if update_fields is None:
            instance.save()
        else:
            instance.save(update_fields=[*update_fields, "updated_at"])


# --- Organizations and memberships --------------------------------------------------------------------

ORGANIZATION_FIELDS = ("kind", "name_ko", "name_en", "region", "business_registration_number", "ksic_section")


def organization_create(*, actor: Actor, **fields: Any) -> Organization:
    """Create an organization (operators). A company needs a valid business registration number."""
    organization = Organization()
    if "business_registration_number" in fields:
        fields["business_registration_number"] = fields["business_registration_number"].replace("-", "").strip()
    _assign(organization, fields, ORGANIZATION_FIELDS)
    with _acting(actor, "organization_create"):
        _save(organization)
    return organization


def membership_set(*, actor: Actor, user: AbstractBaseUser, organization: Organization, role: str) -> Membership:
    """Put a login into one organization (replacing any earlier membership)."""
    with _acting(actor, "membership_set"):
        membership = Membership.objects.filter(user=user).first() or Membership(user=user)
        membership.organization = organization
        membership.role = role
        _save(membership)
    return membership


# --- Graduate schools and programmes -----------------------------------------------------------------

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
    _assign(school, fields, SCHOOL_FIELDS)
    companies = list(consortium_companies)
    _check_school(actor, school, companies)
    with _acting(actor, "graduate_school_create"):
        _save(school)
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
    _assign(programme, fields, PROGRAMME_FIELDS)
    if actor is not None and not roles.may_manage_university(actor, programme.school.university):
        raise NotAllowed(_("You may only manage your own university's programmes."))
    with _acting(actor, "programme_create"):
        _save(programme)
    return programme


def programme_set_counting(*, actor: Actor, programme: Programme, counts_toward_target: bool) -> Programme:
    """Decide whether a programme's graduates count toward the AX target (ministry or operator only)."""
    if actor is not None and not roles.may_set_counting(actor):
        raise NotAllowed(_("Only the ministry decides which programmes count toward the target."))
    with _acting(actor, "programme_set_counting"):
        programme.counts_toward_target = counts_toward_target
        _save(programme)
    return programme


# --- Persons ------------------------------------------------------------------------------------------

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


def _normalise_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    for optional_unique in ("orcid", "national_researcher_number"):
        if cleaned.get(optional_unique) == "":
            cleaned[optional_unique] = None
    if cleaned.get("orcid"):
        cleaned["orcid"] = cleaned["orcid"].upper()
    if cleaned.get("email"):
        cleaned["email"] = cleaned["email"].lower()
    return cleaned


def person_create(*, actor: Actor, user: AbstractBaseUser | None = None, **fields: Any) -> Person:
    """Register a person. Anything that looks like a resident registration number is refused."""
    person = Person(user=user)
    _assign(person, _normalise_person_fields(fields), PERSON_FIELDS)
    with _acting(actor, "person_create"):
        _save(person)
    return person


def person_update(*, actor: Actor, person: Person, **fields: Any) -> Person:
    _assign(person, _normalise_person_fields(fields), PERSON_FIELDS)
    with _acting(actor, "person_update"):
        _save(person)
    return person


# --- Enrollments ----------------------------------------------------------------------------------------

ENROLLMENT_FIELDS = (
    "student_number",
    "admission_date",
    "expected_completion",
    "completion_route",
    "advisor",
    "co_advisor",
)


def enrollment_admit(
    *,
    actor: Actor,
    person: Person,
    programme: Programme,
    admitted_on: datetime.date | None = None,
    reason: str = "",
    **fields: Any,
) -> Enrollment:
    """Enrol a person in a programme: the enrollment and its first event (admitted, on `admitted_on`,
    default the admission date). The student number is unique within the university."""
    university = programme.school.university
    if actor is not None and not roles.may_manage_university(actor, university):
        raise NotAllowed(_("You may only enrol students in your own university's programmes."))
    enrollment = Enrollment(person=person, programme=programme, university=university)
    if isinstance(fields.get("student_number"), str):
        fields["student_number"] = fields["student_number"].strip()
    _assign(enrollment, fields, ENROLLMENT_FIELDS)
    effective = admitted_on or enrollment.admission_date
    _check_not_future(effective)
    with _acting(actor, "enrollment_admit"):
        _save(enrollment, EnrollmentEvent)
        _append_event(enrollment, EnrollmentStatus.ADMITTED, None, effective, reason, actor, sequence=1)
    enrollment.refresh_from_db()
    return enrollment


def enrollment_update(*, actor: Actor, enrollment: Enrollment, **fields: Any) -> Enrollment:
    """Correct an enrollment's details. Its status changes only through `enrollment_transition`."""
    if actor is not None and not roles.may_manage_university(actor, enrollment.university):
        raise NotAllowed(_("You may only manage your own university's enrollments."))
    _assign(enrollment, fields, ENROLLMENT_FIELDS)
    with _acting(actor, "enrollment_update"):
        # Never write `status`: it is derived from the events by the database.
        _save(enrollment, update_fields=ENROLLMENT_FIELDS)
    return enrollment


def _check_not_future(effective_date: datetime.date) -> None:
    if effective_date > timezone.localdate():
        raise InvalidInput(
            _("A status change is recorded once it has happened: %(date)s is in the future.")
            % {"date": effective_date.isoformat()},
            field="effective_date",
        )


def _append_event(
    enrollment: Enrollment,
    status: str,
    previous: str | None,
    effective_date: datetime.date,
    reason: str,
    actor: Actor,
    *,
    sequence: int,
) -> EnrollmentEvent:
    event = EnrollmentEvent(
        enrollment=enrollment,
        sequence=sequence,
        status=status,
        previous_status=previous or "",
        effective_date=effective_date,
        reason=reason.strip(),
        actor=actor if actor is not None and actor.pk else None,
    )
    validate(event, exclude=["enrollment"])
    with database_refusals(EnrollmentEvent, Enrollment):
        event.save()
    enrollment.refresh_from_db(fields=["status", "status_since"])  # derived by the database trigger
    return event


def enrollment_transition(
    *,
    actor: Actor,
    enrollment: Enrollment,
    status: str,
    effective_date: datetime.date,
    reason: str = "",
    completion_route: str | None = None,
) -> EnrollmentEvent:
    """Record a status change as a new event (the enrollment's status follows). Illegal transitions,
    future dates and dates before the previous change or the admission are refused."""
    if status not in EnrollmentStatus.values:
        raise InvalidInput(_("Unknown status: %(status)s") % {"status": status}, field="status")
    if status == EnrollmentStatus.PROGRESSED:
        raise InvalidInput(
            _("Fast track to a doctorate is recorded with the fast-track action, which links the new enrollment."),
            field="status",
        )
    with _acting(actor, "enrollment_transition"):
        locked = _lock_for_change(actor, enrollment)
        event = _transition_locked(actor, locked, status, effective_date, reason)
        if completion_route is not None:
            locked.completion_route = completion_route
            _save(locked, update_fields=["completion_route"])
    enrollment.refresh_from_db()
    return event


def _lock_for_change(actor: Actor, enrollment: Enrollment) -> Enrollment:
    locked = Enrollment.objects.select_for_update().select_related("programme").get(pk=enrollment.pk)
    if actor is not None and not roles.may_manage_university(actor, locked.university):
        raise NotAllowed(_("You may only record status changes of your own university's students."))
    return locked


def _transition_locked(
    actor: Actor, enrollment: Enrollment, status: str, effective_date: datetime.date, reason: str
) -> EnrollmentEvent:
    last = enrollment.events.order_by("-effective_date", "-sequence").first()
    current = last.status if last else None
    degree_level = enrollment.programme.degree_level
    if not lifecycle.is_legal(current, status, degree_level=degree_level):
        allowed = ", ".join(
            str(EnrollmentStatus(s).label) for s in lifecycle.legal_next(current, degree_level=degree_level)
        )
        raise IllegalTransition(
            _("An enrollment that is %(current)s cannot become %(new)s. Possible next: %(allowed)s.")
            % {
                "current": EnrollmentStatus(current).label if current else _("not yet admitted"),
                "new": EnrollmentStatus(status).label,
                "allowed": allowed or _("none (this status is final)"),
            },
            field="status",
        )
    _check_not_future(effective_date)
    if last and effective_date < last.effective_date:
        raise InvalidInput(
            _("This change cannot take effect before the previous one (%(date)s).")
            % {"date": last.effective_date.isoformat()},
            field="effective_date",
        )
    declining_admission = current == EnrollmentStatus.ADMITTED and status == EnrollmentStatus.WITHDRAWN
    if effective_date < enrollment.admission_date and not declining_admission:
        raise InvalidInput(
            _("A status change cannot take effect before the admission date (%(date)s).")
            % {"date": enrollment.admission_date.isoformat()},
            field="effective_date",
        )
    sequence = (last.sequence if last else 0) + 1
    return _append_event(enrollment, status, current, effective_date, reason, actor, sequence=sequence)


def enrollment_fast_track(
    *,
    actor: Actor,
    enrollment: Enrollment,
    doctoral_programme: Programme,
    student_number: str,
    effective_date: datetime.date,
    reason: str = "",
) -> Enrollment:
    """Move an enrolled master's student onto the fast track: the MS enrollment becomes `progressed`
    and a linked doctoral enrollment starts (enrolled) on the same date. The person still counts once."""
    if doctoral_programme.degree_level not in (DegreeLevel.PHD, DegreeLevel.INTEGRATED):
        raise InvalidInput(_("The fast track leads into a doctoral programme."), field="doctoral_programme")
    with _acting(actor, "enrollment_fast_track"):
        locked = _lock_for_change(actor, enrollment)
        if doctoral_programme.school.university_id != locked.university_id:
            raise InvalidInput(_("The fast track continues at the same university."), field="doctoral_programme")
        _transition_locked(actor, locked, EnrollmentStatus.PROGRESSED, effective_date, reason)
        doctoral = enrollment_admit(
            actor=actor,
            person=locked.person,
            programme=doctoral_programme,
            student_number=student_number,
            admission_date=effective_date,
            reason=reason,
        )
        _transition_locked(actor, doctoral, EnrollmentStatus.ENROLLED, effective_date, reason)
        locked.progressed_to = doctoral
        with database_refusals(Enrollment):
            locked.save(update_fields=["progressed_to", "updated_at"])
    enrollment.refresh_from_db()
    doctoral.refresh_from_db()
    return doctoral


# --- Returning researchers and experts ------------------------------------------------------------------

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
    profile = ResearcherProfile.objects.filter(person=person).first() or ResearcherProfile(person=person)
    _assign(profile, fields, RESEARCHER_FIELDS)
    with _acting(actor, "researcher_profile_save"):
        _save(profile)
    return profile


POSITION_FIELDS = ("country", "institution", "title", "start_date", "end_date")


def overseas_position_add(*, actor: Actor, profile: ResearcherProfile, **fields: Any) -> OverseasPosition:
    position = OverseasPosition(profile=profile)
    _assign(position, fields, POSITION_FIELDS)
    with _acting(actor, "overseas_position_add"):
        _save(position)
    return position


EXPERT_FIELDS = ("skills", "summary_ko", "summary_en", "ksic_sections", "regions", "remote_ok", "capacity", "available")


def _clean_skills(skills: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for skill in skills:
        text = " ".join(str(skill).split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())


def expert_profile_save(*, actor: Actor, person: Person, **fields: Any) -> ExpertProfile:
    """Create or update what a person offers companies. Consent is set separately (`expert_consent_set`)."""
    profile = ExpertProfile.objects.filter(person=person).first() or ExpertProfile(person=person)
    if "skills" in fields:
        fields["skills"] = _clean_skills(fields["skills"])
    for many in ("ksic_sections", "regions"):
        if many in fields:
            fields[many] = sorted(set(fields[many]))
    _assign(profile, fields, EXPERT_FIELDS)
    with _acting(actor, "expert_profile_save"):
        _save(profile)
    return profile


def expert_consent_set(
    *, actor: Actor, profile: ExpertProfile, consent_to_matching: bool, shared_fields: Iterable[str] = ()
) -> ExpertProfile:
    """Grant or withdraw consent to matching, and choose what companies may see. Withdrawing clears
    the shared fields."""
    profile.consent_to_matching = consent_to_matching
    profile.shared_fields = sorted(set(shared_fields)) if consent_to_matching else []
    profile.consent_updated_at = timezone.now()
    with _acting(actor, "expert_consent_set"):
        _save(profile)
    return profile


# --- Field problems -------------------------------------------------------------------------------------

PROBLEM_FIELDS = ("title", "description", "ksic_section", "skills_wanted", "region", "remote", "experts_wanted")


def field_problem_create(*, actor: Actor, organization: Organization, **fields: Any) -> FieldProblem:
    """A company drafts a field problem; it is matched once opened."""
    if organization.kind != OrganizationKind.COMPANY:
        raise InvalidInput(_("Field problems are posted by companies."), field="organization")
    if actor is not None and not roles.may_manage_company(actor, organization):
        raise NotAllowed(_("You may only post field problems for your own company."))
    problem = FieldProblem(organization=organization, created_by=actor if actor and actor.pk else None)
    if "skills_wanted" in fields:
        fields["skills_wanted"] = _clean_skills(fields["skills_wanted"])
    _assign(problem, fields, PROBLEM_FIELDS)
    with _acting(actor, "field_problem_create"):
        _save(problem)
    return problem


def field_problem_update(*, actor: Actor, problem: FieldProblem, **fields: Any) -> FieldProblem:
    if actor is not None and not roles.may_manage_company(actor, problem.organization):
        raise NotAllowed(_("You may only edit your own company's field problems."))
    if problem.status == ProblemStatus.CLOSED:
        raise Conflict(_("A closed field problem can no longer be edited."))
    if "skills_wanted" in fields:
        fields["skills_wanted"] = _clean_skills(fields["skills_wanted"])
    _assign(problem, fields, PROBLEM_FIELDS)
    with _acting(actor, "field_problem_update"):
        _save(problem)
    return problem


def field_problem_open(*, actor: Actor, problem: FieldProblem) -> FieldProblem:
    """Open a draft problem to matching."""
    return _problem_status(actor, problem, ProblemStatus.OPEN, allowed_from={ProblemStatus.DRAFT})


def field_problem_close(*, actor: Actor, problem: FieldProblem) -> FieldProblem:
    return _problem_status(actor, problem, ProblemStatus.CLOSED, allowed_from={ProblemStatus.DRAFT, ProblemStatus.OPEN})


def _problem_status(actor: Actor, problem: FieldProblem, status: str, *, allowed_from: set[str]) -> FieldProblem:
    if actor is not None and not roles.may_manage_company(actor, problem.organization):
        raise NotAllowed(_("You may only manage your own company's field problems."))
    with _acting(actor, f"field_problem_{status}"):
        locked = FieldProblem.objects.select_for_update().get(pk=problem.pk)
        if locked.status not in allowed_from:
            raise IllegalTransition(
                _("A field problem that is %(current)s cannot become %(new)s.")
                % {"current": ProblemStatus(locked.status).label, "new": ProblemStatus(status).label},
                field="status",
            )
        locked.status = status
        now = timezone.now()
        if status == ProblemStatus.OPEN:
            locked.opened_at = now
        else:
            locked.closed_at = now
        _save(locked)
    problem.refresh_from_db()
    return problem
