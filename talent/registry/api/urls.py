"""Routes of the registry API; each module owns its routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("talent.registry.api.accounts")),
    path("", include("talent.registry.api.catalogue")),
    # Before enrollments: its router would take "enrollments/import/" for an enrollment's id.
    path("", include("talent.registry.api.roster")),
    path("", include("talent.registry.api.enrollments")),
    path("", include("talent.registry.api.me")),
    path("", include("talent.registry.api.problems")),
    path("", include("talent.registry.api.statistics")),
]
