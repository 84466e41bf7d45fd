"""Roster files as university offices make them, built here in every encoding and format the import reads."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from talent.registry import services
from talent.registry.models import Enrollment, EnrollmentEvent
from talent.roster import services as roster
from tests import factories

HEADERS = ["학번", " 성 ", "이름", "영문 성", "영문 이름", "생년월일", "성별", "이메일", "과정", "입학일", "학적상태"]

#: Three students of 한빛대학교's AX convergence master's, as the office's spreadsheet has them.
ROWS: list[list[Any]] = [
    ["2026-1001", "김", "서연", "Kim", "Seoyeon", "2001-04-12", "여", "seoyeon@hanbit.ac.kr", "AX 융합 석사",
     "2026-03-02", "재학"],
    ["2026-1002", "이", "도윤", "Lee", "Doyun", "2000.11.03", "남", "doyun@hanbit.ac.kr", "AX 융합 석사",
     "2026.03.02", "재학"],
    ["2026-1003", "박", "하은", "Park", "Haeun", "19990707", "여", "", "AX 융합 석사", "2026/3/2", "입학"],
]  # fmt: skip


def csv_bytes(
    rows: Sequence[Sequence[Any]] = ROWS,
    *,
    headers: Sequence[str] = HEADERS,
    encoding: str = "utf-8",
    trailing_empty_rows: int = 0,
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    for _ in range(trailing_empty_rows):
        writer.writerow([""] * len(headers))
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]] = ROWS, *, headers: Sequence[str] = HEADERS) -> bytes:
    """A workbook as Excel saves it: dates in date columns become real date cells."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append(list(headers))
    for row in rows:
        cells = []
        for header, value in zip(headers, row, strict=True):
            if header.strip() in ("생년월일", "입학일") and isinstance(value, str) and value[:4].isdigit():
                year, month, day = (
                    [int(part) for part in value.replace(".", "-").replace("/", "-").split("-")]
                    if ("-" in value or "." in value or "/" in value)
                    else [int(value[:4]), int(value[4:6]), int(value[6:])]
                )
                cells.append(datetime.datetime(year, month, day))
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def import_as(university):
    """import_as(actor, content, dry_run=False, filename=...) -> ImportResult, into 한빛대학교."""

    def run(actor: Any, content: bytes, *, dry_run: bool = False, filename: str = "명단.csv", target=None):
        return roster.roster_import(
            actor=actor, university=target or university, filename=filename, content=content, dry_run=dry_run
        )

    return run


#: The admission (and enrolment) day of the student of `enrolled`.
ADMITTED = datetime.date(2024, 3, 4)


def steps(enrollment: Enrollment) -> list[tuple[str, datetime.date]]:
    """The enrollment's changes that stand, in order: (status, effective date)."""
    events = EnrollmentEvent.objects.filter(enrollment=enrollment, void__isnull=True).order_by("sequence")
    return [(event.status, event.effective_date) for event in events]


@pytest.fixture
def enrolled(ms_programme, university_staff):
    """A master's student of 한빛대학교 enrolled since March 2024 (student number 2024-0101)."""
    enrollment = services.enrollment_admit(
        actor=university_staff,
        person=factories.PersonFactory(family_name_ko="정", given_name_ko="우진"),
        programme=ms_programme,
        student_number="2024-0101",
        admission_date=ADMITTED,
    )
    services.enrollment_transition(
        actor=university_staff, enrollment=enrollment, status="enrolled", effective_date=ADMITTED
    )
    return enrollment
