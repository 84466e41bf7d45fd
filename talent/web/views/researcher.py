"""A returning researcher's or student's own pages: record, returning-researcher profile with overseas positions,
expert profile, consent, proposals (with why; accept or decline), a download of their data, closing the account.

Every object is reached through the login's own person record (the API's HasPersonRecord and selectors), so
another person's position or proposal is simply not found.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talent.accounts import lockout
from talent.accounts.presentation import personal_data_download
from talent.accounts.services import claim_refusal
from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.matching import selectors as matching_selectors
from talent.matching.models import Answer, Side
from talent.matching.presentation import proposal_card
from talent.matching.services import proposal_answer
from talent.registry import selectors, services
from talent.registry.models import Person
from talent.registry.services.people import SAVE_PROFILE_FIRST
from talent.web.access import person_required
from talent.web.forms import add_domain_error, perform, posted, submit
from talent.web.forms.accounts import AccountDeleteForm
from talent.web.forms.researcher import (
    ConsentForm,
    ExpertProfileForm,
    PersonForm,
    PositionForm,
    ResearcherProfileForm,
)
from talent.web.views.privacy import consents_context

EDITING = require_http_methods(["GET", "POST"])
#: Proposals per page (a card each, as long as a dozen table rows).
PAGE_SIZE = 20


# --- Overview and record ---------------------------------------------------------------------------------


@person_required
@require_GET
def overview(request: HttpRequest, person: Person) -> HttpResponse:
    context = {
        "person": person,
        "researcher": getattr(person, "researcher_profile", None),
        "positions": selectors.overseas_position_list(user=request.user),
        "expert": getattr(person, "expert_profile", None),
        "open_proposals": matching_selectors.proposal_count_awaiting(user=request.user, person=person),
        "claimable": claim_refusal(request.user) is None,
        "enrollments": selectors.own_enrollment_list(user=request.user),
    }
    return render(request, "web/researcher/overview.html", context)


@person_required
@EDITING
def record(request: HttpRequest, person: Person) -> HttpResponse:
    form = PersonForm(posted(request), instance=person)
    if submit(form, lambda data: services.person_update(actor=signed_in_user(request), person=person, **data)):
        messages.success(request, _("Your record is saved."))
        return redirect("web:researcher-home")
    return render(request, "web/researcher/record.html", {"form": form})


# --- Returning-researcher profile and overseas positions -----------------------------------------------


@person_required
@EDITING
def researcher_profile(request: HttpRequest, person: Person) -> HttpResponse:
    profile = getattr(person, "researcher_profile", None)
    form = ResearcherProfileForm(posted(request), instance=profile, user=request.user)

    if submit(
        form, lambda data: services.researcher_profile_save(actor=signed_in_user(request), person=person, **data)
    ):
        messages.success(request, _("Your returning-researcher profile is saved."))
        return redirect("web:researcher-profile")
    context = {"form": form, "profile": profile, "positions": selectors.overseas_position_list(user=request.user)}
    return render(request, "web/researcher/profile.html", context)


@person_required
@EDITING
def position_add(request: HttpRequest, person: Person) -> HttpResponse:
    if getattr(person, "researcher_profile", None) is None:
        messages.info(request, SAVE_PROFILE_FIRST)  # the service refuses without one: say so before the form
        return redirect("web:researcher-profile")
    form = PositionForm(posted(request))
    if submit(form, lambda data: services.overseas_position_add(actor=signed_in_user(request), person=person, **data)):
        messages.success(request, _("The overseas position is added."))
        return redirect("web:researcher-profile")
    return render(request, "web/researcher/position.html", {"form": form, "position": None})


@person_required
@EDITING
def position_edit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    position = get_object_or_404(selectors.overseas_position_list(user=request.user), pk=pk)
    form = PositionForm(posted(request), instance=position)
    if submit(
        form, lambda data: services.overseas_position_update(actor=signed_in_user(request), position=position, **data)
    ):
        messages.success(request, _("The overseas position is saved."))
        return redirect("web:researcher-profile")
    return render(request, "web/researcher/position.html", {"form": form, "position": position})


@person_required
@EDITING
def position_remove(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    position = get_object_or_404(selectors.overseas_position_list(user=request.user), pk=pk)
    if request.method == "POST":
        services.overseas_position_delete(actor=signed_in_user(request), position=position)
        messages.success(request, _("The overseas position is removed."))
        return redirect("web:researcher-profile")
    return render(request, "web/researcher/position_remove.html", {"position": position})


# --- Expert profile and consent ------------------------------------------------------------------------


@person_required
@EDITING
def expert_profile(request: HttpRequest, person: Person) -> HttpResponse:
    form = ExpertProfileForm(posted(request), instance=getattr(person, "expert_profile", None))
    saved = submit(
        form, lambda data: services.expert_profile_save(actor=signed_in_user(request), person=person, **data)
    )
    if saved:
        messages.success(request, _("Your expert profile is saved."))
        return redirect("web:expert-profile" if saved.consent_to_matching else "web:consent")
    return render(request, "web/researcher/expert.html", {"form": form})


@person_required
@EDITING
def consent(request: HttpRequest, person: Person) -> HttpResponse:
    profile = getattr(person, "expert_profile", None)
    if profile is None:
        messages.info(request, _("Save your expert profile first: consent is about what it offers."))
        return redirect("web:expert-profile")
    initial = {"consent_to_matching": profile.consent_to_matching, "shared_fields": profile.shared_fields}
    form = ConsentForm(posted(request), initial=initial)
    saved = submit(
        form, lambda data: services.expert_consent_set(actor=signed_in_user(request), profile=profile, **data)
    )
    if saved:
        given = saved.consent_to_matching
        messages.success(request, _("Your consent is saved.") if given else _("Your consent is withdrawn."))
        return redirect("web:consent")
    return render(request, "web/researcher/consent.html", {"form": form, "profile": profile})


# --- Proposals -------------------------------------------------------------------------------------------


@person_required
@require_GET
def proposals(request: HttpRequest, person: Person) -> HttpResponse:
    rows = matching_selectors.proposal_list_of_expert(user=request.user, person=person)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [proposal_card(proposal, user=request.user, side=Side.EXPERT) for proposal in page]
    return render(request, "web/researcher/proposals.html", {"cards": cards, "page": page})


@person_required
@require_POST
def answer_proposal(request: HttpRequest, person: Person, pk: int, answer: str) -> HttpResponse:
    mine = matching_selectors.proposal_list_for_user(user=request.user).filter(expert__person=person)
    proposal = get_object_or_404(mine, pk=pk)
    write = partial(
        proposal_answer,
        actor=signed_in_user(request),
        proposal=proposal,
        answer=answer,
        reason=request.POST.get("reason", ""),
    )
    perform(request, write, saved=_("Your answer is saved."))
    return redirect("web:my-proposals")


# --- My data: download, close the account -------------------------------------------------------------


@person_required
@require_GET
def my_data(request: HttpRequest, person: Person) -> HttpResponse:
    return render(request, "web/researcher/my_data.html", {"person": person, **consents_context(person)})


@person_required
@require_GET
def my_data_download(request: HttpRequest, person: Person) -> HttpResponse:
    return personal_data_download(user=signed_in_user(request))


@person_required
@EDITING
def account_close(request: HttpRequest, person: Person) -> HttpResponse:
    form = AccountDeleteForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            lockout.account_close(request, signed_in_user(request), form.cleaned_data["password"])
        except lockout.LockedOut as refusal:
            add_domain_error(form, refusal)
            return render(request, "web/researcher/account_close.html", {"form": form}, status=429)
        except DomainError as refusal:
            add_domain_error(form, refusal)
        else:
            logout(request)
            messages.success(request, _("Your account is closed. Thank you for taking part."))
            return redirect("web:home")
    return render(request, "web/researcher/account_close.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("me/", overview, name="researcher-home"),
    path("me/record/", record, name="researcher-record"),
    path("me/profile/", researcher_profile, name="researcher-profile"),
    path("me/positions/new/", position_add, name="position-add"),
    path("me/positions/<int:pk>/", position_edit, name="position-edit"),
    path("me/positions/<int:pk>/remove/", position_remove, name="position-remove"),
    path("me/expert/", expert_profile, name="expert-profile"),
    path("me/consent/", consent, name="consent"),
    path("me/proposals/", proposals, name="my-proposals"),
    path("me/proposals/<int:pk>/accept/", answer_proposal, {"answer": Answer.ACCEPTED}, name="my-proposal-accept"),
    path("me/proposals/<int:pk>/decline/", answer_proposal, {"answer": Answer.DECLINED}, name="my-proposal-decline"),
    path("me/data/", my_data, name="my-data"),
    path("me/data/download/", my_data_download, name="my-data-download"),
    path("me/close/", account_close, name="account-close"),
]
