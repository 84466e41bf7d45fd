"""Whose record may be changed by whom, at the service level (the API, the admin and the pages all call
these services): a person's own fields, profiles and consent are theirs; a university may correct the
person fields of its own students; an operator may do all."""

from __future__ import annotations

import pytest

from talent.common.errors import NotAllowed
from talent.registry import services


def test_a_person_changes_their_own_record(researcher):
    person = services.person_update(actor=researcher, person=researcher.person, given_name_ko="서윤")
    profile = services.expert_profile_save(actor=researcher, person=person, skills=["로보틱스"])
    services.expert_consent_set(actor=researcher, profile=profile, consent_to_matching=True, shared_fields=["name"])

    assert person.given_name_ko == "서윤"
    assert profile.consent_to_matching is True


@pytest.mark.parametrize("who", ["outsider", "company_member", "university_staff", "ministry_analyst"])
def test_nobody_else_changes_a_researchers_record_or_consent(request, researcher, who):
    actor = request.getfixturevalue(who)
    own = services.expert_profile_save(actor=researcher, person=researcher.person, skills=["로보틱스"])

    with pytest.raises(NotAllowed):
        services.person_update(actor=actor, person=researcher.person, given_name_ko="가짜")
    with pytest.raises(NotAllowed):
        services.expert_profile_save(actor=actor, person=researcher.person, skills=["해킹"])
    with pytest.raises(NotAllowed):
        services.expert_consent_set(actor=actor, profile=own, consent_to_matching=True, shared_fields=["name"])
    with pytest.raises(NotAllowed):
        services.researcher_profile_save(actor=actor, person=researcher.person, phd_field="07")

    researcher.person.refresh_from_db()
    own.refresh_from_db()
    assert researcher.person.given_name_ko == "서연"
    assert own.skills == ["로보틱스"]
    assert own.consent_to_matching is False


def test_a_university_corrects_its_own_students_name_but_not_another_universitys(
    enrollment, university_staff, other_university_staff
):
    person = services.person_update(actor=university_staff, person=enrollment.person, given_name_ko="지환")
    assert person.given_name_ko == "지환"

    with pytest.raises(NotAllowed):
        services.person_update(actor=other_university_staff, person=enrollment.person, given_name_ko="가짜")
    with pytest.raises(NotAllowed):
        services.expert_profile_save(actor=university_staff, person=enrollment.person, skills=["로보틱스"])


def test_an_operator_may_change_any_record(operator, researcher):
    person = services.person_update(actor=operator, person=researcher.person, given_name_ko="서윤")
    assert person.given_name_ko == "서윤"
