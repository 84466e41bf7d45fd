"""Routes of the registry API; each module owns its routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("talent.registry.api.catalogue")),
    path("", include("talent.registry.api.enrollments")),
    path("", include("talent.registry.api.advisors")),
    path("", include("talent.registry.api.problems")),
]
