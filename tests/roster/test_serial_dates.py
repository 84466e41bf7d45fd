"""Dates in a column an office formatted "General" (일반): in a workbook the cell holds the Excel serial number
(46083 is 2026-03-02), read in the workbook's own date system (1900 or 1904); in a CSV a bare number is not
guessed at, and the message says how to fix it."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest
from django.utils import translation
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.worksheet import Worksheet

from talent.common.errors import InvalidInput
from talent.registry.models import Enrollment, EnrollmentEvent
from talent.roster import services as roster
from talent.roster.services import RowAction
from tests.roster.conftest import csv_bytes

D = datetime.date
HEADERS = ["학번", "성", "이름", "생년월일", "과정", "입학일", "학적상태", "상태변경일"]
#: The same day in the two date systems: 2026-03-02.
MARCH_2_2026_IN_1900 = 46083
MARCH_2_2026_IN_1904 = 44621
DAY_ZERO_1900, DAY_ZERO_1904 = D(1899, 12, 30), D(1904, 1, 1)


def _serial(day: datetime.date, *, day_zero: datetime.date = DAY_ZERO_1900) -> int:
    return (day - day_zero).days


def _workbook(rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS, mac_1904: bool = False) -> bytes:
    """A workbook whose date columns are formatted "General": every date is a plain number cell."""
    workbook = openpyxl.Workbook()
    if mac_1904:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.number_format == "General"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(number: str, *, birth: Any, admission: Any, status: str = "재학", since: Any = None) -> list[Any]:
    return [number, "김", "서연", birth, "AX 융합 석사", admission, status, since]


def _only_messages(result: roster.ImportResult) -> list[tuple[int | None, str | None, str]]:
    return [(m.row, m.column, m.message) for m in result.problems]


def test_general_format_serials_in_every_date_column_are_the_dates_excel_shows(
    import_as, university_staff, ms_programme
):
    rows = [
        _row("2026-1001", birth=_serial(D(2001, 4, 12)), admission=MARCH_2_2026_IN_1900),
        _row(
            "2026-1002",
            birth=float(_serial(D(2000, 11, 3))),  # Excel stores every number as a float
            admission=MARCH_2_2026_IN_1900,
            status="휴학",
            since=_serial(D(2026, 9, 1)),
        ),
    ]

    result = import_as(university_staff, _workbook(rows), filename="명단.xlsx")

    assert result.applied, _only_messages(result)
    first, second = Enrollment.objects.select_related("person").order_by("student_number")
    assert (first.person.birth_date, first.admission_date) == (D(2001, 4, 12), D(2026, 3, 2))
    assert (second.person.birth_date, second.admission_date) == (D(2000, 11, 3), D(2026, 3, 2))
    assert (second.status, second.status_since) == ("on_leave", D(2026, 9, 1))
    assert EnrollmentEvent.objects.filter(enrollment=second, status="on_leave").get().effective_date == D(2026, 9, 1)


def test_a_workbook_in_the_1904_date_system_is_read_in_it(import_as, university_staff, ms_programme):
    rows = [_row("2026-1001", birth=_serial(D(2001, 4, 12), day_zero=DAY_ZERO_1904), admission=MARCH_2_2026_IN_1904)]

    result = import_as(university_staff, _workbook(rows, mac_1904=True), filename="명단.xlsx")

    assert result.applied, _only_messages(result)
    enrollment = Enrollment.objects.select_related("person").get()
    assert enrollment.admission_date == D(2026, 3, 2)  # not 2022-03-01, as the 1900 system would read it
    assert enrollment.person.birth_date == D(2001, 4, 12)


def test_a_date_typed_as_20260302_into_a_general_column_is_still_read(import_as, university_staff, ms_programme):
    rows = [_row("2026-1001", birth=20010412, admission=20260302)]

    result = import_as(university_staff, _workbook(rows), filename="명단.xlsx")

    assert result.applied, _only_messages(result)
    enrollment = Enrollment.objects.select_related("person").get()
    assert (enrollment.person.birth_date, enrollment.admission_date) == (D(2001, 4, 12), D(2026, 3, 2))


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(2001, id="a year typed alone (1905 as a serial)"),
        pytest.param(_serial(D(1919, 12, 31)), id="the day before the range"),
        pytest.param(_serial(D(2100, 1, 1)), id="the day after the range"),
        pytest.param(-3, id="negative"),
    ],
)
def test_a_number_outside_the_plausible_range_is_refused_on_its_row_and_column(
    number, import_as, university_staff, ms_programme
):
    rows = [_row("2026-1001", birth=_serial(D(2001, 4, 12)), admission=MARCH_2_2026_IN_1900),
            _row("2026-1002", birth=number, admission=MARCH_2_2026_IN_1900)]  # fmt: skip

    with translation.override("en"):
        result = import_as(university_staff, _workbook(rows), filename="명단.xlsx")

    assert not result.applied
    assert [(row.row, row.action) for row in result.rows] == [(2, RowAction.CREATED), (3, RowAction.ERROR)]
    ((row, column, message),) = _only_messages(result)
    assert (row, column) == (3, "생년월일")
    assert f"“{number}” is a number, not a date" in message
    assert "1920-01-01" in message and "2099-12-31" in message and "2026-03-02" in message
    assert not Enrollment.objects.exists()


def test_text_or_a_boolean_in_a_date_column_of_a_workbook_keeps_its_message(import_as, university_staff, ms_programme):
    rows = [_row("2026-1001", birth="3월 초", admission=True)]

    with translation.override("en"):
        result = import_as(university_staff, _workbook(rows), filename="명단.xlsx", dry_run=True)

    assert [(row, column) for row, column, _ in _only_messages(result)] == [(2, "생년월일"), (2, "입학일")]
    assert all("is not a date: write it as 2026-03-02" in message for *_, message in _only_messages(result))


def test_a_workbook_of_serials_exports_and_imports_back_to_no_change(
    import_as, university_staff, university, ms_programme
):
    rows = [_row("2026-1001", birth=_serial(D(2001, 4, 12)), admission=MARCH_2_2026_IN_1900)]
    assert import_as(university_staff, _workbook(rows), filename="명단.xlsx").applied
    exported = roster.roster_export(actor=university_staff, university=university, fmt="xlsx")

    again = import_as(university_staff, exported, filename="명단.xlsx")

    assert again.totals() == {"rows": 1, "created": 0, "updated": 0, "unchanged": 1, "errors": 0}


def test_a_resident_registration_number_beside_serial_dates_still_refuses_the_file(
    import_as, university_staff, ms_programme
):
    rrn = "010412-4123456"  # made up, shaped as a 주민등록번호
    rows = [[*_row("2026-1001", birth=_serial(D(2001, 4, 12)), admission=MARCH_2_2026_IN_1900), rrn]]

    with pytest.raises(InvalidInput, match="주민등록번호") as refused:
        import_as(university_staff, _workbook(rows, headers=[*HEADERS, "비고"]), filename="명단.xlsx")

    assert rrn not in str(refused.value) and rrn.replace("-", "") not in str(refused.value)
    assert not Enrollment.objects.exists()


# --- CSV: a bare number is not guessed at ----------------------------------------------------------------


def _csv_with_a_serial_admission() -> bytes:
    return csv_bytes([["2026-1001", "김", "서연", "2001-04-12", "AX 융합 석사", "46083", "재학", ""]], headers=HEADERS)


def test_a_serial_number_in_a_csv_is_refused_with_how_to_fix_it(import_as, university_staff, ms_programme):
    with translation.override("en"):
        result = import_as(university_staff, _csv_with_a_serial_admission())

    assert not result.applied and not Enrollment.objects.exists()
    ((row, column, message),) = _only_messages(result)
    assert (row, column) == (2, "입학일")
    assert "“46083” looks like an Excel date number" in message
    assert "format the column as a date" in message and "type the date as 2026-03-02" in message


def test_the_csv_hint_is_in_korean_by_default(import_as, university_staff, ms_programme):
    with translation.override("ko"):
        result = import_as(university_staff, _csv_with_a_serial_admission(), dry_run=True)

    ((row, column, message),) = _only_messages(result)
    assert (row, column) == (2, "입학일")
    assert "“46083”" in message and "엑셀 날짜 일련번호" in message
    assert "서식을 날짜로" in message and "2026-03-02" in message


def test_a_number_no_excel_date_could_be_keeps_the_plain_message_in_a_csv(import_as, university_staff, ms_programme):
    cells = ["2026-1001", "김", "서연", "2001", "AX 융합 석사", "2026-03-02", "재학", ""]
    content = csv_bytes([cells], headers=HEADERS)

    with translation.override("en"):
        result = import_as(university_staff, content, dry_run=True)

    ((row, column, message),) = _only_messages(result)
    assert (row, column) == (2, "생년월일")
    assert "is not a date: write it as 2026-03-02" in message and "Excel" not in message
