"""Engagements: a proposal accepted by both sides, from its start to its close with an outcome, and the AX graduate
students who do it as their AX project.

Fields, constraints and single-row rules only; every write is in `talent.engagements.services`.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talent.common.db import ChecksInOneQuery
from talent.matching.models import Proposal
from talent.registry.fields import GuardedTextField
from talent.registry.models import Enrollment

#: The longest closing note: a short note, not a report.
NOTE_MAX_LENGTH = 1000
#: The longest reason for unlinking an AX project.
UNLINK_REASON_MAX_LENGTH = 500


class EngagementStatus(models.TextChoices):
    ACTIVE = "active", _("Under way")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    PARTLY = "partly", _("Partly solved")
    NOT_PURSUED = "not_pursued", _("Not pursued")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    model_name="EngagementHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
    append_only=True,
)
class Engagement(ChecksInOneQuery):
    """An expert and a company working on a field problem, once both accepted the proposal. Either side closes it
    with an outcome and a short note; closed is final."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="engagement", verbose_name=_("proposal")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=EngagementStatus.choices, default=EngagementStatus.ACTIVE
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    note = GuardedTextField(_("closing note"), max_length=NOTE_MAX_LENGTH, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    #: The company agreed that a university's staff link AX graduate students to it as their AX project.
    ax_projects_agreed_at = models.DateTimeField(_("AX projects agreed at"), null=True, blank=True)
    ax_projects_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("AX projects agreed by"),
    )

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EngagementStatus.values), name="engagement_status_valid"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values), name="engagement_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=EngagementStatus.ACTIVE, outcome="", closed_at__isnull=True)
                | (Q(status=EngagementStatus.CLOSED, closed_at__isnull=False) & ~Q(outcome="")),
                name="engagement_closed_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="engagement_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="AXProjectHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history", db_constraint=False),
    append_only=True,
)
class AXProject(models.Model):
    """An AX graduate student's enrollment doing an engagement as its AX project (the completion route "AX
    project"): linked by the student's university's staff, once the company agreed. Unlinking (a link made in error,
    or a student who moves to another project) ends it with a reason and keeps the row, so a report as of a date
    before the unlinking still counts it; an enrollment has at most one AX project not unlinked."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="ax_projects", verbose_name=_("engagement")
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="ax_projects", verbose_name=_("enrollment")
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )
    #: The enrollment's completion route before the link made it "AX project": unlinking gives it back.
    previous_completion_route = models.CharField(
        _("completion route before the link"), max_length=12, blank=True, default="", editable=False
    )
    unlinked_at = models.DateTimeField(_("unlinked at"), null=True, blank=True)
    unlinked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unlinked by"),
    )
    unlink_reason = GuardedTextField(_("reason for unlinking"), max_length=UNLINK_REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("AX project")
        verbose_name_plural = _("AX projects")
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(unlinked_at__isnull=True),
                name="ax_project_one_linked_per_enrollment",
                violation_error_message=_("This student's enrollment already has an AX project."),
            ),
            models.CheckConstraint(
                condition=Q(unlinked_at__isnull=True, unlink_reason="")
                | (Q(unlinked_at__isnull=False) & ~Q(unlink_reason="")),
                name="ax_project_unlinked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.engagement_id} ← {self.enrollment_id}"
