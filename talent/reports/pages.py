"""The ministry dashboard (/dashboard/): each target's headline, trajectory chart and breakdown table, an as-of
date picker and the downloads. University staff see their own university's figures.

Every figure on the page is the API's: the page serializes the same selector results with the API's
serializers, and the chart is drawn from the serialized trajectory.

Language: Korean by default (the request's language, from LocaleMiddleware); `?lang=en` or `?lang=ko` picks
one for this page (translation.override), and the page's links keep it.
"""

from __future__ import annotations

import datetime
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
from talent.reports import charts, labels, scope, selectors
from talent.reports.api import targets as api
from talent.reports.models import Target

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}  # each in its own language: never translated


class DashboardForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=gettext_lazy("Break down by"), required=False, choices=labels.DIMENSION_LABELS.items())

    def clean_as_of(self) -> datetime.date:
        try:
            return scope.checked_as_of(self.cleaned_data.get("as_of"))
        except InvalidInput as refused:
            raise forms.ValidationError(refused.message) from refused


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        if not scope.may_read_reports(user=request.user):
            raise PermissionDenied(scope.READERS_ONLY)
        form = DashboardForm(request.GET)
        valid = form.is_valid()
        as_of = (form.cleaned_data.get("as_of") if valid else None) or timezone.localdate()
        by = (form.cleaned_data.get("by") if valid else "") or "university"
        context = dashboard_context(user=request.user, as_of=as_of, by=by, language=language)
        response = render(request, "reports/dashboard.html", {**context, "form": form})
    response["Content-Language"] = language
    return response


def dashboard_context(*, user: Any, as_of: datetime.date, by: str, language: str) -> dict[str, Any]:
    """Everything the page shows, as the API serializes it."""
    report_scope = scope.scope_for(user=user)
    targets = [_target_panel(report_scope, target, as_of, by, language) for target in selectors.target_list()]
    query = {"as_of": as_of.isoformat(), "by": by}
    return {
        "as_of": as_of,
        "by": by,
        "scope": report_scope.label,
        "national": report_scope.national,
        "language": language,
        "languages": [
            {"code": code, "name": name, "url": "?" + urlencode({**query, "lang": code}), "current": code == language}
            for code, name in LANGUAGE_NAMES.items()
        ],
        "dimensions": [{"code": code, "label": label} for code, label in labels.DIMENSION_LABELS.items()],
        "targets": targets,
        "targets_downloads": _downloads("/api/v1/reports/targets/", {"as_of": as_of.isoformat()}),
    }


def _target_panel(
    report_scope: scope.ReportScope, target: Target, as_of: datetime.date, by: str, language: str
) -> dict[str, Any]:
    report = selectors.target_report(scope=report_scope, target=target, as_of=as_of)
    dimensions = selectors.dimensions_of(target)
    table_by = by if by in dimensions else dimensions[0]
    table = selectors.headcount_of(scope=report_scope, target=target, by=table_by, as_of=as_of)
    path_ = selectors.trajectory_of(scope=report_scope, target=target, as_of=as_of, step="month", report=report)
    report_data = api.TargetReportSerializer(report).data
    table_data = api.HeadcountSerializer(api.shown_headcount(table, public=False)).data
    trajectory_data = api.TrajectorySerializer(path_).data
    name = bilingual_name(target.name_ko, target.name_en, language=language)
    query = {"target": target.code, "as_of": as_of.isoformat()}
    return {
        "code": target.code,
        "name": name,
        "report": report_data,
        "achieved": f"{report.achieved:,}",
        "value": f"{target.value:,}",
        "projected": f"{report.projected:,}",
        "percent": f"{100 * report.achieved / target.value:.1f}",
        "table": table_data,
        "table_by": table_by,
        "table_by_label": labels.DIMENSION_LABELS[table_by],
        "columns": [{"code": c, "label": labels.COLUMN_LABELS[c]} for c in table_data["columns"]],
        "rows": [[row["label"], *(row["counts"][c] for c in table_data["columns"])] for row in table_data["rows"]],
        "total": [table_data["total"][c] for c in table_data["columns"]],
        "chart": charts.trajectory_svg(
            trajectory_data,
            labels={
                "title": _("%(target)s: achieved, straight path and projection") % {"target": name},
                "achieved": _("Achieved"),
                "straight": _("Straight path to the target"),
                "projection": _("Projection"),
            },
        ),
        "table_downloads": _downloads("/api/v1/reports/headcount/", {**query, "by": table_by}),
        "trajectory_downloads": _downloads("/api/v1/reports/trajectory/", query),
    }


def _downloads(url: str, query: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"label": "CSV", "url": f"{url}?{urlencode({**query, 'format': 'csv'})}"},
        {"label": "XLSX", "url": f"{url}?{urlencode({**query, 'format': 'xlsx'})}"},
        {
            "label": _("Public CSV (<5 suppressed)"),
            "url": f"{url}?{urlencode({**query, 'format': 'csv', 'public': 'true'})}",
        },
    ]


urlpatterns = [path("dashboard/", dashboard, name="reports-dashboard")]
