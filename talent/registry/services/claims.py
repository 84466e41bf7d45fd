"""Claim codes: a university hands a student a one-time code that links the student's own login to their record.

Only a SHA-256 hash of each code is stored; the code itself is shown once, to the staff member who issued it.
Codes are 12 characters of Crockford's base32 (60 random bits), written in groups of four, e.g. `7K2M-QX9P-4RTA`;
guessing is bounded by the redeem endpoint's throttle.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import Conflict, NotAllowed
from talent.registry import roles
from talent.registry.models import ClaimCode, Enrollment, Person
from talent.registry.services._base import Actor, acting, save

CLAIM_CODE_LIFETIME = datetime.timedelta(days=14)
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
CODE_LENGTH = 12
GROUP = 4
# Letters people type for the digits they resemble (Crockford's decoding rules).
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalize_claim_code(code: str) -> str:
    """The canonical form of a typed code: upper case, without spaces or dashes, look-alike letters read as digits."""
    return "".join(ch for ch in code.upper() if ch not in " -\t").translate(_LOOKALIKES)


def hash_claim_code(code: str) -> str:
    return hashlib.sha256(normalize_claim_code(code).encode("ascii", "replace")).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def claim_code_issue(*, actor: Actor, enrollment: Enrollment) -> tuple[ClaimCode, str]:
    """Issue a one-time code for the enrollment's person, valid for 14 days; earlier unused codes for that
    person from the same university stop working. Returns the stored row and the plain code (shown once)."""
    if actor is not None and not roles.may_manage_university(actor, enrollment.university):
        raise NotAllowed(_("You may only issue claim codes for your own university's students."))
    code = _new_code()
    with acting(actor, "claim_code_issue"):
        # Issuing takes turns per person (the row lock): of codes requested at once, the last issued is the only
        # one left valid, as if they had been requested one after another.
        person = Person.objects.select_for_update().get(pk=enrollment.person_id)
        if person.user_id is not None:
            raise Conflict(_("This student has already linked a login to their record."), code="already_claimed")
        now = timezone.now()
        ClaimCode.objects.filter(
            person=person, issued_by_organization=enrollment.university, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        claim = ClaimCode(
            person=person,
            issued_by_organization=enrollment.university,
            code_hash=hash_claim_code(code),
            issued_by=actor if actor is not None and actor.pk else None,
            expires_at=now + CLAIM_CODE_LIFETIME,
        )
        save(claim)
    return claim, code


def claim_codes_revoke(*, actor: Actor, enrollment: Enrollment) -> int:
    """Revoke the unused, unexpired codes the enrollment's university issued for its person: they stop working at
    once (a student then hears that the code expired). Staff of that university or an operator; the number revoked."""
    if actor is not None and not roles.may_manage_university(actor, enrollment.university):
        raise NotAllowed(_("You may only revoke claim codes of your own university's students."))
    with acting(actor, "claim_codes_revoke"):
        Person.objects.select_for_update().get(pk=enrollment.person_id)
        now = timezone.now()
        return ClaimCode.objects.filter(
            person_id=enrollment.person_id,
            issued_by_organization=enrollment.university,
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(expires_at=now)
