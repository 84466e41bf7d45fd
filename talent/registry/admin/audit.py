"""Read-only views of the audit trail: who read whose record, and which claim codes were issued."""

from __future__ import annotations

from django.contrib import admin

from talent.registry.admin.base import ReadOnlyAdmin
from talent.registry.models import AccessLog, ClaimCode


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "person", "ip_address")
    list_filter = ("action", "at")
    list_select_related = ("user", "person")
    search_fields = ("user__username", "action", "path")
    date_hierarchy = "at"


@admin.register(ClaimCode)
class ClaimCodeAdmin(ReadOnlyAdmin):
    list_display = ("person", "issued_by_organization", "created_at", "expires_at", "used_at")
    list_filter = ("issued_by_organization", "used_at")
    list_select_related = ("person", "issued_by_organization")
    exclude = ("code_hash",)
