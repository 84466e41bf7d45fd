"""Every read of engagements, with the reader's permissions applied.

- the expert sees their own engagements, a company member those on their company's problems, a university's staff
  those of their own students (read only), those open to AX projects (the company agreed, still under way) and
  those their students do as AX projects; operators all; the ministry counts only (`engagement_counts`);
- the contact each side sees: of the expert, what the expert's consent shares (matching's one rule,
  `shown_expert_fields`), nothing at all to a university's staff whose student the expert is not; of the company,
  its name and the member who answered for it;
- the AX projects: everyone who sees the engagement sees how many and from which universities and schools; only
  the student's own university (and operators) see which student.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.common.errors import InvalidInput
from talent.engagements.models import AXProject, Engagement, EngagementStatus, Outcome
from talent.matching.models import Side
from talent.matching.presentation import expert_card, expert_card_for
from talent.registry import lifecycle, roles
from talent.registry import selectors as registry_selectors
from talent.registry.models import Enrollment

if TYPE_CHECKING:
    from talent.registry.roles import User

#: Who sees the engagement counts: the ministry and operators.
SEE_COUNTS = roles.Gate(
    roles.MINISTRY.allows, gettext_lazy("Only the ministry or an operator may see engagement counts.")
)


def engagement_list_for_user(*, user: User) -> QuerySet[Engagement]:
    """The engagements `user` may open, with problem, company and expert joined (one query a page)."""
    qs = Engagement.objects.select_related(
        "proposal__problem__organization",
        "proposal__expert__person__researcher_profile__korean_affiliation",
        "proposal__company_responded_by",
        "closed_by",
    )
    if roles.is_operator(user):
        return qs
    company = roles.company_of(user)
    if company is not None:
        return qs.filter(proposal__problem__organization=company)
    university = roles.university_of(user)
    if university is not None:
        own_student = Exists(
            Enrollment.objects.filter(person_id=OuterRef("proposal__expert__person_id"), university=university)
        )
        return qs.annotate(expert_is_own_student=own_student).filter(
            Q(expert_is_own_student=True)
            | Q(status=EngagementStatus.ACTIVE, ax_projects_agreed_at__isnull=False)
            | Q(pk__in=AXProject.objects.filter(enrollment__university=university).values("engagement_id"))
        )
    if user.is_authenticated and not roles.is_ministry(user):
        return qs.filter(proposal__expert__person__user=user)
    return qs.none()


def engagement_side(*, user: User, engagement: Engagement) -> str | None:
    """Which side `user` acts for: the expert themself, a member of the problem's company, or neither."""
    proposal = engagement.proposal
    if proposal.expert.person.user_id is not None and proposal.expert.person.user_id == user.pk:
        return Side.EXPERT
    company = roles.company_of(user)
    if company is not None and company.pk == proposal.problem.organization_id:
        return Side.COMPANY
    return None


def engagement_contact(*, user: User, engagement: Engagement) -> dict[str, Any]:
    """What `user` sees of both sides: the expert's card (only the fields the expert's consent shares with this
    reader) and the company's name with the member who accepted for it."""
    proposal = engagement.proposal
    member = proposal.company_responded_by
    company = proposal.problem.organization
    return {
        "expert": _expert_card(user, engagement),
        "company": {
            "id": company.pk,
            "name": company.name_ko,
            "name_en": company.name_en,
            "contact_name": (member.get_full_name() or member.get_username()) if member is not None else "",
            "contact_email": member.email if member is not None else "",
        },
    }


def _expert_card(user: User, engagement: Engagement) -> dict[str, Any]:
    """A university's staff see an expert's name and email only when the expert is their own student; on an
    engagement open to AX projects they see nothing of an expert who is not."""
    proposal = engagement.proposal
    university = roles.university_of(user)
    if university is not None and not roles.is_operator(user):
        own = getattr(engagement, "expert_is_own_student", None)
        if own is None:
            own = Enrollment.objects.filter(person_id=proposal.expert.person_id, university=university).exists()
        if not own:
            return expert_card(proposal.expert, frozenset())
    return expert_card_for(user=user, proposal=proposal)


def ax_project_list(*, user: User, engagement: Engagement) -> list[dict[str, Any]]:
    """The engagement's AX projects as `user` sees them, unlinked ones included: each one's university, school,
    degree level, when it was linked and unlinked; the enrollment, the student's name and the reason for unlinking
    only to the student's university and operators, who may also unlink it (`may_unlink`)."""
    rows = []
    projects = AXProject.objects.filter(engagement=engagement).select_related(
        "enrollment__person", "enrollment__recorded", "enrollment__programme__school", "enrollment__university"
    )
    for project in projects:
        enrollment = project.enrollment
        row: dict[str, Any] = {
            "id": project.pk,
            "university": enrollment.university.name_ko,
            "school": enrollment.programme.school.name_ko,
            "degree_level": enrollment.programme.get_degree_level_display(),
            "linked_at": project.linked_at,
            "unlinked_at": project.unlinked_at,
            "unlink_reason": "",
            "enrollment": None,
            "person_id": None,
            "student": "",
            "may_unlink": False,
        }
        if roles.may_manage_university(user, enrollment.university):
            person = registry_selectors.person_as_recorded(enrollment)
            row |= {
                "enrollment": enrollment.pk,
                "person_id": person.pk,
                "student": f"{person.family_name_ko}{person.given_name_ko} ({enrollment.student_number})",
                "unlink_reason": project.unlink_reason,
                "may_unlink": project.unlinked_at is None and enrollment.status in lifecycle.ACTIVE_STATUSES,
            }
        rows.append(row)
    return rows


def ax_project_of_engagement(*, engagement: Engagement, pk: int) -> AXProject:
    """One of the engagement's AX projects (the reader already sees the engagement; who may unlink it,
    `ax_project_unlink` checks). Not found: 404."""
    return get_object_or_404(AXProject.objects.select_related("enrollment__university"), engagement=engagement, pk=pk)


def ax_project_enrollment(*, pk: int) -> Enrollment:
    """The enrollment a university's staff name to link (whose university it is, `ax_project_link` checks)."""
    enrollment = Enrollment.objects.select_related("university").filter(pk=pk).first()
    if enrollment is None:
        raise InvalidInput(_("No such enrollment."), field="enrollment")
    return enrollment


def may_link_ax_projects(*, user: User, engagement: Engagement) -> bool:
    """Whether the page offers `user` to link students: a university's staff, on an engagement under way that the
    company agreed to (the service checks it all again)."""
    return (
        roles.university_of(user) is not None
        and engagement.status == EngagementStatus.ACTIVE
        and engagement.ax_projects_agreed_at is not None
    )


def engagement_counts() -> dict[str, Any]:
    """How many engagements there are: in all, by status, by outcome and by the problem's KSIC section."""
    rows = Engagement.objects.values("status", "outcome", "proposal__problem__ksic_section").annotate(n=Count("id"))
    total = 0
    by_status = dict.fromkeys(EngagementStatus.values, 0)
    by_outcome = dict.fromkeys(Outcome.values, 0)
    by_section: dict[str, int] = {}
    for row in rows:
        total += row["n"]
        by_status[row["status"]] += row["n"]
        if row["outcome"]:
            by_outcome[row["outcome"]] += row["n"]
        section = row["proposal__problem__ksic_section"]
        by_section[section] = by_section.get(section, 0) + row["n"]
    return {
        "total": total,
        "by_status": by_status,
        "by_outcome": by_outcome,
        "by_section": dict(sorted(by_section.items())),
    }
