"""Match runs, the proposals they make, the stored index terms of profiles and problems, and the AX vocabulary.

Fields, constraints and single-row rules only; every write is in `talent.matching.services`.
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talent.common.db import ChecksInOneQuery
from talent.matching import defaults
from talent.matching.concepts import MAX_TERM_LENGTH, term_key
from talent.registry.fields import GuardedCharField, GuardedListField, GuardedSlugField
from talent.registry.models import KSIC_CODES, ExpertProfile, FieldProblem

#: The most terms (or divisions) one concept lists in each of its lists.
MAX_TERMS = 30


class MatchMode(models.TextChoices):
    STABLE = "stable", _("Stable (deferred acceptance)")
    MAX_FIT = "max_fit", _("Maximum total fit")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    API = "api", _("API")
    ADMIN = "admin", _("Admin site")
    WEB = "web", _("Web pages")
    COMMAND = "command", _("Command line")
    NIGHTLY = "nightly", _("Nightly schedule")
    PROBLEM_OPENED = "problem_opened", _("A field problem was opened")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "Withdrawn")


class Answer(models.TextChoices):
    """One side's answer to a proposal; the proposal is accepted when both sides accept."""

    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class DeclineReason(models.TextChoices):
    """Why a side declined (optional): shown to the other side, and kept for judging the weights on outcomes."""

    NO_TIME = "no_time", _("No time or capacity now")
    NOT_OUR_FIELD = "not_our_field", _("Outside my or our field")
    SCOPE = "scope", _("The scope or conditions do not fit")
    OTHER = "other", _("Another reason")


# Which proposals are what, written once (services, selectors, the API and the pages use these):
#: Live: the pair stands; at most one live proposal per pair (constraint), and a later run keeps or withdraws it.
LIVE_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED)
#: Open: still waiting for an answer from at least one side; a later run may withdraw it if nobody accepted it.
OPEN_STATUSES = (ProposalStatus.PROPOSED,)
#: Listed on the pages (and by the API unless a status is asked for): all but those a newer run withdrew.
LISTED_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED, ProposalStatus.DECLINED)


class Side(models.TextChoices):
    """Who answers a proposal: the expert, or a member of the problem's company."""

    EXPERT = "expert", _("Expert")
    COMPANY = "company", _("Company")


def answer_of(proposal: Proposal, side: str) -> str:
    """One side's answer (an `Answer` value)."""
    return proposal.expert_response if side == Side.EXPERT else proposal.company_response


def awaits_answer(proposal: Proposal, side: str) -> bool:
    """Whether `side` may still answer: the proposal is open and that side has not answered (an answer is final)."""
    return proposal.status in OPEN_STATUSES and answer_of(proposal, side) == Answer.PENDING


def awaiting_answer(side: str) -> Q:
    """`awaits_answer` as a filter: the proposals `side` may still answer."""
    return Q(status__in=OPEN_STATUSES, **{f"{side}_response": Answer.PENDING})


def holds_capacity(
    *, status: str, expert_response: str, company_response: str, expert_in_play: bool, problem_open: bool
) -> bool:
    """Whether a proposal takes a place of its expert's capacity and its problem's experts wanted: accepted by
    both on an open problem, or accepted by one side while the expert is still in play (consenting, available) and
    the problem open. Runs leave these places taken; accepting checks that a place is left."""
    if not problem_open:
        return False
    if status == ProposalStatus.ACCEPTED:
        return True
    return status in OPEN_STATUSES and expert_in_play and Answer.ACCEPTED in (expert_response, company_response)


