"""Closing an account erases the person's own data everywhere it was copied: the history of their profiles
(and of the person, when the record goes) and the sign-in records that name their login. What the
university keeps, it keeps with its history."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate
from django.test import RequestFactory

from talent.accounts.services import account_delete, claim_code_redeem
from talent.registry import services
from talent.registry.models import (  # type: ignore[attr-defined]  # pghistory makes these models at run time
    ExpertProfile,
    ExpertProfileHistory,
    OverseasPositionHistory,
    Person,
    PersonHistory,
    PersonMerge,
    PersonMergeHistory,
    ResearcherProfileHistory,
)

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password


@pytest.fixture
def returning(researcher):
    """The researcher with a profile, a position and an expert profile, each edited once."""
    person = researcher.person
    profile = services.researcher_profile_save(actor=researcher, person=person, phd_field="07", phd_country="US")
    services.overseas_position_add(
        actor=researcher,
        person=profile.person,
        institution="Stanford University",
        country="US",
        start_date=datetime.date(2019, 9, 1),
    )
    services.expert_profile_save(actor=researcher, person=person, skills=["로보틱스"], summary_ko="협동로봇 제어")
    services.expert_profile_save(actor=researcher, person=person, skills=["로보틱스", "강화학습"])
    services.person_update(actor=researcher, person=person, given_name_ko="서윤")
    return researcher


def _failed_login(username: str) -> None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.7")
    assert authenticate(request, username=username, password="wrong-password") is None


def test_closing_the_account_erases_the_history_of_a_record_that_goes(returning):
    person_id = returning.person.pk
    profile_id = returning.person.researcher_profile.pk
    assert PersonHistory.objects.filter(pgh_obj_id=person_id).count() >= 2
    assert ExpertProfileHistory.objects.filter(pgh_obj__person_id=person_id).count() == 2
    assert OverseasPositionHistory.objects.filter(pgh_obj__profile_id=profile_id).exists()

    assert account_delete(user=returning, password=PASSWORD) is False

    assert not PersonHistory.objects.filter(pgh_obj_id=person_id).exists()
    assert not ResearcherProfileHistory.objects.filter(pgh_obj_id=profile_id).exists()
    assert not OverseasPositionHistory.objects.filter(profile_id=profile_id).exists()
    assert not ExpertProfileHistory.objects.filter(person_id=person_id).exists()
    assert not PersonHistory.objects.filter(given_name_ko="서윤").exists()


def test_a_record_the_university_keeps_keeps_its_history_but_not_the_profiles(
    returning, university_staff, ms_programme
):
    person = returning.person
    services.enrollment_admit(
        actor=university_staff,
        person=person,
        programme=ms_programme,
        student_number="2026-0001",
        admission_date=datetime.date(2026, 3, 2),
    )

    assert account_delete(user=returning, password=PASSWORD) is True

    assert PersonHistory.objects.filter(pgh_obj_id=person.pk, given_name_ko="서윤").exists()
    assert not ExpertProfileHistory.objects.filter(person_id=person.pk).exists()
    assert not ResearcherProfileHistory.objects.filter(person_id=person.pk).exists()


def test_the_history_stays_append_only_for_everyone_else(returning):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        PersonHistory.objects.filter(pgh_obj_id=returning.person.pk).delete()


def test_closing_the_account_forgets_its_sign_in_records(returning, outsider, settings):
    settings.AXES_ENABLED = True
    _failed_login("researcher")
    _failed_login("outsider")
    assert AccessAttempt.objects.filter(username="researcher").exists()

    account_delete(user=returning, password=PASSWORD)

    assert not AccessAttempt.objects.filter(username="researcher").exists()
    assert not AccessFailureLog.objects.filter(username="researcher").exists()
    assert AccessAttempt.objects.filter(username="outsider").exists()


def test_closing_a_claimed_account_erases_the_self_made_record_the_claim_absorbed(
    returning, university_staff, ms_programme
):
    """A claim folds the signed-up record into the university's (kept, marked merged, so that it can be undone);
    closing the account erases it, its merge record and their history, and the university's record gives back
    the email it took from it: the university keeps what it gave, nothing the person entered."""
    own = returning.person
    services.person_update(actor=returning, person=own, email="seoyun@example.org")
    enrollment = services.enrollment_admit(
        actor=university_staff,
        programme=ms_programme,
        new_person={"family_name_ko": "이", "given_name_ko": "서윤", "birth_date": datetime.date(1998, 4, 1)},
        student_number="2026-0042",
        admission_date=datetime.date(2026, 3, 2),
    )
    university_record = enrollment.person
    _claim, code = services.claim_code_issue(actor=university_staff, enrollment=enrollment)
    ExpertProfile.objects.filter(person=own).delete()  # the university's record may take the other profile
    claim_code_redeem(user=returning, code=code)
    merge = PersonMerge.objects.get(merged=own, survivor=university_record)
    university_record.refresh_from_db()
    assert university_record.email == "seoyun@example.org" and university_record.user == returning

    assert account_delete(user=returning, password=PASSWORD) is True

    assert not Person.objects.filter(pk=own.pk).exists()
    assert not PersonMerge.objects.filter(pk=merge.pk).exists()
    assert not PersonHistory.objects.filter(pgh_obj_id=own.pk).exists()
    assert not PersonHistory.objects.filter(email="seoyun@example.org").exists()
    assert not PersonMergeHistory.objects.filter(pgh_obj_id=merge.pk).exists()
    university_record.refresh_from_db()
    assert university_record.email == "" and university_record.user is None
    assert university_record.enrollments.get() == enrollment
