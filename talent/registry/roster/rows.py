"""From cells to values: one row of the file becomes the fields it gives, or the problems it has.

Pure: no database. Dates as 2026-03-02, 2026.03.02, 2026/3/2, 20260302, 2026년 3월 2일 or Excel date cells;
statuses, genders and completion routes in Korean office words, English or the registry's codes.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from talent.registry import vocabulary
from talent.registry.roster.columns import BY_KEY
from talent.registry.roster.reading import Cell
from talent.registry.vocabulary import CompletionRoute, EnrollmentStatus, Gender

#: Exported text that starts with one of these is escaped with a leading apostrophe (CSV injection); the
#: apostrophe is taken off again on import, so an export imports back to no change.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The words a Korean office writes, first the one the export writes.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    EnrollmentStatus.ADMITTED: ("입학", "합격", "입학예정"),
    EnrollmentStatus.ENROLLED: ("재학", "재학중"),
    EnrollmentStatus.ON_LEAVE: ("휴학", "휴학중"),
    EnrollmentStatus.COURSEWORK_COMPLETE: ("수료",),
    EnrollmentStatus.GRADUATED: ("졸업", "학위수여", "졸업(학위수여)"),
    EnrollmentStatus.WITHDRAWN: ("자퇴", "입학포기"),
    EnrollmentStatus.DISMISSED: ("제적",),
    EnrollmentStatus.PROGRESSED: ("진학", "석박사연계", "박사진학"),
}
GENDER_WORDS: dict[str, tuple[str, ...]] = {
    Gender.MALE: ("남", "남자", "남성", "m"),
    Gender.FEMALE: ("여", "여자", "여성", "f"),
    Gender.OTHER: ("기타",),
}
ROUTE_WORDS: dict[str, tuple[str, ...]] = {
    CompletionRoute.THESIS: ("논문", "학위논문"),
    CompletionRoute.AX_PROJECT: ("AX 프로젝트", "AX 연구 프로젝트", "연구프로젝트", "프로젝트"),
}
COUNTRY_WORDS = {"한국": "KR", "대한민국": "KR", "korea": "KR", "southkorea": "KR", "republicofkorea": "KR"}


def _word_key(text: str) -> str:
    return re.sub(r"[\s_\-()]+", "", text).casefold()


@cache
def _vocabulary(kind: str) -> dict[str, str]:
    """Codes, the labels in both languages, and the office words -> code (built once, when first needed)."""
    choices, words = {
        "status": (EnrollmentStatus, STATUS_WORDS),
        "gender": (Gender, GENDER_WORDS),
        "route": (CompletionRoute, ROUTE_WORDS),
    }[kind]
    lookup: dict[str, str] = {}
    for code, label in choices.choices:
        lookup[_word_key(code)] = code
        for language in ("en", "ko"):
            with translation.override(language):
                lookup.setdefault(_word_key(str(label)), code)
    for code, spellings in words.items():
        for spelling in spellings:
            lookup[_word_key(spelling)] = code
    return lookup


_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일$"),
)


class CellError(ValueError):
    """A cell's value cannot be read; the message says what was expected."""


def text_of(cell: Cell | Any) -> str:
    """A cell as text: numbers without a spurious '.0', dates as ISO, formulas as the text they are."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if not isinstance(cell, (str, int, float)) and hasattr(cell, "text"):  # an openpyxl array formula
        cell = cell.text
    value = str(cell).strip()
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
        value = value[1:]  # our own export's escape
    return value


def parse_date(cell: Cell) -> datetime.date | None:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    value = text_of(cell)
    if not value:
        return None
    for form in _DATE_FORMS:
        match = form.match(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise CellError(
        _("“%(value)s” is not a date: write it as 2026-03-02 (2026.03.02, 2026/3/2 and 20260302 are read too).")
        % {"value": value[:40]}
    )


def _choice(kind: str, value: str, expected: str) -> str:
    if not value:
        return ""
    code = _vocabulary(kind).get(_word_key(value))
    if code is None:
        raise CellError(_("“%(value)s” is not one of: %(expected)s.") % {"value": value[:40], "expected": expected})
    return code


def parse_status(cell: Cell) -> str:
    expected = ", ".join(words[0] for words in STATUS_WORDS.values())
    return _choice("status", text_of(cell), expected)


def parse_gender(cell: Cell) -> str:
    return _choice("gender", text_of(cell), ", ".join(words[0] for words in GENDER_WORDS.values()))


def parse_route(cell: Cell) -> str:
    return _choice("route", text_of(cell), ", ".join(words[0] for words in ROUTE_WORDS.values()))


def parse_country(cell: Cell) -> str:
    value = text_of(cell)
    if not value:
        return ""
    upper = value.upper()
    countries = vocabulary.countries()
    if upper in countries:
        return upper
    key = _word_key(value)
    if key in COUNTRY_WORDS:
        return COUNTRY_WORDS[key]
    for code, names in countries.items():
        if key in (_word_key(names["ko"]), _word_key(names["en"])):
            return code
    raise CellError(
        _("“%(value)s” is not a country: write its ISO 3166-1 code (KR, US, …) or its name.") % {"value": value[:40]}
    )


def export_word(words: dict[str, tuple[str, ...]], code: str) -> str:
    return words[code][0] if code else ""


PARSERS = {
    "birth_date": parse_date,
    "admission_date": parse_date,
    "expected_completion": parse_date,
    "status_date": parse_date,
    "status": parse_status,
    "gender": parse_gender,
    "completion_route": parse_route,
    "nationality": parse_country,
}


@dataclass
class ParsedRow:
    """One data row: the values of the columns the file has (absent columns are absent), and its problems
    as (column key, message)."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str | None, str]] = field(default_factory=list)

    @property
    def student_number(self) -> str:
        return str(self.values.get("student_number") or "")


def parse_row(number: int, cells: list[Cell], positions: dict[str, int]) -> ParsedRow:
    """Read the cells of the known columns (`positions`: column key -> cell index)."""
    row = ParsedRow(number)
    for key, index in positions.items():
        cell = cells[index] if index < len(cells) else None
        parser = PARSERS.get(key, text_of)
        try:
            row.values[key] = parser(cell)
        except CellError as exc:
            row.problems.append((key, str(exc)))
    if "nationality" in row.values and not row.values["nationality"]:
        row.values["nationality"] = "KR"  # the model's default, as a form would give it
    return row


def required_missing(row: ParsedRow, *, new: bool) -> list[str]:
    """Required columns left empty: every one for a new student; an existing student's row may leave
    out what it does not change (but not the student number)."""
    keys = [c.key for c in BY_KEY.values() if c.required] if new else ["student_number"]
    return [key for key in keys if key in row.values and row.values[key] in ("", None)] + [
        key for key in keys if key not in row.values and new
    ]
