"""The one-statement writes of a run's rows: every value arrives as it was given, JSON included, and only the
named fields change."""

from __future__ import annotations

import pytest

from talent.matching.models import MatchRun, NearMiss, Proposal
from talent.matching.services.bulk_rows import insert_rows, update_rows
from talent.matching.services.execution import PROPOSAL_INSERT_FIELDS

pytestmark = pytest.mark.django_db

AWKWARD = {"terms": ['용접 "불량"', "back\\slash", "줄\n바꿈", "{괄호}", ""], "gap": 1e-05, "none": None}


def test_inserted_rows_hold_their_values_their_defaults_and_awkward_json(market):
    run = MatchRun.objects.create()

    created = insert_rows(
        [Proposal(run=run, expert=market.lee, problem=market.weld, score=0.123456789, explanation=AWKWARD)],
        PROPOSAL_INSERT_FIELDS,
    )

    proposal = Proposal.objects.get(expert=market.lee, problem=market.weld)
    assert created == 1
    assert (proposal.run_id, proposal.score, proposal.explanation) == (run.pk, 0.123456789, AWKWARD)
    assert (proposal.status, proposal.expert_response, proposal.company_response) == ("proposed", "pending", "pending")
    assert proposal.created_at is not None and proposal.updated_at is not None


def test_updated_rows_change_in_the_named_fields_only(market):
    run = MatchRun.objects.create()
    insert_rows(
        [
            NearMiss(run=run, expert=market.choi, problem=market.weld, score=0.5, explanation={"rank": 2}),
            NearMiss(run=run, expert=market.choi, problem=market.wafer, score=0.25, explanation={"rank": 3}),
        ],
        ["run", "expert", "problem", "score", "explanation"],
    )
    weld, wafer = NearMiss.objects.order_by("problem__title")  # 용접… before 웨이퍼…

    updated = update_rows([NearMiss(pk=weld.pk, score=0.75, explanation=AWKWARD)], ["explanation"])

    weld.refresh_from_db()
    wafer.refresh_from_db()
    assert updated == 1
    assert (weld.score, weld.explanation) == (0.5, AWKWARD), "the score was not named"
    assert (wafer.score, wafer.explanation) == (0.25, {"rank": 3})


def test_only_concrete_fields_can_be_written(market):
    with pytest.raises(ValueError):
        update_rows([Proposal(pk=1)], ["history"])
