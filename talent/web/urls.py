"""Routes of the web pages; each views module owns its routes."""

from django.urls import include, path

app_name = "web"

urlpatterns = [
    path("", include("talent.web.views.accounts")),
    path("", include("talent.web.views.researcher")),
    path("", include("talent.web.views.company")),
    path("", include("talent.web.views.university")),
    path("", include("talent.web.views.analyst")),
    path("", include("talent.web.views.operator")),
    path("", include("talent.web.views.engagements")),
]
