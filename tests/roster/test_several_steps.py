"""Several legal status changes of one student in one roster upload (재학 → 수료 → 졸업, each with its date): a further
row of the same student number records the next change, checked by the same status rule as a single change, and
the whole file is stored or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from talent.registry import services
from talent.registry.models import Enrollment, EnrollmentEventVoid
from talent.roster import services as roster
from tests import factories
from tests.roster.conftest import ADMITTED, csv_bytes, steps

HEADERS = ["학번", "성", "이름", "과정", "입학일", "학적상태", "상태변경일"]


def test_a_known_student_completes_coursework_and_graduates_in_one_upload(enrolled, university_staff, import_as):
    rows = [
        ["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "수료", "2026-02-27"],
        ["2024-0101", "", "", "", "", "졸업", "2026-08-31"],
    ]

    with translation.override("en"):
        result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert result.applied and [row.action for row in result.rows] == ["updated", "updated"]
    assert result.rows[1].differences == [
        {"field": "status", "old": "Coursework complete (2026-02-27)", "new": "Graduated (2026-08-31)"}
    ]
    assert steps(enrolled) == [
        ("admitted", ADMITTED),
        ("enrolled", ADMITTED),
        ("coursework_complete", datetime.date(2026, 2, 27)),
        ("graduated", datetime.date(2026, 8, 31)),
    ]
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.status_since) == ("graduated", datetime.date(2026, 8, 31))


def test_a_new_student_is_admitted_and_taken_through_three_steps(ms_programme, university_staff, import_as):
    rows = [
        ["2024-0201", "한", "별", "AX 융합 석사", "2024-03-04", "재학", "2024-03-04"],
        ["2024-0201", "한", "별", "AX 융합 석사", "2024-03-04", "수료", "2026-02-27"],
        ["2024-0201", "", "", "", "", "졸업", "2026-08-31"],
    ]

    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert result.applied and [row.action for row in result.rows] == ["created", "updated", "updated"]
    enrollment = Enrollment.objects.get(student_number="2024-0201")
    assert steps(enrollment) == [
        ("admitted", ADMITTED),
        ("enrolled", ADMITTED),
        ("coursework_complete", datetime.date(2026, 2, 27)),
        ("graduated", datetime.date(2026, 8, 31)),
    ]
    assert enrollment.status == "graduated"


def test_an_illegal_step_is_refused_on_its_row_and_nothing_is_stored(enrolled, university_staff, import_as):
    rows = [
        ["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "졸업", "2026-08-31"],  # 재학 → 졸업 skips 수료
        ["2024-0201", "한", "별", "AX 융합 석사", "2024-03-04", "재학", "2024-03-04"],
    ]
    before = steps(enrolled)

    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert not result.applied and result.rows[0].action == "error"
    assert [(m.row, m.column) for m in result.rows[0].messages] == [(2, "학적상태")]
    assert steps(enrolled) == before and not Enrollment.objects.filter(student_number="2024-0201").exists()


@pytest.mark.parametrize(
    ("second", "column"),
    [
        (["2024-0101", "", "", "", "", "재학", "2026-09-01"], "학적상태"),  # back to 재학 after 졸업: not legal
        (["2024-0101", "", "", "", "", "졸업", "2026-01-31"], "상태변경일"),  # before the 수료 it follows
        (["2024-0101", "김", "", "", "", "졸업", "2026-08-31"], "성"),  # another name for the same student
        (["2024-0101", "", "", "", "", "졸업", ""], "상태변경일"),  # a further step needs its date
        (["2024-0101", "", "", "", "", "", "2026-09-30"], "학적상태"),  # and its status
        (["2024-0101", "", "", "", "", "진학", "2026-08-31"], "학적상태"),  # the fast track has its own action
    ],
    ids=["illegal", "out of order", "another name", "no date", "no status", "fast track"],
)
def test_a_further_row_that_does_not_follow_is_refused_beside_its_column(
    second, column, enrolled, university_staff, import_as
):
    rows = [["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "수료", "2026-02-27"], second]
    if column == "학적상태":
        rows.insert(1, ["2024-0101", "", "", "", "", "졸업", "2026-08-31"])

    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert not result.applied
    assert [(m.row, m.column) for m in result.rows[-1].messages] == [(len(rows) + 1, column)]
    assert [status for status, _ in steps(enrolled)] == ["admitted", "enrolled"]


def test_a_further_row_after_a_row_with_an_error_says_so(ms_programme, university_staff, import_as):
    rows = [
        ["2024-0301", "한", "별", "AX 융합 석사", "2024-02-30", "재학", "2024-03-04"],  # no 30 February
        ["2024-0301", "", "", "", "", "수료", "2026-02-27"],
    ]

    with translation.override("ko"):
        result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert [m.column for m in result.rows[1].messages] == ["학번"]
    assert "2행에도 있는데, 그 행에 오류가 있습니다" in result.rows[1].messages[0].message


# --- A re-import that gives the last change another date proposes a correction -------------------------------


def test_another_date_for_the_last_change_is_proposed_as_a_correction_and_applied_on_confirm(
    enrolled, university, university_staff, import_as
):
    rows = [["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "재학", "2024-03-11"]]

    with translation.override("en"):
        preview = import_as(university_staff, csv_bytes(rows, headers=HEADERS), dry_run=True)
    (row,) = preview.rows
    assert (row.action, row.changes) == ("updated", ["status_date"])
    assert row.differences == [{"field": "status_date", "old": "Enrolled (2024-03-04)", "new": "Enrolled (2024-03-11)"}]
    assert [n.column for n in row.notices] == ["상태변경일"] and "voided" in row.notices[0].message
    assert not EnrollmentEventVoid.objects.exists()  # a dry run stores nothing

    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS), filename="정정.csv")

    assert result.applied
    void = EnrollmentEventVoid.objects.get()
    assert (void.event.status, void.event.effective_date, void.actor) == ("enrolled", ADMITTED, university_staff)
    assert "정정.csv" in void.reason
    assert steps(enrolled) == [("admitted", ADMITTED), ("enrolled", datetime.date(2024, 3, 11))]
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.status_since) == ("enrolled", datetime.date(2024, 3, 11))
    again = roster.roster_export(actor=university_staff, university=university, fmt="csv")
    assert import_as(university_staff, again, dry_run=True).totals()["unchanged"] == 1


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (
            ["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "재학", "2024-03-01"],
            "상태변경일",
        ),  # before admission
        (
            ["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "재학", "2028-01-01"],
            "상태변경일",
        ),  # past the horizon
    ],
    ids=["before the admission", "beyond the horizon"],
)
def test_a_correction_that_would_break_the_sequence_is_refused_and_nothing_is_voided(
    row, column, enrolled, university_staff, import_as
):
    result = import_as(university_staff, csv_bytes([row], headers=HEADERS))

    assert not result.applied and [m.column for m in result.rows[0].messages] == [column]
    assert not EnrollmentEventVoid.objects.exists()
    assert steps(enrolled) == [("admitted", ADMITTED), ("enrolled", ADMITTED)]


def test_the_admissions_date_is_not_corrected_through_the_status_date(ms_programme, university_staff, import_as):
    services.enrollment_admit(
        actor=university_staff,
        person=factories.PersonFactory(),
        programme=ms_programme,
        student_number="2024-0401",
        admission_date=ADMITTED,
    )
    rows = [["2024-0401", "", "", "AX 융합 석사", "2024-03-04", "합격", "2024-03-05"]]

    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS), dry_run=True)

    assert [m.column for m in result.rows[0].messages] == ["상태변경일"]
    assert "입학일" in result.rows[0].messages[0].message


def test_a_fast_tracks_date_is_not_corrected_by_an_import(enrolled, phd_programme, university_staff, import_as):
    services.enrollment_fast_track(
        actor=university_staff,
        enrollment=enrolled,
        doctoral_programme=phd_programme,
        student_number="2026-9001",
        effective_date=datetime.date(2026, 3, 2),
        reason="석박사 연계 과정 진입",
    )
    rows = [["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "진학", "2026-03-03"]]

    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS), dry_run=True)

    assert [m.column for m in result.rows[0].messages] == ["상태변경일"]


# --- Ahead of term: an admission for next March and a leave approved ahead (issue 15) ---------------------------


def test_an_admission_for_next_march_and_a_leave_ahead_are_scheduled_and_take_effect_on_their_dates(
    enrolled, university_staff, import_as, clock
):
    clock.move_to(datetime.date(2026, 12, 10))
    term = datetime.date(2027, 3, 2)
    rows = [
        ["2027-0101", "한", "별", "AX 융합 석사", "2027-03-02", "합격", ""],  # admitted now, for March
        ["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "휴학", "2027-03-02"],  # next term's leave
    ]

    with translation.override("en"):
        preview = import_as(university_staff, csv_bytes(rows, headers=HEADERS), dry_run=True)
    assert [row.action for row in preview.rows] == ["created", "updated"] and not preview.applied
    assert preview.rows[1].differences == [
        {"field": "status", "old": "Enrolled (2024-03-04)", "new": "On leave (2027-03-02)"}
    ]
    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert result.applied
    admitted = Enrollment.objects.get(student_number="2027-0101")
    assert (admitted.admission_date, admitted.status) == (term, "admitted")
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.next_change_on) == ("enrolled", term)  # shown as scheduled until then

    clock.move_to(term)
    services.enrollment_statuses_refresh()
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.status_since, enrolled.next_change_on) == ("on_leave", term, None)


def test_a_leave_scheduled_ahead_is_moved_by_a_re_import_and_nothing_else_changes(
    enrolled, university_staff, import_as, clock
):
    clock.move_to(datetime.date(2026, 12, 10))
    services.enrollment_transition(
        actor=university_staff, enrollment=enrolled, status="on_leave", effective_date=datetime.date(2027, 3, 2)
    )
    rows = [["2024-0101", "정", "우진", "AX 융합 석사", "2024-03-04", "휴학", "2027-09-01"]]

    with translation.override("ko"):
        preview = import_as(university_staff, csv_bytes(rows, headers=HEADERS), dry_run=True)
    assert (
        preview.rows[0].notices[0].message
        == "정정: 기록된 2027-03-02자 휴학 변동을 무효 처리하고 2027-09-01자로 다시 기록합니다."
    )
    result = import_as(university_staff, csv_bytes(rows, headers=HEADERS))

    assert result.applied
    assert steps(enrolled) == [
        ("admitted", ADMITTED),
        ("enrolled", ADMITTED),
        ("on_leave", datetime.date(2027, 9, 1)),
    ]
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.next_change_on) == ("enrolled", datetime.date(2027, 9, 1))
