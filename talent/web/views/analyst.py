"""The ministry analyst's pages: the way to the dashboard, starting a match run and watching it finish.

The same rule as the API's and the service's (`selectors.RUN_MATCHING`): the ministry and operators only
(anyone else 403). The run page follows its run through the API's run endpoint (a small script of our own;
without JavaScript the page reloads itself) until the run has finished.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.matching import selectors, services
from talent.matching.models import MatchRun, RunStatus, RunTrigger
from talent.web.access import allowed_by
from talent.web.forms import add_domain_error
from talent.web.forms.analyst import MatchRunForm

REFRESH_SECONDS = 2
RECENT_RUNS = 10
#: A label for every count the execution service writes (talent.matching.services.execution), in the order the page
#: shows them; a key without a label is never shown raw (tests/web/staff/test_analyst_pages.py checks them all).
COUNT_LABELS = {
    "experts_eligible": gettext_lazy("Experts eligible"),
    "problems_open": gettext_lazy("Open field problems"),
    "experts_in_pool": gettext_lazy("Experts with capacity left"),
    "problems_in_pool": gettext_lazy("Problems with capacity left"),
    "experts_tokenised": gettext_lazy("Expert profiles indexed anew"),
    "problems_tokenised": gettext_lazy("Field problems indexed anew"),
    "background_documents": gettext_lazy("Other documents counted for word weights"),
    "candidates": gettext_lazy("Candidate pairs scored"),
    "held_pairs": gettext_lazy("Accepted pairs kept"),
    "declined_pairs": gettext_lazy("Declined pairs never proposed again"),
    "assigned": gettext_lazy("Pairs assigned"),
    "total_fit": gettext_lazy("Total fit of the pairs assigned"),
    "dropped_during_run": gettext_lazy("Pairs dropped by changes made during the run"),
    "proposals_new": gettext_lazy("New proposals"),
    "proposals_repeated": gettext_lazy("Proposals repeated"),
    "proposals_rescored": gettext_lazy("Proposals rescored"),
    "proposals_withdrawn": gettext_lazy("Proposals withdrawn"),
    "near_misses": gettext_lazy("Near misses explained"),
}
#: A label for every phase a run passes through (talent.matching.services.execution); a queued run has none.
PHASE_LABELS = {
    "claimed": gettext_lazy("Taken up by a worker"),
    "pool": gettext_lazy("Gathering experts and problems"),
    "index": gettext_lazy("Indexing their texts"),
    "score": gettext_lazy("Scoring candidate pairs"),
    "assign": gettext_lazy("Assigning pairs"),
    "check": gettext_lazy("Checking the assignment"),
    "explain": gettext_lazy("Explaining the proposals"),
    "write": gettext_lazy("Writing the proposals"),
    "done": gettext_lazy("Finished"),
}


ministry_only = allowed_by(selectors.RUN_MATCHING)


def _home(request: HttpRequest, form: MatchRunForm) -> HttpResponse:
    runs = selectors.match_run_list(user=request.user).select_related("requested_by")[:RECENT_RUNS]
    return render(request, "web/analyst/home.html", {"form": form, "runs": runs})


@ministry_only
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _home(request, MatchRunForm())


@ministry_only
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    form = MatchRunForm(request.POST)
    if form.is_valid():
        try:
            run = services.match_run_request(actor=signed_in_user(request), trigger=RunTrigger.WEB, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Match run #%(id)d is requested.") % {"id": run.pk})
            return redirect("web:analyst-run", pk=run.pk)
    return _home(request, form)


def _counts(run: MatchRun) -> list[tuple[str, str, Any]]:
    return [(key, str(label), run.counts[key]) for key, label in COUNT_LABELS.items() if key in run.counts]


@ministry_only
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(selectors.match_run_list(user=request.user).select_related("requested_by"), pk=pk)
    finished = run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)
    context = {
        "run": run,
        "finished": finished,
        "counts": _counts(run),
        "phase": PHASE_LABELS.get(run.phase, ""),
        "refresh": REFRESH_SECONDS,
        "poll_url": reverse("match-run-detail", kwargs={"pk": run.pk}),  # the API's run: the page follows it
        "status_labels": {value: str(label) for value, label in RunStatus.choices},
        "phase_labels": {code: str(label) for code, label in PHASE_LABELS.items()},
    }
    return render(request, "web/analyst/run_detail.html", context)


urlpatterns = [
    path("analyst/", home, name="analyst-home"),
    path("analyst/runs/", run_start, name="analyst-run-start"),
    path("analyst/runs/<int:pk>/", run_detail, name="analyst-run"),
]
