"""Reads of the identity queue: operators only (a pair shows two persons' records side by side)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from talent.common.errors import NotFound
from talent.identity.models import CandidateStatus, DuplicateCandidate
from talent.registry import roles
from talent.registry.models import DisagreementStatus, IdentityDisagreement, Person, PersonMerge

if TYPE_CHECKING:
    from talent.registry.roles import User


def candidate_list(*, user: User, status: str | None = CandidateStatus.OPEN) -> QuerySet[DuplicateCandidate]:
    """The queue, most probable first: pairs of persons neither of whom is merged away."""
    if not roles.is_operator(user):
        return DuplicateCandidate.objects.none()
    qs = DuplicateCandidate.objects.select_related("person_a", "person_b", "decided_by").order_by("-score", "id")
    if status:
        qs = qs.filter(status=status)
        if status == CandidateStatus.OPEN:
            qs = qs.filter(person_a__merged_into__isnull=True, person_b__merged_into__isnull=True)
    return qs


def candidate_get_for_user(*, user: User, pk: int | str) -> DuplicateCandidate:
    found = candidate_list(user=user, status=None).filter(pk=pk).first()
    if found is None:
        raise NotFound(_missing())
    return found


def merge_list(*, user: User) -> QuerySet[PersonMerge]:
    if not roles.is_operator(user):
        return PersonMerge.objects.none()
    return PersonMerge.objects.select_related("survivor", "merged", "merged_by", "undone_by").order_by("-merged_at")


def merge_get_for_user(*, user: User, pk: int | str) -> PersonMerge:
    found = merge_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_missing())
    return found


def disagreement_list(*, user: User, open_only: bool = True) -> QuerySet[IdentityDisagreement]:
    if not roles.is_operator(user):
        return IdentityDisagreement.objects.none()
    qs = IdentityDisagreement.objects.select_related("person", "university").order_by("-created_at", "-id")
    return qs.filter(status=DisagreementStatus.OPEN) if open_only else qs


def disagreement_get_for_user(*, user: User, pk: int | str) -> IdentityDisagreement:
    found = disagreement_list(user=user, open_only=False).filter(pk=pk).first()
    if found is None:
        raise NotFound(_missing())
    return found


def person_get_for_operator(*, user: User, pk: int | str) -> Person:
    """Any person, merged away or not, for an operator; nobody else finds one here."""
    found = Person.objects.filter(pk=pk).first() if roles.is_operator(user) else None
    if found is None:
        raise NotFound(_missing())
    return found


def _missing() -> str:
    return _("Not found.")
