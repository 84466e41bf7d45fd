"""Validators refuse bad codes and identifiers with a message that says what is wrong."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from talent.registry import validators
from talent.registry.models import Enrollment
from tests.factories import KNOWN_GOOD_BRNS


def codes_of(excinfo) -> list[str]:
    return [e.code for e in excinfo.value.error_list]


@pytest.mark.parametrize("number", [*KNOWN_GOOD_BRNS, "1248100998"])
def test_business_registration_numbers_with_a_check_digit_worked_out_by_hand_pass(number):
    validators.validate_business_registration_number(number)


@pytest.mark.parametrize("number", KNOWN_GOOD_BRNS)
def test_every_other_check_digit_is_refused(number):
    for digit in "0123456789".replace(number[-1], ""):
        with pytest.raises(ValidationError) as excinfo:
            validators.validate_business_registration_number(number[:-1] + digit)
        assert codes_of(excinfo) == ["brn_check_digit"]


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("124-81-00999", "brn_check_digit"),
        ("124-81-0099", "brn_format"),
        ("12a-81-00998", "brn_format"),
        ("000-81-00990", "brn_component"),
    ],
)
def test_a_wrong_business_registration_number_is_refused_with_the_reason(number, code):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_business_registration_number(number)
    assert codes_of(excinfo) == [code]


@pytest.mark.parametrize("orcid", ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"])
def test_valid_orcid_ids_pass(orcid):
    validators.validate_orcid(orcid)


@pytest.mark.parametrize(
    ("orcid", "code"),
    [
        ("0000-0002-1825-0098", "orcid_check_digit"),
        ("0000-0002-1694-2330", "orcid_check_digit"),
        ("0000000218250097", "orcid_format"),
        ("https://orcid.org/0000-0002-1825-0097", "orcid_format"),
    ],
)
def test_a_wrong_orcid_is_refused(orcid, code):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_orcid(orcid)
    assert codes_of(excinfo) == [code]


@pytest.mark.parametrize(
    "text",
    [
        "900101-1234567",
        "9001011234567",
        "주민번호 020315-4123456 입니다",
        "051231 3123456",
    ],
)
def test_anything_shaped_like_a_resident_registration_number_is_refused(text):
    with pytest.raises(ValidationError) as excinfo:
        validators.reject_resident_registration_number(text)
    assert codes_of(excinfo) == ["resident_registration_number"]
    assert "주민등록번호" in str(excinfo.value.messages[0])


@pytest.mark.parametrize(
    "text",
    [
        "2026-0001",
        "901301-1234567",  # month 13: not a birth date
        "01012345678",  # a mobile phone number
        "9788966260959",  # an ISBN-13
        "0000-0002-1825-0097",
        "12345678901234",  # 14 digits
    ],
)
def test_numbers_that_are_not_resident_registration_numbers_pass(text):
    validators.reject_resident_registration_number(text)


def test_student_numbers_are_checked_for_shape_and_resident_numbers():
    validators.validate_student_number("20261234")
    validators.validate_student_number("AX-2026-07")
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_student_number("2026 1234")
    assert codes_of(excinfo) == ["student_number_format"]
    with pytest.raises(ValidationError) as excinfo:
        Enrollment._meta.get_field("student_number").run_validators("9001011234567")
    assert codes_of(excinfo) == ["resident_registration_number"]


@pytest.mark.parametrize("code", ["KR-11", "KR-26", "KR-50", "KR-49"])
def test_the_seventeen_korean_regions_are_known(code):
    validators.validate_kr_region(code)


@pytest.mark.parametrize("code", ["KR-99", "KR-1", "Seoul", "kr-11", "US-CA"])
def test_unknown_regions_are_refused(code):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_kr_region(code)
    assert codes_of(excinfo) == ["unknown_region"]


def test_countries_follow_iso_3166_1():
    validators.validate_country("KR")
    validators.validate_country("DE")
    for bad in ("XX", "kr", "KOR", ""):
        with pytest.raises(ValidationError):
            validators.validate_country(bad)


def test_ksic_sections_are_the_twenty_one_letters_a_to_u():
    for letter in "ABCDEFGHIJKLMNOPQRSTU":
        validators.validate_ksic_section(letter)
    for bad in ("V", "c", "C10", ""):
        with pytest.raises(ValidationError) as excinfo:
            validators.validate_ksic_section(bad)
        assert codes_of(excinfo) == ["unknown_ksic_section"]


def test_national_researcher_numbers_have_eight_digits():
    validators.validate_national_researcher_number("11223344")
    for bad in ("1122334", "112233445", "1122334a"):
        with pytest.raises(ValidationError):
            validators.validate_national_researcher_number(bad)
