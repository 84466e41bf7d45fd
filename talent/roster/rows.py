"""From cells to values: one row of the file becomes the fields it gives, or the problems it has.

Pure: no database. Dates as 2026-03-02, 2026.03.02, 2026/3/2, 20260302, 2026년 3월 2일 or Excel date cells,
and in a workbook also as the number an Excel date is when its column is formatted "General" (일반): 46083 is
2026-03-02 in the 1900 date system. Statuses, genders and completion routes in Korean office words, English or
the registry's codes.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeGuard

from django.utils import translation
from django.utils.translation import gettext as _

from talent.registry import vocabulary
from talent.registry.vocabulary import CompletionRoute, EnrollmentStatus, Gender
from talent.roster.reading import Cell

#: Exported text that starts with one of these is escaped with a leading apostrophe (CSV injection); the
#: apostrophe is taken off again on import, so an export imports back to no change.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The words a Korean office writes. The first is the one the pages show (the vocabulary's Korean label): the export,
#: the template's example row, its list of allowed values and its drop-downs write it; the others are read too.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    EnrollmentStatus.ADMITTED: ("합격", "입학", "입학예정"),
    EnrollmentStatus.ENROLLED: ("재학", "재학중"),
    EnrollmentStatus.ON_LEAVE: ("휴학", "휴학중"),
    EnrollmentStatus.COURSEWORK_COMPLETE: ("수료",),
    EnrollmentStatus.GRADUATED: ("졸업", "학위수여", "졸업(학위수여)"),
    EnrollmentStatus.WITHDRAWN: ("자퇴", "입학포기"),
    EnrollmentStatus.DISMISSED: ("제적",),
    EnrollmentStatus.PROGRESSED: ("박사과정 진입(석박사 연계)", "진학", "석박사연계", "박사진학"),
}
GENDER_WORDS: dict[str, tuple[str, ...]] = {
    Gender.MALE: ("남성", "남", "남자", "m"),
    Gender.FEMALE: ("여성", "여", "여자", "f"),
    Gender.OTHER: ("기타",),
}
ROUTE_WORDS: dict[str, tuple[str, ...]] = {
    CompletionRoute.THESIS: ("학위논문", "논문"),
    CompletionRoute.AX_PROJECT: ("AX 연구 프로젝트", "AX 프로젝트", "연구프로젝트", "프로젝트"),
}

#: A data row whose student number starts with this is the template's example: the import skips it.
EXAMPLE_MARK = "예시"
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


#: The dates an Excel serial number is read as. Outside them a number is more likely something else (a year typed
#: alone, 2026, would be 1905-07-18), so it is refused rather than taken for a date.
SERIAL_DATES = (datetime.date(1920, 1, 1), datetime.date(2099, 12, 31))
#: Day 0 of Excel's two date systems (openpyxl's WINDOWS_EPOCH and MAC_EPOCH, named here so that a CSV
#: does not import openpyxl).
EXCEL_DAY_ZERO = (datetime.date(1899, 12, 30), datetime.date(1904, 1, 1))
_BARE_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


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


def _serial_span(day_zero: datetime.date) -> tuple[int, int]:
    """The first and last Excel serial number read as a date, in the date system starting at `day_zero`."""
    first, last = SERIAL_DATES
    return (first - day_zero).days, (last - day_zero).days


def serial_date(value: int | float, epoch: datetime.datetime) -> datetime.date | None:
    """The date an Excel serial number stands for in the workbook's date system (`epoch`, as openpyxl gives
    it), or None outside SERIAL_DATES. A fraction is a time of day: the date is kept, as for a date-time cell."""
    from openpyxl.utils.datetime import from_excel

    first, last = _serial_span(epoch.date())
    if not first <= value < last + 1:  # also false for NaN
        return None
    return from_excel(value, epoch=epoch).date()


def is_number(cell: Cell | Any) -> TypeGuard[int | float]:
    """A number cell of a workbook (a bool is not one)."""
    return isinstance(cell, (int, float)) and not isinstance(cell, bool)


def _looks_like_serial(value: str) -> bool:
    """A bare number that would be a date in SERIAL_DATES as an Excel serial, in either date system."""
    if not _BARE_NUMBER.match(value):
        return False
    spans = [_serial_span(day_zero) for day_zero in EXCEL_DAY_ZERO]
    return min(first for first, _ in spans) <= float(value) < max(last for _, last in spans) + 1


def parse_date(cell: Cell, *, epoch: datetime.datetime | None = None) -> datetime.date | None:
    """A date from a date cell or text; from a number cell of a workbook (`epoch` is its date system, None for a
    CSV) as an Excel serial date."""
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if epoch is not None and is_number(cell):
        on = serial_date(cell, epoch)
        if on is not None:
            return on
        # Else perhaps 20260302 typed into a "General" column: read below as the text it shows.
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
    if epoch is not None and is_number(cell):
        first, last = SERIAL_DATES
        raise CellError(
            _("“%(value)s” is a number, not a date: as an Excel date number it would fall outside %(first)s to "
              "%(last)s. Type the date as 2026-03-02, or format the column as a date.")
            % {"value": value[:40], "first": first.isoformat(), "last": last.isoformat()}
        )  # fmt: skip
    if _looks_like_serial(value):
        # A CSV (or a workbook's text cell) does not say which date system the number was counted in: no guess.
        raise CellError(
            _("“%(value)s” looks like an Excel date number, which this file does not say how to read: format the "
              "column as a date in Excel (Format Cells → Date) and save again, or type the date as 2026-03-02.")
            % {"value": value[:40]}
        )  # fmt: skip
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


#: The vocabulary of each column read as a code, to show the code's label.
LABELLED = {"status": EnrollmentStatus, "gender": Gender, "completion_route": CompletionRoute}


def shown(key: str, value: Any) -> str:
    """A value as the preview shows it: dates as 2026-03-02, codes by their label in the active language, nothing
    as ''."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if key in LABELLED:
        return str(LABELLED[key](value).label)
    return str(value)


#: Read by parse_date, with the workbook's date system.
DATE_COLUMNS = frozenset({"birth_date", "admission_date", "expected_completion", "status_date"})

PARSERS = {
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


def parse_row(
    number: int, cells: list[Cell], positions: dict[str, int], *, epoch: datetime.datetime | None = None
) -> ParsedRow:
    """Read the cells of the known columns (`positions`: column key -> cell index); `epoch` is a workbook's date
    system (Table.epoch), for its number cells in date columns."""
    row = ParsedRow(number)
    for key, index in positions.items():
        cell = cells[index] if index < len(cells) else None
        try:
            if key in DATE_COLUMNS:
                row.values[key] = parse_date(cell, epoch=epoch)
            else:
                row.values[key] = PARSERS.get(key, text_of)(cell)
        except CellError as exc:
            row.problems.append((key, str(exc)))
    if "nationality" in row.values and not row.values["nationality"]:
        row.values["nationality"] = "KR"  # the model's default, as a form would give it
    return row
