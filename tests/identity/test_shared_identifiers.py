"""Two persons that share an identifier are proposed to operators whatever else differs: an email on both records,
or a researcher number a university gave for one person (kept as a difference, never written) that another person
holds. The evidence says so in words."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from talent.identity import services
from talent.identity.models import DuplicateCandidate
from talent.identity.presentation import evidence_in_words
from talent.registry import services as registry
from talent.registry.models import IdentityDisagreement
from tests import factories

D = datetime.date
ORCID = "0000-0002-1825-0097"
NRN = "12345678"


@pytest.fixture
def one_mailbox(db):
    """Two records with one email and nothing else alike (a name changed, a birth date mistyped beyond a swap)."""
    first = factories.PersonFactory(
        family_name_ko="이", given_name_ko="서연", family_name_latin="Lee", given_name_latin="Seoyeon",
        birth_date=D(1999, 4, 7), email="seoyeon.lee@example.org",
    )  # fmt: skip
    second = factories.PersonFactory(
        family_name_ko="김", given_name_ko="가은", family_name_latin="Kim", given_name_latin="Gaeun",
        birth_date=D(1996, 11, 23), email="seoyeon.lee@example.org",
    )  # fmt: skip
    return first, second


def test_one_email_on_two_records_is_proposed_with_the_shared_email_in_the_evidence(one_mailbox):
    services.candidates_refresh()

    candidate = DuplicateCandidate.objects.get()
    assert {candidate.person_a, candidate.person_b} == set(one_mailbox)
    assert candidate.score < services.THRESHOLD  # shown for the shared email, not for the names
    assert candidate.evidence["shared"] == ["email"]
    assert candidate.evidence["fields"]["korean_name"] == "different"


def test_saving_one_of_them_finds_the_other(one_mailbox):
    services.candidates_refresh(person_ids=[one_mailbox[1].pk])

    assert DuplicateCandidate.objects.filter(person_a=one_mailbox[0], person_b=one_mailbox[1]).exists()


def test_two_different_orcids_are_not_proposed_even_with_one_email(one_mailbox):
    for person, orcid in zip(one_mailbox, (ORCID, "0000-0001-5109-3700"), strict=True):
        registry.person_update(actor=None, person=person, orcid=orcid)

    services.candidates_refresh()

    assert not DuplicateCandidate.objects.exists()


@pytest.fixture
def given_elsewhere(university_staff, ms_programme, other_university_staff, other_university):
    """누리대 registered 정하린 with an ORCID iD; another office registered 'Harin Chung' with only a researcher number.
    Hanbit then admits 정하린 with both: the ORCID iD names the first record, the researcher number, another
    person's, is kept as a difference on it."""
    nuri = factories.ProgrammeFactory(school__university=other_university)
    harin = registry.enrollment_admit(
        actor=other_university_staff,
        programme=nuri,
        new_person={"family_name_ko": "정", "given_name_ko": "하린", "birth_date": D(1999, 2, 14), "orcid": ORCID},
        student_number="N-1",
        admission_date=D(2025, 3, 3),
    ).person
    chung = factories.PersonFactory(
        family_name_ko="", given_name_ko="", family_name_latin="Chung", given_name_latin="Harin", birth_date=None,
        email="", national_researcher_number=NRN,
    )  # fmt: skip
    registry.enrollment_admit(
        actor=university_staff,
        programme=ms_programme,
        new_person={"family_name_ko": "정", "given_name_ko": "하린", "orcid": ORCID, "national_researcher_number": NRN},
        student_number="2026-0001",
        admission_date=D(2026, 3, 2),
    )
    return harin, chung


def test_a_researcher_number_given_for_one_person_and_held_by_another_proposes_the_pair(given_elsewhere):
    harin, chung = given_elsewhere
    assert IdentityDisagreement.objects.get().field == "national_researcher_number"

    services.candidates_refresh(person_ids=[harin.pk])

    candidate = DuplicateCandidate.objects.get()
    assert (candidate.person_a, candidate.person_b) == (harin, chung)
    assert candidate.evidence["shared"] == ["researcher_number"]
    # The nightly run over everyone finds it too, and keeps it.
    assert services.candidates_refresh().found == 1


def test_the_admission_that_gave_it_looks_for_the_pair(
    university_staff, ms_programme, other_university_staff, other_university, django_capture_on_commit_callbacks
):
    from talent.celery import app

    chung = factories.PersonFactory(
        family_name_ko="", given_name_ko="", family_name_latin="Chung", given_name_latin="Harin", birth_date=None,
        national_researcher_number=NRN,
    )  # fmt: skip
    harin = factories.PersonFactory(family_name_ko="정", given_name_ko="하린", orcid=ORCID)
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            registry.enrollment_admit(
                actor=university_staff,
                programme=ms_programme,
                new_person={"family_name_ko": "정", "given_name_ko": "하린", "orcid": ORCID,
                            "national_researcher_number": NRN},
                student_number="2026-0002",
                admission_date=D(2026, 3, 2),
            )  # fmt: skip
    finally:
        app.conf.task_always_eager = saved

    candidate = DuplicateCandidate.objects.get()
    assert {candidate.person_a, candidate.person_b} == {harin, chung}
    assert candidate.evidence["shared"] == ["researcher_number"]


def test_the_operator_reads_the_shared_identifier_in_words(given_elsewhere, operator):
    services.candidates_refresh()
    candidate = DuplicateCandidate.objects.get()

    lines = evidence_in_words(candidate.evidence)
    assert (lines[0].field, lines[0].weight) == ("shared_researcher_number", "agrees")

    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(operator)
    page = client.get(reverse("web:operator-candidates")).content.decode()
    assert "<strong>국가연구자번호</strong>: 두 기록 모두에 있음 (한쪽은 대학이 제출한 값)" in page
