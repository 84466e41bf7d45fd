"""Placeholder until this area's routes land."""

urlpatterns: list = []
