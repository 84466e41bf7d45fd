"""Every write of engagements: starting one when both sides accept, closing it with an outcome, the company's
agreement to AX projects, and linking AX graduate students' enrollments to it as their AX project (and unlinking
them)."""

from __future__ import annotations

import pghistory
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.db import validate
from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.engagements import signals
from talent.engagements.models import AXProject, Engagement, EngagementStatus, Outcome
from talent.engagements.selectors import engagement_side
from talent.matching.models import Proposal, ProposalStatus, Side
from talent.registry import lifecycle, roles
from talent.registry.models import Enrollment
from talent.registry.services import enrollment_update
from talent.registry.vocabulary import CompletionRoute


def engagement_start(*, proposal: Proposal) -> Engagement:
    """The engagement of a proposal both sides accepted (called in the answer's transaction); the same one when it
    exists already."""
    if proposal.status != ProposalStatus.ACCEPTED:
        raise Conflict(_("Only a proposal both sides accepted becomes an engagement."), code="not_accepted")
    with transaction.atomic():
        engagement, created = Engagement.objects.get_or_create(proposal=proposal)
        if created:
            engagement.proposal = proposal
            signals.engagement_started.send(sender=Engagement, engagement=engagement)
    return engagement


def engagement_close(*, actor: User, engagement: Engagement, outcome: str, note: str = "") -> Engagement:
    """The expert or a member of the company closes the engagement with an outcome and a short note, once.
    Refused: anyone else (403), an unknown outcome or a note that breaks the field's rules (400), an engagement
    already closed (409)."""
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose an outcome: solved, partly solved or not pursued."), field="outcome")
    note = (note or "").strip()
    with transaction.atomic(), pghistory.context(user=actor.pk, action="engagement_close"):
        locked = _locked(engagement)
        if engagement_side(user=actor, engagement=locked) is None:
            raise NotAllowed(_("Only the expert or a member of the problem's company may close this engagement."))
        if locked.status == EngagementStatus.CLOSED:
            raise Conflict(
                _("This engagement was already closed (%(outcome)s).") % {"outcome": locked.get_outcome_display()},
                code="engagement_closed",
            )
        locked.status, locked.outcome, locked.note = EngagementStatus.CLOSED, outcome, note
        locked.closed_at, locked.closed_by = timezone.now(), actor
        validate(locked, exclude=["proposal"])
        locked.save()
        signals.engagement_closed.send(sender=Engagement, engagement=locked, actor=actor)
    return locked


def engagement_agree_to_ax_projects(*, actor: User, engagement: Engagement) -> Engagement:
    """A member of the problem's company agrees that universities' staff link AX graduate students to the engagement
    as their AX project. Refused: anyone else (403), a closed engagement (409). Agreeing again changes nothing."""
    with transaction.atomic(), pghistory.context(user=actor.pk, action="engagement_agree_to_ax_projects"):
        locked = _locked(engagement)
        if engagement_side(user=actor, engagement=locked) != Side.COMPANY:
            raise NotAllowed(_("Only a member of the problem's company may agree to AX projects on this engagement."))
        _check_active(locked)
        if locked.ax_projects_agreed_at is None:
            locked.ax_projects_agreed_at, locked.ax_projects_agreed_by = timezone.now(), actor
            locked.save(update_fields=["ax_projects_agreed_at", "ax_projects_agreed_by"])
    return locked


def ax_project_link(*, actor: User, engagement: Engagement, enrollment: Enrollment) -> AXProject:
    """The student's university's staff (or an operator) link an active enrollment to the engagement as its AX
    project; its completion route becomes "AX project". Refused with nothing written: a student of another
    university (403); a closed engagement, one the company has not agreed to, an enrollment that is not active or
    is already another engagement's AX project (409)."""
    with transaction.atomic():
        project = _link(actor=actor, engagement=engagement, enrollment=enrollment)
        # After the link's own history context, so that each history row says which action wrote it.
        if project.enrollment.completion_route != CompletionRoute.AX_PROJECT:
            enrollment_update(actor=actor, enrollment=project.enrollment, completion_route=CompletionRoute.AX_PROJECT)
    return project


