"""The demo plan's records: plain frozen values, one per row to write, cross-referenced by key (never by
database id), so that the same seed gives equal plans and a plan can be compared without a database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class OrganizationPlan:
    key: str
    kind: str
    name_ko: str
    name_en: str
    region: str
    mail_domain: str
    domain: str = ""  # a company's convergence field (texts.Domain code)
    business_registration_number: str = ""
    ksic_section: str = ""


@dataclass(frozen=True, slots=True)
class SchoolPlan:
    key: str
    university: str
    name_ko: str
    name_en: str
    track: str
    selection_year: int
    support_start: datetime.date
    support_end: datetime.date
    convergence_fields: tuple[str, ...]
    companies: tuple[str, ...]
    student_count: int  # planned new students, before dropping those admitted after today


@dataclass(frozen=True, slots=True)
class ProgrammePlan:
    key: str
    school: str
    name_ko: str
    name_en: str
    degree_level: str
    normal_duration_months: int
    counts_toward_target: bool


@dataclass(frozen=True, slots=True)
class PersonPlan:
    key: str
    family_name_ko: str
    given_name_ko: str
    family_name_latin: str
    given_name_latin: str
    birth_date: datetime.date
    gender: str
    nationality: str
    email: str
    orcid: str | None
    national_researcher_number: str | None
    login: str | None = None  # username of the demo login that is this person


class Event(NamedTuple):
    status: str
    effective_date: datetime.date
    reason: str


@dataclass(frozen=True, slots=True)
class EnrollmentPlan:
    programme: str
    university: str
    student_number: str
    admission_date: datetime.date
    expected_completion: datetime.date
    completion_route: str
    advisor: str | None
    co_advisor: str | None
    events: tuple[Event, ...]  # sequence 1..n, legal, dates non-decreasing, none after today
    progressed_to: int | None = None  # index of the linked doctoral enrollment in StudentPlan.enrollments


@dataclass(frozen=True, slots=True)
class StudentPlan:
    person: PersonPlan
    enrollments: tuple[EnrollmentPlan, ...]


@dataclass(frozen=True, slots=True)
class PositionPlan:
    country: str
    institution: str
    title: str
    start_date: datetime.date
    end_date: datetime.date | None


@dataclass(frozen=True, slots=True)
class ResearcherPlan:
    person: str
    phd_field: str
    phd_subject: str
    phd_year: int
    phd_country: str
    return_date: datetime.date
    return_planned: bool
    return_programme: str
    korean_affiliation: str | None
    positions: tuple[PositionPlan, ...]


@dataclass(frozen=True, slots=True)
class ExpertPlan:
    person: str
    skills: tuple[str, ...]
    summary_ko: str
    summary_en: str
    ksic_sections: tuple[str, ...]
    regions: tuple[str, ...]
    remote_ok: bool
    capacity: int
    available: bool
    consent_to_matching: bool
    shared_fields: tuple[str, ...]
    consent_updated_at: datetime.datetime | None


@dataclass(frozen=True, slots=True)
class ProblemPlan:
    organization: str
    title: str
    description: str
    ksic_section: str
    skills_wanted: tuple[str, ...]
    region: str
    remote: bool
    experts_wanted: int
    status: str
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    created_by: str | None  # demo login username


@dataclass(frozen=True, slots=True)
class LoginPlan:
    username: str
    is_superuser: bool = False  # the operator: Django staff and superuser
    organization: str | None = None
    membership_role: str = ""
    person: str | None = None


@dataclass(frozen=True, slots=True)
class AppointmentPlan:
    """A university appoints a person (its faculty, or a consortium company's engineer) to advise its students."""

    university: str
    person: str
    role: str


@dataclass(frozen=True)
class IntakePlanPlan:
    """A school's planned intake (모집 정원) for a year still to enter, one degree level."""

    school: str
    year: int
    degree_level: str
    intake: int
    approved: bool  # by the ministry; else proposed by the school


@dataclass(frozen=True)
class World:
    """Everything but the students, who are streamed (a million of them do not fit comfortably in memory)."""

    organizations: tuple[OrganizationPlan, ...]
    schools: tuple[SchoolPlan, ...]
    programmes: tuple[ProgrammePlan, ...]
    persons: tuple[PersonPlan, ...]  # faculty, company co-advisors, returning researchers
    appointments: tuple[AppointmentPlan, ...]  # every advisor and co-advisor a student may be given
    researchers: tuple[ResearcherPlan, ...]
    experts: tuple[ExpertPlan, ...]
    problems: tuple[ProblemPlan, ...]
    logins: tuple[LoginPlan, ...]
    intake_plans: tuple[IntakePlanPlan, ...] = ()

    @property
    def student_count(self) -> int:
        return sum(school.student_count for school in self.schools)
