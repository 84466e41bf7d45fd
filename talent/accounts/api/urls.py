"""Routes of the accounts API: signing up and in, tokens, claim codes, and the signed-in person's own data."""

from django.urls import include, path

urlpatterns = [
    path("", include("talent.accounts.api.accounts")),
    path("", include("talent.accounts.api.sessions")),
    path("", include("talent.accounts.api.me")),
]
