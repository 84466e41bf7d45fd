"""Engagement pages for both sides (the problem, the counterpart with the contact the expert's consent allows, next
steps, closing with an outcome, the company's agreement to AX projects), for a university's staff (linking their
students as their AX project), the ministry's counts, and every user's inbox and mail settings.

Reads come from the engagements' and notifications' selectors (the API's): another company's or person's
engagement is simply not found. Showing an expert's shared personal data is written to the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.engagements import selectors, services
from talent.engagements.models import Engagement, EngagementStatus
from talent.matching.models import Side
from talent.matching.presentation import shows_personal_data
from talent.notifications import selectors as inbox_selectors
from talent.notifications import services as notifications
from talent.notifications.content import body as notification_body
from talent.notifications.models import NotificationKind
from talent.registry import services as registry_services
from talent.web.forms import perform, posted, submit
from talent.web.forms.engagements import (
    CloseEngagementForm,
    LinkAXProjectForm,
    NotificationSettingsForm,
    UnlinkAXProjectForm,
)

PAGE_SIZE = 25


@login_required
@require_GET
def engagement_list(request: HttpRequest) -> HttpResponse:
    counts = selectors.engagement_counts() if selectors.SEE_COUNTS(request.user) else None
    rows = selectors.engagement_list_for_user(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/engagements/list.html", {"page": page, "engagements": page, "counts": counts})


def _engagement(request: HttpRequest, pk: int) -> Engagement:
    return get_object_or_404(selectors.engagement_list_for_user(user=request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    form = CloseEngagementForm(posted(request))
    if request.method == "POST":
        closed = submit(
            form,
            lambda data: services.engagement_close(actor=signed_in_user(request), engagement=engagement, **data),
        )
        if closed:
            messages.success(request, _("The engagement is closed."))
            return redirect("web:engagement-detail", pk=engagement.pk)
    return _detail_page(request, engagement, close_form=form)


@login_required
@require_POST
def engagement_agree_to_ax_projects(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    perform(
        request,
        lambda: services.engagement_agree_to_ax_projects(actor=signed_in_user(request), engagement=engagement),
        saved=_("You agreed: universities' staff may now link AX graduate students to this engagement."),
    )
    return redirect("web:engagement-detail", pk=engagement.pk)


@login_required
@require_POST
def ax_project_link(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    form = LinkAXProjectForm(request.POST, user=request.user)
    linked = submit(
        form,
        lambda data: services.ax_project_link(
            actor=signed_in_user(request), engagement=engagement, enrollment=data["enrollment"]
        ),
    )
    if linked:
        messages.success(request, _("The student is linked: this engagement is their AX project."))
        return redirect("web:engagement-detail", pk=engagement.pk)
    return _detail_page(request, engagement, link_form=form)


@login_required
@require_POST
def ax_project_unlink(request: HttpRequest, pk: int, project: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    ax_project = selectors.ax_project_of_engagement(engagement=engagement, pk=project)
    form = UnlinkAXProjectForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.ax_project_unlink(
                actor=signed_in_user(request), project=ax_project, reason=form.cleaned_data["reason"]
            ),
            saved=_("The AX project is unlinked; the student's completion route is what it was before the link."),
        )
    else:
        messages.error(request, " ".join(str(error) for error in form.errors["reason"]))
    return redirect("web:engagement-detail", pk=engagement.pk)


def _detail_page(
    request: HttpRequest,
    engagement: Engagement,
    *,
    close_form: CloseEngagementForm | None = None,
    link_form: LinkAXProjectForm | None = None,
) -> HttpResponse:
    """The engagement's page: what a side or the student's university sees of it, with the forms the reader may
    use; the personal data it shows (the expert's shared contact, the reader's own students) is logged."""
    side = selectors.engagement_side(user=request.user, engagement=engagement)
    contact = selectors.engagement_contact(user=request.user, engagement=engagement)
    ax_projects = selectors.ax_project_list(user=request.user, engagement=engagement)
    shown = [row["person_id"] for row in ax_projects if row["person_id"] is not None]
    if shows_personal_data(contact["expert"]):
        shown.append(engagement.proposal.expert.person_id)
    if shown:
        registry_services.access_log_record(
            actor=signed_in_user(request), person_ids=shown, action="engagement_page", request=request
        )
    may_link = selectors.may_link_ax_projects(user=request.user, engagement=engagement)
    active = engagement.status == EngagementStatus.ACTIVE
    return render(
        request,
        "web/engagements/detail.html",
        {
            "engagement": engagement,
            "problem": engagement.proposal.problem,
            "contact": contact,
            "side": side,
            "is_company": side == Side.COMPANY,
            "may_close": side is not None and active,
            "may_agree": side == Side.COMPANY and active and engagement.ax_projects_agreed_at is None,
            "form": close_form if close_form is not None else CloseEngagementForm(),
            "ax_projects": ax_projects,
            "link_form": (link_form if link_form is not None else LinkAXProjectForm(user=request.user))
            if may_link
            else None,
        },
    )


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    rows = inbox_selectors.notification_list_for_user(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"notification": n, "message": notification_body(n)} for n in page]
    return render(request, "web/notifications/inbox.html", {"page": page, "notifications": items})


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    notifications.notifications_mark_read(user=signed_in_user(request))
    return redirect("web:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    current = notifications.settings_of(user)
    initial = {
        "language": current.language,
        "emailed_kinds": [kind for kind in NotificationKind.values if kind not in current.muted_kinds],
    }
    form = NotificationSettingsForm(posted(request), initial=initial)
    saved = submit(
        form,
        lambda data: notifications.notification_settings_update(
            user=user,
            language=data["language"],
            muted_kinds=[kind for kind in NotificationKind.values if kind not in data["emailed_kinds"]],
        ),
    )
    if saved:
        messages.success(request, _("Your notification settings are saved."))
        return redirect("web:notification-settings")
    return render(request, "web/notifications/settings.html", {"form": form})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A mail's link: no sign-in needed (the signed token names the user and the kind); a POST stops them."""
    try:
        user, kind = notifications.unsubscribe_read(token)
        if request.method == "POST":
            notifications.unsubscribe(token=token)
    except DomainError as error:
        return render(request, "web/notifications/unsubscribe.html", {"error": str(error)}, status=400)
    return render(
        request,
        "web/notifications/unsubscribe.html",
        {"kind": NotificationKind(kind).label, "done": request.method == "POST", "user_id": user.pk},
    )


urlpatterns: list[URLPattern] = [
    path("engagements/", engagement_list, name="engagements"),
    path("engagements/<int:pk>/", engagement_detail, name="engagement-detail"),
    path(
        "engagements/<int:pk>/agree-ax-projects/",
        engagement_agree_to_ax_projects,
        name="engagement-agree-ax-projects",
    ),
    path("engagements/<int:pk>/ax-projects/", ax_project_link, name="engagement-ax-project-link"),
    path(
        "engagements/<int:pk>/ax-projects/<int:project>/unlink/",
        ax_project_unlink,
        name="engagement-ax-project-unlink",
    ),
    path("inbox/", inbox, name="inbox"),
    path("inbox/read/", inbox_mark_read, name="inbox-mark-read"),
    path("inbox/settings/", notification_settings, name="notification-settings"),
    path("unsubscribe/<str:token>/", unsubscribe, name="notifications-unsubscribe"),
]
