"""The ministry analyst's pages as each role meets them: the ministry (and operators) start match runs and watch
them finish; every other role is refused (403) as by the API; an anonymous visitor is sent to sign in."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.matching import services
from talent.matching.models import MatchRun, RunStatus
from talent.web.views.analyst import COUNT_LABELS, PHASE_LABELS

OTHER_ROLES = ["university_staff", "company_member", "researcher", "outsider"]


@pytest.fixture
def run(db) -> MatchRun:
    return MatchRun.objects.create(status=RunStatus.SUCCEEDED, progress=100, counts={"assigned": 3, "candidates": 12})


def pages(run: MatchRun) -> list[str]:
    return [reverse("web:analyst-home"), reverse("web:analyst-run", kwargs={"pk": run.pk})]


def test_an_anonymous_visitor_is_sent_to_sign_in(run, client_for):
    client = client_for(None)

    responses = [client.get(page) for page in pages(run)] + [client.post(reverse("web:analyst-run-start"))]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert all("next=" in r["Location"] for r in responses)


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_as_by_the_api(role, run, client_for, request):
    client = client_for(request.getfixturevalue(role))

    responses = [client.get(page) for page in pages(run)] + [client.post(reverse("web:analyst-run-start"))]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert MatchRun.objects.count() == 1


@pytest.mark.parametrize("role", ["ministry_analyst", "operator"])
def test_the_ministry_and_operators_see_the_pages(role, run, client_for, request):
    client = client_for(request.getfixturevalue(role))

    assert [client.get(page).status_code for page in pages(run)] == [200, 200]


def test_the_home_page_links_the_dashboard_and_lists_recent_runs(run, ministry_analyst, client_for):
    response = client_for(ministry_analyst).get(reverse("web:analyst-home"))

    page = response.content.decode()
    assert 'href="/dashboard/"' in page
    assert reverse("web:analyst-run", kwargs={"pk": run.pk}) in page
    assert [r.pk for r in response.context["runs"]] == [run.pk]


def test_an_unknown_run_is_not_found(ministry_analyst, client_for):
    response = client_for(ministry_analyst).get(reverse("web:analyst-run", kwargs={"pk": 999999}))

    assert response.status_code == 404


def test_the_analyst_starts_a_run_and_watches_it_until_it_finishes(
    market, ministry_analyst, client_for, django_capture_on_commit_callbacks
):
    client = client_for(ministry_analyst)

    with django_capture_on_commit_callbacks(execute=False) as sent:
        started = client.post(reverse("web:analyst-run-start"), {"mode": "stable"})
    run = MatchRun.objects.get()
    waiting = client.get(started["Location"])
    services.match_run_execute(run_id=run.pk)  # what the worker it was sent to does, whatever the broker
    finished = client.get(started["Location"])

    assert len(sent) == 1, "sent to the workers once the request commits"
    assert started.status_code == 302 and started["Location"] == reverse("web:analyst-run", kwargs={"pk": run.pk})
    assert (run.requested_by, run.mode, run.trigger) == (ministry_analyst, "stable", "web"), "started from the web"
    assert [str(m) for m in waiting.context["messages"]]  # the confirmation
    assert 'http-equiv="refresh"' in waiting.content.decode()  # it reloads itself while the run waits
    assert 'data-status="queued"' in waiting.content.decode()
    page = finished.content.decode()
    assert 'data-status="succeeded"' in page and 'http-equiv="refresh"' not in page
    assert {key for key, _label, _value in finished.context["counts"]} >= {"candidates", "proposals_new"}
    assert 'value="100"' in page


def test_the_run_page_names_its_trigger_and_how_many_repeated_proposals_were_rescored(ministry_analyst, client_for):
    run = MatchRun.objects.create(
        status=RunStatus.SUCCEEDED, trigger="web", counts={"proposals_repeated": 7, "proposals_rescored": 2}
    )

    response = client_for(ministry_analyst, HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("web:analyst-run", kwargs={"pk": run.pk})
    )

    page = response.content.decode()
    assert "<dd>Web pages</dd>" in page
    assert [(key, label, value) for key, label, value in response.context["counts"]] == [
        ("proposals_repeated", "Proposals repeated", 7),
        ("proposals_rescored", "Proposals rescored", 2),
    ]
    assert re.search(r'data-count="proposals_rescored"><th scope="row">Proposals rescored</th><td class="num">2<', page)


def test_every_count_and_phase_a_run_writes_has_a_label_on_its_page(market, ministry_analyst, client_for):
    run = services.match_run_request(actor=ministry_analyst, mode="stable", enqueue=False)
    reported: list[str] = []
    services.match_run_execute(run_id=run.pk, on_progress=lambda _progress, phase: reported.append(phase))
    run.refresh_from_db()
    # What the execution service really wrote: every count, and every phase it reported or timed.
    phases = {*reported, *run.timings} - {"total"}

    response = client_for(ministry_analyst, HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("web:analyst-run", kwargs={"pk": run.pk})
    )

    assert run.status == RunStatus.SUCCEEDED and {"claimed", "score", "done"} <= phases
    assert sorted(set(run.counts) - set(COUNT_LABELS)) == [], "counts the page would not show"
    assert sorted(phases - set(PHASE_LABELS)) == [], "phases the page would show as raw codes"
    shown = {key: label for key, label, _value in response.context["counts"]}
    assert set(shown) == set(run.counts)
    page = response.content.decode()
    for key, label in shown.items():
        assert label != key and f'<th scope="row">{label}</th>' in page
        assert f">{key}<" not in page


def test_a_running_run_names_its_phase_not_its_code(ministry_analyst, client_for):
    now = timezone.now()
    run = MatchRun.objects.create(
        status=RunStatus.RUNNING, progress=45, phase="score", started_at=now, heartbeat_at=now
    )

    response = client_for(ministry_analyst, HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("web:analyst-run", kwargs={"pk": run.pk})
    )

    page = response.content.decode()
    assert '<span data-testid="run-phase" data-phase="score">Scoring candidate pairs</span>' in page
    assert response.context["phase_labels"]["score"] == "Scoring candidate pairs"  # for the script that follows it
    assert 'id="run-phase-labels"' in page


def test_a_queued_run_has_no_phase_yet(ministry_analyst, client_for):
    run = MatchRun.objects.create(status=RunStatus.QUEUED)

    page = client_for(ministry_analyst).get(reverse("web:analyst-run", kwargs={"pk": run.pk})).content.decode()

    assert '<span data-testid="run-phase" data-phase="">–</span>' in page


def test_an_unknown_mode_is_refused_next_to_the_field(ministry_analyst, client_for):
    response = client_for(ministry_analyst).post(reverse("web:analyst-run-start"), {"mode": "random"})

    assert response.status_code == 200
    assert response.context["form"].errors["mode"]
    assert not MatchRun.objects.exists()


def test_the_services_refusal_is_shown_on_the_form_in_korean(ministry_analyst, operator, client_for):
    services.match_run_request(actor=operator, mode="stable", enqueue=False)

    response = client_for(ministry_analyst).post(reverse("web:analyst-run-start"), {"mode": "max_fit"})

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "이미 시작을 기다리고 있습니다" in errors
    assert re.search(r'<input[^>]*value="max_fit"[^>]*checked', response.content.decode())  # the choice is kept
    assert MatchRun.objects.count() == 1
