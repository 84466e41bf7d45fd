"""A roster preview staff can check, and a template that shows how to fill it in: every row shows its values as read
and, when it changes a student, old → new per field; the template carries an example row (never imported), a sheet
of allowed values and drop-downs for 과정, 학적상태, 성별 and 국적; pages, templates and exports use the same words."""

from __future__ import annotations

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from talent.registry import services
from talent.registry.models import Enrollment
from talent.registry.vocabulary import CompletionRoute, EnrollmentStatus, Gender
from talent.roster import services as roster
from talent.roster.columns import COLUMNS
from talent.roster.rows import GENDER_WORDS, ROUTE_WORDS, STATUS_WORDS
from tests import factories
from tests.roster.conftest import ROWS, csv_bytes
from tests.web.conftest import client_for

__all__ = ["client_for"]  # the pages' signed-in test client, as a fixture here too

POSITION = {column.key: index for index, column in enumerate(COLUMNS)}


# --- The preview ------------------------------------------------------------------------------------------------


def test_every_row_shows_its_values_as_read(ms_programme, university_staff, import_as):
    result = import_as(university_staff, csv_bytes(), dry_run=True)

    with translation.override("ko"):
        second = import_as(university_staff, csv_bytes(), dry_run=True).rows[1]
    assert result.rows[1].values["birth_date"] == "2000-11-03"  # read from 2000.11.03
    assert second.values == {
        "student_number": "2026-1002",
        "family_name_ko": "이",
        "given_name_ko": "도윤",
        "family_name_latin": "Lee",
        "given_name_latin": "Doyun",
        "birth_date": "2000-11-03",
        "gender": "남성",
        "email": "doyun@hanbit.ac.kr",
        "programme": "AX 융합 석사",
        "admission_date": "2026-03-02",
        "status": "재학",
    }  # the columns of the file, no other


def test_a_changed_row_shows_old_and_new_for_each_field(ms_programme, university_staff, import_as):
    import_as(university_staff, csv_bytes())
    changed = [[*ROWS[0][:7], "seoyeon.kim@hanbit.ac.kr", *ROWS[0][8:]], ROWS[1], [*ROWS[2][:-1], "재학"]]

    with translation.override("ko"):
        rows = import_as(university_staff, csv_bytes(changed), dry_run=True).rows

    assert rows[0].differences == [{"field": "email", "old": "seoyeon@hanbit.ac.kr", "new": "seoyeon.kim@hanbit.ac.kr"}]
    today = datetime.date.today().isoformat()
    assert rows[2].differences == [{"field": "status", "old": "합격 (2026-03-02)", "new": f"재학 ({today})"}]
    assert rows[1].differences == [] and rows[1].action == "unchanged"


def test_the_preview_page_shows_the_values_and_the_changes(ms_programme, university_staff, import_as, client_for):
    import_as(university_staff, csv_bytes())
    changed = [[*ROWS[0][:7], "seoyeon.kim@hanbit.ac.kr", *ROWS[0][8:]]]

    response = client_for(university_staff).post(
        reverse("web:university-roster-import"), {"file": io.BytesIO(csv_bytes(changed))}
    )

    body = response.content.decode()
    row = re.search(r'<tr class="" data-row="2" data-action="updated">(.*?)</tr>', body, re.S)
    assert row is not None
    assert '<td data-value="birth_date">2001-04-12</td>' in row.group(1)
    assert '<td data-value="status">재학</td>' in row.group(1)
    assert "<strong>이메일</strong>: seoyeon@hanbit.ac.kr → seoyeon.kim@hanbit.ac.kr" in row.group(1)


def test_the_api_returns_the_values_and_the_differences(ms_programme, university_staff, import_as, client_for):
    import_as(university_staff, csv_bytes())
    changed = [[*ROWS[0][:7], "seoyeon.kim@hanbit.ac.kr", *ROWS[0][8:]]]
    upload = io.BytesIO(csv_bytes(changed))
    upload.name = "명단.csv"

    body = client_for(university_staff).post("/api/v1/enrollments/import/", {"file": upload, "dry_run": "true"})

    row = body.json()["rows"][0]
    assert row["values"]["email"] == "seoyeon.kim@hanbit.ac.kr"
    assert row["differences"] == [{"field": "email", "old": "seoyeon@hanbit.ac.kr", "new": "seoyeon.kim@hanbit.ac.kr"}]


