"""Field validators for the registry. Each raises Django's ValidationError with a message a person understands."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.iso7064 import mod_11_2
from stdnum.kr import brn, rrn

from talent.registry import vocabulary

# Six digits of a birth date, an optional hyphen, then seven digits whose first is the sex/century digit.
_RRN_CANDIDATE = re.compile(r"(?<!\d)(\d{6})[-\s]?(\d{7})(?!\d)")

RRN_MESSAGE = _(
    "This looks like a resident registration number (주민등록번호). The registry never stores one: "
    "the law restricts its collection and nothing here needs it. Remove it and use the student number, "
    "ORCID iD or national researcher number instead."
)


def looks_like_resident_registration_number(value: str) -> bool:
    """True when the text holds 13 digits shaped as a resident registration number (a real birth date)."""
    for match in _RRN_CANDIDATE.finditer(value):
        candidate = match.group(1) + match.group(2)
        try:
            rrn.get_birth_date(candidate)
        except stdnum_errors.ValidationError:
            continue
        return True
    return False


def reject_resident_registration_number(value: object) -> None:
    texts: Iterable[object] = value if isinstance(value, (list, tuple)) else [value]
    for text in texts:
        if isinstance(text, str) and looks_like_resident_registration_number(text):
            raise ValidationError(RRN_MESSAGE, code="resident_registration_number")


def business_registration_number_check_digit(digits: str) -> str:
    """Check digit of a 사업자등록번호 from its first nine digits (weights 1,3,7,1,3,7,1,3,5)."""
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:8], weights[:8], strict=True))
    last = int(digits[8]) * weights[8]
    total += last // 10 + last % 10
    return str((10 - total % 10) % 10)


def normalize_business_registration_number(value: str) -> str:
    return brn.compact(value)


def validate_business_registration_number(value: str) -> None:
    number = brn.compact(value)
    if not number.isdigit() or len(number) != 10:
        raise ValidationError(
            _("A business registration number has 10 digits, written as 123-45-67890."), code="brn_format"
        )
    try:
        brn.validate(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("This business registration number is not one the National Tax Service issues."),
            code="brn_component",
        ) from exc
    if number[9] != business_registration_number_check_digit(number):
        raise ValidationError(
            _("The check digit of this business registration number is wrong: please check for a typo."),
            code="brn_check_digit",
        )


_ORCID_FORMAT = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def validate_orcid(value: str) -> None:
    if not _ORCID_FORMAT.match(value):
        raise ValidationError(
            _("An ORCID iD is written as 0000-0002-1825-0097 (16 characters, the last may be X)."),
            code="orcid_format",
        )
    if not mod_11_2.is_valid(value.replace("-", "")):
        raise ValidationError(
            _("The check character of this ORCID iD is wrong: please check for a typo."),
            code="orcid_check_digit",
        )


_NATIONAL_RESEARCHER_NUMBER = re.compile(r"^\d{8}$")


def validate_national_researcher_number(value: str) -> None:
    if not _NATIONAL_RESEARCHER_NUMBER.match(value):
        raise ValidationError(
            _("A national researcher number (국가연구자번호) has 8 digits."), code="researcher_number_format"
        )


_STUDENT_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,20}$")


def validate_student_number(value: str) -> None:
    reject_resident_registration_number(value)
    if not _STUDENT_NUMBER.match(value):
        raise ValidationError(
            _("A student number has 1 to 20 letters, digits or hyphens."), code="student_number_format"
        )


def validate_country(value: str) -> None:
    if value not in vocabulary.countries():
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 country code (two capital letters, e.g. KR, US)."),
            code="unknown_country",
            params={"value": value},
        )


def validate_kr_region(value: str) -> None:
    if value not in vocabulary.kr_regions():
        raise ValidationError(
            _("%(value)s is not one of the 17 Korean regions (ISO 3166-2:KR, e.g. KR-11 for Seoul)."),
            code="unknown_region",
            params={"value": value},
        )


def validate_kr_regions(values: Iterable[str]) -> None:
    for value in values:
        validate_kr_region(value)


def validate_ksic_section(value: str) -> None:
    if value not in vocabulary.ksic_sections():
        raise ValidationError(
            _("%(value)s is not a KSIC section (a capital letter from A to U)."),
            code="unknown_ksic_section",
            params={"value": value},
        )


def validate_ksic_sections(values: Iterable[str]) -> None:
    for value in values:
        validate_ksic_section(value)


def validate_iscedf_field(value: str) -> None:
    if value not in vocabulary.iscedf_fields():
        raise ValidationError(
            _("%(value)s is not an ISCED-F 2013 broad field (two digits, 00 to 10)."),
            code="unknown_field",
            params={"value": value},
        )
