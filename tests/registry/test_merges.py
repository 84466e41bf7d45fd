"""Merging two records of one human (talent/registry/services/merges.py): everything moves in one transaction, the
merge is kept with its evidence and can be undone, and every report (the trigger-kept counting tables included)
counts the human once from the merge on; a snapshot frozen before shows the difference as a correction."""

from __future__ import annotations

import datetime

import pytest

from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.registry import services
from talent.registry.models import (
    AccessLog,
    AdvisorAppointment,
    ClaimCode,
    Enrollment,
    ExpertProfile,
    Person,
    PersonMerge,
    ResearcherProfile,
)
from talent.registry.services.merges import person_merge, person_merge_undo
from talent.reports import selectors as reports
from talent.reports import services as report_services
from talent.reports.counting_tables import counting_tables_drift
from talent.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import D, campus, graduate, history, trained_target  # noqa: F401 - fixtures

AS_OF = D(2026, 11, 30)


def headline(target):
    figures = reports.target_report(scope=ReportScope(), target=target, as_of=AS_OF)
    return figures.achieved, figures.entrants


@pytest.fixture
def twice_graduated(campus, history):  # noqa: F811
    """One human recorded twice: a master's at 한빛 and another at 누리, both admitted and graduated in 2026."""
    at_x = factories.PersonFactory(family_name_ko="정", given_name_ko="하린", email="", orcid="0000-0002-1825-0097")
    at_y = factories.PersonFactory(
        family_name_ko="정", given_name_ko="하린", family_name_latin="Jung", email="harin@nuri.ac.kr"
    )
    history(at_x, campus.ms_x, admitted=D(2026, 3, 2), steps=graduate(D(2026, 3, 2), D(2026, 6, 30), D(2026, 8, 21)))
    history(at_y, campus.ms_y, admitted=D(2026, 3, 3), steps=graduate(D(2026, 3, 3), D(2026, 7, 1), D(2026, 9, 18)))
    return at_x, at_y


def test_a_merged_person_counts_once_in_entrants_and_trained_and_undo_restores_both(
    twice_graduated,
    operator,
    trained_target,  # noqa: F811
):
    at_x, at_y = twice_graduated
    assert headline(trained_target) == (2, 2)
    snapshot = report_services.snapshot_freeze(actor=operator, code="AX-TRAINED", as_of=AS_OF)

    merge = person_merge(actor=operator, survivor=at_x, merged=at_y, evidence={"score": 0.97})

    assert headline(trained_target) == (1, 1)
    assert counting_tables_drift().none
    corrections = {c.figure for c in report_services.snapshot_recompute(snapshot=snapshot).changes}
    assert {"achieved", "entrants"} <= {name.rsplit(".", 1)[-1] for name in corrections}, corrections
    assert Enrollment.objects.filter(person=at_x).count() == 2

    person_merge_undo(actor=operator, merge=merge)

    assert headline(trained_target) == (2, 2)
    assert counting_tables_drift().none
    assert Enrollment.objects.filter(person=at_y).count() == 1


def test_a_merge_moves_everything_and_is_kept_with_its_evidence(twice_graduated, operator, campus):  # noqa: F811
    at_x, at_y = twice_graduated
    university = campus.university_x
    login = factories.UserFactory(username="harin")
    Person.objects.filter(pk=at_y.pk).update(user=login, national_researcher_number="12345678")
    at_y.refresh_from_db()
    services.expert_profile_save(actor=None, person=at_y, skills=["로봇 제어"], summary_ko="로봇")
    services.expert_consent_set(
        actor=None, profile=ExpertProfile.objects.get(person=at_y), consent_to_matching=True, shared_fields=["email"]
    )
    services.researcher_profile_save(actor=None, person=at_y)
    code = ClaimCode.objects.create(
        person=at_y,
        issued_by_organization=university,
        code_hash="x" * 64,
        expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    AdvisorAppointment.objects.create(university=university, person=at_y, role="advisor")
    AccessLog.objects.create(person=at_y, action="test")

    merge = person_merge(actor=operator, survivor=at_x, merged=at_y, evidence={"agree": ["birth_date"]})

    at_x.refresh_from_db()
    at_y.refresh_from_db()
    assert at_x.user == login and at_x.national_researcher_number == "12345678"
    assert at_x.email == "harin@nuri.ac.kr"  # taken: the survivor had none
    assert at_x.family_name_latin == "Kim"  # kept: the survivor's own
    assert (at_y.merged_into_id, at_y.user_id, at_y.national_researcher_number) == (at_x.pk, None, None)
    expert = ExpertProfile.objects.get()
    assert (expert.person_id, expert.consent_to_matching, expert.shared_fields) == (at_x.pk, True, ["email"])
    assert ResearcherProfile.objects.get().person_id == at_x.pk
    code.refresh_from_db()
    assert code.person_id == at_x.pk
    assert AdvisorAppointment.objects.get().person_id == at_x.pk
    assert AccessLog.objects.filter(person=at_x, action="test").exists()
    kept = PersonMerge.objects.get()
    assert (kept.merged_by, kept.evidence, kept.survivor_id, kept.merged_id) == (
        operator,
        {"agree": ["birth_date"]},
        at_x.pk,
        at_y.pk,
    )

    person_merge_undo(actor=operator, merge=merge)

    at_x.refresh_from_db()
    at_y.refresh_from_db()
    assert (at_y.user, at_y.national_researcher_number, at_y.merged_into_id) == (login, "12345678", None)
    assert (at_x.user_id, at_x.email, at_x.national_researcher_number) == (None, "", None)
    assert ExpertProfile.objects.get().person_id == at_y.pk
    assert AdvisorAppointment.objects.get().person_id == at_y.pk
    with pytest.raises(Conflict):
        person_merge_undo(actor=operator, merge=merge)


def test_refusals(twice_graduated, operator, outsider):
    at_x, at_y = twice_graduated

    with pytest.raises(NotAllowed):
        person_merge(actor=outsider, survivor=at_x, merged=at_y)
    with pytest.raises(InvalidInput):
        person_merge(actor=operator, survivor=at_x, merged=at_x)
    Person.objects.filter(pk=at_y.pk).update(orcid="0000-0001-5109-3700")
    with pytest.raises(Conflict, match="ORCID"):
        person_merge(actor=operator, survivor=at_x, merged=at_y)
    Person.objects.filter(pk=at_y.pk).update(orcid=None)
    merge = person_merge(actor=operator, survivor=at_x, merged=at_y)
    with pytest.raises(Conflict):
        person_merge(actor=operator, survivor=at_x, merged=at_y)
    with pytest.raises(NotAllowed):
        person_merge_undo(actor=outsider, merge=merge)


def test_a_merge_failing_midway_leaves_nothing_half_merged(campus, history, operator):  # noqa: F811
    """Both records have an active enrollment in the same programme (one university admitted the human twice):
    the enrollments cannot all move, so the rows moved before them go back too."""
    one, two = factories.PersonFactory(), factories.PersonFactory()
    history(one, campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    history(two, campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    AdvisorAppointment.objects.create(university=campus.university_x, person=two, role="advisor")
    assert AdvisorAppointment._meta.label < Enrollment._meta.label  # the appointment moves first

    with pytest.raises(Conflict):
        person_merge(actor=operator, survivor=one, merged=two)

    assert AdvisorAppointment.objects.get().person_id == two.pk
    assert Enrollment.objects.filter(person=two).count() == 1
    two.refresh_from_db()
    assert two.merged_into_id is None
    assert not PersonMerge.objects.exists()
