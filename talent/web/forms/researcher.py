"""A researcher's own record, returning-researcher profile, overseas positions, expert profile and consent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talent.registry import selectors, vocabulary
from talent.registry.models import ExpertProfile, OverseasPosition, Person, ResearcherProfile
from talent.registry.services.people import EXPERT_FIELDS, PERSON_FIELDS, POSITION_FIELDS, RESEARCHER_FIELDS
from talent.registry.vocabulary import ShareableField
from talent.web.forms import DATE, SKILLS_HELP, ServiceForm, SkillsField, model_label

if TYPE_CHECKING:
    from talent.registry.roles import User


class PersonForm(ServiceForm):
    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {"birth_date": DATE}


class ResearcherProfileForm(ServiceForm):
    class Meta:
        model = ResearcherProfile
        fields = list(RESEARCHER_FIELDS)
        widgets = {"return_date": DATE, "phd_year": forms.NumberInput(attrs={"min": 1950, "max": 2100})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        affiliation = self.fields["korean_affiliation"]
        assert isinstance(affiliation, forms.ModelChoiceField)
        affiliation.queryset = selectors.organization_list(user=user)


class PositionForm(ServiceForm):
    class Meta:
        model = OverseasPosition
        fields = list(POSITION_FIELDS)
        widgets = {"start_date": DATE, "end_date": DATE}


class ExpertProfileForm(ServiceForm):
    skills = SkillsField(label=model_label(ExpertProfile, "skills"), required=False, help_text=SKILLS_HELP)
    ksic_sections = forms.MultipleChoiceField(
        label=model_label(ExpertProfile, "ksic_sections"),
        choices=vocabulary.ksic_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=model_label(ExpertProfile, "regions"),
        choices=vocabulary.region_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ExpertProfile
        fields = list(EXPERT_FIELDS)
        widgets = {"summary_ko": forms.Textarea(attrs={"rows": 4}), "summary_en": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"available": _("Untick to take a break from matching; your profile stays.")}


class ConsentForm(forms.Form):
    consent_to_matching = forms.BooleanField(
        label=_("I consent to being matched to companies' field problems."), required=False
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("What a company may see when you are proposed for its problem"),
        choices=ShareableField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data is not None and not data.get("consent_to_matching"):
            data["shared_fields"] = []  # withdrawing shares nothing (the service clears them too)
        return data
