"""Signing up as a returning researcher, claiming a student record, closing one's account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from talent.accounts.services import REGISTRATION_PERSON_FIELDS
from talent.common.errors import InvalidInput
from talent.common.forms import add_domain_error
from talent.registry.models import Person
from talent.registry.privacy import OPTIONAL_FIELDS
from talent.registry.services.privacy import privacy_consent_check
from talent.web.forms import DATE, ServiceForm


class LoginForm(AuthenticationForm):
    """Django's sign-in form (django-axes counts its failures); researchers sign in with their email address."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email or username")


class PrivacyConsentForm(forms.Form):
    """Consent to the two parts of the privacy notice, each on its own; the service refuses a consent without the
    required part, beside its box. Shown at sign-up, and at sign-in while the notice in force is not consented."""

    consent_required = forms.BooleanField(
        label=_("I consent to the collection and use of the required items above. (required)"), required=False
    )
    consent_optional = forms.BooleanField(
        label=_("I consent to the collection and use of the optional items above. (optional)"), required=False
    )

    def consent(self) -> dict[str, bool]:
        return {"required": self.cleaned_data["consent_required"], "optional": self.cleaned_data["consent_optional"]}

    def clean(self) -> dict[str, Any]:
        """The service's consent rule, checked with the other fields so that every error shows at once."""
        data = super().clean() or {}
        optional_data = any(data.get(name) for name in OPTIONAL_FIELDS)
        try:
            privacy_consent_check(
                required=bool(data.get("consent_required")),
                optional=bool(data.get("consent_optional")),
                optional_data=optional_data,
            )
        except InvalidInput as refusal:
            add_domain_error(self, refusal)
        return data


class SignupForm(PrivacyConsentForm, ServiceForm):
    """A new login and its person record (the fields `account_register` takes) and the consent to the notice."""

    email = forms.EmailField(label=_("Email"), help_text=_("You sign in with this address."))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta:
        model = Person
        fields = ["email", *REGISTRATION_PERSON_FIELDS]
        widgets = {"birth_date": DATE}

    field_order = ["email", "password", "password_again", *REGISTRATION_PERSON_FIELDS, "consent_required"]

    def clean_password_again(self) -> str:
        again = self.cleaned_data["password_again"]
        if self.cleaned_data.get("password") not in (None, again):
            raise forms.ValidationError(_("The two passwords differ: type the same password twice."))
        return again

    def registration(self) -> dict[str, Any]:
        """The arguments of `account_register`."""
        data = {name: self.cleaned_data[name] for name in ("email", "password", *REGISTRATION_PERSON_FIELDS)}
        consent = self.consent()
        return {
            **{key: value for key, value in data.items() if value is not None},
            "consent_required": consent["required"],
            "consent_optional": consent["optional"],
        }


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Claim code"),
        max_length=40,
        help_text=_("The code from your university, e.g. 7K2M-QX9P-4RTA."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my login, profiles and consent are deleted and cannot be restored."),
    )


class PasswordChangeForm(forms.Form):
    """The current password and the new one twice; the rules (and the lockout) are the service's."""

    current_password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data
