"""The ministry dashboard (/dashboard/): each target's headline, trajectory chart and breakdown table, an as-of
date picker and the downloads. University staff see their own university's figures.

Every figure on the page is the API's: the page serializes the same selector results with the API's
serializers, and the chart is drawn from the serialized trajectory. The words and units beside the figures
come from talent.reports.reading.

The page sits in the site's frame (web/base.html: header, navigation, sign-out and the one language switch);
its language is the request's (LocaleMiddleware: the switch's cookie, else the browser's, else Korean).
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from talent.common.errors import InvalidInput
from talent.common.presentation import bilingual_name
from talent.engagements.models import Outcome
from talent.reports import (
    charts,
    field_projects,
    intake_page,
    labels,
    outlook,
    reading,
    scenarios_page,
    scope,
    selectors,
    version_query,
)
from talent.reports.api import outlook as outlook_api
from talent.reports.api import statistics as statistics_api
from talent.reports.api import targets as api
from talent.reports.models import AX_TRAINED, Target, TargetBasis


class DashboardForm(forms.Form):
    """The date, the breakdown, and (as the reports API takes them) a target and the version of it to count under:
    the version asked for, else the one in force on the date. The other targets count under theirs."""

    as_of = forms.DateField(label=gettext_lazy("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=gettext_lazy("Break down by"), required=False, choices=labels.DIMENSION_LABELS.items())
    target = forms.CharField(label=gettext_lazy("Target"), required=False, max_length=50)
    version = version_query.version_field(help_text=gettext_lazy("Empty: the version in force on the as-of date."))

    def clean_as_of(self) -> datetime.date:
        try:
            return scope.checked_as_of(self.cleaned_data.get("as_of"))
        except InvalidInput as refused:
            raise forms.ValidationError(refused.message) from refused

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        asked_for = data.get("target") or data.get("version") is not None
        data["target"] = data.get("target") or AX_TRAINED
        # A refused date has no version in force to read. Nothing asked for: each target in force counts under its
        # version, and a seeded target that is missing only has no panel (the page still shows the others).
        if "as_of" in data and asked_for:
            chosen = version_query.chosen_target(
                self, code=data["target"], on=data["as_of"], version=data.get("version")
            )
            data["asked"] = chosen if data.get("version") is not None else None
        return data


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not scope.may_read_reports(user=request.user):
        raise PermissionDenied(scope.READERS_ONLY)
    language = translation.get_language() or settings.LANGUAGE_CODE
    form = DashboardForm(request.GET)
    valid = form.is_valid()
    as_of = (form.cleaned_data.get("as_of") if valid else None) or timezone.localdate()
    by = (form.cleaned_data.get("by") if valid else "") or "university"
    asked = form.cleaned_data.get("asked") if valid else None
    context = dashboard_context(user=request.user, as_of=as_of, by=by, language=language, asked=asked)
    chosen = (form.cleaned_data.get("target") if valid else None) or AX_TRAINED
    shown = [t["code"] for t in context["targets"]]
    choice = {
        "target": chosen,
        "version": asked.version if asked else None,
        "targets": [{"code": t["code"], "name": t["name"]} for t in context["targets"]],
        "versions": list(selectors.target_versions(user=request.user, code=chosen))[::-1] if chosen in shown else [],
    }
    status = 400 if form.errors else 200
    return render(request, "reports/dashboard.html", {**context, "form": form, "choice": choice}, status=status)


def dashboard_context(
    *, user: Any, as_of: datetime.date, by: str, language: str, asked: Target | None = None
) -> dict[str, Any]:
    """Everything the page shows, as the API serializes it: each target under its version in force on the date,
    or the version `asked` for."""
    report_scope = scope.scope_for(user=user)
    in_force = selectors.target_list(on=as_of)
    targets = [
        _target_panel(report_scope, asked if asked and asked.code == t.code else t, as_of, by, language, in_force=t)
        for t in in_force
    ]
    return {
        "as_of": as_of,
        "by": by,
        "scope": report_scope.label,
        "national": report_scope.national,
        "user_may_manage": scope.may_manage_reports(user=user),
        "terms": reading.terms(),
        "dimensions": [{"code": code, "label": label} for code, label in labels.DIMENSION_LABELS.items()],
        "targets": targets,
        "targets_downloads": _downloads("/api/v1/reports/targets/", {"as_of": as_of.isoformat()}),
        "field_projects": _field_projects_panel(report_scope, as_of),
    }


def _field_projects_panel(report_scope: scope.ReportScope, as_of: datetime.date) -> dict[str, Any]:
    """Engagements and AX-project completions, as the statistics API serializes them."""
    figures = statistics_api.FieldProjectsSerializer(
        field_projects.field_projects_of(scope=report_scope, as_of=as_of)
    ).data
    return {**figures, "outcomes": [(label, figures["engagements_closed"][code]) for code, label in Outcome.choices]}


def _rule_changes(target: Target) -> list[dict[str, Any]]:
    """Each version that changed the rules, with the version that replaced it on its own date (two changes decided
    the same day): the earlier one was in force only until the later was made, and a report asked for it reads it."""
    changes = selectors.target_rule_changes(code=target.code)
    replaced_by = {
        earlier.pk: later.version
        for earlier, later in itertools.pairwise(changes)
        if later.effective_from == earlier.effective_from
    }
    return [
        {
            "version": v.version,
            "date": v.effective_from,
            "note": v.note,
            "used": v.pk == target.pk,
            "replaced_by": replaced_by.get(v.pk),
        }
        for v in changes
    ]


def _target_panel(
    report_scope: scope.ReportScope, target: Target, as_of: datetime.date, by: str, language: str, *, in_force: Target
) -> dict[str, Any]:
    """One target's panel under `target`, a version of it: the one `in_force` on the date unless another was
    asked for (then the page says so, and its downloads ask the API for the same version)."""
    report = selectors.target_report(scope=report_scope, target=target, as_of=as_of)
    dimensions = selectors.dimensions_of(target)
    table_by = by if by in dimensions else dimensions[0]
    table = selectors.headcount_of(scope=report_scope, target=target, by=table_by, as_of=as_of)
    path_ = selectors.trajectory_of(scope=report_scope, target=target, as_of=as_of, step="month", report=report)
    report_data = api.TargetReportSerializer(report).data
    table_data = api.HeadcountSerializer(api.shown_headcount(table, public=False)).data
    trajectory_data = api.TrajectorySerializer(path_).data
    query = {"target": target.code, "as_of": as_of.isoformat()}
    if target.pk != in_force.pk:
        query["version"] = str(target.version)
    outlook_panel = (
        _outlook_panel(report_scope, target, as_of, report.achieved, query)
        if target.basis == TargetBasis.TRAINED
        else None
    )
    name = bilingual_name(target.name_ko, target.name_en, language=language)
    table_by_label = labels.dimension_label(table_by, basis=target.basis)
    chart_labels = {
        "title": _("%(target)s: achieved, straight path and projection") % {"target": name},
        "achieved": _("Achieved"),
        "straight": _("Straight path to the target"),
        "projection": _("Projection"),
    }
    return {
        "code": target.code,
        "name": name,
        "report": report_data,
        "goal": _("Target: %(value)s by %(deadline)s, counted from %(start)s.")
        % {
            "value": reading.persons(target.value),
            "deadline": target.deadline.isoformat(),
            "start": target.start_date.isoformat(),
        },
        "rules": reading.rules_sentence(version=target.version, effective_from=target.effective_from),
        "asked": ""
        if target.pk == in_force.pk
        else reading.asked_version_sentence(version=target.version, as_of=as_of, in_force=in_force.version),
        "rule_changes": _rule_changes(target),
        "achieved": f"{report.achieved:,}",
        "achieved_label": _("Trained") if target.basis == TargetBasis.TRAINED else _("Returned"),
        "value": reading.persons(target.value),
        "percent": reading.percent(report.achieved / target.value),
        # The headline projection of a graduates' target is the one with the planned intake (the ministry's
        # question: can the target be reached, and with what intake); the counting rules' projection from the
        # enrolled students alone is a secondary figure, labelled as such.
        "shortfall": outlook_panel["sentence"]
        if outlook_panel
        else reading.shortfall_sentence(projected=report.projected, target=target.value, deadline=target.deadline),
        "requirement": outlook_panel["requirement"] if outlook_panel else "",
        "band_reading": reading.band_sentence(
            band=report.band,
            target=target.value,
            deadline=target.deadline,
            observed=report.pace.observed,
            required=report.pace.required,
            ratio=report.pace.ratio,
        ),
        "figures": _figures(report, target=target, outlook=outlook_panel),
        "entrants_note": (
            reading.active_vs_entrants_sentence(
                entrants=report.entrants, active=report.active["total"], start=target.start_date
            )
            if report.entrants is not None and report.active is not None
            else ""
        ),
        "table": table_data,
        "table_by": table_by,
        "table_by_label": table_by_label,
        "columns": [{"code": c, "label": labels.COLUMN_LABELS[c]} for c in table_data["columns"]],
        "rows": [
            [row["label"], *(_count(row["counts"][c]) for c in table_data["columns"])] for row in table_data["rows"]
        ],
        "total": [_count(table_data["total"][c]) for c in table_data["columns"]],
        "chart": charts.trajectory_svg(
            trajectory_data, labels=chart_labels, outlook=outlook_panel["chart_points"] if outlook_panel else ()
        ),
        "chart_legend": [{"css": css, "label": chart_labels[css]} for css in ("achieved", "straight", "projection")]
        + (
            [
                {"css": "outlook", "label": _("Projection with the planned intake")},
                {"css": "band", "label": _("10th–90th percentile")},
            ]
            if outlook_panel
            else []
        ),
        "outlook": outlook_panel,
        "chart_rows": [
            {
                "year": row.year,
                "achieved": "–" if row.achieved is None else f"{row.achieved:,}",
                "straight": f"{row.straight:,}",
                "projection": "–" if row.projection is None else f"{row.projection:,}",
            }
            for row in charts.yearly_rows(trajectory_data)
        ],
        "table_downloads": _downloads("/api/v1/reports/headcount/", {**query, "by": table_by}),
        "trajectory_downloads": _downloads("/api/v1/reports/trajectory/", query),
    }


def _outlook_panel(
    report_scope: scope.ReportScope, target: Target, as_of: datetime.date, achieved: int, query: dict[str, str]
) -> dict[str, Any]:
    """The projection with the planned intake, as the outlook API serializes it, and its sentences."""
    value = outlook.outlook_of(scope=report_scope, target=target, as_of=as_of, achieved=achieved)
    data = outlook_api.OutlookSerializer(value).data
    result, requirement, backtest = data["projection"], data["requirement"], data["backtest"]
    return {
        "data": data,
        "confident": data["confident"],
        "sentence": reading.outlook_sentence(
            expected=result["expected"],
            low=result["low"],
            high=result["high"],
            target=target.value,
            deadline=target.deadline,
            thin=data["thin"],
        ),
        "requirement": reading.requirement_sentence(
            intake_per_year=requirement["intake_per_year"],
            from_year=requirement["from_year"],
            to_year=requirement["to_year"],
            target=target.value,
            deadline=target.deadline,
        ),
        "sources": _(
            "Of the graduates still to come: %(active)s from the students enrolled now, %(plans)s from "
            "the planned cohorts."
        )
        % {
            "active": reading.persons(round(result["from_active"])),
            "plans": reading.persons(round(result["from_plans"])),
        },
        "backtest": reading.backtest_sentence(
            made_on=backtest["made_on"],
            for_date=backtest["for_date"],
            expected=backtest["expected"],
            low=backtest["low"],
            high=backtest["high"],
            actual=backtest["actual"],
        )
        if backtest
        else _("Back-test: nobody was studying or planned a year ago, so there is no projection to compare."),
        "unplanned": [
            reading.unplanned_sentence(year=int(year), schools=names) for year, names in data["unplanned"].items()
        ],
        "rows": [
            {
                "year": row["year"],
                "expected": f"{round(row['expected']):,}",
                "band": f"{row['low']:,}–{row['high']:,}",
                "planned": (
                    f"{value.planned_by_year[row['year']]:,}" if row["year"] in value.planned_by_year else _("no plan")
                )
                if row["year"] > as_of.year or (row["year"] == as_of.year and as_of < datetime.date(as_of.year, 3, 1))
                else "–",
            }
            for row in result["by_year"]
        ],
        "downloads": _downloads("/api/v1/reports/outlook/", query)[:2],
        "chart_points": [{"end": as_of, "expected": achieved, "low": achieved, "high": achieved}]
        + [dict(row) for row in result["by_year"]],
    }


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _figures(report: selectors.TargetReport, *, target: Target, outlook: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The headline's figures with their units, each linked to its definition (reading.terms). A graduates'
    target leads with the projection with the planned intake, its shortfall and the intake it takes; the
    projection from the enrolled students alone follows as a secondary figure."""
    if outlook is None:
        figures: list[dict[str, Any]] = [
            {"term": "projected", "label": _("Projected by the deadline"), "value": reading.persons(report.projected)},
            {"term": "shortfall", "label": _("Shortfall by the deadline"), "value": reading.persons(report.shortfall)},
        ]
    else:
        data = outlook["data"]
        band = {
            "expected": round(data["projection"]["expected"]),
            "low": data["projection"]["low"],
            "high": data["projection"]["high"],
            "confident": outlook["confident"],
        }
        needed = data["requirement"]["intake_per_year"]
        figures = [
            {
                "term": "projected",
                "label": _("Projected by the deadline, with the planned intake"),
                "value": reading.projection_figure(**band),
            },
            {
                "term": "shortfall",
                "label": _("Shortfall by the deadline"),
                "value": reading.shortfall_figure(target=target.value, **band),
            },
            {
                "term": "what_it_takes",
                "label": _("Intake needed per year from %(year)s") % {"year": data["requirement"]["from_year"]},
                "value": "–" if needed is None else reading.persons(needed),
            },
        ]
    figures += [
        {
            "term": "observed_pace",
            "label": _("Observed pace (last 12 months)"),
            "value": reading.per_month(report.pace.observed),
        },
    ]
    if report.pace.required is not None:
        figures.append(
            {
                "term": "required_pace",
                "label": _("Required pace"),
                "value": reading.per_month(report.pace.required),
            }
        )
    if report.entrants is not None and report.active is not None and report.completion_rate is not None:
        figures += [
            {"term": "entrants", "label": _("Entrants"), "value": reading.persons(report.entrants)},
            {"term": "active", "label": _("Active"), "value": reading.persons(report.active["total"])},
            {"term": "", "label": "· " + _("Enrolled"), "value": reading.persons(report.active["enrolled"])},
            {"term": "", "label": "· " + _("On leave"), "value": reading.persons(report.active["on_leave"])},
            {
                "term": "",
                "label": "· " + _("Coursework complete"),
                "value": reading.persons(report.active["coursework_complete"]),
            },
            {
                "term": "completion_rate",
                "label": _("Completion rate used"),
                "value": reading.percent(report.completion_rate.used),
            },
        ]
    if outlook is not None:
        figures.append(
            {
                "term": "projected_enrolled",
                "label": _("Projected from enrolled students only (no new intake)"),
                "value": reading.persons(report.projected),
                "secondary": True,
            }
        )
    if report.planned_returns is not None:
        figures.append(
            {
                "term": "planned_returns",
                "label": _("Planned returns by the deadline"),
                "value": reading.persons(report.planned_returns),
            }
        )
    return figures


def _downloads(url: str, query: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"label": "CSV", "url": f"{url}?{urlencode({**query, 'format': 'csv'})}"},
        {"label": "XLSX", "url": f"{url}?{urlencode({**query, 'format': 'xlsx'})}"},
        {
            "label": _("Public CSV (<5 suppressed)"),
            "url": f"{url}?{urlencode({**query, 'format': 'csv', 'public': 'true'})}",
        },
    ]


urlpatterns = [
    path("dashboard/", dashboard, name="reports-dashboard"),
    path("reports/intake/", intake_page.intake_plans, name="reports-intake"),
    path("reports/scenarios/", scenarios_page.scenario_page, name="reports-scenarios-page"),
]
