"""The registry's records. Fields, database constraints and single-row rules only: every write is a service.

Every table that holds personal data is tracked by django-pghistory (database triggers, so bulk writes
are caught too); the acting user comes from the request middleware or the service's history context.

Triggers of another app sit on these tables too: talent.reports keeps its counting tables
(`reports_enrollment_groups`, `reports_person_enrollments`) equal to `registry_enrollment` and the persons'
gender in the same transaction (talent/reports/counting_tables.py). A bulk load that goes around triggers must
rebuild them with `manage.py rebuild_counting_tables`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

import pghistory
import pghistory.models
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talent.common.db import ChecksInOneQuery
from talent.registry import careers, lifecycle, plausible, privacy, validators, vocabulary
from talent.registry.fields import GuardedCharField, GuardedListField, GuardedTextField
from talent.registry.vocabulary import (
    AdvisorRole,
    CompletionRoute,
    ConvergenceField,
    DegreeLevel,
    EnrollmentStatus,
    Gender,
    MembershipRole,
    OrganizationKind,
    ProblemStatus,
    ReturnProgramme,
    SchoolTrack,
    ShareableField,
)

KR_REGION_CODES = sorted(vocabulary.kr_regions())
KSIC_CODES = sorted(vocabulary.ksic_sections())
CONVERGENCE_FIELD_CODES = sorted(ConvergenceField.values)
SHAREABLE_FIELD_CODES = sorted(ShareableField.values)


# Bounds of free text (characters) and lists (items): the column, the API, the forms and the roster all hold
# them, and the matching index never sees more (talent/matching/text.py).
DESCRIPTION_MAX_LENGTH = 5_000
SUMMARY_MAX_LENGTH = 3_000
REASON_MAX_LENGTH = 1_000
SKILL_MAX_LENGTH = 60
SKILLS_MAX_COUNT = 50
#: A graduate school picks at most this many convergence fields (DESIGN.md).
CONVERGENCE_FIELDS_MAX_COUNT = 2

_Model = TypeVar("_Model", bound=type[models.Model])


DateCheck = tuple[str, Callable[[datetime.date | None], None], datetime.date | None]


def _plausible(*dates: DateCheck) -> None:
    """Dates' plausibility checks (talent.registry.plausible): each field, its check and its value; every refusal
    filed under its field, all of them at once."""
    refusals: dict[str, list[ValidationError]] = {}
    for field, check, value in dates:
        try:
            check(value)
        except ValidationError as refusal:
            refusals[field] = [refusal]
    if refusals:
        raise ValidationError(refusals)


def _date_within_bounds(field: str, *, earliest: datetime.date = plausible.EARLIEST_RECORD, null: bool = False) -> Q:
    """The database's side of a date's plausibility (talent.registry.plausible): within constant bounds that
    validation's relative ones always lie inside, so only a write that skipped validation meets them."""
    within = Q(**{f"{field}__gte": earliest, f"{field}__lte": plausible.LATEST_RECORD})
    return Q(**{f"{field}__isnull": True}) | within if null else within


def _tracked(model_name: str) -> Callable[[_Model], _Model]:
    """Append-only history of inserts, updates and deletes, with the acting user from the pghistory context."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=model_name,
        obj_field=pghistory.ObjForeignKey(related_name="history"),
        append_only=True,
    )


class Timestamped(ChecksInOneQuery):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


@_tracked("OrganizationHistory")
class Organization(Timestamped):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    name_ko = GuardedCharField(_("name (Korean)"), max_length=200)
    name_en = GuardedCharField(_("name (English)"), max_length=200, blank=True)
    region = models.CharField(
        _("region"),
        max_length=5,
        choices=vocabulary.region_choices,
        validators=[validators.validate_kr_region],
    )
    business_registration_number = GuardedCharField(
        _("business registration number"),
        max_length=12,  # accepts 123-45-67890 as typed; services store the 10 digits
        blank=True,
        help_text=_("사업자등록번호, 10 digits; required for companies."),
        validators=[validators.validate_business_registration_number],
    )
    ksic_section = models.CharField(
        _("KSIC section"),
        max_length=1,
        blank=True,
        choices=vocabulary.ksic_choices,
        validators=[validators.validate_ksic_section],
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["kind", "name_ko"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name_ko"], name="organization_name_unique_per_kind"),
            models.UniqueConstraint(
                fields=["business_registration_number"],
                condition=~Q(business_registration_number=""),
                name="organization_brn_unique",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganizationKind.COMPANY) | ~Q(business_registration_number=""),
                name="organization_company_has_brn",
                violation_error_message=_("A company needs its business registration number."),
            ),
            models.CheckConstraint(condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"),
            models.CheckConstraint(condition=Q(region__in=KR_REGION_CODES), name="organization_region_valid"),
            models.CheckConstraint(
                condition=Q(ksic_section="") | Q(ksic_section__in=KSIC_CODES), name="organization_ksic_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name_ko


@_tracked("MembershipHistory")
class Membership(Timestamped):
    """A login's place in one organization; the organization's kind gives the user's role in the product."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


