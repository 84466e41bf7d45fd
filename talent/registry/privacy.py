"""The privacy notice for collecting and using personal information (개인정보 수집·이용 동의), as the Personal
Information Protection Act (art. 15, 22) asks: the items, the purpose, how long they are kept, the right to refuse
and what refusing means; required and optional items consented to separately. One version is in force: a new
NOTICE_VERSION asks everyone again at their next sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Change it (the date the notice changed) whenever the text below changes in substance.
NOTICE_VERSION = "2026-12-03"

#: The person's fields that only an optional consent allows collecting.
OPTIONAL_FIELDS = ("gender",)


class ConsentScope(models.TextChoices):
    REQUIRED = "required", _("Required items")
    OPTIONAL = "optional", _("Optional items")


@dataclass(frozen=True)
class NoticePart:
    scope: ConsentScope
    items: Promise
    purpose: Promise
    retention: Promise
    refusal: Promise


NOTICE = (
    NoticePart(
        scope=ConsentScope.REQUIRED,
        items=_(
            "Email address, password (stored only as a hash), names in Korean and Latin letters, birth date, "
            "nationality"
        ),
        purpose=_(
            "Your login; recognising you as one person in the national AX talent registry (so that your university "
            "records and your own profile are one record); counting trained and returning talent towards the "
            "national targets"
        ),
        retention=_(
            "Until you close your account. Enrollment records that a university must keep stay with the university "
            "for the period the law sets for academic records, without your login."
        ),
        refusal=_(
            "You may refuse. Without this consent you cannot register, since the registry cannot keep a record of "
            "you without these items."
        ),
    ),
    NoticePart(
        scope=ConsentScope.OPTIONAL,
        items=_("Gender"),
        purpose=_("Statistics by gender in the ministry's reports (never shown with your name)"),
        retention=_("Until you withdraw this consent or close your account"),
        refusal=_(
            "You may refuse or withdraw at any time. Refusing changes nothing else: these items are simply not "
            "collected, and withdrawing deletes them."
        ),
    ),
)