class MatchRun(ChecksInOneQuery):
    """One run of the matching engine. At most one runs at a time, and at most one waits to start: a request
    made while one is queued joins it (the queued run reads the records only when it starts)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    trigger = models.CharField(_("trigger"), max_length=16, choices=RunTrigger.choices, default=RunTrigger.API)
    mode = models.CharField(_("assignment mode"), max_length=8, choices=MatchMode.choices, default=defaults.MODE)
    parameters = models.JSONField(
        _("parameters"), default=dict, blank=True, help_text=_("Weights, top K and minimum score, fixed at request.")
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    phase = models.CharField(_("phase"), max_length=20, blank=True, editable=False)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    timings = models.JSONField(_("timings (seconds)"), default=dict, blank=True)
    invariants = models.JSONField(
        _("invariants"),
        default=dict,
        blank=True,
        help_text=_("Capacities, duplicate and declined pairs checked before writing; blocking pairs counted."),
    )
    error = models.TextField(_("error"), blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("last sent to the workers"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One run at a time: the claim (queued -> running) fails while another row is running.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=RunStatus.RUNNING),
                name="match_run_one_running",
                violation_error_message=_("Another match run is already running."),
            ),
            # A second request while one waits joins it instead of queueing a duplicate.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=RunStatus.QUEUED),
                name="match_run_one_queued",
                violation_error_message=_("A match run is already waiting to start."),
            ),
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="match_run_status_valid"),
            models.CheckConstraint(condition=Q(mode__in=MatchMode.values), name="match_run_mode_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="match_run_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.RUNNING) | Q(started_at__isnull=False, heartbeat_at__isnull=False),
                name="match_run_running_has_started",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="match_run_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_mode_display()} · {self.get_status_display()}"


@pghistory.track(
    pghistory.UpdateEvent(
        "decision",
        condition=pghistory.AnyChange("status", "expert_response", "company_response"),
    ),
    fields=["status", "expert_response", "company_response", "decided_by", "decided_at"],
    model_name="ProposalHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
    append_only=True,
)
class Proposal(ChecksInOneQuery):
    """An expert proposed for a field problem by a run, with its score and why.

    Each side answers; the proposal is accepted when both accept and declined when either declines. A pending
    proposal that a later run does not repeat is withdrawn (kept, never deleted).
    """

    run = models.ForeignKey(
        MatchRun,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("match run"),
        help_text=_("The latest run that proposed this pair."),
    )
    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("expert")
    )
    problem = models.ForeignKey(
        FieldProblem, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("field problem")
    )
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    expert_response = models.CharField(
        _("expert's answer"), max_length=8, choices=Answer.choices, default=Answer.PENDING
    )
    company_response = models.CharField(
        _("company's answer"), max_length=8, choices=Answer.choices, default=Answer.PENDING
    )
    company_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered for the company by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Whose answer settled the proposal (accepted or declined)."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"),
        max_length=16,
        choices=DeclineReason.choices,
        blank=True,
        default="",
        db_default="",  # the run's bulk insert names its columns: a new proposal has none
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "problem"],
                condition=Q(status__in=LIVE_STATUSES),
                name="proposal_one_live_per_pair",
                violation_error_message=_("This expert is already proposed for this field problem."),
            ),
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"),
            models.CheckConstraint(
                condition=Q(expert_response__in=Answer.values) & Q(company_response__in=Answer.values),
                name="proposal_responses_valid",
            ),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="proposal_score_in_unit_range"),
            models.CheckConstraint(
                condition=Q(decline_reason="")
                | Q(status=ProposalStatus.DECLINED, decline_reason__in=DeclineReason.values),
                name="proposal_decline_reason_only_when_declined",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.ACCEPTED)
                | Q(expert_response=Answer.ACCEPTED, company_response=Answer.ACCEPTED),
                name="proposal_accepted_by_both",
            ),
        ]
        indexes = [
            models.Index(fields=["problem", "status"], name="proposal_problem_status_idx"),
            models.Index(fields=["expert", "status"], name="proposal_expert_status_idx"),
            models.Index(fields=["status"], name="proposal_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} → {self.problem_id} ({self.get_status_display()})"


class NearMiss(models.Model):
    """Why an expert in a run's pool was proposed nothing: a problem they were a candidate for, and how far they
    were from its last accepted expert. Only the latest successful run's are kept."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="near_misses", verbose_name=_("run"))
    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="near_misses", verbose_name=_("expert")
    )
    problem = models.ForeignKey(
        FieldProblem, on_delete=models.CASCADE, related_name="near_misses", verbose_name=_("field problem")
    )
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)

    class Meta:
        verbose_name = _("near miss")
        verbose_name_plural = _("near misses")
        ordering = ["expert_id", "-score", "problem_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "expert", "problem"], name="near_miss_unique_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} ↛ {self.problem_id}"


