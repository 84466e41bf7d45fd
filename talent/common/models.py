"""The few rows of the platform itself (no domain data): the Celery workers' heartbeats."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker said it was alive (`talent.common.heartbeat`)."""

    hostname = models.CharField(_("worker"), max_length=200, unique=True, editable=False)
    pid = models.PositiveIntegerField(_("process id"))
    seen_at = models.DateTimeField(_("seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
