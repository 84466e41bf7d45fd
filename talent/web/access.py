"""Who may open a role's pages: the role gates of `talent.registry.roles`, which the API's permission classes ask too.

Anonymous visitors are sent to the sign-in page; a signed-in user of another role gets 403. Which objects a user
reaches is then the selectors' job: another person's or company's object is simply not found (404).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from talent.registry import roles, selectors
from talent.registry.models import Organization, Person

P = ParamSpec("P")


#: Pages a person may open before consenting to the notice in force: their data rights do not wait for it.
BEFORE_CONSENT = frozenset({"my-data", "my-data-download", "account-close"})


def consent_page(
    view: Callable[Concatenate[HttpRequest, Person, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A person's own page that needs no consent to the privacy notice (the consent page itself, data rights)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        person = selectors.own_person(user=request.user)
        if person is None:
            raise PermissionDenied(roles.PERSON_RECORD.refusal)
        return view(request, person, *args, **kwargs)

    return wrapper


def person_required(
    view: Callable[Concatenate[HttpRequest, Person, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A researcher's or student's own pages: the view receives the login's person record. A person who has not
    consented to the privacy notice in force (registered by a university, or the notice changed) is asked first."""

    @consent_page
    @wraps(view)
    def wrapper(request: HttpRequest, person: Person, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        name = request.resolver_match.url_name if request.resolver_match else None
        if name not in BEFORE_CONSENT and selectors.privacy_consent_needed(person=person):
            return redirect_to_login(request.get_full_path(), reverse("web:privacy-consent"), "next")
        return view(request, person, *args, **kwargs)

    return wrapper


def company_required(
    view: Callable[Concatenate[HttpRequest, Organization, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A company member's pages: the view receives the member's company."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        company = roles.company_of(request.user)
        if company is None:
            raise PermissionDenied(_("Only members of a company may manage field problems."))
        return view(request, company, *args, **kwargs)

    return wrapper


View = Callable[..., HttpResponse]


def allowed_by(gate: roles.Gate) -> Callable[[View], View]:
    """Sign in first; then the role's gate decides, as it does for the API (one rule, one place): anyone else 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not gate(request.user):
                raise PermissionDenied(gate.refusal)
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorate
