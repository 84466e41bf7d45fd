"""Forms of the engagement and notification pages: they parse; the services validate and write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from talent.engagements.models import NOTE_MAX_LENGTH, UNLINK_REASON_MAX_LENGTH, Outcome
from talent.registry import selectors as registry_selectors
from talent.registry.models import Enrollment

if TYPE_CHECKING:
    from talent.registry.roles import User
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


class LinkAXProjectForm(forms.Form):
    """The student a university's staff link, by student number among their own university's enrollments."""

    enrollment = forms.ModelChoiceField(
        label=_("Student number"),
        queryset=Enrollment.objects.none(),
        to_field_name="student_number",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "A student of your university whose enrollment is active; their completion route becomes AX project."
        ),
        error_messages={"invalid_choice": _("No student of your university has this student number.")},
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["enrollment"].queryset = registry_selectors.enrollment_list(user=user)  # type: ignore[attr-defined]


class UnlinkAXProjectForm(forms.Form):
    """Why a university's staff unlink a student's AX project (the service refuses an empty reason)."""

    reason = forms.CharField(label=_("Reason for unlinking"), required=False, max_length=UNLINK_REASON_MAX_LENGTH)


class NotificationSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of my email"), choices=settings.LANGUAGES)
    emailed_kinds = forms.MultipleChoiceField(
        label=_("Email me about"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your inbox here shows every kind either way."),
    )
