"""The files as Korean offices produce them: every encoding and format, loose headers, dates in every form,
formulas as data, empty trailing rows, extra columns reported."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from talent.registry.models import Enrollment, Person
from talent.roster.services import RowAction
from tests.roster.conftest import HEADERS, ROWS, csv_bytes, xlsx_bytes

D = datetime.date


def _students() -> dict[str, Enrollment]:
    return {e.student_number: e for e in Enrollment.objects.select_related("person")}


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(csv_bytes(), id="utf-8"),
        pytest.param(csv_bytes(encoding="utf-8-sig"), id="utf-8 with BOM"),
        pytest.param(csv_bytes(encoding="cp949"), id="cp949"),
        pytest.param(csv_bytes(encoding="euc-kr"), id="euc-kr"),
        pytest.param(csv_bytes(encoding="utf-16"), id="utf-16"),
        pytest.param(xlsx_bytes(), id="xlsx with date cells"),
    ],
)
def test_every_encoding_and_format_imports_the_same_korean_roster(content, import_as, university_staff, ms_programme):
    result = import_as(university_staff, content)

    assert result.applied, result.problems
    students = _students()
    assert sorted(students) == ["2026-1001", "2026-1002", "2026-1003"]
    seoyeon = students["2026-1001"]
    assert (seoyeon.person.family_name_ko, seoyeon.person.given_name_ko) == ("김", "서연")
    assert seoyeon.person.birth_date == D(2001, 4, 12)
    assert seoyeon.person.gender == "female"
    assert seoyeon.admission_date == D(2026, 3, 2)
    assert seoyeon.status == "enrolled"
    assert students["2026-1002"].person.birth_date == D(2000, 11, 3)
    assert students["2026-1003"].status == "admitted"
    assert students["2026-1003"].person.birth_date == D(1999, 7, 7)


def test_the_encoding_is_detected_and_recorded(import_as, university_staff, ms_programme):
    from talent.registry.models import ImportBatch

    import_as(university_staff, csv_bytes(encoding="cp949"), dry_run=True)

    batch = ImportBatch.objects.get()
    assert (batch.file_format, batch.encoding) == ("csv", "cp949")


def test_headers_with_stray_spaces_in_any_order_and_english_aliases(import_as, university_staff, ms_programme):
    headers = ["  Student number ", "Programme", "Admission date", "given name (Korean)", "family_name_ko", " 비고 "]
    rows = [["2026-2001", "AX 융합 석사", "2026-03-02", "민서", "정", "장학생"]]

    result = import_as(university_staff, csv_bytes(rows, headers=headers))

    assert result.applied, result.problems
    person = Person.objects.get()
    assert (person.family_name_ko, person.given_name_ko) == ("정", "민서")
    assert [(n.row, n.column) for n in result.notices] == [(1, "비고")]  # the extra column is reported


def test_dates_in_every_form_korean_offices_write(import_as, university_staff, ms_programme):
    headers = ["학번", "성", "이름", "과정", "입학일", "생년월일"]
    forms = ["2026-03-02", "2026.03.02", "2026/3/2", "20260302", "2026. 3. 2.", "2026년 3월 2일"]
    rows = [[f"2026-30{i}", "최", f"지우{i}", "AX 융합 석사", form, "2000-01-01"] for i, form in enumerate(forms)]

    result = import_as(university_staff, csv_bytes(rows, headers=headers))

    assert result.applied, result.problems
    assert set(Enrollment.objects.values_list("admission_date", flat=True)) == {D(2026, 3, 2)}


def test_a_date_that_is_not_one_is_reported_on_its_row_and_column(import_as, university_staff, ms_programme):
    rows = [[*ROWS[0][:9], "3월 초", "재학"]]

    result = import_as(university_staff, csv_bytes(rows), dry_run=True)

    (outcome,) = result.rows
    assert outcome.action == RowAction.ERROR
    assert [(m.row, m.column) for m in outcome.messages] == [(2, "입학일")]
    assert "2026-03-02" in outcome.messages[0].message


def test_empty_trailing_rows_are_ignored(import_as, university_staff, ms_programme):
    result = import_as(university_staff, csv_bytes(trailing_empty_rows=20), dry_run=True)

    assert result.totals() == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "errors": 0}


def test_a_formula_cell_is_data_never_evaluated(import_as, university_staff, ms_programme):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append(HEADERS)
    sheet.append([*ROWS[0][:2], '=CONCATENATE("서","연")', *ROWS[0][3:9], datetime.datetime(2026, 3, 2), "재학"])
    sheet.append([*ROWS[1][:5], "=DATE(2000,11,3)", *ROWS[1][6:]])
    out = io.BytesIO()
    workbook.save(out)

    result = import_as(university_staff, out.getvalue(), dry_run=True)

    first, second = result.rows
    assert first.action == RowAction.CREATED  # the name is the formula's text, stored as text
    assert second.action == RowAction.ERROR  # a formula is not a date: it is not computed
    assert [m.column for m in second.messages] == ["생년월일"]
    assert "=DATE(2000,11,3)" in second.messages[0].message


def test_a_title_row_above_the_headers_and_the_english_alias_row_are_skipped(import_as, university_staff, ms_programme):
    english = ["Student number", "Family name (Korean)", "Given name (Korean)", "Family name", "Given name",
               "Birth date", "Gender", "Email", "Programme", "Admission date", "Status"]  # fmt: skip
    content = csv_bytes([HEADERS, english, *ROWS], headers=["2026학년도 AX 융합 석사 재학생 명단"])

    result = import_as(university_staff, content, dry_run=True)

    assert [r.row for r in result.rows] == [4, 5, 6]  # the rows as Excel numbers them
    assert result.created == 3


def test_an_old_xls_file_is_refused_with_advice(import_as, university_staff, ms_programme):
    from talent.common.errors import InvalidInput

    with pytest.raises(InvalidInput, match=r"\.xlsx"):
        import_as(university_staff, b"\xd0\xcf\x11\xe0" + b"\0" * 100)


def test_text_in_no_known_encoding_is_refused(import_as, university_staff, ms_programme):
    from talent.common.errors import InvalidInput

    with pytest.raises(InvalidInput, match="CP949"):
        import_as(university_staff, "학번,성\n".encode("cp949") + b"\xff\xfe\xff\x80\x80")
