"""The privacy policy (처리방침) for everyone, and the consent to the notice in force for a signed-in person who
has not given it: someone a university registered, at their first sign-in, and everyone after the notice changed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talent.common.users import signed_in_user
from talent.registry import privacy, selectors, services
from talent.registry.models import Person
from talent.web.access import consent_page
from talent.web.forms import perform, posted, submit
from talent.web.forms.accounts import PrivacyConsentForm


@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy/policy.html", {"notice": privacy.NOTICE, "version": privacy.NOTICE_VERSION})


@consent_page
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, person: Person) -> HttpResponse:
    form = PrivacyConsentForm(posted(request))
    given = submit(
        form,
        lambda _data: (
            services.privacy_consent_give(actor=signed_in_user(request), person=person, **form.consent()) or True
        ),
    )
    if not given:
        context = {"form": form, "notice": privacy.NOTICE, "version": privacy.NOTICE_VERSION, "next": _next(request)}
        return render(request, "web/privacy/consent.html", context)
    messages.success(request, _("Thank you: your consent is recorded."))
    return redirect(_next(request) or "web:home")


@consent_page
@require_POST
def withdraw_optional(request: HttpRequest, person: Person) -> HttpResponse:
    perform(
        request,
        lambda: services.privacy_consent_withdraw_optional(actor=signed_in_user(request), person=person),
        saved=_("Your consent to the optional items is withdrawn, and those items are deleted."),
    )
    return redirect("web:my-data")


def _next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    safe = target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe else None


def consents_context(person: Person) -> dict[str, object]:
    """What "my data" shows of the consents: every one given, and whether an optional one stands."""
    consents = list(selectors.privacy_consent_list(person=person))
    optional = any(c.scope == privacy.ConsentScope.OPTIONAL and c.withdrawn_at is None for c in consents)
    return {"consents": consents, "optional_standing": optional}


urlpatterns: list[URLPattern] = [
    path("privacy/", policy, name="privacy-policy"),
    path("me/privacy/", consent, name="privacy-consent"),
    path("me/privacy/withdraw-optional/", withdraw_optional, name="privacy-withdraw-optional"),
]
