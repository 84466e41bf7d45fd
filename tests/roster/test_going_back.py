"""A roster row that states an earlier status than the one recorded (issue 15): 재학 while a mistaken 수료 is recorded
after it, or while a 휴학 is scheduled ahead. The preview proposes voiding (cancelling) the later changes, and the
import does so through the one void service, only when the row gives the reason (정정사유): a stale file reads the
same and must not undo what was recorded since."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from talent.registry import services
from talent.registry.models import EnrollmentEventVoid
from talent.roster import services as roster
from tests.roster.conftest import ADMITTED, csv_bytes, steps

HEADERS = ["학번", "성", "이름", "과정", "입학일", "학적상태", "상태변경일", "정정사유"]
COMPLETED = datetime.date(2026, 2, 27)
REASON = "수료 처리 오류: 졸업 학점 미달"


def row(status: str, on: str = "2024-03-04", reason: str = "") -> list[str]:
    return ["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", status, on, reason]


@pytest.fixture
def completed(enrolled, university_staff):
    """The same student, recorded (by mistake) as having completed coursework on 2026-02-27."""
    services.enrollment_transition(
        actor=university_staff,
        enrollment=enrolled,
        status="coursework_complete",
        effective_date=COMPLETED,
        reason="학위 과정 수료",
    )
    return enrolled


# --- (b) a mistaken 수료 voided ----------------------------------------------------------------------------------


def test_a_mistaken_coursework_completion_is_proposed_for_voiding_and_voided_on_confirm(
    completed, university_staff, import_as
):
    content = csv_bytes([row("재학", reason=REASON)], headers=HEADERS)

    with translation.override("en"):
        preview = import_as(university_staff, content, dry_run=True)
    (proposed,) = preview.rows
    assert (proposed.action, proposed.changes) == ("updated", ["status"])
    assert proposed.differences == [
        {"field": "status", "old": "Coursework complete (2026-02-27)", "new": "Enrolled (2024-03-04)"}
    ]
    assert [(n.column, n.message) for n in proposed.notices] == [
        ("학적상태", f"Correction (reason: “{REASON}”): void the change to Coursework complete of 2026-02-27.")
    ]
    assert not EnrollmentEventVoid.objects.exists()  # a preview stores nothing

    result = import_as(university_staff, content)

    assert result.applied
    void = EnrollmentEventVoid.objects.get()
    assert (void.event.status, void.event.effective_date) == ("coursework_complete", COMPLETED)
    assert (void.reason, void.actor) == (REASON, university_staff)
    assert steps(completed) == [("admitted", ADMITTED), ("enrolled", ADMITTED)]
    completed.refresh_from_db()
    assert (completed.status, completed.status_since) == ("enrolled", ADMITTED)


def test_the_same_file_imported_again_changes_nothing_and_voids_nothing_twice(completed, university_staff, import_as):
    content = csv_bytes([row("재학", reason=REASON)], headers=HEADERS)
    assert import_as(university_staff, content).applied

    again = import_as(university_staff, content)

    assert again.applied and [r.action for r in again.rows] == ["unchanged"]
    assert EnrollmentEventVoid.objects.count() == 1
    assert steps(completed) == [("admitted", ADMITTED), ("enrolled", ADMITTED)]


def test_a_change_already_voided_elsewhere_is_not_voided_again_by_the_file(completed, university_staff, import_as):
    mistaken = completed.events.get(status="coursework_complete")
    services.enrollment_event_void(actor=university_staff, event=mistaken, reason="페이지에서 정정")

    result = import_as(university_staff, csv_bytes([row("재학", reason=REASON)], headers=HEADERS))

    assert result.applied and [r.action for r in result.rows] == ["unchanged"]
    assert list(EnrollmentEventVoid.objects.values_list("reason", flat=True)) == ["페이지에서 정정"]


def test_a_stale_export_without_a_reason_is_refused_saying_what_it_would_void(
    enrolled, university, university_staff, import_as
):
    stale = roster.roster_export(actor=university_staff, university=university, fmt="csv")  # before the 수료
    services.enrollment_transition(
        actor=university_staff,
        enrollment=enrolled,
        status="coursework_complete",
        effective_date=COMPLETED,
        reason="수료",
    )

    with translation.override("ko"):
        refused = import_as(university_staff, stale)
    with translation.override("en"):
        preview = import_as(university_staff, stale, dry_run=True)

    assert not refused.applied and [r.action for r in refused.rows] == ["error"]
    ((column, message),) = [(m.column, m.message) for m in refused.rows[0].messages]
    assert column == "정정사유"
    assert "2026-02-27자 수료 변동 무효 처리" in message and "정정사유 열에 사유를 적어" in message
    assert "기록된 대로 학적상태를 적으세요: 수료 (2026-02-27)" in message
    (english,) = preview.rows[0].messages
    assert "would void the change to Coursework complete of 2026-02-27" in english.message
    assert "give the reason in the correction reason column (정정사유)" in english.message
    assert not EnrollmentEventVoid.objects.exists()
    assert steps(enrolled)[-1] == ("coursework_complete", COMPLETED)


def test_a_graduation_and_the_completion_before_it_are_voided_latest_first(completed, university_staff, import_as):
    services.enrollment_transition(
        actor=university_staff,
        enrollment=completed,
        status="graduated",
        effective_date=datetime.date(2026, 8, 31),
        reason="학위수여",
    )

    result = import_as(university_staff, csv_bytes([row("재학", "", REASON)], headers=HEADERS))

    assert result.applied
    voided = EnrollmentEventVoid.objects.order_by("recorded_at", "pk").values_list("event__status", flat=True)
    assert list(voided) == ["graduated", "coursework_complete"]
    completed.refresh_from_db()
    assert completed.status == "enrolled"


def test_going_back_and_a_further_row_record_the_completion_on_its_right_date(completed, university_staff, import_as):
    rows = [row("재학", reason=REASON), ["2024-0101", "", "", "", "", "수료", "2026-08-31", ""]]

    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert result.applied and [r.action for r in result.rows] == ["updated", "updated"]
    assert steps(completed) == [
        ("admitted", ADMITTED),
        ("enrolled", ADMITTED),
        ("coursework_complete", datetime.date(2026, 8, 31)),
    ]


# --- (a) a scheduled 휴학 cancelled ------------------------------------------------------------------------------


@pytest.fixture
def leave_ahead(enrolled, university_staff, clock):
    """In December 2026, a leave approved for the spring term of 2027."""
    clock.move_to(datetime.date(2026, 12, 10))
    services.enrollment_transition(
        actor=university_staff, enrollment=enrolled, status="on_leave", effective_date=datetime.date(2027, 3, 2)
    )
    return enrolled


def test_a_scheduled_leave_is_cancelled_by_a_row_with_its_reason(leave_ahead, university_staff, import_as):
    content = csv_bytes([row("재학", reason="휴학 신청 철회")], headers=HEADERS)

    with translation.override("ko"):
        preview = import_as(university_staff, content, dry_run=True)
    (proposed,) = preview.rows
    assert proposed.differences == [{"field": "status", "old": "휴학 (2027-03-02)", "new": "재학 (2024-03-04)"}]
    assert proposed.notices[0].message == "정정(사유: “휴학 신청 철회”): 2027-03-02로 예정된 휴학 변동 취소."

    result = import_as(university_staff, content)

    assert result.applied
    assert EnrollmentEventVoid.objects.get().event.status == "on_leave"
    leave_ahead.refresh_from_db()
    assert (leave_ahead.status, leave_ahead.next_change_on) == ("enrolled", None)  # nothing scheduled any more


def test_a_scheduled_leave_is_not_cancelled_without_a_reason_and_the_row_says_how(
    leave_ahead, university_staff, import_as
):
    with translation.override("en"):
        result = import_as(university_staff, csv_bytes([row("재학", "")], headers=HEADERS))

    assert result.applied and [r.action for r in result.rows] == ["unchanged"]
    assert [(n.column, n.message) for n in result.rows[0].notices] == [
        (
            "학적상태",
            "Unchanged: the change to On leave on 2027-03-02 stays scheduled. To cancel it, give the reason in the "
            "correction reason column (정정사유) and upload the file again.",
        )
    ]
    leave_ahead.refresh_from_db()
    assert leave_ahead.next_change_on == datetime.date(2027, 3, 2) and not EnrollmentEventVoid.objects.exists()


def test_an_export_with_a_leave_ahead_imports_again_as_unchanged(leave_ahead, university, university_staff, import_as):
    """An export writes the status in force today; a change still ahead is not undone by importing it again."""
    exported = roster.roster_export(actor=university_staff, university=university, fmt="csv")

    result = import_as(university_staff, exported)

    assert result.applied and [r.action for r in result.rows] == ["unchanged"]
    assert steps(leave_ahead)[-1] == ("on_leave", datetime.date(2027, 3, 2))
    assert not EnrollmentEventVoid.objects.exists()


def test_back_from_a_leave_that_took_effect_is_a_new_change_not_a_void(enrolled, university_staff, import_as):
    services.enrollment_transition(
        actor=university_staff, enrollment=enrolled, status="on_leave", effective_date=datetime.date(2025, 3, 4)
    )

    result = import_as(university_staff, csv_bytes([row("재학", "2025-09-01")], headers=HEADERS))

    assert result.applied and not EnrollmentEventVoid.objects.exists()
    assert steps(enrolled)[-1] == ("enrolled", datetime.date(2025, 9, 1))


# --- Refused: nothing is written ---------------------------------------------------------------------------------


def test_a_fast_track_is_not_voided_by_going_back(enrolled, phd_programme, university_staff, import_as):
    services.enrollment_fast_track(
        actor=university_staff,
        enrollment=enrolled,
        doctoral_programme=phd_programme,
        student_number="2026-9001",
        effective_date=datetime.date(2026, 3, 2),
        reason="석박사 연계 과정 진입",
    )

    with translation.override("en"):
        result = import_as(university_staff, csv_bytes([row("재학", reason=REASON)], headers=HEADERS))

    assert not result.applied
    ((column, message),) = [(m.column, m.message) for m in result.rows[0].messages]
    assert column == "학적상태" and "fast track to a doctorate cannot be voided" in message
    assert not EnrollmentEventVoid.objects.exists()


def test_going_back_to_another_date_than_recorded_is_refused_beside_the_date(completed, university_staff, import_as):
    with translation.override("en"):
        result = import_as(university_staff, csv_bytes([row("재학", "2024-03-05", REASON)], headers=HEADERS))

    assert not result.applied
    ((column, message),) = [(m.column, m.message) for m in result.rows[0].messages]
    assert column == "상태변경일" and "give the recorded date (2024-03-04)" in message
    assert not EnrollmentEventVoid.objects.exists()


def test_a_reason_too_long_is_refused_beside_its_column(completed, university_staff, import_as):
    result = import_as(university_staff, csv_bytes([row("재학", reason="사유" * 600)], headers=HEADERS))

    assert not result.applied and [m.column for m in result.rows[0].messages] == ["정정사유"]
    assert not EnrollmentEventVoid.objects.exists()


def test_a_void_is_not_kept_when_another_row_of_the_file_has_an_error(completed, university_staff, import_as):
    rows = [row("재학", reason=REASON), ["2024-0999", "한", "별", "없는 과정", "2024-03-04", "재학", "", ""]]

    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert not result.applied and [r.action for r in result.rows] == ["updated", "error"]
    assert not EnrollmentEventVoid.objects.exists()
    assert steps(completed)[-1] == ("coursework_complete", COMPLETED)


def test_another_universitys_file_never_reaches_this_enrollment(
    completed, other_university, other_university_staff, import_as
):
    result = import_as(
        other_university_staff, csv_bytes([row("재학", reason=REASON)], headers=HEADERS), target=other_university
    )

    assert not result.applied  # a new student there, in a programme that university does not have
    assert not EnrollmentEventVoid.objects.exists()
    assert steps(completed)[-1] == ("coursework_complete", COMPLETED)


# --- The column in the template and the export -------------------------------------------------------------------


def test_the_template_and_the_export_carry_the_correction_reason_column(completed, university, university_staff):
    template = roster.roster_template("csv").decode("utf-8-sig").splitlines()
    assert template[0].endswith(",정정사유") and template[1].endswith(",Correction reason")
    assert template[2].endswith(",")  # the example row needs no correction
    exported = roster.roster_export(actor=university_staff, university=university, fmt="csv").decode("utf-8-sig")
    assert exported.splitlines()[0].endswith(",정정사유")
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(roster.roster_template("xlsx")))
    header = next(cell for cell in workbook.worksheets[0][1] if cell.value == "정정사유")
    assert header.comment is not None and "Only to void a status change" in header.comment.text
