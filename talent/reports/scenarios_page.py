"""The scenarios page (/reports/scenarios/): the ministry changes the planned intake on a copy (every school by a
percentage, one school's intake, or new schools from a year) and sees trained-by-deadline move; a named scenario
is saved. The rules are talent.reports.scenarios'; no plan and no official figure changes here. It works under
the target version in force today, or the one `?version=` asks for (talent.reports.version_query), and names it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from talent.common.errors import DomainError
from talent.common.forms import add_domain_error
from talent.common.presentation import bilingual_name
from talent.common.users import signed_in_user
from talent.registry.models import GraduateSchool
from talent.reports import intake, reading, scenarios, scope, version_query
from talent.reports.models import AX_TRAINED, ScenarioKind
from talent.reports.target_missing import shows_missing_target


class ScenarioForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Change"), choices=ScenarioKind.choices)
    from_year = forms.IntegerField(label=gettext_lazy("From year"))
    percent = forms.FloatField(label=gettext_lazy("Every school: change (%)"), required=False)
    school = forms.TypedChoiceField(label=gettext_lazy("One school"), coerce=int, required=False, empty_value=None)
    intake = forms.IntegerField(label=gettext_lazy("Yearly intake (one school, or each new school)"), required=False)
    schools = forms.IntegerField(label=gettext_lazy("New schools"), required=False)
    name = forms.CharField(label=gettext_lazy("Name (to save it)"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = GraduateSchool.objects.order_by("name_ko")
        self.fields["school"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.pk, bilingual_name(s.name_ko, s.name_en)) for s in schools
        ]


@login_required
@require_http_methods(["GET", "POST"])
@shows_missing_target
def scenario_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not scope.may_manage_reports(user=user):
        raise PermissionDenied(_("Only the ministry (or an operator) may run scenarios."))
    target, version_form = version_query.page_target(request.GET, code=AX_TRAINED)
    form = ScenarioForm(request.POST or None)
    result = None
    if request.method == "POST" and not version_form.errors and form.is_valid():
        data = form.cleaned_data
        try:
            school = intake.school_get_for_user(user=user, pk=data["school"]) if data["school"] else None
            change = scenarios.Change(
                kind=data["kind"],
                from_year=data["from_year"],
                percent=data["percent"] or 0.0,
                school=school,
                intake=data["intake"] or 0,
                schools=data["schools"] or 0,
            )
            result = scenarios.scenario_run(user=user, change=change, code=target.code, version=target.version)
            if request.POST.get("action") == "save":
                saved = scenarios.scenario_save(user=user, result=result, name=data["name"])
                messages.success(
                    request,
                    _("Scenario “%(name)s” saved, counted under version %(version)s.")
                    % {"name": saved.name, "version": saved.target.version},
                )
        except DomainError as refusal:
            add_domain_error(form, refusal)
            result = None
    context = {
        "form": form,
        "target": target,
        "rules": reading.rules_sentence(version=target.version, effective_from=target.effective_from),
        "version_form": version_form,
        "result": result and _result(result),
        "saved": [_saved(s) for s in scenarios.scenario_list(user=user)[:20]],
    }
    return render(request, "reports/scenarios.html", context, status=400 if form.errors or version_form.errors else 200)


def _result(result: scenarios.ScenarioResult) -> dict[str, Any]:
    return {
        "sentence": reading.scenario_sentence(
            deadline=result.target.deadline,
            planned=round(result.planned.expected),
            planned_band=(result.planned.low, result.planned.high),
            scenario=round(result.scenario.expected),
            scenario_band=(result.scenario.low, result.scenario.high),
        ),
        "entrants": _("Entrants %(from)s–%(to)s: %(planned)s planned, %(scenario)s in the scenario.")
        % {
            "from": result.change.from_year,
            "to": result.target.deadline.year,
            "planned": reading.persons(result.planned_entrants),
            "scenario": reading.persons(result.scenario_entrants),
        },
        "moved": round(result.moved),
        # The version the scenario was run under, read from its result (not from the page's query).
        "rules": reading.rules_sentence(version=result.target.version, effective_from=result.target.effective_from),
    }


def _saved(scenario: Any) -> dict[str, Any]:
    figures = scenario.figures
    return {
        "name": scenario.name,
        "as_of": scenario.as_of,
        "kind": scenario.get_kind_display(),
        "from_year": scenario.parameters.get("from_year"),
        "version": scenario.target.version,
        "planned": f"{round(figures['planned']['expected']):,}",
        "scenario": f"{round(figures['scenario']['expected']):,}",
        "by": scenario.created_by.username if scenario.created_by else "",
    }
