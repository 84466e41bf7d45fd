"""The operators' queue of probable duplicates: found when persons are saved and nightly, each with its evidence;
"same person" merges (and can be undone, putting the pair back), "not the same" is never proposed again; the API,
the admin and the pages are the operators' alone."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from talent.identity import services
from talent.identity.models import CandidateStatus, DuplicateCandidate
from talent.registry import services as registry
from talent.registry.models import Enrollment, Person, PersonMerge
from tests import factories

D = datetime.date


@pytest.fixture
def twins(ms_programme, other_university):
    """One human admitted at two universities without an ORCID iD, written differently by each office."""
    other = factories.ProgrammeFactory(school__university=other_university)
    registry.enrollment_admit(
        actor=None,
        programme=ms_programme,
        new_person={"family_name_ko": "이", "given_name_ko": "서연", "family_name_latin": "Lee",
                    "given_name_latin": "Seoyeon", "birth_date": D(1999, 4, 7), "email": "seoyeon@hanbit.ac.kr"},
        student_number="2026-0001",
        admission_date=D(2026, 3, 2),
    )  # fmt: skip
    registry.enrollment_admit(
        actor=None,
        programme=other,
        new_person={"family_name_ko": "이", "given_name_ko": "서연", "family_name_latin": "Rhee",
                    "given_name_latin": "Suh-yeon", "birth_date": D(1999, 7, 4)},
        student_number="N-0001",
        admission_date=D(2026, 3, 3),
    )  # fmt: skip
    return tuple(Person.objects.order_by("pk"))


@pytest.fixture
def stranger(db):
    return factories.PersonFactory(family_name_ko="박", given_name_ko="민준", birth_date=D(2000, 1, 1))


def test_the_nightly_run_finds_the_pair_with_its_evidence_and_is_idempotent(twins, stranger):
    first = services.candidates_refresh()
    again = services.candidates_refresh()

    candidate = DuplicateCandidate.objects.get()
    assert (candidate.person_a, candidate.person_b) == twins
    assert candidate.score >= services.THRESHOLD
    assert candidate.evidence["fields"] == {
        "korean_name": "exact",
        "family_latin": "same_romanisation",
        "given_latin": "romanisation_variant",
        "birth_date": "day_month_swapped",
        "email": "missing",
        "identifiers": "missing",
    }
    assert (first.created, again.created, again.found) == (1, 0, 1)


def test_saving_a_person_looks_for_their_duplicates(twins, django_capture_on_commit_callbacks, settings):
    from talent.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            registry.person_update(actor=None, person=twins[1], given_name_latin="Seo-yeon")
    finally:
        app.conf.task_always_eager = saved

    assert DuplicateCandidate.objects.filter(person_a=twins[0], person_b=twins[1]).exists()


def test_not_the_same_is_never_proposed_again(twins, operator):
    services.candidates_refresh()
    candidate = DuplicateCandidate.objects.get()

    services.candidate_decide(actor=operator, candidate=candidate, same=False)
    services.candidates_refresh()
    services.candidates_refresh(person_ids=[twins[0].pk])

    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISTINCT
    assert DuplicateCandidate.objects.count() == 1


def test_same_person_merges_with_the_evidence_and_undo_puts_the_pair_back(twins, operator):
    services.candidates_refresh()
    candidate = DuplicateCandidate.objects.get()

    decided = services.candidate_decide(actor=operator, candidate=candidate, same=True)

    assert decided.status == CandidateStatus.MERGED
    assert Enrollment.objects.filter(person=twins[0]).count() == 2
    merge = PersonMerge.objects.get()
    assert merge.evidence["candidate"] == candidate.pk
    assert merge.evidence["fields"]["birth_date"] == "day_month_swapped"

    services.merge_undo(actor=operator, merge=merge)

    candidate.refresh_from_db()
    assert (candidate.status, candidate.merge) == (CandidateStatus.OPEN, None)
    assert Enrollment.objects.filter(person=twins[1]).count() == 1


# --- API ----------------------------------------------------------------------------------------------------------


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ["university_staff", "company_member", "ministry_analyst", "researcher", "outsider"])
def test_only_operators_use_the_queue(who, request, twins):
    services.candidates_refresh()
    candidate = DuplicateCandidate.objects.get()
    client = api(request.getfixturevalue(who))

    assert client.get("/api/v1/identity/candidates/").status_code == 403
    assert client.post(f"/api/v1/identity/candidates/{candidate.pk}/decide/", {"same": True}).status_code == 403
    merge = {"survivor": twins[0].pk, "merged": twins[1].pk}
    assert client.post("/api/v1/identity/merges/", merge, format="json").status_code == 403
    assert not PersonMerge.objects.exists()


def test_an_operator_decides_and_undoes_through_the_api(twins, operator):
    services.candidates_refresh()
    client = api(operator)

    listed = client.get("/api/v1/identity/candidates/").json()["results"]
    assert [(c["person_a"]["id"], c["person_b"]["id"]) for c in listed] == [(twins[0].pk, twins[1].pk)]
    assert listed[0]["evidence"]["fields"]["family_latin"] == "same_romanisation"
    decided = client.post(f"/api/v1/identity/candidates/{listed[0]['id']}/decide/", {"same": True}, format="json")
    assert decided.status_code == 200, decided.content
    assert client.get("/api/v1/identity/candidates/").json()["results"] == []
    merge = PersonMerge.objects.get()

    undone = client.post(f"/api/v1/identity/merges/{merge.pk}/undo/")

    assert undone.status_code == 200
    assert undone.json()["undone_at"] is not None
    assert client.post(f"/api/v1/identity/merges/{merge.pk}/undo/").status_code == 409


def test_direct_merges_are_refused_clearly(twins, operator):
    client = api(operator)
    Person.objects.filter(pk=twins[0].pk).update(orcid="0000-0002-1825-0097")
    Person.objects.filter(pk=twins[1].pk).update(orcid="0000-0001-5109-3700")

    two_orcids = client.post("/api/v1/identity/merges/", {"survivor": twins[0].pk, "merged": twins[1].pk})
    themselves = client.post("/api/v1/identity/merges/", {"survivor": twins[0].pk, "merged": twins[0].pk})

    assert two_orcids.status_code == 409
    assert "two different ORCID iD" in str(two_orcids.json())
    assert themselves.status_code == 400
    assert "themselves" in str(themselves.json())


# --- Admin ----------------------------------------------------------------------------------------------------------


def test_the_admin_merges_a_pair_and_undoes_the_merge(twins, operator):
    services.candidates_refresh()
    candidate = DuplicateCandidate.objects.get()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)

    client.post(
        reverse("admin:identity_duplicatecandidate_changelist"),
        {"action": "same_person", "_selected_action": [candidate.pk]},
    )
    assert Enrollment.objects.filter(person=twins[0]).count() == 2
    client.post(
        reverse("admin:registry_personmerge_changelist"),
        {"action": "undo", "_selected_action": [PersonMerge.objects.get().pk]},
    )

    assert Enrollment.objects.filter(person=twins[1]).count() == 1
    assert client.get(reverse("admin:identity_duplicatecandidate_changelist")).status_code == 200
