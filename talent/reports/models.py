"""The reports' own records: the versioned targets and the frozen report snapshots. Both are append-only.

An intake plan (모집 정원) is versioned the same way: each change of a school's planned intake for a year and
degree level, and each approval, adds a version; the newest is the plan in force.

A target is revised by adding a new version in force from a date (the old one stays, and every snapshot names
the version it was computed against); a change of which programmes count adds one too, so a target version is
the counting rules' version. A snapshot is never changed: recomputing it shows the difference instead.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talent.common.db import ChecksInOneQuery
from talent.registry.fields import GuardedCharField, GuardedTextField
from talent.registry.models import GraduateSchool
from talent.registry.vocabulary import DegreeLevel

AX_TRAINED = "AX-TRAINED"
OVERSEAS_RETURNED = "OVERSEAS-RETURNED"
#: The targets the data migration seeds: the pages and reports rely on them, so their absence is a state of this
#: registry to repair (an operator adds the target again), not a caller's mistake.
SEEDED_TARGETS = (AX_TRAINED, OVERSEAS_RETURNED)

#: Characters of a target's or a snapshot's note.
NOTE_MAX_LENGTH = 2_000


class TargetBasis(models.TextChoices):
    """What a target counts (DESIGN.md § Counting rules)."""

    TRAINED = "trained", _("Graduates of counting programmes")
    RETURNED = "returned", _("Returned overseas researchers")


class Target(ChecksInOneQuery):
    """One version of a national target, e.g. AX-TRAINED 5,000 by 2030-12-31, in force from `effective_from`.

    On a date, the newest version whose `effective_from` is on or before it is in force (before the first one's
    date, the first); versions take effect in the order they are numbered (talent.reports.services). A version
    counts the programmes counting on its date under the rules recorded when it was made
    (`counting_rules_through`, talent.registry.counting_rules)."""

    code = GuardedCharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    name_ko = GuardedCharField(_("name (Korean)"), max_length=200)
    name_en = GuardedCharField(_("name (English)"), max_length=200)
    basis = models.CharField(_("counting basis"), max_length=10, choices=TargetBasis.choices)
    value = models.PositiveIntegerField(_("target value (persons)"))
    start_date = models.DateField(_("counting starts"))
    deadline = models.DateField(_("deadline"))
    effective_from = models.DateField(
        _("in force from"),
        help_text=_("Reports as of this date or later use this version (and the programmes counting then)."),
    )
    prior_completion_rate = models.DecimalField(
        _("prior completion rate"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.850"),
        help_text=_("Share of students expected to graduate, used while few have finished (see the reports)."),
    )
    prior_weight = models.PositiveIntegerField(
        _("weight of the prior (students)"),
        default=20,
        help_text=_("How many finished students the prior is worth: the observed rate takes over as data grow."),
    )
    counting_rules_through = models.PositiveBigIntegerField(
        _("counting rules recorded up to"),
        default=0,
        editable=False,
        help_text=_(
            "The newest programme counting rule when this version was made: it counts by the rules recorded up to "
            "it (and each programme's first), so two versions from the same date count differently."
        ),
    )
    note = GuardedTextField(_("why this version"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="target_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="target_version_positive"),
            models.CheckConstraint(
                condition=Q(value__gte=1),
                name="target_value_positive",
                violation_error_message=_("A target is 1 or more."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("start_date")),
                name="target_deadline_after_start",
                violation_error_message=_("The deadline must come after the start."),
            ),
            models.CheckConstraint(
                condition=Q(prior_completion_rate__gte=0, prior_completion_rate__lte=1),
                name="target_prior_rate_is_a_share",
                violation_error_message=_("The prior completion rate is between 0 and 1."),
            ),
            models.CheckConstraint(condition=Q(basis__in=TargetBasis.values), name="target_basis_valid"),
        ]
        triggers = [
            # A revision is a new version: the figures frozen against this one must keep meaning the same.
            pgtrigger.ReadOnly(
                name="target_versions_are_append_only",
                fields=[
                    "code",
                    "version",
                    "basis",
                    "value",
                    "start_date",
                    "deadline",
                    "effective_from",
                    "counting_rules_through",
                    "prior_completion_rate",
                    "prior_weight",
                    "created_at",
                ],
            ),
            pgtrigger.Protect(name="target_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How a version is named wherever one is (exports, admin, snapshots): its number is unique per code."""
        return f"{self.code} v{self.version}: {self.value:,} by {self.deadline.isoformat()}"

    def started_by(self, day: datetime.date) -> bool:
        return day >= self.start_date


