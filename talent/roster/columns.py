"""The roster's columns: the Korean header the template shows, the English alias, and the other spellings
Korean offices use. Headers are matched loosely (spaces, case and punctuation ignored), in any order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str  # the field it fills
    header_ko: str  # the template's header (Korean, as university offices write it)
    header_en: str  # the template's English alias row
    label: Promise  # for messages, translated
    aliases: tuple[str, ...] = ()
    required: bool = False  # for new students; an existing student's row may leave it out


COLUMNS: tuple[Column, ...] = (
    Column("student_number", "학번", "Student number", _("student number"), ("학생번호", "student no", "student id"),
           required=True),
    Column("family_name_ko", "성", "Family name (Korean)", _("family name (Korean)"), ("성(한글)", "한글 성")),
    Column("given_name_ko", "이름", "Given name (Korean)", _("given name (Korean)"), ("이름(한글)", "한글 이름")),
    Column("family_name_latin", "영문 성", "Family name", _("family name (Latin)"), ("family name (latin)", "surname",
           "last name")),
    Column("given_name_latin", "영문 이름", "Given name", _("given name (Latin)"), ("given name (latin)",
           "first name")),
    Column("birth_date", "생년월일", "Birth date", _("birth date"), ("date of birth", "birthday")),
    Column("gender", "성별", "Gender", _("gender"), ("sex",)),
    Column("nationality", "국적", "Nationality", _("nationality"), ("country",)),
    Column("email", "이메일", "Email", _("email"), ("전자우편", "e-mail", "email address")),
    Column("orcid", "ORCID", "ORCID iD", _("ORCID iD"), ("orcid id",)),
    Column("national_researcher_number", "국가연구자번호", "National researcher number",
           _("national researcher number"), ("연구자번호",)),
    Column("school", "대학원", "Graduate school", _("graduate school"), ("대학원명", "school")),
    Column("programme", "과정", "Programme", _("programme"), ("과정명", "학위과정", "program"), required=True),
    Column("admission_date", "입학일", "Admission date", _("admission date"), ("입학일자",), required=True),
    Column("expected_completion", "졸업예정일", "Expected completion", _("expected completion"),
           ("수료예정일", "expected completion date")),
    Column("status", "학적상태", "Status", _("status"), ("학적", "상태", "enrollment status")),
    Column("status_date", "상태변경일", "Status date", _("status since"), ("학적변동일", "status since")),
    Column("completion_route", "졸업방식", "Completion route", _("completion route"), ("이수경로", "졸업 요건")),
    # Only to void changes recorded by mistake or cancel scheduled ones: a row that states an earlier status than the
    # one recorded does so only with a reason here (importing.py, "Going back").
    Column("correction_reason", "정정사유", "Correction reason", _("correction reason"), ("정정 사유", "취소사유",
           "reason for correction")),
)  # fmt: skip

BY_KEY = {column.key: column for column in COLUMNS}

#: Headers that announce a resident registration number (주민등록번호): the whole file is refused.
RRN_HEADERS = ("주민등록번호", "주민번호", "주민등록", "residentregistration")
RRN_HEADERS_EXACT = ("rrn", "ssn")

_NOT_LETTERS = re.compile(r"[\s_\-./()\[\]:*#]+")


def normalize_header(text: str) -> str:
    """'  영문  성 ', 'Family_Name (Latin)' -> comparable keys: no spaces or punctuation, case-folded."""
    return _NOT_LETTERS.sub("", text).casefold()


_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _spelling in (_column.key, _column.header_ko, _column.header_en, *_column.aliases):
        _LOOKUP.setdefault(normalize_header(_spelling), _column.key)


def column_for(header: str) -> str | None:
    """The column key a header names, or None for a column the roster does not know."""
    return _LOOKUP.get(normalize_header(header))


def names_resident_registration_number(header: str) -> bool:
    key = normalize_header(header)
    return key in RRN_HEADERS_EXACT or any(normalize_header(word) in key for word in RRN_HEADERS)
