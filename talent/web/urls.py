"""Routes of the web pages; each views module owns its routes."""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

app_name = "web"

urlpatterns = [
    # Browsers, feed readers and the admin ask for /favicon.ico whatever the page links: send them the site's icon.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("web/favicon.svg"), permanent=True), name="favicon"),
    path("", include("talent.web.views.accounts")),
    path("", include("talent.web.views.privacy")),
    path("", include("talent.web.views.researcher")),
    path("", include("talent.web.views.company")),
    path("", include("talent.web.views.university")),
    path("", include("talent.web.views.analyst")),
    path("", include("talent.web.views.operator")),
    path("", include("talent.web.views.engagements")),
]
