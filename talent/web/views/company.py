"""A company member's pages: their company's field problems (draft, edit, open, close) and each problem's
proposals with why, showing of each expert only what the expert shares; accept or decline.

Problems come from `field_problem_list` and proposals from matching's selectors (the API's): another company's
problem or proposal is simply not found. Answers go through `proposal_answer`, the API's service, so a refusal
reads the same here as there. Showing an expert's shared personal data is written to the access log, as the API
does.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talent.common.users import signed_in_user
from talent.matching import selectors as matching_selectors
from talent.matching.models import Answer, Side
from talent.matching.presentation import proposal_card, shows_personal_data
from talent.matching.services import proposal_answer
from talent.registry import selectors, services
from talent.registry.models import FieldProblem, Organization
from talent.registry.vocabulary import ProblemStatus
from talent.web.access import company_required
from talent.web.forms import perform, posted, submit
from talent.web.forms.company import FieldProblemForm, ProblemPageFilter

#: Proposals per page of a problem (a card each, as long as a dozen table rows).
PAGE_SIZE = 20
#: Rows per page of the problem list.
LIST_PAGE_SIZE = 50


def _problems(request: HttpRequest) -> QuerySet[FieldProblem]:
    return selectors.field_problem_list(user=request.user)


@company_required
@require_GET
def problem_list(request: HttpRequest, company: Organization) -> HttpResponse:
    problems = matching_selectors.problem_list_with_live_proposals(_problems(request)).order_by("-created_at")
    filterset = ProblemPageFilter(request.GET, queryset=problems, request=request)
    page = Paginator(filterset.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/company/problems.html",
        {"company": company, "problems": page, "page": page, "filter": filterset, "filtered": bool(request.GET)},
    )


@company_required
@require_http_methods(["GET", "POST"])
def problem_create(request: HttpRequest, company: Organization) -> HttpResponse:
    form = FieldProblemForm(posted(request))
    duplicates: list[FieldProblem] = []

    def create(data: dict[str, Any]) -> FieldProblem | None:
        nonlocal duplicates
        if not request.POST.get("confirm_duplicate"):
            duplicates = selectors.field_problem_near_duplicates(
                user=request.user, title=data["title"], description=data["description"]
            )
            if duplicates:
                return None
        return services.field_problem_create(actor=signed_in_user(request), organization=company, **data)

    problem = submit(form, create)
    if problem:
        messages.success(request, _("The field problem is saved as a draft: open it to matching when it is ready."))
        return redirect("web:problem-detail", pk=problem.pk)
    return render(request, "web/company/problem_form.html", {"form": form, "problem": None, "duplicates": duplicates})


@company_required
@require_http_methods(["GET", "POST"])
def problem_edit(request: HttpRequest, company: Organization, pk: int) -> HttpResponse:
    problem = get_object_or_404(_problems(request), pk=pk)
    form = FieldProblemForm(posted(request), instance=problem)
    if submit(form, lambda data: services.field_problem_update(actor=signed_in_user(request), problem=problem, **data)):
        messages.success(request, _("The field problem is saved."))
        return redirect("web:problem-detail", pk=problem.pk)
    return render(request, "web/company/problem_form.html", {"form": form, "problem": problem})


@company_required
@require_GET
def problem_detail(request: HttpRequest, company: Organization, pk: int) -> HttpResponse:
    problem = get_object_or_404(_problems(request), pk=pk)
    rows = matching_selectors.proposal_list_of_problem(user=request.user, problem=problem)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [proposal_card(p, user=request.user, side=Side.COMPANY) for p in page]
    shown = {card["proposal"].expert.person_id for card in cards if shows_personal_data(card["expert"])}
    services.access_log_record(actor=signed_in_user(request), person_ids=shown, action="proposal_page", request=request)
    return render(request, "web/company/problem_detail.html", {"problem": problem, "cards": cards, "page": page})


@company_required
@require_POST
def problem_status(request: HttpRequest, company: Organization, pk: int, status: str) -> HttpResponse:
    problem = get_object_or_404(_problems(request), pk=pk)
    change = services.field_problem_open_and_announce if status == ProblemStatus.OPEN else services.field_problem_close
    opened = status == ProblemStatus.OPEN
    saved = _("The field problem is open to matching.") if opened else _("The field problem is closed.")
    perform(request, partial(change, actor=signed_in_user(request), problem=problem), saved=saved)
    return redirect("web:problem-detail", pk=problem.pk)


@company_required
@require_POST
def answer_proposal(request: HttpRequest, company: Organization, pk: int, answer: str) -> HttpResponse:
    proposal = get_object_or_404(matching_selectors.proposal_list_for_user(user=request.user), pk=pk)
    write = partial(
        proposal_answer,
        actor=signed_in_user(request),
        proposal=proposal,
        answer=answer,
        reason=request.POST.get("reason", ""),
    )
    perform(request, write, saved=_("Your company's answer is saved."))
    return redirect("web:problem-detail", pk=proposal.problem_id)


urlpatterns: list[URLPattern] = [
    path("company/", problem_list, name="company-home"),
    path("company/problems/new/", problem_create, name="problem-create"),
    path("company/problems/<int:pk>/", problem_detail, name="problem-detail"),
    path("company/problems/<int:pk>/edit/", problem_edit, name="problem-edit"),
    path("company/problems/<int:pk>/open/", problem_status, {"status": ProblemStatus.OPEN}, name="problem-open"),
    path("company/problems/<int:pk>/close/", problem_status, {"status": ProblemStatus.CLOSED}, name="problem-close"),
    path(
        "company/proposals/<int:pk>/accept/",
        answer_proposal,
        {"answer": Answer.ACCEPTED},
        name="company-proposal-accept",
    ),
    path(
        "company/proposals/<int:pk>/decline/",
        answer_proposal,
        {"answer": Answer.DECLINED},
        name="company-proposal-decline",
    ),
]
