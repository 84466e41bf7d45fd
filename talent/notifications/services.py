"""Every write of notifications: writing them in the event's transaction (`notify`), sending their mail through
the outbox (`notification_deliver`, `notification_sweep`), reading them, and each user's mail settings.

The outbox: a notification is written as queued with its event and handed to the workers after commit. A broker
that is down leaves it queued (`email_enqueued_at` empty) and beat's sweeper hands it over again. Delivery locks
the row, sends, and marks it sent in one transaction, so a task run twice (a retry, a duplicate delivery, the
sweeper's second hand-over) finds it sent, or locked by the first, and sends nothing. A mail server that refuses or
times out leaves it queued with one more failed attempt and a later next attempt; after `MAX_ATTEMPTS` it is
failed, visible in the admin. The rare gap — the mail left but the worker died before the commit — means a second
mail, never a lost one.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from talent.common.errors import InvalidInput
from talent.notifications import content
from talent.notifications.models import EmailStatus, Notification, NotificationKind, NotificationSettings

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "talent.notifications.unsubscribe"
#: What a refusing, unreachable or slow mail server raises: the notification stays queued for a later attempt.
MAIL_ERRORS = (smtplib.SMTPException, OSError, TimeoutError)


def setting(name: str, default: Any) -> Any:
    return getattr(settings, f"NOTIFICATIONS_{name}", default)


def notify(
    *, recipients: Iterable[User], kind: str, dedupe_key: str, context: dict[str, Any], link: str = ""
) -> list[int]:
    """Write one notification per recipient for an event (`dedupe_key`) in the caller's transaction, and send
    their mail after commit. An event already told to a recipient is not told again. Returns the new rows' ids."""
    people = {user.pk: user for user in recipients if user is not None and user.pk is not None and user.is_active}
    if not people:
        return []
    with transaction.atomic():
        before = set(
            Notification.objects.filter(kind=kind, dedupe_key=dedupe_key, recipient_id__in=people).values_list(
                "recipient_id", flat=True
            )
        )
        Notification.objects.bulk_create(
            [
                Notification(recipient_id=pk, kind=kind, dedupe_key=dedupe_key, context=context, link=link)
                for pk in people
                if pk not in before
            ],
            ignore_conflicts=True,
        )
        ids = list(
            Notification.objects.filter(
                kind=kind, dedupe_key=dedupe_key, recipient_id__in=set(people) - before
            ).values_list("pk", flat=True)
        )
        _send_after_commit(ids)
    return ids


def _send_after_commit(ids: list[int]) -> None:
    """Hand the mails to the workers once the transaction commits; an error there is logged, never raised."""
    if not ids:
        return

    def send_notifications() -> None:
        send_to_workers(ids)

    transaction.on_commit(send_notifications, robust=True)


def send_to_workers(ids: Iterable[int]) -> int:
    """Hand each notification's mail to the workers (in-process without a broker). A broker that is down is not
    an error: the rows stay queued and the sweeper hands them over again. Returns how many were handed over."""
    from talent.notifications import tasks  # tasks import this module

    sent = []
    for pk in ids:
        try:
            tasks.deliver_notification.apply_async(args=(pk,))
        except BrokerUnavailable:
            logger.warning("notification %s: broker unreachable; it stays queued for the sweeper", pk)
            break
        sent.append(pk)
    if sent:
        Notification.objects.filter(pk__in=sent, email_status=EmailStatus.QUEUED).update(
            email_enqueued_at=timezone.now()
        )
    return len(sent)


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification's mail, at most once: returns what happened ("sent", "skipped", "retry", "failed",
    or "nothing" when it is not queued, not due yet, or being sent by another worker)."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient__person")
            .filter(pk=notification_id, email_status=EmailStatus.QUEUED)
            .filter(Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
            .first()
        )
        if notification is None:
            return "nothing"
        recipient = notification.recipient
        preferences = settings_of(recipient)
        address = address_of(recipient)
        if notification.kind in preferences.muted_kinds or not address:
            notification.email_status = EmailStatus.SKIPPED
            notification.save(update_fields=["email_status"])
            return "skipped"
        try:
            _mail(notification, recipient, address, preferences.language)
        except MAIL_ERRORS as error:
            return _failed(notification, error, now)
        notification.email_status, notification.email_sent_at = EmailStatus.SENT, timezone.now()
        notification.email_error = ""
        notification.save(update_fields=["email_status", "email_sent_at", "email_error"])
        return "sent"


