"""Who may list claim codes (selectors.claim_code_list): a university's staff see the codes their own university
issued, never another university's; operators see all; every other role, and an anonymous visitor, sees none."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from talent.registry import selectors, services
from tests import factories


@pytest.fixture
def own_code(enrollment, university_staff):
    """The code 한빛대학교 issued for its student 박지훈."""
    claim, _code = services.claim_code_issue(actor=university_staff, enrollment=enrollment)
    return claim


@pytest.fixture
def other_code(other_university, other_university_staff):
    """The code 누리대학교 issued for its own student 최유나."""
    school = factories.GraduateSchoolFactory(university=other_university, name_ko="누리 AX 대학원")
    other_enrollment = services.enrollment_admit(
        actor=other_university_staff,
        person=factories.PersonFactory(family_name_ko="최", given_name_ko="유나"),
        programme=factories.ProgrammeFactory(school=school, name_ko="누리 AX 석사"),
        student_number="N-2026-0001",
        admission_date=datetime.date(2026, 3, 2),
        expected_completion=datetime.date(2028, 2, 28),
    )
    claim, _code = services.claim_code_issue(actor=other_university_staff, enrollment=other_enrollment)
    return claim


def test_university_staff_see_only_their_own_universitys_codes(own_code, other_code, university_staff):
    codes = selectors.claim_code_list(user=university_staff)

    assert list(codes) == [own_code]
    assert not codes.filter(pk=other_code.pk).exists(), "another university's code is not even found"


def test_the_other_universitys_staff_see_only_theirs(own_code, other_code, other_university_staff):
    assert list(selectors.claim_code_list(user=other_university_staff)) == [other_code]


def test_operators_see_every_universitys_codes_newest_first(own_code, other_code, operator):
    assert list(selectors.claim_code_list(user=operator)) == [other_code, own_code]


@pytest.mark.parametrize("role", ["ministry_analyst", "company_member", "researcher", "outsider"])
def test_every_other_role_sees_no_code(role, own_code, other_code, request):
    assert not selectors.claim_code_list(user=request.getfixturevalue(role)).exists()


def test_an_anonymous_visitor_sees_no_code(own_code, other_code):
    assert not selectors.claim_code_list(user=AnonymousUser()).exists()


def test_a_replaced_code_is_still_listed_newest_first(own_code, enrollment, university_staff):
    newer, _code = services.claim_code_issue(actor=university_staff, enrollment=enrollment)

    assert list(selectors.claim_code_list(user=university_staff)) == [newer, own_code]


def test_the_student_and_the_issuer_come_in_the_same_query(own_code, university_staff, django_assert_num_queries):
    codes = selectors.claim_code_list(user=university_staff)

    with django_assert_num_queries(1):
        shown = [
            (c.person.family_name_ko + c.person.given_name_ko, c.issued_by and c.issued_by.username) for c in codes
        ]

    assert shown == [("박지훈", "univ-staff")]
