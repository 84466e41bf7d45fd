"""Operators' pages: the queue of probable duplicates (each pair side by side with its evidence: same person, or
not the same) and the merges (undo). The same services as the API and the admin; everyone else is refused (403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.identity import selectors, services
from talent.identity.presentation import evidence_in_words
from talent.registry import roles
from talent.web.access import allowed_by

PAGE_SIZE = 25

operators_only = allowed_by(roles.OPERATOR)


@operators_only
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    candidates = selectors.candidate_list(user=request.user)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    pairs = [(candidate, evidence_in_words(candidate.evidence)) for candidate in page]
    return render(request, "web/operator/candidates.html", {"page": page, "pairs": pairs})


@operators_only
@require_POST
def candidate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get_for_user(user=request.user, pk=pk)
    same = request.POST.get("decision") == "same"
    try:
        services.candidate_decide(actor=signed_in_user(request), candidate=candidate, same=same)
    except DomainError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Merged: the two records are one person.")
            if same
            else _("Remembered: this pair will not be proposed again."),
        )
    return redirect("web:operator-candidates")


@operators_only
@require_GET
def merge_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.merge_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/operator/merges.html", {"page": page})


@operators_only
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = selectors.merge_get_for_user(user=request.user, pk=pk)
    try:
        services.merge_undo(actor=signed_in_user(request), merge=merge)
    except DomainError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The merge is undone: the two records are separate again."))
    return redirect("web:operator-merges")


urlpatterns = [
    path("operator/duplicates/", candidate_list, name="operator-candidates"),
    path("operator/duplicates/<int:pk>/decide/", candidate_decide, name="operator-candidate-decide"),
    path("operator/merges/", merge_list, name="operator-merges"),
    path("operator/merges/<int:pk>/undo/", merge_undo, name="operator-merge-undo"),
]
