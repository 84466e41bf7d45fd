"""The identity queue in the admin: probable duplicates (actions: same person, not the same), merges (action:
undo) and differing details (actions: keep, take). Every action is a service; nothing is edited by hand here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.identity import services
from talent.identity.models import CandidateStatus, DuplicateCandidate
from talent.registry.models import IdentityDisagreement, PersonMerge
from talent.registry.services.identity import identity_disagreement_resolve

M = TypeVar("M", bound=Model)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _each(request: HttpRequest, rows: QuerySet[M], act: Callable[[M], object], done: str) -> None:
    """Apply one service to each selected row; a refusal is shown and the other rows still go."""
    count = 0
    for row in rows:
        try:
            act(row)
        except DomainError as refusal:
            messages.error(request, f"{row}: {refusal}")
        else:
            count += 1
    if count:
        messages.success(request, done % {"count": count})


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(_ReadOnly):
    list_display = ("id", "person_a", "person_b", "score", "status", "found_at", "decided_by")
    list_filter = ("status",)
    readonly_fields = ("person_a", "person_b", "score", "evidence", "status", "found_at", "decided_by", "merge")
    actions = ["same_person", "not_the_same"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def get_queryset(self, request: HttpRequest) -> QuerySet[DuplicateCandidate]:
        return super().get_queryset(request).select_related("person_a", "person_b", "decided_by")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return super().get_actions(request) if request.user.is_staff else {}

    @admin.action(description=gettext_lazy("Same person: merge each selected pair (into the older record)"))
    def same_person(self, request: HttpRequest, queryset: QuerySet[DuplicateCandidate]) -> None:
        actor = signed_in_user(request)
        pairs = queryset.filter(status=CandidateStatus.OPEN)
        _each(
            request,
            pairs,
            lambda c: services.candidate_decide(actor=actor, candidate=c, same=True),
            _("%(count)d pairs merged."),
        )

    @admin.action(description=gettext_lazy("Not the same person: never propose the selected pairs again"))
    def not_the_same(self, request: HttpRequest, queryset: QuerySet[DuplicateCandidate]) -> None:
        actor = signed_in_user(request)
        pairs = queryset.filter(status=CandidateStatus.OPEN)
        _each(
            request,
            pairs,
            lambda c: services.candidate_decide(actor=actor, candidate=c, same=False),
            _("%(count)d pairs marked as not the same person."),
        )


@admin.register(PersonMerge)
class PersonMergeAdmin(_ReadOnly):
    list_display = ("id", "survivor", "merged", "reason", "merged_by", "merged_at", "undone_at")
    list_filter = ("reason",)
    readonly_fields = (
        "survivor",
        "merged",
        "reason",
        "evidence",
        "moved",
        "cleared",
        "taken",
        "merged_by",
        "merged_at",
        "undone_by",
        "undone_at",
    )
    actions = ["undo"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return super().get_actions(request) if request.user.is_staff else {}

    @admin.action(description=gettext_lazy("Undo the selected merges"))
    def undo(self, request: HttpRequest, queryset: QuerySet[PersonMerge]) -> None:
        actor = signed_in_user(request)
        merges = queryset.filter(undone_at__isnull=True).order_by("-merged_at")  # the latest first
        _each(request, merges, lambda m: services.merge_undo(actor=actor, merge=m), _("%(count)d merges undone."))


@admin.register(IdentityDisagreement)
class IdentityDisagreementAdmin(_ReadOnly):
    list_display = ("id", "person", "field", "submitted", "university", "status", "created_at")
    list_filter = ("status", "field")
    readonly_fields = ("person", "enrollment", "university", "field", "submitted", "status", "created_at")
    actions = ["keep_stored", "take_submitted"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return super().get_actions(request) if request.user.is_staff else {}

    @admin.action(description=gettext_lazy("Keep the stored values"))
    def keep_stored(self, request: HttpRequest, queryset: QuerySet[IdentityDisagreement]) -> None:
        actor = signed_in_user(request)
        _each(
            request,
            queryset,
            lambda d: identity_disagreement_resolve(actor=actor, disagreement=d, take=False),
            _("%(count)d differences settled."),
        )

    @admin.action(description=gettext_lazy("Take the submitted values"))
    def take_submitted(self, request: HttpRequest, queryset: QuerySet[IdentityDisagreement]) -> None:
        actor = signed_in_user(request)
        _each(
            request,
            queryset,
            lambda d: identity_disagreement_resolve(actor=actor, disagreement=d, take=True),
            _("%(count)d differences settled."),
        )
