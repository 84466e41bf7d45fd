"""Routes of the reports API (mounted at /api/v1/reports/)."""

from talent.reports.api import urlpatterns

__all__ = ["urlpatterns"]