def _link(*, actor: User, engagement: Engagement, enrollment: Enrollment) -> AXProject:
    with pghistory.context(user=actor.pk, action="ax_project_link"):
        locked = _locked(engagement)
        student = Enrollment.objects.select_for_update(of=("self",)).select_related("university").get(pk=enrollment.pk)
        if not roles.may_manage_university(actor, student.university):
            raise NotAllowed(
                _("You may only link students of your own university to an engagement as their AX project."),
                field="enrollment",
            )
        _check_active(locked)
        if locked.ax_projects_agreed_at is None:
            raise Conflict(
                _("The company has not agreed to AX projects on this engagement: ask it to agree first."),
                code="ax_projects_not_agreed",
            )
        if student.status not in lifecycle.ACTIVE_STATUSES:
            raise Conflict(
                _("Only a student whose enrollment is active can take it as an AX project (this one is %(status)s).")
                % {"status": student.get_status_display()},
                code="enrollment_not_active",
                field="enrollment",
            )
        if AXProject.objects.filter(enrollment=student, unlinked_at__isnull=True).exists():
            raise Conflict(
                _("This student's enrollment already has an AX project."), code="ax_project_exists", field="enrollment"
            )
        project = AXProject(
            engagement=locked, enrollment=student, linked_by=actor, previous_completion_route=student.completion_route
        )
        validate(project)
        project.save()
    return project


def ax_project_unlink(*, actor: User, project: AXProject, reason: str) -> AXProject:
    """The student's university's staff (or an operator) unlink an AX project, with a reason: the row is kept (its
    history is the audit trail; a report as of an earlier date still counts it) and the enrollment's completion
    route goes back to what it was before the link, unless it was changed since. Refused with nothing written: a
    student of another university (403), no reason (400), a project already unlinked or an enrollment no longer
    active (409: a graduated student's AX project is the record of how they completed)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        unlinked = _unlink(actor=actor, project=project, reason=reason)
        # After the unlinking's own history context, so that each history row says which action wrote it.
        if unlinked.enrollment.completion_route == CompletionRoute.AX_PROJECT:
            enrollment_update(
                actor=actor, enrollment=unlinked.enrollment, completion_route=unlinked.previous_completion_route
            )
    return unlinked


def _unlink(*, actor: User, project: AXProject, reason: str) -> AXProject:
    with pghistory.context(user=actor.pk, action="ax_project_unlink"):
        locked = (
            AXProject.objects.select_for_update(of=("self",))
            .select_related("enrollment__university", "engagement")
            .get(pk=project.pk)
        )
        student = locked.enrollment
        if not roles.may_manage_university(actor, student.university):
            raise NotAllowed(_("Only the student's own university may unlink their AX project."))
        if locked.unlinked_at is not None:
            raise Conflict(
                _("This AX project was already unlinked on %(day)s.")
                % {"day": timezone.localdate(locked.unlinked_at).isoformat()},
                code="ax_project_unlinked",
            )
        if not reason:
            raise InvalidInput(_("Say why the AX project is unlinked."), field="reason")
        if student.status not in lifecycle.ACTIVE_STATUSES:
            raise Conflict(
                _("Only an active enrollment's AX project can be unlinked (this one is %(status)s).")
                % {"status": student.get_status_display()},
                code="enrollment_not_active",
            )
        locked.unlinked_at, locked.unlinked_by, locked.unlink_reason = timezone.now(), actor, reason
        validate(locked)
        locked.save(update_fields=["unlinked_at", "unlinked_by", "unlink_reason"])
    return locked


def _locked(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("proposal__expert__person", "proposal__problem")
        .get(pk=engagement.pk)
    )


def _check_active(engagement: Engagement) -> None:
    if engagement.status == EngagementStatus.CLOSED:
        raise Conflict(
            _("This engagement was closed (%(outcome)s): nothing more can be added to it.")
            % {"outcome": engagement.get_outcome_display()},
            code="engagement_closed",
        )
