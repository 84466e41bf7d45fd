"""Notifications: one row per recipient and event, shown in the site's inbox and sent by email through an outbox.

The row is written in the transaction of the event it tells about (so it exists exactly when the event does) and
holds what its mail needs (kind, context of ids and words, link), never the rendered text: the mail is rendered
in the recipient's language when it is sent. The email's delivery state lives on the same row (the outbox).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talent.common.db import ChecksInOneQuery


class NotificationKind(models.TextChoices):
    PROPOSALS_NEW = "proposals_new", _("New proposals for you")
    PROPOSAL_ANSWERED = "proposal_answered", _("An expert answered a proposal")
    ENGAGEMENT_STARTED = "engagement_started", _("An engagement started")
    ENGAGEMENT_CLOSED = "engagement_closed", _("An engagement was closed")
    CLAIM_CODE_USED = "claim_code_used", _("A claim code was used")


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (unsubscribed or no address)")


class Notification(ChecksInOneQuery):
    """One event told to one user: in their inbox at once, and by email once the outbox has sent it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    context = models.JSONField(
        _("context"), default=dict, blank=True, help_text=_("Ids and words the message is written from.")
    )
    # Written by the system only (never from a person's input), hence not editable.
    link = models.CharField(_("link"), max_length=300, blank=True, editable=False)
    dedupe_key = models.CharField(
        _("event key"),
        max_length=80,
        editable=False,
        help_text=_("The event this tells about: a second write of it is ignored."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(_("email"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    email_attempts = models.PositiveSmallIntegerField(_("failed email attempts"), default=0)
    email_error = models.CharField(_("last email error"), max_length=200, blank=True, editable=False)
    email_next_attempt_at = models.DateTimeField(_("next email attempt"), null=True, blank=True)
    email_enqueued_at = models.DateTimeField(_("last sent to the workers"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "dedupe_key"], name="notification_once_per_event_and_recipient"
            ),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"),
            models.CheckConstraint(
                condition=Q(email_status__in=EmailStatus.values), name="notification_email_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(email_status=EmailStatus.SENT) | Q(email_sent_at__isnull=False),
                name="notification_sent_has_sent_at",
            ),
        ]
        indexes = [
            models.Index(fields=["email_status", "email_next_attempt_at"], name="notification_outbox_idx"),
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"


class NotificationSettings(ChecksInOneQuery):
    """A user's language for mail (the language they last signed in with, or chose) and the kinds of mail they
    unsubscribed from (the inbox still shows those)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    muted_kinds = ArrayField(
        models.CharField(max_length=24, choices=NotificationKind.choices),
        size=len(NotificationKind.values),
        default=list,
        blank=True,
        verbose_name=_("no email for"),
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(muted_kinds__contained_by=NotificationKind.values),
                name="notification_settings_kinds_valid",
            ),
            models.CheckConstraint(
                condition=Q(muted_kinds__len__lte=len(NotificationKind.values)),
                name="notification_settings_kinds_size",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="notification_settings_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user_id)
