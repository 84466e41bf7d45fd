"""Consent to the privacy notice: required and optional parts on their own, recorded with the notice version and
time, the optional part withdrawable (its items deleted), a new notice version asking again, and a merge of two
records moving the consents (and its undo moving them back)."""

from __future__ import annotations

import pytest

from talent.common.errors import InvalidInput
from talent.registry import privacy, selectors, services
from talent.registry.services.merges import person_merge, person_merge_undo
from tests import factories


@pytest.fixture
def registered_by_a_university(db):
    """A student a university admitted, whose login was just made: no consent yet."""
    user = factories.UserFactory(username="student-login")
    return factories.PersonFactory(user=user, gender="female", nationality="KR", consented=False)


def scopes(person) -> list[tuple[str, str, bool]]:
    return [(c.notice_version, c.scope, c.withdrawn_at is None) for c in selectors.privacy_consent_list(person=person)]


def test_consent_without_the_required_part_is_refused_beside_its_box(registered_by_a_university):
    person = registered_by_a_university
    with pytest.raises(InvalidInput) as refused:
        services.privacy_consent_give(actor=person.user, person=person, required=False, optional=True)

    assert list(refused.value.as_dict()) == ["consent_required"]
    assert scopes(person) == []  # nothing half-written


def test_the_two_parts_are_recorded_with_the_notice_version_and_asked_once(registered_by_a_university):
    person = registered_by_a_university
    assert selectors.privacy_consent_needed(person=person)

    services.privacy_consent_give(actor=person.user, person=person, required=True, optional=True)
    services.privacy_consent_give(actor=person.user, person=person, required=True, optional=True)  # again: no-op

    assert scopes(person) == [(privacy.NOTICE_VERSION, "required", True), (privacy.NOTICE_VERSION, "optional", True)]
    assert not selectors.privacy_consent_needed(person=person)


def test_withdrawing_the_optional_part_deletes_the_optional_items(registered_by_a_university):
    person = registered_by_a_university
    services.privacy_consent_give(actor=person.user, person=person, required=True, optional=True)

    assert services.privacy_consent_withdraw_optional(actor=person.user, person=person) == 1

    person.refresh_from_db()
    assert (person.gender, person.nationality) == ("", "KR")  # nationality is a required item
    assert scopes(person) == [(privacy.NOTICE_VERSION, "required", True), (privacy.NOTICE_VERSION, "optional", False)]


def test_consenting_to_the_required_part_alone_leaves_the_optional_items_uncollected(registered_by_a_university):
    person = registered_by_a_university
    services.privacy_consent_give(actor=person.user, person=person, required=True, optional=False)

    person.refresh_from_db()
    assert person.gender == ""
    assert scopes(person) == [(privacy.NOTICE_VERSION, "required", True)]


def test_a_new_notice_version_asks_again(registered_by_a_university, monkeypatch):
    person = registered_by_a_university
    services.privacy_consent_give(actor=person.user, person=person, required=True, optional=False)

    monkeypatch.setattr(privacy, "NOTICE_VERSION", "2027-03-01")

    assert selectors.privacy_consent_needed(person=person)
    services.privacy_consent_give(actor=person.user, person=person, required=True, optional=False)
    assert [version for version, _, _ in scopes(person)] == ["2026-12-03", "2027-03-01"]


def test_a_merge_moves_the_consents_and_its_undo_moves_them_back(operator, registered_by_a_university):
    self_made = registered_by_a_university
    services.privacy_consent_give(actor=self_made.user, person=self_made, required=True, optional=False)
    university_record = factories.PersonFactory(family_name_ko=self_made.family_name_ko, consented=False)

    merge = person_merge(actor=operator, survivor=university_record, merged=self_made)

    assert scopes(university_record) == [(privacy.NOTICE_VERSION, "required", True)]
    assert scopes(self_made) == []
    assert not selectors.privacy_consent_needed(person=university_record)

    person_merge_undo(actor=operator, merge=merge)

    assert scopes(self_made) == [(privacy.NOTICE_VERSION, "required", True)]
    assert scopes(university_record) == []