@_tracked("GraduateSchoolHistory")
class GraduateSchool(Timestamped):
    """An AX graduate school (인공지능혁신대학원): a university-led consortium with one or two companies."""

    university = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="graduate_schools",
        limit_choices_to={"kind": OrganizationKind.UNIVERSITY},
        verbose_name=_("university"),
    )
    name_ko = GuardedCharField(_("name (Korean)"), max_length=200)
    name_en = GuardedCharField(_("name (English)"), max_length=200, blank=True)
    track = models.CharField(_("track"), max_length=12, choices=SchoolTrack.choices)
    selection_year = models.PositiveSmallIntegerField(_("selection year"))
    support_start = models.DateField(_("support period start"))
    support_end = models.DateField(_("support period end"))
    convergence_fields = ArrayField(
        models.CharField(max_length=20, choices=ConvergenceField.choices),
        size=CONVERGENCE_FIELDS_MAX_COUNT,
        verbose_name=_("convergence fields"),
        help_text=_("One or two fields."),
    )
    consortium_companies = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="consortium_schools",
        limit_choices_to={"kind": OrganizationKind.COMPANY},
        verbose_name=_("consortium companies"),
    )

    class Meta:
        verbose_name = _("AX graduate school")
        verbose_name_plural = _("AX graduate schools")
        ordering = ["university__name_ko", "name_ko"]
        constraints = [
            models.UniqueConstraint(fields=["university", "name_ko"], name="school_name_unique_per_university"),
            models.CheckConstraint(
                condition=Q(support_end__gt=F("support_start")),
                name="school_support_period_order",
                violation_error_message=_("The support period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=_date_within_bounds("support_start"), name="school_support_start_within_bounds"
            ),
            models.CheckConstraint(
                condition=_date_within_bounds("support_end"), name="school_support_end_within_bounds"
            ),
            models.CheckConstraint(
                condition=Q(selection_year__gte=2020, selection_year__lte=2100),
                name="school_selection_year_range",
            ),
            models.CheckConstraint(condition=Q(track__in=SchoolTrack.values), name="school_track_valid"),
            models.CheckConstraint(
                condition=Q(convergence_fields__len__gte=1, convergence_fields__len__lte=CONVERGENCE_FIELDS_MAX_COUNT)
                & Q(convergence_fields__contained_by=CONVERGENCE_FIELD_CODES),
                name="school_one_or_two_convergence_fields",
                violation_error_message=_("A graduate school picks one or two convergence fields."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_ko

    def clean(self) -> None:
        _plausible(
            ("support_start", plausible.check_support_start, self.support_start),
            ("support_end", plausible.check_support_end, self.support_end),
        )


@_tracked("ProgrammeHistory")
class Programme(Timestamped):
    school = models.ForeignKey(
        GraduateSchool, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("graduate school")
    )
    name_ko = GuardedCharField(_("name (Korean)"), max_length=200)
    name_en = GuardedCharField(_("name (English)"), max_length=200, blank=True)
    degree_level = models.CharField(_("degree level"), max_length=12, choices=DegreeLevel.choices)
    normal_duration_months = models.PositiveSmallIntegerField(_("normal duration (months)"))
    counts_toward_target = models.BooleanField(
        _("counts toward the target"),
        default=False,
        help_text=_("Set by the ministry, never by a university."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["school__name_ko", "degree_level", "name_ko"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "degree_level", "name_ko"], name="programme_unique_per_school_and_level"
            ),
            models.CheckConstraint(condition=Q(degree_level__in=DegreeLevel.values), name="programme_level_valid"),
            models.CheckConstraint(
                condition=Q(normal_duration_months__gte=1, normal_duration_months__lte=120),
                name="programme_duration_range",
                violation_error_message=_("The normal duration is between 1 and 120 months."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school.name_ko} · {self.name_ko} ({self.get_degree_level_display()})"


class ProgrammeCountingRule(models.Model):
    """One decision of the ministry on whether a programme's graduates count toward the AX target, from a date.

    Append-only: a change adds a rule, so a report as of a past date reads the rules in force then and stays
    what it was. The rule in force on a date is the programme's latest (by date, then as recorded) dated on
    or before it; before its first rule's date the first is in force (the programme's status when the
    history began). `Programme.counts_toward_target` is the rule in force today."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="counting_rules", verbose_name=_("programme")
    )
    counts = models.BooleanField(_("counts toward the target"))
    effective_from = models.DateField(_("effective from"))
    note = GuardedTextField(_("why"), max_length=REASON_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme counting rule")
        verbose_name_plural = _("programme counting rules")
        ordering = ["programme_id", "effective_from", "id"]
        indexes = [models.Index(fields=["effective_from"], name="programme_counting_from_idx")]
        triggers = [
            pgtrigger.Protect(name="programme_counting_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        if self.counts:
            return gettext("counts from %(date)s") % {"date": self.effective_from.isoformat()}
        return gettext("does not count from %(date)s") % {"date": self.effective_from.isoformat()}


@_tracked("PersonHistory")
class Person(Timestamped):
    """A person in the registry. Never holds a resident registration number."""

    family_name_ko = GuardedCharField(
        _("family name (Korean)"),
        max_length=50,
        blank=True,
    )
    given_name_ko = GuardedCharField(
        _("given name (Korean)"),
        max_length=50,
        blank=True,
    )
    family_name_latin = GuardedCharField(
        _("family name (Latin)"),
        max_length=100,
        blank=True,
    )
    given_name_latin = GuardedCharField(
        _("given name (Latin)"),
        max_length=100,
        blank=True,
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True, choices=Gender.choices)
    nationality = models.CharField(
        _("nationality"),
        max_length=2,
        choices=vocabulary.country_choices,
        default="KR",
        validators=[validators.validate_country],
    )
    email = models.EmailField(_("email"), blank=True, validators=[validators.reject_resident_registration_number])
    orcid = GuardedCharField(
        _("ORCID iD"),
        max_length=19,
        null=True,
        blank=True,
        unique=True,
        validators=[validators.validate_orcid],
    )
    national_researcher_number = GuardedCharField(
        _("national researcher number"),
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        validators=[validators.validate_national_researcher_number],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    # Set when an operator (or a claim) merged this record into another: the human is that person now. The row
    # stays, emptied of what moved, so that the merge can be undone (PersonMerge).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name_ko", "given_name_ko", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(family_name_ko="", given_name_ko="") | ~Q(family_name_latin="", given_name_latin=""),
                name="person_has_a_name",
                violation_error_message=_("A person needs a name in Korean or in Latin letters."),
            ),
            models.CheckConstraint(condition=Q(gender="") | Q(gender__in=Gender.values), name="person_gender_valid"),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte=datetime.date(1900, 1, 1)),
                name="person_birth_date_plausible",
            ),
            models.CheckConstraint(
                condition=_date_within_bounds("birth_date", earliest=plausible.EARLIEST_BIRTH, null=True),
                name="person_birth_date_within_bounds",
            ),
        ]
        indexes = [models.Index(fields=["email"], name="person_email_idx")]

    def __str__(self) -> str:
        korean = f"{self.family_name_ko}{self.given_name_ko}"
        return korean or f"{self.given_name_latin} {self.family_name_latin}".strip()

    def clean(self) -> None:
        _plausible(("birth_date", plausible.check_birth_date, self.birth_date))


@_tracked("AdvisorAppointmentHistory")
class AdvisorAppointment(Timestamped):
    """A person a university appoints to advise its students (its faculty) or to co-advise them (a company's
    engineer). Only a person appointed at the enrollment's university, in that role, is named as an enrollment's
    advisor or co-advisor (`services.enrollments`); a student is not an advisor by being visible to staff."""

    university = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="advisor_appointments",
        limit_choices_to={"kind": OrganizationKind.UNIVERSITY},
        verbose_name=_("university"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="advisor_appointments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=AdvisorRole.choices)

    class Meta:
        verbose_name = _("advisor appointment")
        verbose_name_plural = _("advisor appointments")
        ordering = ["university", "role", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["university", "person", "role"],
                name="advisor_appointment_unique",
                violation_error_message=_("This person is already appointed in this role at this university."),
                violation_error_code="already_appointed",
            ),
            models.CheckConstraint(condition=Q(role__in=AdvisorRole.values), name="advisor_appointment_role_valid"),
        ]

    #: Constraint errors shown next to the field a person must change (see talent.common.db.validate).
    CONSTRAINT_ERROR_FIELDS = {"already_appointed": "person"}

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} @ {self.university}"


ACTIVE_STATUS_VALUES = sorted(lifecycle.ACTIVE_STATUSES)


@_tracked("EnrollmentHistory")
class Enrollment(Timestamped):
    """A person in a programme. Its status is derived from its EnrollmentEvents (see services)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("person"))
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("programme")
    )
    # The programme's university, kept here so that the student number can be unique per university.
    university = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="enrollments",
        limit_choices_to={"kind": OrganizationKind.UNIVERSITY},
        verbose_name=_("university"),
        editable=False,
    )
    student_number = GuardedCharField(
        _("student number"), max_length=20, validators=[validators.validate_student_number]
    )
    admission_date = models.DateField(_("admission date"), help_text=_("First day of the admission term."))
    expected_completion = models.DateField(_("expected completion"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ADMITTED,
        editable=False,
    )
    status_since = models.DateField(_("status since"), null=True, editable=False)
    #: The date of the next scheduled change still to take effect (None: nothing scheduled). Derived with the
    #: status; the daily refresh (`enrollment_statuses_refresh`) brings the status up to date on that day.
    next_change_on = models.DateField(_("next change on"), null=True, editable=False)
    completion_route = models.CharField(
        _("completion route"), max_length=12, blank=True, choices=CompletionRoute.choices
    )
    advisor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advised_enrollments",
        verbose_name=_("university advisor"),
    )
    co_advisor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="co_advised_enrollments",
        verbose_name=_("company co-advisor"),
    )
    progressed_to = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progressed_from",
        verbose_name=_("progressed to (doctorate enrollment)"),
        editable=False,
    )

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["-admission_date", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["university", "student_number"],
                name="enrollment_student_number_unique_per_university",
                violation_error_message=_("This student number is already used at this university."),
                violation_error_code="student_number_taken",
            ),
            models.UniqueConstraint(
                fields=["person", "programme"],
                condition=Q(status__in=ACTIVE_STATUS_VALUES),
                name="enrollment_one_active_per_person_programme",
                violation_error_message=_("This person already has an active enrollment in this programme."),
            ),
            models.CheckConstraint(
                condition=_date_within_bounds("admission_date"), name="enrollment_admission_date_within_bounds"
            ),
            models.CheckConstraint(
                condition=_date_within_bounds("expected_completion", null=True),
                name="enrollment_expected_completion_within_bounds",
            ),
            models.CheckConstraint(
                condition=Q(expected_completion__isnull=True) | Q(expected_completion__gt=F("admission_date")),
                name="enrollment_completion_after_admission",
                violation_error_message=_("The expected completion must come after admission."),
            ),
            models.CheckConstraint(condition=Q(status__in=EnrollmentStatus.values), name="enrollment_status_valid"),
            models.CheckConstraint(
                condition=Q(completion_route="") | Q(completion_route__in=CompletionRoute.values),
                name="enrollment_route_valid",
            ),
            models.CheckConstraint(
                condition=~Q(advisor=F("person")) & ~Q(co_advisor=F("person")),
                name="enrollment_not_own_advisor",
                violation_error_message=_("A student cannot be their own advisor."),
            ),
        ]
        triggers = [
            # The status is derived from the events (see EnrollmentEvent); nothing else may write it, so a
            # stale object saved over a newer status is refused instead of silently rewinding history.
            pgtrigger.Trigger(
                name="enrollment_status_only_from_events",
                level=pgtrigger.Row,
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("status", "status_since", "next_change_on"),
                func=pgtrigger.Func(
                    """
                    IF current_setting('registry.deriving_status', true) = 'on' THEN
                        RETURN NEW;  -- registry_derive_enrollment_status (DERIVE_STATUS_FUNCTION)
                    END IF;
                    RAISE EXCEPTION 'status of enrollment % changes only through an enrollment event', NEW.id
                        USING ERRCODE = 'integrity_constraint_violation';
                    """
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["university", "status"], name="enrollment_univ_status_idx"),
            models.Index(fields=["programme", "status"], name="enrollment_prog_status_idx"),
        ]

    #: Constraint errors shown next to the field a person must change (see talent.common.db.validate).
    CONSTRAINT_ERROR_FIELDS = {"student_number_taken": "student_number"}

    def __str__(self) -> str:
        return f"{self.student_number} · {self.person}"

    def clean(self) -> None:
        _plausible(
            ("admission_date", plausible.check_admission_date, self.admission_date),
            ("expected_completion", plausible.check_expected_completion, self.expected_completion),
        )


#: The one derivation of an enrollment's status (created by migration registry 0010; change both together).
#: Of its standing events (not voided), the last one in force on `today` (by effective date, then sequence);
#: before the first takes effect (an admission ahead of term), the first one. `next_change_on` is the date of
#: the next standing event still to come. Called by the triggers on events and voids (with the writer's date,
#: `recorded_on`) and by the daily refresh (talent.registry.services.enrollment_statuses_refresh).
DERIVE_STATUS_FUNCTION = """
CREATE OR REPLACE FUNCTION registry_derive_enrollment_status(enrollment_ids bigint[], today date)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('registry.deriving_status', 'on', true);
    UPDATE registry_enrollment AS e
       SET status = derived.status, status_since = derived.since, next_change_on = derived.next_on
      FROM (
            SELECT cur.enrollment_id, cur.status, cur.effective_date AS since,
                   (SELECT min(nx.effective_date) FROM registry_enrollmentevent nx
                     WHERE nx.enrollment_id = cur.enrollment_id AND nx.effective_date > today AND nx.id <> cur.id
                       AND NOT EXISTS (SELECT FROM registry_enrollmenteventvoid v WHERE v.event_id = nx.id)
                   ) AS next_on
              FROM unnest(enrollment_ids) AS target(id)
             CROSS JOIN LATERAL (
                    SELECT ev.id, ev.enrollment_id, ev.status, ev.effective_date
                      FROM registry_enrollmentevent ev
                     WHERE ev.enrollment_id = target.id
                       AND NOT EXISTS (SELECT FROM registry_enrollmenteventvoid v WHERE v.event_id = ev.id)
                     ORDER BY ev.effective_date <= today DESC,
                              CASE WHEN ev.effective_date <= today THEN ev.effective_date END DESC,
                              CASE WHEN ev.effective_date <= today THEN ev.sequence END DESC,
                              ev.effective_date, ev.sequence
                     LIMIT 1
                   ) AS cur
           ) AS derived
     WHERE e.id = derived.enrollment_id
       AND (e.status, e.status_since, e.next_change_on)
           IS DISTINCT FROM (derived.status, derived.since, derived.next_on);
    PERFORM set_config('registry.deriving_status', 'off', true);
END
$$;
"""

DERIVE_STATUS_SQL = """
    PERFORM registry_derive_enrollment_status(
        ARRAY(SELECT DISTINCT enrollment_id FROM new_events), (SELECT max(recorded_on) FROM new_events));
    RETURN NULL;
"""


class EnrollmentEvent(ChecksInOneQuery):
    """One status change of an enrollment. Append-only: the database refuses updates and deletes."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="events", verbose_name=_("enrollment")
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    status = models.CharField(_("status"), max_length=20, choices=EnrollmentStatus.choices)
    previous_status = models.CharField(
        _("previous status"), max_length=20, choices=EnrollmentStatus.choices, blank=True
    )
    effective_date = models.DateField(_("effective date"))
    reason = GuardedTextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    #: The registry's date when it was recorded: the status is derived as of this day (see DERIVE_STATUS_FUNCTION).
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate, editable=False)

    class Meta:
        verbose_name = _("enrollment event")
        verbose_name_plural = _("enrollment events")
        ordering = ["enrollment_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "sequence"], name="enrollment_event_sequence_unique"),
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values), name="enrollment_event_status_valid"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="enrollment_event_sequence_positive"),
            models.CheckConstraint(
                condition=_date_within_bounds("effective_date"), name="enrollment_event_effective_date_within_bounds"
            ),
        ]
        indexes = [
            models.Index(fields=["enrollment", "effective_date", "sequence"], name="enrollment_event_asof_idx"),
            models.Index(fields=["status", "effective_date"], name="enrollment_event_status_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="enrollment_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # The enrollment's current status is derived here, once per statement, so that single
            # writes, bulk imports and seeds all keep it equal to the latest event.
            pgtrigger.Trigger(
                name="enrollment_event_derives_status",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="new_events"),
                func=DERIVE_STATUS_SQL,
            ),
        ]

    def __str__(self) -> str:
        """ "2026-06-19 합격 (신입생 합격), 기록자 kim": the date, the status, the reason and who recorded it."""
        text = f"{self.effective_date:%Y-%m-%d} {self.get_status_display()}"
        if self.reason:
            text += f" ({self.reason})"
        if self.actor_id is not None:
            text += ", " + gettext("recorded by %(user)s") % {"user": self.actor}
        return text

    def clean(self) -> None:
        _plausible(("effective_date", plausible.check_status_date, self.effective_date))

    @property
    def voided(self) -> bool:
        return hasattr(self, "void")

    @property
    def scheduled(self) -> bool:
        """A standing change that takes effect after today."""
        return not self.voided and self.effective_date > timezone.localdate()


class EnrollmentEventVoid(models.Model):
    """A correction: the event it names no longer stands (recorded by mistake, or a scheduled change cancelled
    before its date). The event stays in the history; the status is derived from the events that stand.
    Append-only, like the events."""

    event = models.OneToOneField(
        EnrollmentEvent, on_delete=models.PROTECT, related_name="void", verbose_name=_("voided event")
    )
    reason = GuardedTextField(_("reason"), max_length=REASON_MAX_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate, editable=False)

    class Meta:
        verbose_name = _("voided enrollment event")
        verbose_name_plural = _("voided enrollment events")
        ordering = ["recorded_at"]
        triggers = [
            pgtrigger.Protect(name="enrollment_event_void_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="enrollment_event_void_derives_status",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="new_voids"),
                func="""
                    PERFORM registry_derive_enrollment_status(
                        ARRAY(SELECT DISTINCT ev.enrollment_id FROM registry_enrollmentevent ev
                               WHERE ev.id IN (SELECT event_id FROM new_voids)),
                        (SELECT max(recorded_on) FROM new_voids));
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self) -> str:
        return gettext("Voided: %(event)s") % {"event": self.event}


