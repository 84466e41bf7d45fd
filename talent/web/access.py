"""Who may open a role's pages: the role gates of `talent.registry.roles`, which the API's permission classes ask too.

Anonymous visitors are sent to the sign-in page; a signed-in user of another role gets 403. Which objects a user
reaches is then the selectors' job: another person's or company's object is simply not found (404).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from talent.registry import roles, selectors
from talent.registry.models import Organization, Person

P = ParamSpec("P")


def person_required(
    view: Callable[Concatenate[HttpRequest, Person, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A researcher's or student's own pages: the view receives the login's person record."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        person = selectors.own_person(user=request.user)
        if person is None:
            raise PermissionDenied(roles.PERSON_RECORD.refusal)
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
