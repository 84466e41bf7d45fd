"""Routes of the matching API (match runs and proposals)."""

urlpatterns: list = []