def address_of(user: User) -> str:
    """Where a user's mail goes: their login's address, else their person record's (experts register one there)."""
    if user.email:
        return user.email
    person = getattr(user, "person", None)
    return person.email if person is not None else ""


def _mail(notification: Notification, recipient: User, address: str, language: str) -> None:
    unsubscribe = content.absolute(
        reverse("web:notifications-unsubscribe", args=[unsubscribe_token(recipient, notification.kind)])
    )
    subject, text = content.email_text(notification, language=language, unsubscribe_url=unsubscribe)
    message = EmailMessage(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )
    message.send(fail_silently=False)


def _failed(notification: Notification, error: BaseException, now: datetime.datetime) -> str:
    """One more failed attempt: queued again after a growing pause, or failed after the last attempt. The error
    is kept as its kind and code only (a server's message may quote the address)."""
    notification.email_attempts += 1
    code = getattr(error, "smtp_code", None)
    notification.email_error = f"{type(error).__name__}{f' {code}' if code else ''}"[:200]
    if notification.email_attempts >= int(setting("MAX_ATTEMPTS", 5)):
        notification.email_status = EmailStatus.FAILED
        outcome = "failed"
    else:
        pause = float(setting("RETRY_SECONDS", 60)) * 2 ** (notification.email_attempts - 1)
        notification.email_next_attempt_at = now + datetime.timedelta(seconds=pause)
        outcome = "retry"
    notification.save(update_fields=["email_attempts", "email_error", "email_status", "email_next_attempt_at"])
    logger.warning(
        "notification %s: mail not sent (%s), attempt %s: %s",
        notification.pk,
        notification.email_error,
        notification.email_attempts,
        outcome,
    )
    return outcome


def notification_sweep() -> dict[str, int]:
    """Hand over again the queued mails that are due and that no worker took (broker down at commit, a worker
    lost, a failed attempt whose pause is over). Safe to call at any time: a mail handed over twice is sent once."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=float(setting("RESEND_AFTER_SECONDS", 60)))
    due = (
        Notification.objects.filter(email_status=EmailStatus.QUEUED)
        .filter(Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
        .filter(Q(email_enqueued_at__isnull=True) | Q(email_enqueued_at__lt=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)[: int(setting("SWEEP_BATCH", 500))]
    )
    ids = list(due)
    return {"due": len(ids), "sent": send_to_workers(ids)}


# --- The inbox and each user's settings ------------------------------------------------------------------------


def settings_of(user: User) -> NotificationSettings:
    """The user's mail settings (unsaved defaults when they never chose: the site's language, every kind)."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found if found is not None else NotificationSettings(user=user)


def notification_settings_update(
    *, user: User, language: str | None = None, muted_kinds: Iterable[str] | None = None
) -> NotificationSettings:
    """Set a user's mail language and the kinds they receive no mail for."""
    languages = [code for code, _name in settings.LANGUAGES]
    if language is not None and language not in languages:
        raise InvalidInput(_("Choose Korean or English."), field="language")
    kinds = None if muted_kinds is None else sorted(set(muted_kinds))
    if kinds is not None and not set(kinds) <= set(NotificationKind.values):
        raise InvalidInput(_("Unknown kind of notification."), field="muted_kinds")
    with transaction.atomic():
        row, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
        if language is not None:
            row.language = language
        if kinds is not None:
            row.muted_kinds = kinds
        row.save()
    return row


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (`ids`, or all). Returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unsubscribe_token(user: User, kind: str) -> str:
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[User, str]:
    """Whose and which kind of mail a link of a mail stops; refused when the link was altered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=int(data["user"]), is_active=True)
        kind = NotificationKind(data["kind"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, ValueError, TypeError) as error:
        raise InvalidInput(_("This unsubscribe link is not valid.")) from error
    return user, kind


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Stop the mails of one kind for the user a mail's link names (the inbox keeps showing them)."""
    user, kind = unsubscribe_read(token)
    with transaction.atomic():
        current = settings_of(user)
        notification_settings_update(user=user, muted_kinds=[*current.muted_kinds, kind])
    return user, kind
