"""A company's field problem: Korean title and description, skills, KSIC section, region or remote, capacity."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from talent.registry import vocabulary
from talent.registry.filters import FieldProblemFilter
from talent.registry.models import FieldProblem
from talent.registry.services.problems import PROBLEM_FIELDS
from talent.registry.vocabulary import ProblemStatus
from talent.web.forms import SKILLS_HELP, ServiceForm, SkillsField, model_label


class FieldProblemForm(ServiceForm):
    skills_wanted = SkillsField(label=model_label(FieldProblem, "skills_wanted"), required=False, help_text=SKILLS_HELP)

    class Meta:
        model = FieldProblem
        fields = list(PROBLEM_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "description": _("What the problem is, what data there is and what a good result looks like."),
            "region": _("Leave empty only when the work can be done remotely."),
        }


class ProblemPageFilter(FieldProblemFilter):
    """The API's problem filters with the same query names, as a form: words to search, statuses to tick, the
    KSIC section by name."""

    search = filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Words of the title or the description.")
    )
    status = filters.MultipleChoiceFilter(
        choices=ProblemStatus.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    ksic_section = filters.ChoiceFilter(choices=vocabulary.ksic_choices, label=_("KSIC section"), empty_label=_("All"))

    class Meta(FieldProblemFilter.Meta):
        fields = ["search", "status", "ksic_section"]
