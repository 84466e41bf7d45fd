"""Match runs as users notice them: who is proposed for what and why, what stays, what is withdrawn, and that a run
checks itself, runs alone, survives a dead broker or worker, and gives the same proposals when retried."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from talent.common.errors import Conflict, NotAllowed
from talent.matching import services
from talent.matching.models import (  # type: ignore[attr-defined]  # pghistory makes ProposalHistory at run time
    Answer,
    ExpertIndex,
    MatchRun,
    NearMiss,
    ProblemIndex,
    Proposal,
    ProposalHistory,
)
from talent.registry import services as registry
from tests.matching.market import live_pairs, run_now

pytestmark = pytest.mark.django_db

# --- What a run proposes, and why -----------------------------------------------------------------------------


def test_each_problem_is_proposed_its_best_fitting_consenting_expert(market):
    run = run_now()

    assert run.status == "succeeded", run.error
    assert live_pairs() == {(market.lee.pk, market.weld.pk), (market.park.pk, market.wafer.pk)}
    assert not Proposal.objects.filter(expert=market.jung).exists(), "정하늘 never consented"


def test_a_proposal_says_why_skills_terms_sector_and_region(market):
    run_now()

    why = market.proposal(market.lee, market.weld).explanation
    assert why["matched_skills"] == ["pytorch", "컴퓨터 비전"]
    assert {"용접", "불량", "검출"} <= {term["term"] for term in why["matched_terms"]}
    assert why["sector_match"] is True
    assert why["region_match"] == "same_region"
    assert set(why["components"]) == {"skills", "text", "sector", "region"}
    assert market.proposal(market.lee, market.weld).score == pytest.approx(why["score"])


def test_the_expert_proposed_nothing_learns_how_close_they_came(market):
    run_now()

    misses = {miss.problem_id: miss for miss in NearMiss.objects.filter(expert=market.choi)}
    weld = misses[market.weld.pk]
    assert weld.explanation["rank"] == 2
    assert weld.explanation["missing_skills"] == ["pytorch"]
    assert weld.explanation["last_accepted_score"] == pytest.approx(market.proposal(market.lee, market.weld).score)
    assert weld.explanation["gap"] > 0
    assert not NearMiss.objects.filter(expert__in=[market.lee, market.park]).exists()


def test_a_run_records_its_counts_timings_and_checked_invariants(market):
    run = run_now()

    assert (run.progress, run.phase, run.attempts) == (100, "done", 1)
    assert run.started_at is not None and run.finished_at is not None and run.started_at <= run.finished_at
    assert run.counts["experts_in_pool"] == 3
    assert run.counts["problems_in_pool"] == 2
    assert run.counts["proposals_new"] == 2
    assert {"pool", "index", "score", "assign", "check", "explain", "write", "total"} <= set(run.timings)
    assert run.invariants["holds"] is True
    assert run.invariants["capacities_ok"] is True
    assert run.invariants["duplicate_pairs"] == run.invariants["declined_pairs_proposed"] == 0
    assert run.invariants["blocking_pairs"] == 0  # stable mode
    assert run.parameters["top_k"] == 20 and run.parameters["weights"]["skills"] == pytest.approx(0.4)


def test_max_fit_mode_also_runs_and_counts_its_blocking_pairs(market):
    run = run_now(mode="max_fit")

    assert run.status == "succeeded", run.error
    assert run.mode == "max_fit"
    assert isinstance(run.invariants["blocking_pairs"], int)


# --- Stored index terms ---------------------------------------------------------------------------------------


def test_a_run_indexes_what_no_save_indexed_and_only_changed_texts_again(market):
    """The safety net for rows saved without the after-save hook (bulk loaders, a failed task): here the test's
    transaction never commits, so the market's saves run no hook (test_index_hook.py tests the hook)."""
    first = run_now()
    second = run_now()
    registry.expert_profile_save(actor=None, person=market.choi.person, summary_ko="용접 비전 검사를 만들었습니다.")
    third = run_now()

    assert (first.counts["experts_tokenised"], first.counts["problems_tokenised"]) == (3, 2)
    assert (second.counts["experts_tokenised"], second.counts["problems_tokenised"]) == (0, 0)
    assert (third.counts["experts_tokenised"], third.counts["problems_tokenised"]) == (1, 0)
    assert "용접" in ExpertIndex.objects.get(expert=market.choi).tokens
    assert "웨이퍼" in ProblemIndex.objects.get(problem=market.wafer).tokens


