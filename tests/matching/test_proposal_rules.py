"""The rules of answering a proposal, as one service applies them for everyone: an answer is final, the refusals
say why (in Korean by default, in English when asked), and which proposals wait for an answer or hold capacity is
decided in one place."""

from __future__ import annotations

import itertools

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from talent.common.errors import Conflict, InvalidInput
from talent.matching import services
from talent.matching.models import (
    Answer,
    Proposal,
    ProposalStatus,
    Side,
    awaiting_answer,
    awaits_answer,
    holds_capacity,
)
from talent.registry import services as registry
from tests.matching.market import run_now

ACCEPT, DECLINE = Answer.ACCEPTED, Answer.DECLINED


def answer(user, proposal, given):
    return services.proposal_answer(actor=user, proposal=proposal, answer=given)


@pytest.mark.parametrize(("first", "second"), [(ACCEPT, ACCEPT), (ACCEPT, DECLINE), (DECLINE, ACCEPT)])
def test_an_answer_is_final_answering_again_is_refused(market, first, second):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    answer(market.lee.person.user, proposal, first)

    with pytest.raises(Conflict) as again:
        answer(market.lee.person.user, proposal, second)

    assert again.value.code == "proposal_answered"
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.expert_response == first
    assert saved.status == ("declined" if first == DECLINE else "proposed")


def test_answering_again_says_so_in_korean_by_default_and_in_english(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    answer(market.other_company_member, proposal, ACCEPT)

    with translation.override("ko"), pytest.raises(Conflict) as korean:
        answer(market.other_company_member, proposal, ACCEPT)
    with translation.override("en"), pytest.raises(Conflict) as english:
        answer(market.other_company_member, proposal, DECLINE)

    assert str(korean.value) == "이미 이 제안에 답변했습니다('수락'). 답변은 바꿀 수 없습니다."
    assert str(english.value) == "You have already answered this proposal (Accepted); an answer cannot be changed."


def test_the_other_side_may_still_answer_after_one_side_accepted(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    answer(market.park_user, proposal, ACCEPT)

    both = answer(market.other_company_member, proposal, ACCEPT)

    assert (both.status, both.expert_response, both.company_response) == ("accepted", "accepted", "accepted")


def test_once_a_side_declined_the_other_side_is_told_the_proposal_is_decided(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    answer(market.other_company_member, proposal, DECLINE)

    with pytest.raises(Conflict) as decided:
        answer(market.park_user, proposal, DECLINE)

    assert decided.value.code == "proposal_decided"


def test_an_answer_other_than_accept_or_decline_is_refused(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    with pytest.raises(InvalidInput):
        answer(market.lee.person.user, proposal, Answer.PENDING)

    assert Proposal.objects.get(pk=proposal.pk).expert_response == "pending"


def test_the_filter_and_the_check_of_awaiting_an_answer_agree_on_every_state(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    states = itertools.product(ProposalStatus.values, Answer.values, Answer.values)
    disagree = []
    for status, expert_response, company_response in states:
        try:
            with transaction.atomic():
                Proposal.objects.filter(pk=proposal.pk).update(
                    status=status, expert_response=expert_response, company_response=company_response
                )
        except IntegrityError:  # a state the database refuses (accepted without both answers)
            continue
        row = Proposal.objects.get(pk=proposal.pk)
        for side in Side.values:
            filtered = Proposal.objects.filter(awaiting_answer(side), pk=proposal.pk).exists()
            if filtered != awaits_answer(row, side):
                disagree.append((status, expert_response, company_response, side))
    assert disagree == []


@pytest.mark.parametrize(
    ("status", "expert", "company", "in_play", "open_", "holds"),
    [
        ("accepted", "accepted", "accepted", True, True, True),
        ("accepted", "accepted", "accepted", False, True, True),  # accepted by both: kept whatever the expert does
        ("accepted", "accepted", "accepted", True, False, False),  # a closed problem frees its places
        ("proposed", "accepted", "pending", True, True, True),
        ("proposed", "pending", "accepted", True, True, True),
        ("proposed", "pending", "accepted", False, True, False),  # the expert left the pool: no place held
        ("proposed", "pending", "pending", True, True, False),
        ("declined", "accepted", "declined", True, True, False),
        ("withdrawn", "accepted", "pending", True, True, False),
    ],
)
def test_which_proposals_hold_a_place(status, expert, company, in_play, open_, holds):
    assert (
        holds_capacity(
            status=status,
            expert_response=expert,
            company_response=company,
            expert_in_play=in_play,
            problem_open=open_,
        )
        is holds
    )


def test_a_half_accepted_proposal_of_an_expert_who_left_the_pool_does_not_fill_the_problem(market):
    """The run and the answering service count places the same way: once 박지훈 withdraws consent, the company's
    acceptance of him no longer fills its problem, and it may accept another expert."""
    run_now()
    park = market.proposal(market.park, market.wafer)
    answer(market.other_company_member, park, ACCEPT)
    registry.expert_consent_set(actor=None, profile=market.park, consent_to_matching=False, shared_fields=[])
    other = Proposal.objects.create(run=park.run, expert=market.choi, problem=market.wafer, score=0.5)

    accepted = answer(market.other_company_member, other, ACCEPT)

    assert accepted.company_response == "accepted"


def test_a_half_accepted_proposal_of_an_expert_in_the_pool_fills_the_problem(market):
    run_now()
    park = market.proposal(market.park, market.wafer)
    answer(market.other_company_member, park, ACCEPT)
    other = Proposal.objects.create(run=park.run, expert=market.choi, problem=market.wafer, score=0.5)

    with pytest.raises(Conflict) as full:
        answer(market.other_company_member, other, ACCEPT)

    assert full.value.code == "problem_full"
