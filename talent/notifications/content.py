"""What each kind of notification says, written when it is shown or sent, in the reader's language.

Subjects name the kind of event only: never a person's name, email or anything else personal (mail subjects are
logged and shown by mail servers). Bodies may name the field problem (the company's posting, not personal data).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talent.engagements.models import Outcome
from talent.matching.models import DeclineReason
from talent.notifications.models import Notification, NotificationKind


def subject(kind: str) -> str:
    """The mail subject of `kind` in the active language: the kind's name and the site's, nothing personal."""
    return _("[AX Talent Registry] %(kind)s") % {"kind": NotificationKind(kind).label}


def body(notification: Notification) -> str:
    """The message of one notification in the active language."""
    context: dict[str, Any] = notification.context or {}
    title = context.get("problem_title", "")
    kind = notification.kind
    if kind == NotificationKind.PROPOSALS_NEW:
        count = int(context.get("count", 0))
        return ngettext(
            "A match run proposed you for %(count)d new field problem. Accept or decline it on your proposals page.",
            "A match run proposed you for %(count)d new field problems. Accept or decline them on your proposals page.",
            count,
        ) % {"count": count}
    if kind == NotificationKind.PROPOSAL_ANSWERED:
        if context.get("answer") == "accepted":
            return _("An expert accepted the proposal for “%(title)s”. Your company's answer is awaited.") % {
                "title": title
            }
        reason = context.get("reason", "")
        if reason in DeclineReason.values:
            return _("An expert declined the proposal for “%(title)s” (reason: %(reason)s).") % {
                "title": title,
                "reason": DeclineReason(reason).label,
            }
        return _("An expert declined the proposal for “%(title)s”.") % {"title": title}
    if kind == NotificationKind.ENGAGEMENT_STARTED:
        return _(
            "Both sides accepted: the engagement on “%(title)s” has started. Its page shows the contact details "
            "that may be shared and the next steps."
        ) % {"title": title}
    if kind == NotificationKind.ENGAGEMENT_CLOSED:
        return _("The engagement on “%(title)s” was closed (outcome: %(outcome)s).") % {
            "title": title,
            "outcome": _outcome_label(context.get("outcome", "")),
        }
    return _("A claim code your university issued was used: a student record now has its person's login.")


def _outcome_label(value: str) -> str:
    return str(Outcome(value).label) if value in Outcome.values else value


def absolute(link: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{link}" if link else ""


def email_text(notification: Notification, *, language: str, unsubscribe_url: str) -> tuple[str, str]:
    """Subject and plain-text body of the notification's mail in `language`."""
    with translation.override(language):
        lines = [body(notification)]
        if notification.link:
            lines += ["", absolute(notification.link)]
        lines += [
            "",
            "--",
            _("You receive this because of your role in the AX Talent Registry."),
            _("Stop emails of this kind: %(url)s") % {"url": unsubscribe_url},
        ]
        return subject(notification.kind), "\n".join(lines)
