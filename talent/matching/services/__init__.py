"""Every write of matching: requesting and executing match runs, answering proposals, sweeping dead runs.

A run's life: `match_run_request` writes it as queued in the caller's transaction and sends it to the workers
after commit (a broker that is down leaves it queued for `match_run_sweep`). `match_run_execute` claims it with a
conditional UPDATE (one run at a time: the database allows one running row), computes in short progress steps,
checks the invariants, then writes every proposal in ONE transaction, so a crash leaves nothing half-written and
a retry gives the same proposals. Index terms are stored when a profile or problem is saved (`index_after_save`,
the registry's hook) and checked by each run, which tokenises only rows whose text changed (see `index`).

Callers use `services.<entity>_<verb>(...)`; the modules group them by stage.
"""

from talent.matching.services._base import run_parameters
from talent.matching.services.execution import RunOutcome, check_pairs, match_run_execute
from talent.matching.services.index import index_after_save, index_texts, refresh_index
from talent.matching.services.proposals import proposal_answer
from talent.matching.services.runs import (
    match_run_request,
    match_run_request_for_problem,
    match_run_request_nightly,
    match_run_sweep,
    send_next_queued,
    send_to_workers,
)
from talent.matching.services.vocabulary import (
    ax_concept_create,
    ax_concept_update,
    ax_concepts,
    ax_vocabulary_load,
)

__all__ = [
    "RunOutcome",
    "ax_concept_create",
    "ax_concept_update",
    "ax_concepts",
    "ax_vocabulary_load",
    "check_pairs",
    "index_after_save",
    "index_texts",
    "match_run_execute",
    "match_run_request",
    "match_run_request_for_problem",
    "match_run_request_nightly",
    "match_run_sweep",
    "proposal_answer",
    "refresh_index",
    "run_parameters",
    "send_next_queued",
    "send_to_workers",
]