class ReportSnapshot(models.Model):
    """A report frozen as computed: its figures, the target version and the code that computed them, and a
    checksum of the figures (so a changed row is detected). Append-only."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("target"))
    as_of = models.DateField(_("as of"))
    code_version = models.CharField(_("code version"), max_length=100, editable=False)
    figures = models.JSONField(_("figures"))
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, editable=False)
    note = GuardedTextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-created_at", "-id"]
        triggers = [
            pgtrigger.ReadOnly(
                name="snapshot_is_frozen",
                fields=["target", "as_of", "code_version", "figures", "checksum", "note", "created_at"],
            ),
            pgtrigger.Protect(name="snapshot_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} v{self.target.version} as of {self.as_of.isoformat()}"


class IntakePlanState(models.TextChoices):
    """Who stands behind a plan's figure."""

    PROPOSED = "proposed", _("Proposed by the school")
    APPROVED = "approved", _("Approved by the ministry")
    OVERRIDDEN = "overridden", _("Set by the ministry")


class IntakePlanSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported from a sheet")


class IntakePlan(ChecksInOneQuery):
    """One version of a graduate school's planned intake (모집 정원) for one year and degree level. Append-only:
    a change or an approval adds the next version (talent.reports.intake holds the rules)."""

    school = models.ForeignKey(
        GraduateSchool, on_delete=models.PROTECT, related_name="intake_plans", verbose_name=_("graduate school")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    degree_level = models.CharField(_("degree level"), max_length=12, choices=DegreeLevel.choices)
    version = models.PositiveIntegerField(_("version"))
    intake = models.PositiveIntegerField(_("planned intake (persons)"))
    state = models.CharField(_("state"), max_length=10, choices=IntakePlanState.choices)
    source = models.CharField(_("source"), max_length=10, choices=IntakePlanSource.choices)
    note = GuardedTextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intake plan")
        verbose_name_plural = _("intake plans")
        ordering = ["school_id", "year", "degree_level", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "degree_level", "version"], name="intake_plan_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="intake_plan_version_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=2020, year__lte=2100),
                name="intake_plan_year_range",
                violation_error_message=_("The year is between 2020 and 2100."),
            ),
            models.CheckConstraint(condition=Q(degree_level__in=DegreeLevel.values), name="intake_plan_level_valid"),
            models.CheckConstraint(condition=Q(state__in=IntakePlanState.values), name="intake_plan_state_valid"),
            models.CheckConstraint(condition=Q(source__in=IntakePlanSource.values), name="intake_plan_source_valid"),
        ]
        triggers = [
            # Projections as of a past date read the plans in force then: a version never changes.
            pgtrigger.ReadOnly(name="intake_plan_versions_are_append_only"),
            pgtrigger.Protect(name="intake_plan_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year} {self.degree_level} v{self.version}: {self.intake}"


class ScenarioKind(models.TextChoices):
    ALL_SCHOOLS = "all_schools", _("Change every school's planned intake")
    ONE_SCHOOL = "one_school", _("Set one school's intake")
    NEW_SCHOOLS = "new_schools", _("Add new schools")


class Scenario(models.Model):
    """A named "what if" on the planned intake, saved with the figures it gave: it never changes a plan or an
    official figure (talent.reports.scenarios). Append-only."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="scenarios", verbose_name=_("target"))
    name = GuardedCharField(_("name"), max_length=200)
    as_of = models.DateField(_("as of"))
    kind = models.CharField(_("kind"), max_length=12, choices=ScenarioKind.choices)
    parameters = models.JSONField(_("parameters"))
    figures = models.JSONField(
        _("figures"), help_text=_("Trained by the deadline with the plans and with the scenario.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ScenarioKind.values), name="scenario_kind_valid")]
        triggers = [
            pgtrigger.ReadOnly(name="scenario_is_kept_as_saved"),
            pgtrigger.Protect(name="scenario_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.name
