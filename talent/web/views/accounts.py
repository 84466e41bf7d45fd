"""Everyone's pages: the home page that sends each role to its work, signing in and out, password reset, the
language switch; signing up as a returning researcher and claiming a student record.

Sign-in is Django's own view, so django-axes counts failed passwords as it does for the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language

from talent.accounts import lockout
from talent.accounts.credentials import sign_out_everywhere
from talent.accounts.services import account_register, claim_code_redeem, claim_refusal
from talent.common.users import signed_in_user
from talent.registry import privacy, roles, selectors
from talent.web.forms import perform, posted, submit
from talent.web.forms.accounts import ClaimForm, LoginForm, PasswordChangeForm, SignupForm
from talent.web.navigation import home_url, nav_links
from talent.web.throttles import throttled

# The backend django-axes and the model backend agree on; `login()` needs one named when several exist.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def home(request: HttpRequest) -> HttpResponse:
    destination = home_url(request.user)
    if destination is not None:
        return redirect(destination)
    claimable = request.user.is_authenticated and not roles.is_operator(request.user)
    context = {"links": nav_links(request.user), "claimable": claimable}
    return render(request, "web/home.html", context)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in: sign out before registering a new account."))
        return redirect("web:home")
    form = SignupForm(posted(request))
    context = {"form": form, "notice": privacy.NOTICE}
    refusal = form.is_bound and throttled(request, "register")
    if refusal:
        form.add_error(None, refusal)
        return render(request, "web/accounts/signup.html", context, status=429)
    registration = submit(form, lambda _data: account_register(**form.registration()))
    if not registration:
        return render(request, "web/accounts/signup.html", context)
    login(request, registration.user, backend=MODEL_BACKEND)
    messages.success(request, _("Welcome! Your account is ready: fill in your profile."))
    return redirect("web:researcher-profile")


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    cannot = claim_refusal(request.user)
    if cannot is not None and selectors.own_person(user=request.user) is not None:
        messages.info(request, cannot)  # a staff login sees the form: the service says why on submitting
        return redirect("web:home")
    form = ClaimForm(posted(request))
    refusal = form.is_bound and throttled(request, "claim")  # bounds guessing codes, as the API does
    if refusal:
        form.add_error(None, refusal)
        return render(request, "web/accounts/claim.html", {"form": form}, status=429)
    if not (submit(form, lambda data: claim_code_redeem(user=signed_in_user(request), code=data["code"]))):
        return render(request, "web/accounts/claim.html", {"form": form})
    messages.success(request, _("Your student record is now linked to this login."))
    return redirect("web:home")


@login_required
@require_http_methods(["GET", "POST"])
def security(request: HttpRequest) -> HttpResponse:
    """Changing one's password (every other sign-in ends; this browser stays signed in under a new session key),
    and the way to sign out everywhere."""
    user = signed_in_user(request)
    form = PasswordChangeForm(posted(request))
    changed = submit(
        form,
        lambda data: lockout.password_change(request, user, data["current_password"], data["new_password"]) or True,
    )
    if not changed:
        return render(request, "web/accounts/security.html", {"form": form})
    update_session_auth_hash(request, user)
    messages.success(request, _("Your password is changed. Every other browser and API token is signed out."))
    return redirect("web:security")


@login_required
@require_http_methods(["POST"])
def sign_out_everywhere_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    done = perform(
        request,
        lambda: sign_out_everywhere(actor=user, user=user),
        saved=_("You are signed out everywhere: every browser and every API token of this login."),
    )
    if done:
        logout(request)  # the messages live in a cookie: they survive the session
    return redirect("web:login" if done else "web:security")


class LoginView(auth.LoginView):
    template_name = "web/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are signed out."))
        return response


class PasswordResetView(auth.PasswordResetView):
    """Django's, with two limits: requests per address (429, said on the form), and links per email address.
    Past the second, the page says the link is sent as always but none is: whoever asks learns nothing about
    the address, and its owner's inbox is not flooded."""

    template_name = "web/accounts/password_reset.html"
    email_template_name = "web/accounts/password_reset_email.txt"
    subject_template_name = "web/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("web:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = throttled(request, "password_reset")
        if refusal:
            form = self.get_form()
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        if throttled(self.request, "password_reset_email", about=form.cleaned_data["email"].strip().lower()):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


PASSWORD_RESET = [
    path(
        "password-reset/",
        PasswordResetView.as_view(),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth.PasswordResetDoneView.as_view(template_name="web/accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="web/accounts/password_reset_confirm.html",
            success_url=reverse_lazy("web:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth.PasswordResetCompleteView.as_view(template_name="web/accounts/password_reset_complete.html"),
        name="password-reset-complete",
    ),
]

urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("language/", set_language, name="set-language"),
    path("signup/", signup, name="signup"),
    path("claim/", claim, name="claim"),
    path("account/security/", security, name="security"),
    path("account/sign-out-everywhere/", sign_out_everywhere_view, name="sign-out-everywhere"),
    *PASSWORD_RESET,
]
