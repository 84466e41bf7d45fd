"""Proposals' outcomes by score band (what the bench reports so the weights can be judged on outcomes): counted in
the database by band, the last band taking a score of 1, withdrawn proposals apart; counts for the ministry and
operators only."""

from __future__ import annotations

import pytest

from talent.matching.models import Answer, MatchRun, Proposal, ProposalStatus
from talent.matching.selectors import proposal_outcomes_by_band
from tests import factories

A, D, P = Answer.ACCEPTED, Answer.DECLINED, Answer.PENDING


@pytest.fixture
def proposals(db):
    run = MatchRun.objects.create(status="succeeded")
    problem = factories.FieldProblemFactory()
    made = [
        # (score, status, expert's answer, company's answer)
        (0.05, ProposalStatus.DECLINED, D, P),
        (0.19, ProposalStatus.DECLINED, A, D),
        (0.20, ProposalStatus.ACCEPTED, A, A),
        (0.45, ProposalStatus.ACCEPTED, A, A),
        (0.55, ProposalStatus.PROPOSED, A, P),
        (0.58, ProposalStatus.WITHDRAWN, P, P),
        (1.00, ProposalStatus.ACCEPTED, A, A),
    ]
    for score, status, expert, company in made:
        Proposal.objects.create(
            run=run,
            expert=factories.ExpertProfileFactory(),
            problem=problem,
            score=score,
            status=status,
            expert_response=expert,
            company_response=company,
        )


def test_each_band_counts_what_became_of_its_proposals(proposals, ministry_analyst):
    bands = proposal_outcomes_by_band(user=ministry_analyst)

    table = [(b.low, b.high, b.proposals, b.accepted, b.declined, b.pending, b.withdrawn) for b in bands]
    assert table == [
        (0.0, 0.2, 2, 0, 2, 0, 0),
        (0.2, 0.4, 1, 1, 0, 0, 0),
        (0.4, 0.6, 2, 1, 0, 1, 1),
        (0.6, 0.8, 0, 0, 0, 0, 0),
        (0.8, 1.0, 1, 1, 0, 0, 0),
    ]
    low, _, middle, empty, _ = bands
    assert (low.acceptance_rate, low.expert_acceptance_rate) == (0.0, 0.5)
    assert (middle.acceptance_rate, middle.expert_acceptance_rate) == (1.0, 1.0)
    assert (empty.acceptance_rate, empty.expert_acceptance_rate) == (None, None)


def test_bands_can_be_chosen(proposals, operator):
    bands = proposal_outcomes_by_band(user=operator, bands=(0.0, 0.5, 1.0))

    assert [(b.proposals, b.accepted, b.declined) for b in bands] == [(4, 2, 2), (2, 1, 0)]


@pytest.mark.parametrize("who", ["company_member", "university_staff", "researcher", "outsider"])
def test_only_the_ministry_and_operators_read_them(proposals, request, who):
    assert proposal_outcomes_by_band(user=request.getfixturevalue(who)) == []
