"""Stores a demo plan: bulk inserts in batches, all in one transaction, with no query per row.

Persons, enrollments and their events (a million or more each at --scale 1000) are loaded with COPY,
PostgreSQL's bulk load, with their ids reserved from the sequences first; the other tables use
bulk_create. COPY runs the same constraints and triggers as INSERT, and Django 5.2's bulk_create would
spend most of its time serialising each column as an array literal in Python (its UNNEST insert under
psycopg's client-side binding).

Enrollment statuses are not written here: the EnrollmentEvent trigger derives each enrollment's status
from its events once per statement, as it does for every other write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, reset_queries, transaction
from django.utils import timezone

from talent.demo.records import EnrollmentPlan, LoginPlan, PersonPlan, StudentPlan, World
from talent.registry.models import (
    AdvisorAppointment,
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
    ProgrammeCountingRule,
    ResearcherProfile,
)
from talent.reports.models import IntakePlan, IntakePlanSource, IntakePlanState

#: History triggers skipped while seeding. A seed is not an edit by a person, so there is nobody to record
#: and nothing to audit; and for persons and enrollments (a million each at --scale 1000) the history
#: rows would double the write. The smaller tables keep their history, labelled with the `seed_demo`
#: context, so the admin shows where their rows came from.
SKIPPED_HISTORY_TRIGGERS = (
    "registry.Person:insert_insert",
    "registry.Enrollment:insert_insert",
    # The status trigger's update of each new enrollment is not an edit either.
    "registry.Enrollment:update_update",
)

BATCH_SIZE = 5000


def write(
    world: World,
    students: Iterable[StudentPlan],
    *,
    progress: Callable[[int], object] | None = None,
    batch_size: int = BATCH_SIZE,
) -> None:
    """Store the plan in one transaction (a failure leaves nothing behind); `progress(n)` after each batch
    of n students."""
    with (
        transaction.atomic(),
        pghistory.context(action="seed_demo"),
        pgtrigger.ignore(*SKIPPED_HISTORY_TRIGGERS),
    ):
        writer = _Writer(world, batch_size)
        writer.world()
        for batch in _batched(students, batch_size):
            writer.students(batch)
            # With DEBUG on, Django keeps the last 9,000 queries' SQL: megabytes per bulk insert.
            reset_queries()
            if progress is not None:
                progress(len(batch))


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """The next `count` ids of the model's table, taken from its sequence, so rows can be linked before COPY.

    This query also carries `pgtrigger.ignore`'s transaction-local setting (its connection wrapper adds
    it to every query Django runs): the COPY that follows, which Django does not see, skips the same
    history triggers."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model: type[models.Model], rows: Sequence[dict[str, Any]], *, with_ids: bool = True) -> None:
    """Insert rows, given as {attname: database-ready value}, with COPY. A field a row leaves out takes its
    model default (auto_now fields: now), as in save(); `with_ids=False` lets the database number the rows."""
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    now = timezone.now()
    defaults = {}
    for f in fields:
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        defaults[f.attname] = f.get_db_prep_save(value, db)
    columns = ", ".join(db.ops.quote_name(cast(str, f.column)) for f in fields)  # concrete: has a column
    statement = f"COPY {db.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with db.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row.get(name, default) for name, default in defaults.items()])


def _batched(items: Iterable[StudentPlan], size: int) -> Iterator[list[StudentPlan]]:
    batch: list[StudentPlan] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _person(plan: PersonPlan, pk: int, user_id: int | None = None) -> dict[str, Any]:
    return {
        "id": pk,
        "family_name_ko": plan.family_name_ko,
        "given_name_ko": plan.given_name_ko,
        "family_name_latin": plan.family_name_latin,
        "given_name_latin": plan.given_name_latin,
        "birth_date": plan.birth_date,
        "gender": plan.gender,
        "nationality": plan.nationality,
        "email": plan.email,
        "orcid": plan.orcid,
        "national_researcher_number": plan.national_researcher_number,
        "user_id": user_id,
    }


