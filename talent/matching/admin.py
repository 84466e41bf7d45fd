"""Operators start match runs here ("Add match run" queues one through the service) and read runs and proposals.

Runs and proposals are never edited by hand: a run's result is what it computed, and a proposal changes only by
its parties' answers or a later run.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from talent.common.users import signed_in_user
from talent.matching import services
from talent.matching.models import AxConcept, MatchRun, Proposal, RunTrigger
from talent.matching.services.vocabulary import CONCEPT_FIELDS
from talent.registry.admin.base import ReadOnlyAdmin, RegistryForm, ServiceAdmin, service_fields


class MatchRunStartForm(RegistryForm):
    class Meta:
        model = MatchRun
        fields = ["mode"]


@admin.register(MatchRun)
class MatchRunAdmin(ServiceAdmin):
    form = MatchRunStartForm
    show_history = False
    list_display = ("id", "mode", "trigger", "status", "progress", "attempts", "created_at", "finished_at")
    list_filter = ("status", "mode", "trigger")
    ordering = ("-created_at",)
    readonly_fields = (
        "requested_by",
        "trigger",
        "status",
        "progress",
        "phase",
        "parameters",
        "counts",
        "timings",
        "invariants",
        "error",
        "attempts",
        "created_at",
        "enqueued_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    )

    def get_fields(self, request: HttpRequest, obj: MatchRun | None = None) -> Any:
        return ("mode",) if obj is None else ("mode", *self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: MatchRun | None = None) -> Any:
        return () if obj is None else ("mode", *self.readonly_fields)

    def can_update(self, obj: MatchRun) -> bool:
        return False

    def create(self, request: HttpRequest, form: forms.ModelForm) -> MatchRun:
        """The admin's "add" starts a run (or joins the one waiting to start)."""
        return services.match_run_request(
            actor=signed_in_user(request), mode=form.cleaned_data["mode"], trigger=RunTrigger.ADMIN
        )


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("id", "problem", "expert", "score", "status", "expert_response", "company_response", "run")
    list_filter = ("status", "expert_response", "company_response")
    list_select_related = ("problem", "expert__person", "run")
    search_fields = ("problem__title", "expert__person__family_name_ko", "expert__person__given_name_latin")
    ordering = ("-created_at",)


class AxConceptForm(RegistryForm):
    class Meta:
        model = AxConcept
        fields = list(CONCEPT_FIELDS)


@admin.register(AxConcept)
class AxConceptAdmin(ServiceAdmin):
    """Operators extend the vocabulary: a refused term (empty, too long, twice, another concept's) is shown on the
    form. Edits count from the next match run."""

    form = AxConceptForm
    list_display = ("key", "terms_ko", "terms_en", "abbreviations", "ksic_divisions", "shipped", "updated_at")
    list_filter = ("shipped",)
    search_fields = ("key", "terms_ko", "terms_en", "abbreviations")
    ordering = ("key",)

    def get_readonly_fields(self, request: HttpRequest, obj: AxConcept | None = None) -> Any:
        return ("shipped",) if obj is None else ("key", "shipped")

    def create(self, request: HttpRequest, form: forms.ModelForm) -> AxConcept:
        return services.ax_concept_create(
            actor=signed_in_user(request), **service_fields(form.cleaned_data, CONCEPT_FIELDS)
        )

    def update(self, request: HttpRequest, obj: AxConcept, form: forms.ModelForm) -> AxConcept:
        fields = service_fields(form.cleaned_data, CONCEPT_FIELDS[1:])
        return services.ax_concept_update(actor=signed_in_user(request), concept=obj, **fields)