class IndexTerms(models.Model):
    """Index terms stored so that a run re-tokenises only what changed (by the hash of the source text)."""

    tokens = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("index terms"), editable=False)
    source_hash = models.CharField(_("hash of the indexed text"), max_length=64, editable=False)
    indexed_at = models.DateTimeField(_("indexed at"))

    class Meta:
        abstract = True


class ExpertIndex(IndexTerms):
    """The index terms of an expert's summary."""

    expert = models.OneToOneField(
        ExpertProfile,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="matching_index",
        verbose_name=_("expert"),
    )

    class Meta:
        verbose_name = _("expert index")
        verbose_name_plural = _("expert indexes")

    def __str__(self) -> str:
        return str(self.expert_id)


class ProblemIndex(IndexTerms):
    """The index terms of a field problem's title and description."""

    problem = models.OneToOneField(
        FieldProblem,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="matching_index",
        verbose_name=_("field problem"),
    )

    class Meta:
        verbose_name = _("problem index")
        verbose_name_plural = _("problem indexes")

    def __str__(self) -> str:
        return str(self.problem_id)


@pghistory.track(model_name="AxConceptHistory", obj_field=pghistory.ObjForeignKey(related_name="history"))
class AxConcept(models.Model):
    """A concept of the bilingual AX vocabulary (잔존수명 / remaining useful life / RUL): its terms in each language
    and its KSIC divisions. The scorer finds its terms in texts and skills on both sides (`talent.matching.concepts`).
    Shipped ones come from `talent/matching/data/ax_vocabulary.json`; operators add and edit them in the admin."""

    key = GuardedSlugField(_("key"), max_length=80, unique=True)
    terms_ko = GuardedListField(
        GuardedCharField(max_length=MAX_TERM_LENGTH),
        size=MAX_TERMS,
        default=list,
        blank=True,
        verbose_name=_("Korean terms"),
    )
    terms_en = GuardedListField(
        GuardedCharField(max_length=MAX_TERM_LENGTH),
        size=MAX_TERMS,
        default=list,
        blank=True,
        verbose_name=_("English terms"),
    )
    abbreviations = GuardedListField(
        GuardedCharField(max_length=MAX_TERM_LENGTH),
        size=MAX_TERMS,
        default=list,
        blank=True,
        verbose_name=_("abbreviations"),
    )
    ksic_divisions = GuardedListField(
        GuardedCharField(max_length=3),
        size=MAX_TERMS,
        default=list,
        blank=True,
        verbose_name=_("KSIC divisions"),
        help_text=_("Section letter and two digits, e.g. C26; empty for a concept of every sector."),
    )
    shipped = models.BooleanField(_("shipped with the application"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("AX vocabulary concept")
        verbose_name_plural = _("AX vocabulary")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(terms_ko__len__lte=MAX_TERMS)
                & Q(terms_en__len__lte=MAX_TERMS)
                & Q(abbreviations__len__lte=MAX_TERMS)
                & Q(ksic_divisions__len__lte=MAX_TERMS),
                name="ax_concept_lists_size",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def all_terms(self) -> list[str]:
        return [*self.terms_ko, *self.terms_en, *self.abbreviations]

    def clean(self) -> None:
        """Single-row rules (the field limits each term to MAX_TERM_LENGTH): every term written, none twice, at least
        two terms (a concept of one term links nothing to anything), divisions a known section letter and two
        digits."""
        errors: dict[str, list[Any]] = {}
        seen: dict[str, str] = {}
        for name in ("terms_ko", "terms_en", "abbreviations"):
            for term in getattr(self, name):
                key = term_key(term)
                if not key:
                    errors.setdefault(name, []).append(_("A term may not be empty."))
                elif key in seen:
                    errors.setdefault(name, []).append(
                        _("“%(term)s” is written twice (also as “%(other)s”).") % {"term": term, "other": seen[key]}
                    )
                else:
                    seen[key] = term
        if len(seen) < 2 and not errors:
            errors.setdefault("terms_ko", []).append(
                _("A concept needs at least two different terms: with one it maps a term only to itself.")
            )
        for division in self.ksic_divisions:
            if not (len(division) == 3 and division[0] in KSIC_CODES and division[1:].isdigit()):
                errors.setdefault("ksic_divisions", []).append(
                    _("“%(division)s” is not a KSIC division (a section letter and two digits, e.g. C26).")
                    % {"division": division}
                )
        if errors:
            raise ValidationError(errors)