# --- Answers: accepted pairs stay, declined ones never return, the rest is recomputed -----------------------


def test_a_declined_pair_is_never_proposed_again(market):
    run_now()
    services.proposal_answer(
        actor=market.company_member, proposal=market.proposal(market.lee, market.weld), answer=Answer.DECLINED
    )

    run = run_now()

    assert (market.lee.pk, market.weld.pk) not in live_pairs()
    assert (market.choi.pk, market.weld.pk) in live_pairs(), "the runner-up is proposed instead"
    assert run.counts["declined_pairs"] == 1
    assert run.invariants["declined_pairs_proposed"] == 0


def test_an_accepted_pair_stays_and_uses_capacity_in_later_runs(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    services.proposal_answer(actor=market.company_member, proposal=proposal, answer=Answer.ACCEPTED)
    services.proposal_answer(actor=market.lee.person.user, proposal=proposal, answer=Answer.ACCEPTED)

    run = run_now()

    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert run.counts["held_pairs"] == 1
    assert run.counts["problems_in_pool"] == 1, "the weld problem wanted one expert and has them"
    assert run.counts["experts_in_pool"] == 2, "이서연's capacity of one is used"
    assert not Proposal.objects.filter(problem=market.weld, status="proposed").exists()


def test_a_proposal_one_side_accepted_is_kept_by_later_runs(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    services.proposal_answer(actor=market.park_user, proposal=proposal, answer=Answer.ACCEPTED)

    run_now()

    proposal.refresh_from_db()
    assert (proposal.status, proposal.expert_response, proposal.company_response) == ("proposed", "accepted", "pending")


def test_pending_proposals_a_later_run_does_not_repeat_are_withdrawn_not_deleted(market):
    first = run_now()
    proposal = market.proposal(market.park, market.wafer)
    registry.field_problem_close(actor=None, problem=market.wafer)

    second = run_now()

    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert proposal.withdrawn_at is not None
    assert proposal.run_id == first.pk
    assert second.counts["proposals_withdrawn"] == 1


def test_a_repeated_run_gives_the_same_proposals(market):
    run_now()
    before = {(p.expert_id, p.problem_id): (p.pk, p.score) for p in Proposal.objects.all()}

    again = run_now()

    after = {(p.expert_id, p.problem_id): (p.pk, p.score) for p in Proposal.objects.all()}
    assert after == before
    assert (again.counts["proposals_new"], again.counts["proposals_repeated"]) == (0, 2)
    assert again.counts["proposals_withdrawn"] == 0
    assert set(Proposal.objects.values_list("run", flat=True)) == {again.pk}


def test_a_repeated_run_rewrites_only_the_proposals_whose_score_or_explanation_changed(market):
    run_now()
    weld_before = Proposal.objects.values("score", "explanation").get(expert=market.lee, problem=market.weld)
    again = run_now()
    registry.expert_profile_save(actor=None, person=market.park.person, skills=["반도체 공정"])  # no more 딥러닝

    third = run_now()

    assert again.counts["proposals_rescored"] == 0, "nothing changed: no score nor explanation is rewritten"
    assert third.counts["proposals_rescored"] == 1
    wafer = market.proposal(market.park, market.wafer)
    assert wafer.explanation["missing_skills"] == ["딥러닝"]
    assert wafer.score == pytest.approx(wafer.explanation["score"])
    assert Proposal.objects.values("score", "explanation").get(pk=market.proposal(market.lee, market.weld).pk) == (
        weld_before
    )
    assert set(Proposal.objects.values_list("run", flat=True)) == {third.pk}, "each names the run that repeated it"


def test_an_answer_given_while_a_run_computes_is_honoured(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    def company_declines_meanwhile(progress: int, phase: str) -> None:
        if phase == "explain":
            services.proposal_answer(actor=market.company_member, proposal=proposal, answer=Answer.DECLINED)

    run = services.match_run_request(actor=None, enqueue=False)
    services.match_run_execute(run_id=run.pk, on_progress=company_declines_meanwhile)

    run.refresh_from_db()
    proposal.refresh_from_db()
    assert run.status == "succeeded"
    assert proposal.status == "declined"
    assert run.counts["dropped_during_run"] == 1
    assert (market.lee.pk, market.weld.pk) not in live_pairs()


# --- Answering a proposal -------------------------------------------------------------------------------------


def test_a_problem_closed_while_a_run_computes_gets_no_new_proposal(market):
    def company_closes_meanwhile(progress: int, phase: str) -> None:
        if phase == "explain":
            registry.field_problem_close(actor=None, problem=market.wafer)

    run = services.match_run_request(actor=None, enqueue=False)
    services.match_run_execute(run_id=run.pk, on_progress=company_closes_meanwhile)

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert live_pairs() == {(market.lee.pk, market.weld.pk)}
    assert run.counts["dropped_during_run"] == 1


def test_a_proposal_is_accepted_once_both_sides_accept_and_history_records_who(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    half = services.proposal_answer(actor=market.lee.person.user, proposal=proposal, answer=Answer.ACCEPTED)
    both = services.proposal_answer(actor=market.company_member, proposal=proposal, answer=Answer.ACCEPTED)

    assert (half.status, half.expert_response) == ("proposed", "accepted")
    assert (both.status, both.company_response) == ("accepted", "accepted")
    assert both.decided_by == both.company_responded_by == market.company_member
    assert both.decided_at is not None
    events = ProposalHistory.objects.filter(pgh_obj=proposal).order_by("pgh_id")
    assert [event.status for event in events] == ["proposed", "accepted"]
    assert events.last().pgh_context.metadata["action"] == "proposal_accepted"


def test_either_side_declines(market):
    run_now()

    declined = services.proposal_answer(
        actor=market.park_user, proposal=market.proposal(market.park, market.wafer), answer=Answer.DECLINED
    )

    assert (declined.status, declined.expert_response) == ("declined", "declined")
    assert declined.decided_by == market.park_user


def test_only_the_expert_or_the_problems_company_may_answer(market, ministry_analyst, operator):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    for stranger in (market.other_company_member, market.park_user, ministry_analyst, operator):
        with pytest.raises(NotAllowed):
            services.proposal_answer(actor=stranger, proposal=proposal, answer=Answer.ACCEPTED)


def test_a_decided_or_withdrawn_proposal_cannot_be_answered(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    services.proposal_answer(actor=market.other_company_member, proposal=proposal, answer=Answer.DECLINED)

    with pytest.raises(Conflict) as decided:
        services.proposal_answer(actor=market.park_user, proposal=proposal, answer=Answer.ACCEPTED)
    assert decided.value.code == "proposal_decided"

    other = market.proposal(market.lee, market.weld)
    registry.field_problem_close(actor=None, problem=market.weld)
    run_now()
    with pytest.raises(Conflict) as withdrawn:
        services.proposal_answer(actor=market.company_member, proposal=other, answer=Answer.ACCEPTED)
    assert withdrawn.value.code == "proposal_withdrawn"


def test_accepting_beyond_a_capacity_is_refused(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)
    registry.field_problem_update(actor=None, problem=market.weld, experts_wanted=2)
    services.proposal_answer(actor=market.company_member, proposal=proposal, answer=Answer.ACCEPTED)
    services.proposal_answer(actor=market.lee.person.user, proposal=proposal, answer=Answer.ACCEPTED)
    # A second proposal for 이서연, whose capacity is one problem at a time and already taken
    run = MatchRun.objects.get(status="succeeded")
    extra = Proposal.objects.create(run=run, expert=market.lee, problem=market.wafer, score=0.3)

    with pytest.raises(Conflict) as full:
        services.proposal_answer(actor=market.lee.person.user, proposal=extra, answer=Answer.ACCEPTED)
    assert full.value.code == "expert_full"


# --- One run at a time, idempotent claims ---------------------------------------------------------------------


def test_the_database_allows_one_running_and_one_queued_run():
    now = timezone.now()
    MatchRun.objects.create(status="running", started_at=now, heartbeat_at=now)
    MatchRun.objects.create(status="queued")

    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRun.objects.create(status="running", started_at=now, heartbeat_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRun.objects.create(status="queued")


def test_a_run_waits_while_another_runs(market):
    now = timezone.now()
    running = MatchRun.objects.create(status="running", started_at=now, heartbeat_at=now, attempts=1)
    waiting = services.match_run_request(actor=None, enqueue=False)

    assert services.match_run_execute(run_id=waiting.pk) == services.RunOutcome.BUSY

    waiting.refresh_from_db()
    assert waiting.status == "queued"
    assert running.pk != waiting.pk
    assert not Proposal.objects.exists()


def test_a_request_while_a_run_waits_joins_it_unless_the_mode_differs(ministry_analyst, operator):
    first = services.match_run_request(actor=ministry_analyst, enqueue=False)
    second = services.match_run_request(actor=operator, enqueue=False)

    assert second.pk == first.pk
    with pytest.raises(Conflict):
        services.match_run_request(actor=operator, mode="max_fit", enqueue=False)


def test_only_the_ministry_or_an_operator_starts_a_run(company_member, researcher, university_staff):
    for user in (company_member, researcher, university_staff):
        with pytest.raises(NotAllowed):
            services.match_run_request(actor=user, enqueue=False)
    assert not MatchRun.objects.exists()


def test_executing_a_finished_run_again_changes_nothing(market):
    run = run_now()
    before = list(Proposal.objects.values_list("pk", "status", "updated_at"))

    assert services.match_run_execute(run_id=run.pk) == services.RunOutcome.NOT_CLAIMABLE

    assert list(Proposal.objects.values_list("pk", "status", "updated_at")) == before
    assert MatchRun.objects.get(pk=run.pk).attempts == 1


def test_an_attempt_taken_over_mid_run_writes_nothing(market):
    run = services.match_run_request(actor=None, enqueue=False)

    def another_worker_takes_over(progress: int, phase: str) -> None:
        if phase == "assign":  # as the sweeper and a second worker would after a missed heartbeat
            MatchRun.objects.filter(pk=run.pk).update(attempts=F("attempts") + 1)

    outcome = services.match_run_execute(run_id=run.pk, on_progress=another_worker_takes_over)

    assert outcome == services.RunOutcome.SUPERSEDED
    assert not Proposal.objects.exists()


def test_a_run_whose_worker_stopped_beating_is_claimed_again(market, settings):
    settings.MATCHING_STALE_AFTER_SECONDS = 60
    run = services.match_run_request(actor=None, enqueue=False)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    MatchRun.objects.filter(pk=run.pk).update(status="running", attempts=1, started_at=long_ago, heartbeat_at=long_ago)

    assert services.match_run_execute(run_id=run.pk) == services.RunOutcome.SUCCEEDED

    run.refresh_from_db()
    assert (run.status, run.attempts) == ("succeeded", 2)


def test_a_failed_check_fails_the_run_with_its_reason():
    report = services.check_pairs(
        pairs=[(1, 10), (1, 11), (2, 10)],
        held={(3, 10)},
        declined={(2, 10)},
        capacity={"expert": {1: 1, 2: 1, 3: 1}, "problem": {10: 2, 11: 1}},
    )

    assert report["holds"] is False
    assert report["over_capacity_experts"] == [1]
    assert report["over_capacity_problems"] == [10]
    assert report["declined_pairs_proposed"] == 1


# --- The sweeper ------------------------------------------------------------------------------------------------


def _stale_run(attempts: int) -> MatchRun:
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    return MatchRun.objects.create(status="running", attempts=attempts, started_at=long_ago, heartbeat_at=long_ago)


def test_the_sweeper_queues_again_a_run_whose_worker_died(settings, django_capture_on_commit_callbacks):
    settings.MATCHING_STALE_AFTER_SECONDS = 60
    run = _stale_run(attempts=1)

    with django_capture_on_commit_callbacks() as sent, translation.override("en"):
        swept = services.match_run_sweep()

    run.refresh_from_db()
    assert swept == {"requeued": 1, "failed": 0, "sent": 1}
    assert (run.status, run.progress) == ("queued", 0)
    assert run.error == "Its worker stopped responding during attempt 1; it was queued again."
    assert len(sent) == 1


def test_the_sweeper_fails_a_run_after_too_many_attempts_with_the_reason(settings):
    settings.MATCHING_MAX_ATTEMPTS = 3
    run = _stale_run(attempts=3)

    with translation.override("en"):
        assert services.match_run_sweep()["failed"] == 1

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "Its worker stopped responding 3 times; it is not tried again."
    assert run.finished_at is not None


def test_the_sweeper_fails_a_dead_run_when_a_newer_one_waits():
    dead = _stale_run(attempts=1)
    waiting = services.match_run_request(actor=None, enqueue=False)

    services.match_run_sweep()

    dead.refresh_from_db()
    waiting.refresh_from_db()
    assert (dead.status, waiting.status) == ("failed", "queued")


def test_the_sweeper_leaves_a_live_run_alone():
    now = timezone.now()
    run = MatchRun.objects.create(status="running", attempts=1, started_at=now, heartbeat_at=now)

    assert services.match_run_sweep() == {"requeued": 0, "failed": 0, "sent": 0}
    run.refresh_from_db()
    assert run.status == "running"


def test_the_sweeper_sends_again_a_queued_run_no_worker_took(settings, django_capture_on_commit_callbacks):
    settings.MATCHING_RESEND_AFTER_SECONDS = 60
    forgotten = services.match_run_request(actor=None, enqueue=False)
    MatchRun.objects.filter(pk=forgotten.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))

    with django_capture_on_commit_callbacks() as sent:
        assert services.match_run_sweep()["sent"] == 1
    assert len(sent) == 1


# --- Opening a field problem queues a run ---------------------------------------------------------------------


def test_opening_a_problem_queues_a_run(company, company_member, django_capture_on_commit_callbacks):
    problem = registry.field_problem_create(
        actor=company_member,
        organization=company,
        title="도장 공정 색상 편차 예측",
        description="도장 라인의 색상 편차를 예측하고자 합니다.",
        ksic_section="C",
        region="KR-41",
    )
    assert services.match_run_request_for_problem(actor=company_member, problem=problem) is None, "still a draft"

    registry.field_problem_open(actor=company_member, problem=problem)
    with django_capture_on_commit_callbacks() as sent:
        run = services.match_run_request_for_problem(actor=company_member, problem=problem)

    assert run is not None
    assert (run.status, run.trigger, run.requested_by) == ("queued", "problem_opened", company_member)
    assert len(sent) == 1, "sent to the workers after commit"


def test_opening_a_problem_joins_the_run_already_waiting_whatever_its_mode(market, ministry_analyst):
    waiting = services.match_run_request(actor=ministry_analyst, mode="max_fit", enqueue=False)

    run = services.match_run_request_for_problem(actor=market.company_member, problem=market.weld)

    assert run is not None and run.pk == waiting.pk
    assert MatchRun.objects.count() == 1
