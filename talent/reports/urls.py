"""Routes of the reports API and the ministry dashboard."""

urlpatterns: list = []
