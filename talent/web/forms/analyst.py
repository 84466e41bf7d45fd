"""Forms of the ministry analyst's pages. They parse input only; the matching services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from talent.matching import defaults
from talent.matching.models import MatchMode


class MatchRunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Assignment mode"),
        choices=MatchMode.choices,
        initial=defaults.MODE,
        widget=forms.RadioSelect,
        help_text=_(
            "Stable: no expert and problem would both rather have each other. "
            "Maximum total fit: the largest total score."
        ),
    )
