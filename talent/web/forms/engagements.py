"""Forms of the engagement and notification pages: they parse; the services validate and write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from talent.engagements.models import NOTE_MAX_LENGTH, Outcome
from talent.notifications.models import NotificationKind


class CloseEngagementForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done and what came of it, in a few lines."),
    )


class NotificationSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of my email"), choices=settings.LANGUAGES)
    emailed_kinds = forms.MultipleChoiceField(
        label=_("Email me about"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your inbox here shows every kind either way."),
    )
