"""What a roster upload's record says came of it: a file refused as a whole is labelled by its reason (never "cannot
read the file" whatever happened), a checked file with a bad row is not listed as checked like a clean one, and
each row's outcome (created, updated with the fields it changes, error) is kept without any value of the file."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from talent.common.errors import InvalidInput
from talent.registry.models import ImportBatch, ImportBatchStatus, RosterRefusal
from talent.roster.results import Outcome, batch_outcome
from tests.roster.conftest import HEADERS, ROWS, csv_bytes
from tests.web.conftest import client_for

__all__ = ["client_for"]  # the pages' signed-in test client, as a fixture here too

REFUSED_FILES = {
    RosterRefusal.EMPTY: b"   \r\n",
    RosterRefusal.FORMAT: b"\xd0\xcf\x11\xe0" + b"\0" * 100,  # the old binary .xls
    RosterRefusal.ENCODING: "학번,이름\r\n".encode() + b"\xff\xfe\xfd\x80\x80",
    RosterRefusal.NO_HEADER: csv_bytes(headers=["번호", *HEADERS[1:]]),
    RosterRefusal.DUPLICATE_COLUMN: csv_bytes(headers=[*HEADERS[:-1], "학번"]),
    RosterRefusal.RESIDENT_REGISTRATION_NUMBER: csv_bytes([[*ROWS[0][:-1], "900101-1234568"]]),
    RosterRefusal.TOO_MANY_ROWS: csv_bytes(ROWS * 2),
    RosterRefusal.TOO_LARGE: csv_bytes() + b" " * 5_000,
}


@pytest.fixture
def small_limits(settings):
    settings.ROSTER_MAX_ROWS = 4
    settings.ROSTER_MAX_BYTES = 4_000


@pytest.mark.parametrize("reason", list(REFUSED_FILES), ids=str)
def test_a_refused_file_is_recorded_with_its_reason(reason, small_limits, ms_programme, university_staff, import_as):
    with pytest.raises(InvalidInput) as refused:
        import_as(university_staff, REFUSED_FILES[reason], dry_run=True)

    batch = ImportBatch.objects.get()
    assert refused.value.code == reason
    assert (batch.status, batch.refusal, batch.outcomes) == (ImportBatchStatus.REJECTED, reason, [])
    with translation.override("ko"):
        assert batch_outcome(batch) == (Outcome.REFUSED, f"거부됨: {RosterRefusal(reason).label}")


def test_every_refusal_reason_has_a_label_of_its_own_in_korean_and_english():
    for language in ("ko", "en"):
        with translation.override(language):
            labels = [str(label) for label in RosterRefusal.labels]
            assert len(set(labels)) == len(labels)
    with translation.override("ko"):
        assert "파일을 읽을 수 없음" not in " ".join(str(label) for label in RosterRefusal.labels)


@pytest.mark.parametrize(
    ("rows", "outcome", "label"),
    [
        (ROWS, Outcome.CHECKED, "점검함: 오류 없음"),
        ([ROWS[0], [*ROWS[1][:5], "2000-02-30", *ROWS[1][6:]]], Outcome.ROW_ERRORS, "점검함: 오류 1행"),
    ],
    ids=["clean", "a bad row"],
)
def test_a_checked_file_with_a_bad_row_is_not_listed_as_checked_like_a_clean_one(
    rows, outcome, label, ms_programme, university_staff, import_as, client_for
):
    import_as(university_staff, csv_bytes(rows), dry_run=True)

    batch = ImportBatch.objects.get()
    page = client_for(university_staff).get(reverse("web:university-roster-import")).content.decode()
    with translation.override("ko"):
        assert batch_outcome(batch) == (outcome, label)
    assert f'<tr data-outcome="{outcome}">' in page and f"<td>{label}</td>" in page


def test_a_real_import_with_a_bad_row_says_it_was_not_imported(ms_programme, university_staff, import_as):
    import_as(university_staff, csv_bytes([ROWS[0], [*ROWS[1][:5], "2000-02-30", *ROWS[1][6:]]]))

    with translation.override("en"):
        assert batch_outcome(ImportBatch.objects.get()) == (Outcome.ROW_ERRORS, "Not imported: 1 row with errors")


def test_each_rows_outcome_is_kept_without_the_files_values(ms_programme, university_staff, import_as, client_for):
    import_as(university_staff, csv_bytes())
    changed = [[*ROWS[0][:7], "new@hanbit.ac.kr", *ROWS[0][8:]], ROWS[1], [*ROWS[2][:-1], "재학"]]
    import_as(university_staff, csv_bytes(changed), dry_run=True)

    first, second = ImportBatch.objects.order_by("id")
    assert first.outcomes == [{"row": n, "action": "created", "changes": []} for n in (2, 3, 4)]
    assert second.outcomes == [
        {"row": 2, "action": "updated", "changes": ["email"]},
        {"row": 4, "action": "updated", "changes": ["status"]},
    ]
    assert "new@hanbit.ac.kr" not in str(second.outcomes)
    page = client_for(university_staff).get(reverse("web:university-roster-batch", kwargs={"pk": second.pk}))
    body = page.content.decode()
    assert '<tr data-row="2" data-action="updated">' in body and "<td>이메일</td>" in body
    assert "그 밖의 1행은 변경이 없었습니다." in body
    assert "new@hanbit.ac.kr" not in body


def test_the_refused_files_page_says_why_and_that_no_row_was_read(
    small_limits, ms_programme, university_staff, import_as, client_for
):
    with pytest.raises(InvalidInput):
        import_as(university_staff, REFUSED_FILES[RosterRefusal.RESIDENT_REGISTRATION_NUMBER], dry_run=True)
    batch = ImportBatch.objects.get()

    body = client_for(university_staff).get(reverse("web:university-roster-batch", kwargs={"pk": batch.pk}))
    text = body.content.decode()

    assert 'data-outcome="refused">거부됨: 주민등록번호가 들어 있음</dd>' in text
    assert 'data-testid="batch-no-outcomes">파일 전체가 거부되어 읽은 행이 없습니다.' in text
    assert "900101" not in text


def test_the_api_lists_the_reason_and_the_row_outcomes(ms_programme, university_staff, import_as, client_for):
    import_as(university_staff, csv_bytes(), dry_run=True)

    listed = client_for(university_staff).get("/api/v1/import-batches/").json()["results"]

    assert listed[0]["refusal"] == "" and [row["action"] for row in listed[0]["outcomes"]] == ["created"] * 3


def test_a_file_refused_before_reasons_were_kept_is_labelled_as_refused_whole(university):
    batch = ImportBatch(university=university, status=ImportBatchStatus.REJECTED, refusal="")

    with translation.override("ko"):
        assert batch_outcome(batch) == (Outcome.REFUSED, "거부됨: 파일 전체")


def test_the_apis_template_offers_the_universitys_programmes(ms_programme, university_staff, client_for):
    response = client_for(university_staff).get("/api/v1/enrollments/import/template/", {"file_format": "xlsx"})

    allowed = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[1]
    assert [cell.value for cell in allowed["A"]][:2] == ["과정", "AX 융합 석사"]
