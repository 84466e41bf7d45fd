from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from talent.common.health import healthz, readyz
from talent.common.metrics import metrics_view

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (the Content-Security-Policy allows no inline script).
    path(
        "api/v1/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="web/api_docs.html"),
        name="api-docs",
    ),
    # Before the registry's: its enrollments router would take "enrollments/import/" for an enrollment's id.
    path("api/v1/", include("talent.roster.api")),
    path("api/v1/", include("talent.registry.api.urls")),
    path("api/v1/", include("talent.accounts.api.urls")),
    path("api/v1/", include("talent.matching.urls")),
    path("api/v1/", include("talent.reports.urls")),
    path("api/v1/", include("talent.identity.api")),
    path("api/v1/", include("talent.engagements.urls")),
    path("api/v1/", include("talent.notifications.urls")),
    path("", include("talent.reports.pages")),
    path("", include("talent.web.urls")),
    path("api-auth/", include("rest_framework.urls")),
]

handler404 = "talent.common.errors_views.not_found"
handler500 = "talent.common.errors_views.server_error"
