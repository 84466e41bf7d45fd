"""Read-only views of the audit trail: who read whose record, and which claim codes were issued."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from talent.registry.models import AccessLog, ClaimCode


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
