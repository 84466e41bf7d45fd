"""Fixtures of the engagement tests: the small market of `tests/matching/market.py`, and a proposal both sides
accepted there."""

import pytest

from talent.matching import services
from talent.matching.models import Answer
from tests.matching.market import market, run_now

__all__ = ["market"]


@pytest.fixture
def engaged(market):
    """박지훈 (shares name, email and summary) and 누리반도체 both accepted the wafer problem's proposal."""
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    services.proposal_answer(actor=market.park_user, proposal=proposal, answer=Answer.ACCEPTED)
    services.proposal_answer(actor=market.other_company_member, proposal=proposal, answer=Answer.ACCEPTED)
    return proposal.engagement
