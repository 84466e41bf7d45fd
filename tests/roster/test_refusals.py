"""Files refused as a whole, before anything is stored: resident registration numbers, size and row limits;
and who may import into which university."""

from __future__ import annotations

import pytest

from talent.common.errors import InvalidInput, NotAllowed
from talent.registry.models import Enrollment, ImportBatch, ImportBatchStatus, Person
from talent.roster import services as roster
from tests.roster.conftest import HEADERS, ROWS, csv_bytes, xlsx_bytes

#: A made-up number shaped as a 주민등록번호 (a real birth date, 13 digits).
RRN = "010412-4123456"


def _nothing_stored() -> None:
    assert Enrollment.objects.count() == Person.objects.count() == 0


def test_a_resident_registration_number_column_refuses_the_file(import_as, university_staff, ms_programme):
    content = csv_bytes([[*row, ""] for row in ROWS], headers=[*HEADERS, "주민등록번호"])

    with pytest.raises(InvalidInput, match="주민등록번호") as refused:
        import_as(university_staff, content)

    assert refused.value.code == "resident_registration_number"
    _nothing_stored()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatchStatus.REJECTED
    assert "주민등록번호" in batch.errors[0]["message"]


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_a_value_that_looks_like_one_anywhere_refuses_the_file_without_repeating_it(
    make, import_as, university_staff, ms_programme
):
    rows = [[*row, ""] for row in ROWS]
    rows[2][-1] = RRN  # in a column the roster does not even read
    content = make(rows, headers=[*HEADERS, "비고"])

    with pytest.raises(InvalidInput) as refused:
        import_as(university_staff, content, dry_run=True)

    message = str(refused.value)
    assert "4" in message and "비고" in message  # row 4, column 비고
    assert RRN not in message and RRN.replace("-", "") not in message
    _nothing_stored()
    assert RRN not in str(ImportBatch.objects.get().errors)


def test_digits_without_the_hyphen_are_caught_too(import_as, university_staff, ms_programme):
    rows = [[RRN.replace("-", ""), *ROWS[0][1:]]]

    with pytest.raises(InvalidInput, match="주민등록번호"):
        import_as(university_staff, csv_bytes(rows))
    _nothing_stored()


def test_a_number_cell_that_lost_the_leading_zeros_of_a_2000s_birth_date_is_caught(
    import_as, university_staff, ms_programme
):
    """Excel keeps 0101014234560 typed into a General cell as the number 101014234560."""
    rows = [[*row, ""] for row in ROWS]
    rows[0][-1] = 101014234560
    content = xlsx_bytes(rows, headers=[*HEADERS, "비고"])

    with pytest.raises(InvalidInput, match="주민등록번호") as refused:
        import_as(university_staff, content, dry_run=True)

    assert "101014234560" not in str(refused.value)
    _nothing_stored()


def test_a_long_number_that_is_no_registration_number_is_imported(import_as, university_staff, ms_programme):
    rows = [[*row, ""] for row in ROWS]
    rows[0][-1] = 101014234567  # a date-shaped start, but the check digit does not hold
    result = import_as(university_staff, xlsx_bytes(rows, headers=[*HEADERS, "비고"]), dry_run=True)
    assert not result.errors


def test_a_file_over_the_size_limit_is_refused(settings, import_as, university_staff, ms_programme):
    settings.ROSTER_MAX_BYTES = 100

    with pytest.raises(InvalidInput, match="100") as refused:
        import_as(university_staff, csv_bytes())

    assert refused.value.code == "roster_too_large"
    _nothing_stored()


def test_a_file_over_the_row_limit_is_refused(settings, import_as, university_staff, ms_programme):
    settings.ROSTER_MAX_ROWS = 2

    with pytest.raises(InvalidInput, match="2") as refused:
        import_as(university_staff, csv_bytes())

    assert refused.value.code == "roster_too_many_rows"
    _nothing_stored()


def test_a_file_with_no_student_number_header_is_refused(import_as, university_staff, ms_programme):
    with pytest.raises(InvalidInput, match="학번"):
        import_as(university_staff, csv_bytes(headers=["이름", "과정"], rows=[["서연", "AX 융합 석사"]]))


def test_staff_import_only_into_their_own_university(import_as, other_university_staff, university_staff, ms_programme):
    with pytest.raises(NotAllowed):
        import_as(other_university_staff, csv_bytes())
    _nothing_stored()
    assert ImportBatch.objects.count() == 0


def test_an_operator_imports_into_any_university(import_as, operator, ms_programme):
    assert import_as(operator, csv_bytes()).applied


def test_staff_export_only_their_own_universitys_roster(other_university_staff, university, company_member):
    for outsider in (other_university_staff, company_member):
        with pytest.raises(NotAllowed):
            roster.roster_export(actor=outsider, university=university, fmt="csv")