class _Writer:
    def __init__(self, world: World, batch_size: int) -> None:
        self.plan = world
        self.batch_size = batch_size
        self.users: dict[str, Any] = {}
        self.organizations: dict[str, int] = {}
        self.programmes: dict[str, int] = {}
        self.persons: dict[str, int] = {}

    def world(self) -> None:
        world = self.plan
        persons_by_key = {p.key: p for p in world.persons}
        # One hash for every demo login: hashing is deliberately slow, and they share the password.
        password = make_password(settings.DEMO_PASSWORD)
        for login in world.logins:
            self.users[login.username] = self._user(login, password, persons_by_key.get(login.person or ""))

        organizations = [
            Organization(
                kind=o.kind,
                name_ko=o.name_ko,
                name_en=o.name_en,
                region=o.region,
                business_registration_number=o.business_registration_number,
                ksic_section=o.ksic_section,
            )
            for o in world.organizations
        ]
        Organization.objects.bulk_create(organizations, batch_size=self.batch_size)
        self.organizations = {o.key: row.pk for o, row in zip(world.organizations, organizations, strict=True)}
        Membership.objects.bulk_create(
            Membership(
                user=self.users[login.username],
                organization_id=self.organizations[login.organization],
                role=login.membership_role,
            )
            for login in world.logins
            if login.organization
        )

        schools = [
            GraduateSchool(
                university_id=self.organizations[s.university],
                name_ko=s.name_ko,
                name_en=s.name_en,
                track=s.track,
                selection_year=s.selection_year,
                support_start=s.support_start,
                support_end=s.support_end,
                convergence_fields=list(s.convergence_fields),
            )
            for s in world.schools
        ]
        GraduateSchool.objects.bulk_create(schools, batch_size=self.batch_size)
        school_ids = {s.key: row.pk for s, row in zip(world.schools, schools, strict=True)}
        Consortium = GraduateSchool.consortium_companies.through
        Consortium.objects.bulk_create(
            Consortium(graduateschool_id=school_ids[s.key], organization_id=self.organizations[company])
            for s in world.schools
            for company in s.companies
        )

        programmes = [
            Programme(
                school_id=school_ids[p.school],
                name_ko=p.name_ko,
                name_en=p.name_en,
                degree_level=p.degree_level,
                normal_duration_months=p.normal_duration_months,
                counts_toward_target=p.counts_toward_target,
            )
            for p in world.programmes
        ]
        Programme.objects.bulk_create(programmes, batch_size=self.batch_size)
        # Each programme's first counting rule (the first is in force before its date too).
        ProgrammeCountingRule.objects.bulk_create(
            ProgrammeCountingRule(programme=p, counts=p.counts_toward_target, effective_from=timezone.localdate())
            for p in programmes
        )
        IntakePlan.objects.bulk_create(
            IntakePlan(
                school_id=school_ids[p.school],
                year=p.year,
                degree_level=p.degree_level,
                version=1,
                intake=p.intake,
                state=IntakePlanState.APPROVED if p.approved else IntakePlanState.PROPOSED,
                source=IntakePlanSource.ENTERED,
            )
            for p in world.intake_plans
        )
        self.programmes = {p.key: row.pk for p, row in zip(world.programmes, programmes, strict=True)}

        ids = _reserve_ids(Person, len(world.persons))
        self.persons = {p.key: pk for p, pk in zip(world.persons, ids, strict=True)}
        users = {name: user.pk for name, user in self.users.items()}
        _copy(Person, [_person(p, self.persons[p.key], users.get(p.login or "")) for p in world.persons])
        AdvisorAppointment.objects.bulk_create(
            (
                AdvisorAppointment(
                    university_id=self.organizations[a.university], person_id=self.persons[a.person], role=a.role
                )
                for a in world.appointments
            ),
            batch_size=self.batch_size,
        )
        self._researchers()
        self._experts()
        self._problems()

    def _user(self, login: LoginPlan, password: str, person: PersonPlan | None) -> Any:
        user, _ = get_user_model().objects.update_or_create(
            username=login.username,
            defaults={
                "password": password,
                "is_staff": login.is_superuser,
                "is_superuser": login.is_superuser,
                "is_active": True,
                "first_name": person.given_name_ko if person else "",
                "last_name": person.family_name_ko if person else "",
                "email": person.email if person else f"{login.username}@demo.example",
            },
        )
        return user

    def _researchers(self) -> None:
        researchers = self.plan.researchers
        profiles = [
            ResearcherProfile(
                person_id=self.persons[r.person],
                phd_field=r.phd_field,
                phd_subject=r.phd_subject,
                phd_year=r.phd_year,
                phd_country=r.phd_country,
                return_date=r.return_date,
                return_planned=r.return_planned,
                return_programme=r.return_programme,
                korean_affiliation_id=self.organizations[r.korean_affiliation] if r.korean_affiliation else None,
            )
            for r in researchers
        ]
        ResearcherProfile.objects.bulk_create(profiles, batch_size=self.batch_size)
        OverseasPosition.objects.bulk_create(
            (
                OverseasPosition(
                    profile_id=profile.pk,
                    country=p.country,
                    institution=p.institution,
                    title=p.title,
                    start_date=p.start_date,
                    end_date=p.end_date,
                )
                for r, profile in zip(researchers, profiles, strict=True)
                for p in r.positions
            ),
            batch_size=self.batch_size,
        )

    def _experts(self) -> None:
        ExpertProfile.objects.bulk_create(
            (
                ExpertProfile(
                    person_id=self.persons[e.person],
                    skills=list(e.skills),
                    summary_ko=e.summary_ko,
                    summary_en=e.summary_en,
                    ksic_sections=list(e.ksic_sections),
                    regions=list(e.regions),
                    remote_ok=e.remote_ok,
                    capacity=e.capacity,
                    available=e.available,
                    consent_to_matching=e.consent_to_matching,
                    shared_fields=list(e.shared_fields),
                    consent_updated_at=e.consent_updated_at,
                )
                for e in self.plan.experts
            ),
            batch_size=self.batch_size,
        )

    def _problems(self) -> None:
        FieldProblem.objects.bulk_create(
            (
                FieldProblem(
                    organization_id=self.organizations[p.organization],
                    title=p.title,
                    description=p.description,
                    ksic_section=p.ksic_section,
                    skills_wanted=list(p.skills_wanted),
                    region=p.region,
                    remote=p.remote,
                    experts_wanted=p.experts_wanted,
                    status=p.status,
                    opened_at=p.opened_at,
                    closed_at=p.closed_at,
                    created_by=self.users.get(p.created_by or ""),
                )
                for p in self.plan.problems
            ),
            batch_size=self.batch_size,
        )

    def students(self, batch: list[StudentPlan]) -> None:
        person_ids = _reserve_ids(Person, len(batch))
        _copy(Person, [_person(student.person, pk) for student, pk in zip(batch, person_ids, strict=True)])
        enrollment_ids = iter(_reserve_ids(Enrollment, sum(len(student.enrollments) for student in batch)))
        enrollments, events = [], []
        for student, person_id in zip(batch, person_ids, strict=True):
            ids = [next(enrollment_ids) for _ in student.enrollments]
            for plan, pk in zip(student.enrollments, ids, strict=True):
                # A fast-tracked master's enrollment points at its doctorate, another of the student's.
                progressed_to = ids[plan.progressed_to] if plan.progressed_to is not None else None
                enrollments.append(self._enrollment(plan, pk, person_id, progressed_to))
                previous = ""
                for sequence, event in enumerate(plan.events, start=1):
                    events.append(
                        {
                            "enrollment_id": pk,
                            "sequence": sequence,
                            "status": event.status,
                            "previous_status": previous,
                            "effective_date": event.effective_date,
                            "reason": event.reason,
                        }
                    )
                    previous = event.status
        _copy(Enrollment, enrollments)
        # The events' insert trigger derives each enrollment's status (and skips the history of that update).
        _copy(EnrollmentEvent, events, with_ids=False)

    def _enrollment(self, plan: EnrollmentPlan, pk: int, person_id: int, progressed_to: int | None) -> dict[str, Any]:
        return {
            "id": pk,
            "person_id": person_id,
            "programme_id": self.programmes[plan.programme],
            "university_id": self.organizations[plan.university],
            "student_number": plan.student_number,
            "admission_date": plan.admission_date,
            "expected_completion": plan.expected_completion,
            "completion_route": plan.completion_route,
            "advisor_id": self.persons[plan.advisor] if plan.advisor else None,
            "co_advisor_id": self.persons[plan.co_advisor] if plan.co_advisor else None,
            "progressed_to_id": progressed_to,
            # `status` keeps its default until the trigger on the events' insert derives it.
        }
