"""Consent to the privacy notice (talent.registry.privacy): given at sign-up or at the first sign-in under a new
notice version, the optional part withdrawable (which deletes the optional items); the required part ends only
with the account."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent.common.errors import InvalidInput
from talent.registry import privacy
from talent.registry.models import Person, PrivacyConsent
from talent.registry.privacy import OPTIONAL_FIELDS, ConsentScope
from talent.registry.services._base import Actor, acting, save

REQUIRED_REFUSED = _(
    "Consent to the required items is needed to register: the registry cannot keep a record of you without them."
)
OPTIONAL_DATA_WITHOUT_CONSENT = _("You gave your gender: consent to the optional items too, or leave it empty.")


def _standing(person: Person, scope: str) -> QuerySet[PrivacyConsent]:
    return PrivacyConsent.objects.filter(person=person, scope=scope, withdrawn_at__isnull=True)


def privacy_consent_check(*, required: bool, optional: bool, optional_data: bool = False) -> None:
    """Refuse, beside the consent field at fault, a consent without its required part, or optional items
    given without the optional consent."""
    errors = {}
    if not required:
        errors["consent_required"] = [REQUIRED_REFUSED]
    if optional_data and not optional:
        errors["consent_optional"] = [OPTIONAL_DATA_WITHOUT_CONSENT]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)


def privacy_consent_give(*, actor: Actor, person: Person, required: bool, optional: bool) -> list[PrivacyConsent]:
    """Record the person's consent to the notice in force: its required part (refused without it) and, if given,
    its optional part. Not consenting to the optional part now withdraws an earlier optional consent (and deletes
    the optional items). Giving the same consent again records nothing new."""
    privacy_consent_check(required=required, optional=optional)
    given = []
    with acting(actor, "privacy_consent_give"):
        scopes = [ConsentScope.REQUIRED, *([ConsentScope.OPTIONAL] if optional else [])]
        for scope in scopes:
            if not _standing(person, scope).filter(notice_version=privacy.NOTICE_VERSION).exists():
                consent = PrivacyConsent(person=person, notice_version=privacy.NOTICE_VERSION, scope=scope)
                save(consent)
                given.append(consent)
        if not optional:
            _withdraw_optional(person)
    return given


def privacy_consent_withdraw_optional(*, actor: Actor, person: Person) -> int:
    """Withdraw the optional consent and delete the optional items; the number of consents withdrawn. The
    required consent is not withdrawn here: it ends by closing the account."""
    with acting(actor, "privacy_consent_withdraw"):
        return _withdraw_optional(person)


def _withdraw_optional(person: Person) -> int:
    withdrawn = _standing(person, ConsentScope.OPTIONAL).update(withdrawn_at=timezone.now())
    if any(getattr(person, name) for name in OPTIONAL_FIELDS):
        for name in OPTIONAL_FIELDS:
            setattr(person, name, "")
        save(person, update_fields=list(OPTIONAL_FIELDS))
    return withdrawn
