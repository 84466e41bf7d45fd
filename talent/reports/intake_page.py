"""The intake plans page (/reports/intake/): a school's staff plan their schools' intake; the ministry sees every
school's, approves a proposed figure or sets its own; both can import a sheet. Every rule is
talent.reports.intake's: this page only carries the forms to it and shows the plans, "no plan" where none. The
years are the target period of the version in force today, or of the one `?version=` asks for
(talent.reports.version_query), and the page names it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from talent.common.errors import DomainError
from talent.common.forms import add_domain_error
from talent.common.presentation import bilingual_name
from talent.common.users import signed_in_user
from talent.registry.vocabulary import DegreeLevel
from talent.reports import intake, projection, scope, version_query
from talent.reports.models import AX_TRAINED, IntakePlanState
from talent.reports.target_missing import shows_missing_target

LEVELS = (DegreeLevel.MS, DegreeLevel.PHD, DegreeLevel.INTEGRATED)


class PlanForm(forms.Form):
    school = forms.TypedChoiceField(label=gettext_lazy("Graduate school"), coerce=int)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    degree_level = forms.ChoiceField(label=gettext_lazy("Degree level"), choices=DegreeLevel.choices)
    intake = forms.IntegerField(label=gettext_lazy("Planned intake (persons)"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2_000)

    def __init__(self, *args: Any, schools: list[tuple[int, str]], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = schools  # type: ignore[attr-defined]
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]


class SheetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Sheet (CSV or XLSX)"))


class ApproveForm(forms.Form):
    plan = forms.IntegerField()


@login_required
@require_http_methods(["GET", "POST"])
@shows_missing_target
def intake_plans(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not (scope.may_manage_reports(user=user) or intake.may_plan_any(user=user)):
        raise PermissionDenied(_("Only the ministry, a school's staff or an operator may see intake plans."))
    target, version_form = version_query.page_target(request.GET, code=AX_TRAINED)
    years = list(range(target.start_date.year, target.deadline.year + 1))
    today = timezone.localdate()
    open_years = [year for year in years if projection.entry_date(year) > today]
    grid = intake.intake_grid(user=user, years=years, levels=LEVELS)
    schools = list({row.school.pk: row.school for row in grid}.values())
    school_choices = [(s.pk, bilingual_name(s.name_ko, s.name_en)) for s in schools]
    # Under a refused version nothing is recorded: the years offered would not be the ones asked for.
    action = "" if version_form.errors else request.POST.get("action", "")
    plan_form = PlanForm(
        request.POST if action == "set" else None, schools=school_choices, years=open_years, prefix="plan"
    )
    sheet_form = SheetForm(request.POST if action == "import" else None, request.FILES or None, prefix="sheet")
    sheet_problems: list[dict[str, Any]] = []
    if action == "set" and plan_form.is_valid():
        data = plan_form.cleaned_data
        try:
            school = intake.school_get_for_user(user=user, pk=data["school"])
            plan = intake.intake_plan_set(
                actor=user,
                school=school,
                year=data["year"],
                degree_level=data["degree_level"],
                intake=data["intake"],
                note=data["note"],
            )
        except DomainError as refusal:
            add_domain_error(plan_form, refusal)
        else:
            messages.success(request, _("Recorded: %(plan)s.") % {"plan": plan_words(plan)})
            return redirect(request.get_full_path())
    elif action == "import" and sheet_form.is_valid():
        try:
            result = intake.intake_plan_import(actor=user, content=sheet_form.cleaned_data["file"].read())
        except DomainError as refusal:
            add_domain_error(sheet_form, refusal)
        else:
            if not result.errors:
                messages.success(
                    request,
                    _("Sheet imported: %(recorded)s plans recorded, %(unchanged)s unchanged.")
                    % {"recorded": result.recorded, "unchanged": result.unchanged},
                )
                return redirect(request.get_full_path())
            sheet_form.add_error("file", intake.sheet_refusal(result))
            sheet_problems = result.errors
    elif action == "approve":
        approve = ApproveForm(request.POST)
        if approve.is_valid():
            try:
                plan = intake.intake_plan_get_for_user(user=user, pk=approve.cleaned_data["plan"])
                approved = intake.intake_plan_approve(actor=user, plan=plan)
            except DomainError as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Approved: %(plan)s.") % {"plan": plan_words(approved)})
        return redirect(request.get_full_path())
    context = {
        "rules": _("Years %(first)s–%(last)s: the target period of version %(version)s, in force from %(date)s.")
        % {
            "first": years[0],
            "last": years[-1],
            "version": target.version,
            "date": target.effective_from.isoformat(),
        },
        "version_form": version_form,
        "plan_form": plan_form,
        "sheet_form": sheet_form,
        "sheet_problems": sheet_problems,
        "levels": [{"code": level, "label": DegreeLevel(level).label} for level in LEVELS],
        "rows": [_row(row, ministry=scope.may_manage_reports(user=user)) for row in grid],
        "may_plan": bool(open_years),
        "ministry": scope.may_manage_reports(user=user),
        "columns": intake.SHEET_COLUMNS,
        "unplanned": [
            {
                "year": year,
                "schools": [bilingual_name(s.name_ko, s.name_en) for s in intake.schools_without_plan(year=year)],
            }
            for year in open_years
        ],
    }
    status = 400 if plan_form.errors or sheet_form.errors or version_form.errors else 200
    return render(request, "reports/intake.html", context, status=status)


def plan_words(plan: Any) -> str:
    return _("%(school)s, %(year)s, %(level)s: %(intake)s (%(state)s)") % {
        "school": bilingual_name(plan.school.name_ko, plan.school.name_en),
        "year": plan.year,
        "level": plan.get_degree_level_display(),
        "intake": f"{plan.intake:,}",
        "state": plan.get_state_display(),
    }


def _row(row: intake.GridRow, *, ministry: bool) -> dict[str, Any]:
    return {
        "school": bilingual_name(row.school.name_ko, row.school.name_en),
        "school_id": row.school.pk,
        "year": row.year,
        "editable": row.editable,
        "total": row.total,
        "cells": [
            {
                "level": cell.level,
                "plan": cell.plan,
                "approvable": ministry
                and row.editable
                and cell.plan is not None
                and cell.plan.state == IntakePlanState.PROPOSED,
            }
            for cell in row.cells
        ],
    }
