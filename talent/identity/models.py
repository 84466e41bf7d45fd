"""Probable duplicates for an operator's decision, and the linkage model fitted by the nightly job."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talent.common.db import ChecksInOneQuery
from talent.registry.models import Person, PersonMerge


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    MERGED = "merged", _("Same person: merged")
    DISTINCT = "distinct", _("Not the same person")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="DuplicateCandidateHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
    append_only=True,
)
class DuplicateCandidate(ChecksInOneQuery):
    """Two persons that may be one human, with the evidence (each field's agreement) and a match probability.
    "Not the same" is remembered: the pair is never proposed again. A merge keeps its pair (PERSON_MERGE_KEEPS)."""

    PERSON_MERGE_KEEPS = True

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("other person"))
    score = models.FloatField(_("match probability"))
    evidence = models.JSONField(_("evidence"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    merge = models.ForeignKey(
        PersonMerge, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("merge")
    )

    class Meta:
        verbose_name = _("probable duplicate")
        verbose_name_plural = _("probable duplicates")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_candidate_pair_unique"),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="duplicate_candidate_pair_ordered"),
            models.CheckConstraint(condition=Q(status__in=CandidateStatus.values), name="duplicate_candidate_status"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="duplicate_candidate_score_range"),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="duplicate_candidate_queue_idx")]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score:.2f})"


class LinkageFit(models.Model):
    """The Fellegi–Sunter parameters the last full run estimated (EM over every blocked pair); the runs for single
    persons in between use the newest."""

    fitted_at = models.DateTimeField(_("fitted at"), auto_now_add=True)
    pairs = models.PositiveIntegerField(_("compared pairs"))
    parameters = models.JSONField(_("parameters"))
    seconds = models.FloatField(_("seconds"))

    class Meta:
        verbose_name = _("linkage model fit")
        verbose_name_plural = _("linkage model fits")
        ordering = ["-fitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.fitted_at:%Y-%m-%d %H:%M} ({self.pairs})"
