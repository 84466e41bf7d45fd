"""Web pages of the reports app (the ministry dashboard)."""

urlpatterns: list = []