@_tracked("ResearcherProfileHistory")
class ResearcherProfile(Timestamped):
    """A returning overseas researcher's career and return."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="researcher_profile", verbose_name=_("person")
    )
    phd_field = models.CharField(
        _("PhD field (ISCED-F)"),
        max_length=2,
        blank=True,
        choices=vocabulary.iscedf_choices,
        validators=[validators.validate_iscedf_field],
    )
    phd_subject = GuardedCharField(_("PhD subject"), max_length=200, blank=True)
    phd_year = models.PositiveSmallIntegerField(_("PhD year"), null=True, blank=True)
    phd_country = models.CharField(
        _("PhD country"),
        max_length=2,
        blank=True,
        choices=vocabulary.country_choices,
        validators=[validators.validate_country],
    )
    return_date = models.DateField(_("return date"), null=True, blank=True)
    return_planned = models.BooleanField(
        _("return is planned"), default=False, help_text=_("The return date is a plan, not yet a fact.")
    )
    return_programme = models.CharField(
        _("return programme"), max_length=12, blank=True, choices=ReturnProgramme.choices
    )
    korean_affiliation = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returned_researchers",
        verbose_name=_("current Korean affiliation"),
    )

    class Meta:
        verbose_name = _("researcher profile")
        verbose_name_plural = _("researcher profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(phd_year__isnull=True) | Q(phd_year__gte=1950, phd_year__lte=2100),
                name="researcher_phd_year_range",
            ),
            models.CheckConstraint(
                condition=_date_within_bounds("return_date", null=True), name="researcher_return_date_within_bounds"
            ),
            models.CheckConstraint(
                condition=Q(return_planned=False) | Q(return_date__isnull=False),
                name="researcher_planned_return_has_date",
                violation_error_message=_("A planned return needs a date."),
            ),
            models.CheckConstraint(
                condition=Q(return_programme="") | Q(return_programme__in=ReturnProgramme.values),
                name="researcher_return_programme_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self) -> None:
        _plausible(
            ("return_date", lambda day: plausible.check_return_date(day, planned=self.return_planned), self.return_date)
        )

    def years_abroad(self, *, until: datetime.date | None = None) -> float:
        """Years abroad up to the return date (or `until`, default today)."""
        today = timezone.localdate()
        end = until or (self.return_date if self.return_date and not self.return_planned else None)
        end = min(end or today, today)  # a return date beyond today (refused now, possibly stored before) is no end
        # An impossible period (0001-01-01 to 9999-12-31, stored before the bounds) is no career: it is ignored.
        periods = [
            (p.start_date, p.end_date)
            for p in self.positions.all()
            if plausible.plausible_period(p.start_date, p.end_date, today=today)
        ]
        return careers.years_abroad(periods, until=end)

    def eligible_for_return_track(self) -> bool:
        return careers.eligible_for_return_track(
            nationality=self.person.nationality,
            phd_is_stem_or_medical=self.phd_field in vocabulary.stem_or_medical_fields(),
            years_abroad=self.years_abroad(),
        )


@_tracked("OverseasPositionHistory")
class OverseasPosition(Timestamped):
    profile = models.ForeignKey(
        ResearcherProfile,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("researcher profile"),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=vocabulary.country_choices,
        validators=[validators.validate_country],
    )
    institution = GuardedCharField(_("institution"), max_length=200)
    title = GuardedCharField(_("position"), max_length=200, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty while the position continues."))

    class Meta:
        verbose_name = _("overseas position")
        verbose_name_plural = _("overseas positions")
        ordering = ["profile_id", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_date_order",
                violation_error_message=_("A position cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=_date_within_bounds("start_date"), name="position_start_date_within_bounds"
            ),
            models.CheckConstraint(
                condition=_date_within_bounds("end_date", null=True), name="position_end_date_within_bounds"
            ),
            models.CheckConstraint(
                condition=~Q(country="KR"),
                name="position_is_overseas",
                violation_error_message=_("An overseas position is outside Korea."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} ({self.country})"

    def clean(self) -> None:
        _plausible(
            ("start_date", plausible.check_position_start, self.start_date),
            ("end_date", plausible.check_position_end, self.end_date),
        )


@_tracked("ExpertProfileHistory")
class ExpertProfile(Timestamped):
    """What a person offers companies, and their consent to be matched (withdrawable at any time)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="expert_profile", verbose_name=_("person")
    )
    skills = GuardedListField(
        GuardedCharField(max_length=SKILL_MAX_LENGTH),
        size=SKILLS_MAX_COUNT,
        default=list,
        blank=True,
        verbose_name=_("skills"),
    )
    summary_ko = GuardedTextField(_("summary (Korean)"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    summary_en = GuardedTextField(_("summary (English)"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    ksic_sections = ArrayField(
        models.CharField(max_length=1, choices=vocabulary.ksic_choices),
        size=len(KSIC_CODES),
        default=list,
        blank=True,
        verbose_name=_("KSIC sections"),
        validators=[validators.validate_ksic_sections],
    )
    regions = ArrayField(
        models.CharField(max_length=5, choices=vocabulary.region_choices),
        size=len(KR_REGION_CODES),
        default=list,
        blank=True,
        verbose_name=_("regions"),
        validators=[validators.validate_kr_regions],
    )
    remote_ok = models.BooleanField(_("works remotely"), default=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (problems at once)"), default=1)
    available = models.BooleanField(_("available"), default=True)
    consent_to_matching = models.BooleanField(_("consents to matching"), default=False)
    shared_fields = ArrayField(
        models.CharField(max_length=12, choices=ShareableField.choices),
        size=len(SHAREABLE_FIELD_CODES),
        default=list,
        blank=True,
        verbose_name=_("shared with companies"),
        help_text=_("What a company may see of this expert once matched."),
    )
    consent_updated_at = models.DateTimeField(_("consent updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=20),
                name="expert_capacity_range",
                violation_error_message=_("Capacity is between 1 and 20 problems at once."),
                violation_error_code="capacity_out_of_range",
            ),
            models.CheckConstraint(
                condition=Q(ksic_sections__contained_by=KSIC_CODES), name="expert_ksic_sections_valid"
            ),
            models.CheckConstraint(condition=Q(regions__contained_by=KR_REGION_CODES), name="expert_regions_valid"),
            models.CheckConstraint(
                condition=Q(shared_fields__contained_by=SHAREABLE_FIELD_CODES),
                name="expert_shared_fields_valid",
            ),
            models.CheckConstraint(
                condition=Q(skills__len__lte=SKILLS_MAX_COUNT),
                name="expert_skills_at_most_50",
                violation_error_message=_("List at most 50 skills."),
            ),
            # Each code at most once: a list no longer than its vocabulary (a repeat is refused by validation).
            models.CheckConstraint(
                condition=Q(ksic_sections__len__lte=len(KSIC_CODES)), name="expert_ksic_sections_size"
            ),
            models.CheckConstraint(condition=Q(regions__len__lte=len(KR_REGION_CODES)), name="expert_regions_size"),
            models.CheckConstraint(
                condition=Q(shared_fields__len__lte=len(SHAREABLE_FIELD_CODES)), name="expert_shared_fields_size"
            ),
        ]

    #: Constraint errors shown next to the field a person must change (see talent.common.db.validate).
    CONSTRAINT_ERROR_FIELDS = {"capacity_out_of_range": "capacity"}

    def __str__(self) -> str:
        return str(self.person)


@_tracked("FieldProblemHistory")
class FieldProblem(Timestamped):
    """A company's field problem (현장 문제) that experts and students can work on."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="field_problems",
        limit_choices_to={"kind": OrganizationKind.COMPANY},
        verbose_name=_("company"),
    )
    title = GuardedCharField(_("title"), max_length=200)
    description = GuardedTextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    ksic_section = models.CharField(
        _("KSIC section"),
        max_length=1,
        choices=vocabulary.ksic_choices,
        validators=[validators.validate_ksic_section],
    )
    skills_wanted = GuardedListField(
        GuardedCharField(max_length=SKILL_MAX_LENGTH),
        size=SKILLS_MAX_COUNT,
        default=list,
        blank=True,
        verbose_name=_("skills wanted"),
    )
    region = models.CharField(
        _("region"),
        max_length=5,
        blank=True,
        choices=vocabulary.region_choices,
        validators=[validators.validate_kr_region],
    )
    remote = models.BooleanField(_("remote work possible"), default=False)
    experts_wanted = models.PositiveSmallIntegerField(_("experts wanted"), default=1)
    status = models.CharField(
        _("status"), max_length=8, choices=ProblemStatus.choices, default=ProblemStatus.DRAFT, editable=False
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("field problem")
        verbose_name_plural = _("field problems")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(experts_wanted__gte=1, experts_wanted__lte=50),
                name="problem_experts_wanted_range",
                violation_error_message=_("A problem wants between 1 and 50 experts."),
                violation_error_code="experts_wanted_out_of_range",
            ),
            models.CheckConstraint(condition=Q(status__in=ProblemStatus.values), name="problem_status_valid"),
            models.CheckConstraint(
                condition=~Q(region="") | Q(remote=True),
                name="problem_region_or_remote",
                violation_error_message=_("Give a region, or mark the problem as open to remote work."),
            ),
            models.CheckConstraint(condition=Q(region="") | Q(region__in=KR_REGION_CODES), name="problem_region_valid"),
            models.CheckConstraint(condition=Q(ksic_section__in=KSIC_CODES), name="problem_ksic_valid"),
            models.CheckConstraint(
                condition=Q(skills_wanted__len__lte=SKILLS_MAX_COUNT),
                name="problem_skills_at_most_50",
                violation_error_message=_("List at most 50 skills."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProblemStatus.OPEN) | Q(opened_at__isnull=False),
                name="problem_open_has_opened_at",
            ),
        ]
        indexes = [models.Index(fields=["status", "organization"], name="problem_status_org_idx")]

    CONSTRAINT_ERROR_FIELDS = {"experts_wanted_out_of_range": "experts_wanted"}

    def __str__(self) -> str:
        return self.title


class ClaimCode(models.Model):
    """A one-time code a university issues so that a student can link their own login to their record.

    Only a hash of the code is kept; the code itself is shown once to the staff member who issued it.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="claim_codes", verbose_name=_("person"))
    issued_by_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("issued by")
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("claim code")
        verbose_name_plural = _("claim codes")
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="claim_code_expires_later"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.issued_by_organization_id}"


class AccessLog(models.Model):
    """One read of a person's record by someone other than that person. Append-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("reader")
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("whose record"), db_index=True
    )
    action = models.CharField(_("action"), max_length=40, editable=False)
    path = models.CharField(_("path"), max_length=300, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        triggers = [
            # SET NULL on the foreign keys is an update the log must allow: a deleted account keeps its trail.
            pgtrigger.ReadOnly(name="access_log_append_only", fields=["action", "path", "ip_address", "at"]),
            pgtrigger.Protect(name="access_log_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.person_id}"


class ImportBatchStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    DRY_RUN = "dry_run", _("Dry run")
    FAILED = "failed", _("Refused: rows with errors")
    REJECTED = "rejected", _("Refused: the whole file")


class RosterRefusal(models.TextChoices):
    """Why a roster upload was refused as a whole (the refusal's code), or why a checked file was not imported."""

    FORMAT = "roster_format", _("not a readable CSV or Excel workbook")
    ENCODING = "roster_encoding", _("text encoding not recognised")
    TOO_LARGE = "roster_too_large", _("file too large")
    TOO_MANY_ROWS = "roster_too_many_rows", _("too many rows")
    EMPTY = "roster_empty", _("empty file")
    NO_HEADER = "roster_no_header", _("no header row")
    DUPLICATE_COLUMN = "roster_duplicate_column", _("a column given twice")
    RESIDENT_REGISTRATION_NUMBER = "resident_registration_number", _("resident registration number in the file")
    CHANGED_MEANWHILE = "changed_meanwhile", _("records changed while it was being imported")


@_tracked("ImportBatchHistory")
class ImportBatch(ChecksInOneQuery):
    """One roster upload, kept whatever came of it (dry runs and refused files too): who, when, which file
    (name and SHA-256, never its content), the counts and the problems found."""

    university = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="import_batches",
        limit_choices_to={"kind": OrganizationKind.UNIVERSITY},
        verbose_name=_("university"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    filename = GuardedCharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    file_format = models.CharField(_("format"), max_length=8, blank=True, editable=False)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True, editable=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportBatchStatus.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True, help_text=_("Row, column and message."))
    refusal = models.CharField(
        _("reason for the refusal"), max_length=40, blank=True, default="", choices=RosterRefusal.choices
    )
    outcomes = models.JSONField(
        _("row outcomes"),
        default=list,
        blank=True,
        help_text=_("What each row did or would do, other than no change: row, action, the fields it changes."),
    )

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportBatchStatus.values), name="import_batch_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ImportBatchStatus.APPLIED) | Q(dry_run=False),
                name="import_batch_dry_run_applies_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.filename


# --- Identity: one human, one person (services.identity and services.merges) -------------------------------


class MergeReason(models.TextChoices):
    OPERATOR = "operator", _("An operator found them to be the same person")
    CLAIM = "claim", _("The person claimed their university record")


@_tracked("PersonMergeHistory")
class PersonMerge(ChecksInOneQuery):
    """One person (`merged`) folded into another (`survivor`): who, when, why, on what evidence, and exactly what
    moved, so that `person_merge_undo` can move it back. Rows that point at a person say so with PERSON_MERGE_KEEPS."""

    PERSON_MERGE_KEEPS = True

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("surviving person"))
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("merged person"))
    reason = models.CharField(_("reason"), max_length=10, choices=MergeReason.choices)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    #: {"app_label.Model.field": [primary keys]}: the rows that pointed at `merged` and now point at `survivor`.
    moved = models.JSONField(_("moved records"), default=dict, blank=True, editable=False)
    #: {field: value}: the merged person's unique identifiers and login, cleared on it (the survivor may take them).
    cleared = models.JSONField(_("cleared identifiers"), default=dict, blank=True, editable=False)
    #: Fields the survivor had empty and took from the merged person.
    taken = models.JSONField(_("fields taken"), default=list, blank=True, editable=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(survivor=F("merged")), name="person_merge_two_persons"),
            models.CheckConstraint(condition=Q(reason__in=MergeReason.values), name="person_merge_reason_valid"),
            models.UniqueConstraint(
                fields=["merged"], condition=Q(undone_at__isnull=True), name="person_merge_once_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


class DisagreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Stored value kept")
    TAKEN = "taken", _("Submitted value taken")


@_tracked("IdentityDisagreementHistory")
class IdentityDisagreement(models.Model):
    """A detail a university gave when it admitted a person the registry already knew (by ORCID iD or national
    researcher number) that differs from the stored one. Never written over the stored value: an operator decides."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disagreements", verbose_name=_("person"))
    enrollment = models.ForeignKey(
        "Enrollment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrollment"),
    )
    university = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    field = models.CharField(_("field"), max_length=40, editable=False)  # a Person field's name, set by the service
    submitted = GuardedCharField(_("submitted value"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DisagreementStatus.choices, default=DisagreementStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("identity disagreement")
        verbose_name_plural = _("identity disagreements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DisagreementStatus.values), name="identity_disagreement_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.field}"


@_tracked("PersonAsRecordedHistory")
class PersonAsRecorded(models.Model):
    """A person as one enrollment's university recorded them, kept once the person is shared: linked by an
    identifier another university's admission gave, or merged. That university reads these values, never what
    another one (or the person) stored on the Person; the Person stays the registry's one record. It follows its
    enrollment through a merge and its undo. Written by `registry.services.recorded`."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="recorded", verbose_name=_("enrollment")
    )
    family_name_ko = GuardedCharField(_("family name (Korean)"), max_length=50, blank=True)
    given_name_ko = GuardedCharField(_("given name (Korean)"), max_length=50, blank=True)
    family_name_latin = GuardedCharField(_("family name (Latin)"), max_length=100, blank=True)
    given_name_latin = GuardedCharField(_("given name (Latin)"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True, choices=Gender.choices)
    nationality = models.CharField(
        _("nationality"),
        max_length=2,
        blank=True,
        choices=vocabulary.country_choices,
        validators=[validators.validate_country],
    )
    email = models.EmailField(_("email"), blank=True, validators=[validators.reject_resident_registration_number])
    # Not unique: this is what the university gave, and the registry's record may hold it (or another person).
    orcid = GuardedCharField(_("ORCID iD"), max_length=19, null=True, blank=True)
    national_researcher_number = GuardedCharField(_("national researcher number"), max_length=8, null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person as the university recorded them")
        verbose_name_plural = _("persons as their universities recorded them")

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.family_name_ko}{self.given_name_ko}".strip()


# --- The change history as the admin shows it ---------------------------------------------------------------


class ChangeEvent(pghistory.models.Events):
    """Every tracked change across the registry's tables (django-pghistory's aggregate), named in the reader's
    language, with the user the change was made by (from the history context)."""

    user = pghistory.ProxyField(
        "pgh_context__user",
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.DO_NOTHING,
            null=True,
            related_name="+",
            verbose_name=_("changed by"),
        ),
    )

    class Meta:
        proxy = True
        verbose_name = _("change")
        verbose_name_plural = _("change history")


# --- Consent to the privacy notice (talent.registry.privacy) -------------------------------------------------


class PrivacyConsent(ChecksInOneQuery):
    """A person's consent to one part (required or optional items) of one version of the privacy notice: when it
    was given and, for the optional part, when it was withdrawn. Rows are kept: the record of what was agreed."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="privacy_consents", verbose_name=_("person")
    )
    notice_version = models.CharField(_("notice version"), max_length=20, editable=False)
    scope = models.CharField(_("items"), max_length=10, choices=privacy.ConsentScope.choices)
    given_at = models.DateTimeField(_("consented at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")
        ordering = ["given_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=privacy.ConsentScope.values), name="privacy_consent_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(scope=privacy.ConsentScope.OPTIONAL),
                name="privacy_consent_required_not_withdrawn",
            ),
        ]
        indexes = [models.Index(fields=["person", "notice_version"], name="privacy_consent_person_idx")]

    def __str__(self) -> str:
        return f"{self.notice_version} {self.get_scope_display()}"