# --- The template -----------------------------------------------------------------------------------------------


def test_the_workbook_template_has_an_example_row_allowed_values_and_drop_downs(
    ms_programme, phd_programme, university
):
    workbook = openpyxl.load_workbook(io.BytesIO(roster.roster_template("xlsx", university=university)))
    sheet, allowed = workbook.worksheets

    example = [cell.value for cell in sheet[3]]
    assert str(example[POSITION["student_number"]]).startswith("예시")
    assert example[POSITION["programme"]] == "AX 융합 박사"  # one of the university's own
    assert example[POSITION["admission_date"]] == datetime.datetime(2026, 3, 2)
    columns = {
        cell.value: [c.value for c in column[1:] if c.value] for column in allowed.columns for cell in column[:1]
    }
    assert columns["과정"] == ["AX 융합 박사", "AX 융합 석사"]
    assert columns["학적상태"] == ["합격", "재학", "휴학", "수료", "졸업", "자퇴", "제적", "박사과정 진입(석박사 연계)"]
    assert columns["성별"] == ["남성", "여성", "기타"]
    assert "KR" in columns["국적"] and "대한민국" in columns["국가명"]
    validated = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    letters = {key: openpyxl.utils.get_column_letter(POSITION[key] + 1) for key in POSITION}
    assert validated == {
        f"{letters['programme']}3": "'허용값'!$A$2:$A$3",
        f"{letters['status']}3": "'허용값'!$B$2:$B$9",
        f"{letters['gender']}3": "'허용값'!$C$2:$C$4",
        f"{letters['nationality']}3": f"'허용값'!$D$2:$D${len(columns['국적']) + 1}",
    }


def test_without_a_university_the_template_offers_no_programmes_but_the_other_choices():
    workbook = openpyxl.load_workbook(io.BytesIO(roster.roster_template("xlsx")))
    allowed = workbook.worksheets[1]

    assert [cell.value for cell in allowed[1]] == ["학적상태", "성별", "국적", "국가명"]
    assert len(workbook.worksheets[0].data_validations.dataValidation) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_templates_example_row_is_never_imported(fmt, ms_programme, university, university_staff, import_as):
    template = roster.roster_template(fmt, university=university)

    result = import_as(university_staff, template, filename=f"template.{fmt}")

    assert result.applied and result.rows == []
    assert [(notice.row, notice.column) for notice in result.notices] == [(3, "학번")]
    assert not Enrollment.objects.exists()


def test_a_filled_in_template_imports_its_own_rows_only(ms_programme, university, university_staff, import_as):
    lines = roster.roster_template("csv", university=university).decode("utf-8-sig").splitlines()
    example = next(csv.reader([lines[2]]))
    mine = [*example]
    mine[POSITION["student_number"]], mine[POSITION["email"]] = "2026-7001", "haneul@hanbit.ac.kr"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([next(csv.reader([line])) for line in lines] + [mine])

    result = import_as(university_staff, out.getvalue().encode("utf-8-sig"))

    assert result.applied and [row.student_number for row in result.rows] == ["2026-7001"]
    enrollment = Enrollment.objects.get()
    assert (enrollment.student_number, enrollment.status) == ("2026-7001", "enrolled")


# --- One word per status, gender and route ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "choices"), [(STATUS_WORDS, EnrollmentStatus), (GENDER_WORDS, Gender), (ROUTE_WORDS, CompletionRoute)]
)
def test_the_export_writes_the_words_the_pages_show(words, choices):
    with translation.override("ko"):
        assert {code: spellings[0] for code, spellings in words.items()} == {
            code: str(label) for code, label in choices.choices
        }


def test_an_admitted_student_is_exported_as_합격_and_reads_back_unchanged(
    ms_programme, university, university_staff, import_as
):
    services.enrollment_admit(
        actor=university_staff,
        person=factories.PersonFactory(gender="female"),
        programme=ms_programme,
        student_number="2027-0001",
        admission_date=datetime.date(2027, 3, 2),
    )

    exported = roster.roster_export(actor=university_staff, university=university, fmt="csv")

    row = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))[2]
    assert (row[POSITION["status"]], row[POSITION["gender"]]) == ("합격", "여성")
    assert import_as(university_staff, exported, dry_run=True).totals()["unchanged"] == 1
