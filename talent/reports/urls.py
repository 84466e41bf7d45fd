"""Routes of the reports API (mounted at /api/v1/)."""

from django.urls import include, path

urlpatterns = [
    path("reports/", include("talent.reports.api.targets")),
    path("reports/", include("talent.reports.api.intake")),
    path("reports/", include("talent.reports.api.outlook")),
    path("", include("talent.reports.api.statistics")),
]
