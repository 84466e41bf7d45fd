"""Field validators for the registry. Each raises Django's ValidationError with a message a person understands."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.iso7064 import mod_11_2
from stdnum.kr import brn, rrn

from talent.registry import vocabulary

# Characters a careless or hostile writer puts between the digits of a resident registration number.
# Dashes: every Unicode dash punctuation (Pd: hyphen, en/em dash, U+FF0D full-width hyphen, ...) and the minus
# signs, which NFKC does not fold into "-". Invisible: format characters (Cf: zero-width space and joiners,
# soft hyphen, bidi marks, U+FEFF) and controls, and the letters and marks that render as nothing.
_MINUS_SIGNS = "\u2212\u02d7\u2043\u207b\u208b\u2796\ufe63\uff5e~"
_INVISIBLE_LETTERS = "\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0"
# After normalising: six digits of a birth date (a separator may sit inside the date, as in 90.01.01), up to
# three separators (spaces, dots, dashes, slashes, underscores, middle dots), then seven digits.
_SEPARATOR = r"[\s.\-_/·•:,]"
_RRN_CANDIDATE = re.compile(
    rf"(?<!\d)(\d{{2}}){_SEPARATOR}?(\d{{2}}){_SEPARATOR}?(\d{{2}}){_SEPARATOR}{{0,3}}(\d{{7}})(?!\d)"
)

RRN_MESSAGE = _(
    "This looks like a resident registration number (주민등록번호). The registry never stores one: "
    "the law restricts its collection and nothing here needs it. Remove it and use the student number, "
    "ORCID iD or national researcher number instead."
)


def _folded_character(char: str) -> str:
    category = unicodedata.category(char)
    if category in ("Cf", "Cc") and char not in "\t\n\r":
        return ""
    if char in _INVISIBLE_LETTERS or category == "Mn":
        return ""  # combining marks too: a digit followed by U+0338 still reads as the digit
    if category == "Pd" or char in _MINUS_SIGNS:
        return "-"
    if category == "Nd":
        return str(unicodedata.decimal(char))  # Arabic-Indic, Devanagari, ... digits are digits
    if category == "Zs":
        return " "
    return char


def text_for_identifier_check(value: str) -> str:
    """`value` as a reader sees it: NFKC (full-width digits and hyphens become ASCII), every dash one "-", every
    space one " ", every invisible character gone, every decimal digit an ASCII digit."""
    return "".join(_folded_character(char) for char in unicodedata.normalize("NFKC", value))


def looks_like_resident_registration_number(value: str) -> bool:
    """True when the text, normalised, holds 13 digits shaped as a resident registration number (a real birth
    date, a valid sex/century digit), written with or without separators."""
    if sum(char.isdigit() for char in value) < 13:
        return False  # the common case, cheaply: no text with fewer digits can hold one
    for match in _RRN_CANDIDATE.finditer(text_for_identifier_check(value)):
        candidate = "".join(match.groups())
        try:
            rrn.get_birth_date(candidate)
        except stdnum_errors.ValidationError:
            continue
        return True
    return False


def reject_resident_registration_number(value: object) -> None:
    """The one guard of the registry against resident registration numbers: every free-text field of every model
    carries it (talent/registry/fields.py; the system check in talent/registry/checks.py makes sure), and the
    roster, usernames and file names call it. A list is checked item by item and as a whole (a number split over
    two items is still a number)."""
    texts: list[object] = list(value) if isinstance(value, (list, tuple)) else [value]
    if len(texts) > 1:
        texts.append(" ".join(str(text) for text in texts))
    for text in texts:
        if isinstance(text, str) and looks_like_resident_registration_number(text):
            raise ValidationError(RRN_MESSAGE, code="resident_registration_number")


def redact_resident_registration_numbers(text: str) -> str:
    """`text` for a side store (a file name, a username typed at sign-in, a header): unchanged, or, when it holds
    something shaped like a resident registration number, normalised with every digit masked."""
    if not looks_like_resident_registration_number(text):
        return text
    return re.sub(r"\d", "*", text_for_identifier_check(text))


def business_registration_number_check_digit(digits: str) -> str:
    """Check digit of a 사업자등록번호 from its first nine digits (weights 1,3,7,1,3,7,1,3,5)."""
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:8], weights[:8], strict=True))
    last = int(digits[8]) * weights[8]
    total += last // 10 + last % 10
    return str((10 - total % 10) % 10)


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


def future_horizon(today: datetime.date | None = None) -> datetime.date:
    """The last date the registry accepts ahead of `today` (default: the registry's today): admissions ahead of
    term, scheduled status changes and any other planned date. One setting, FUTURE_HORIZON_DAYS (a year)."""
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.FUTURE_HORIZON_DAYS)
