"""Dry run, commit, all-or-nothing, idempotency; status changes become events; an export imports back to no change."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talent.registry import services
from talent.registry.models import Enrollment, EnrollmentEvent, ImportBatch, ImportBatchStatus, Person
from talent.roster import services as roster
from talent.roster.services import RowAction
from tests import factories
from tests.roster.conftest import HEADERS, ROWS, csv_bytes

D = datetime.date


def _writes(queries) -> list[str]:
    """Statements that change a registry record (the ImportBatch that documents the upload aside)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
        and "registry_importbatch" not in q["sql"]
    ]


def test_a_dry_run_reports_each_row_and_stores_nothing_but_the_batch(import_as, university_staff, ms_programme):
    result = import_as(university_staff, csv_bytes(), dry_run=True)

    assert [(r.row, r.action, r.student_number) for r in result.rows] == [
        (2, RowAction.CREATED, "2026-1001"),
        (3, RowAction.CREATED, "2026-1002"),
        (4, RowAction.CREATED, "2026-1003"),
    ]
    assert not result.applied
    assert Enrollment.objects.count() == Person.objects.count() == 0
    batch = ImportBatch.objects.get()
    assert (batch.dry_run, batch.status, batch.created_count, batch.created_by) == (
        True,
        ImportBatchStatus.DRY_RUN,
        3,
        university_staff,
    )


def test_a_real_import_stores_every_row_with_its_events_and_a_batch(import_as, university_staff, ms_programme):
    result = import_as(university_staff, csv_bytes(), filename="2026 명단.csv")

    assert result.applied and result.totals()["created"] == 3
    seoyeon = Enrollment.objects.get(student_number="2026-1001")
    assert list(seoyeon.events.values_list("status", "effective_date", "actor")) == [
        ("admitted", D(2026, 3, 2), university_staff.pk),
        ("enrolled", D(2026, 3, 2), university_staff.pk),
    ]
    assert seoyeon.university == ms_programme.school.university
    batch = ImportBatch.objects.get()
    assert (batch.filename, batch.status, batch.row_count, batch.sha256) == (
        "2026 명단.csv",
        ImportBatchStatus.APPLIED,
        3,
        result.sha256,
    )
    assert batch.pk == result.batch_id


def test_one_bad_row_stores_nothing_and_says_where(import_as, university_staff, ms_programme):
    rows = [ROWS[0], [*ROWS[1][:7], "도윤 at hanbit", *ROWS[1][8:]], ROWS[2]]

    result = import_as(university_staff, csv_bytes(rows))

    assert not result.applied
    assert Enrollment.objects.count() == Person.objects.count() == EnrollmentEvent.objects.count() == 0
    assert [(m.row, m.column) for m in result.problems] == [(3, "이메일")]
    assert [r.action for r in result.rows] == [RowAction.CREATED, RowAction.ERROR, RowAction.CREATED]
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.error_count) == (ImportBatchStatus.FAILED, 1)
    assert batch.errors == [{"row": 3, "column": "이메일", "message": result.problems[0].message}]


def test_messages_follow_the_language(import_as, university_staff, ms_programme):
    from django.utils import translation

    rows = [[*ROWS[0][:9], "", "재학"]]
    with translation.override("en"):
        english = import_as(university_staff, csv_bytes(rows), dry_run=True).problems[0].message
    with translation.override("ko"):
        korean = import_as(university_staff, csv_bytes(rows), dry_run=True).problems[0].message

    assert "admission date" in english
    assert english != korean


def test_re_importing_the_same_file_writes_nothing_and_adds_no_event(import_as, university_staff, ms_programme):
    import_as(university_staff, csv_bytes())
    events = EnrollmentEvent.objects.count()

    with CaptureQueriesContext(connection) as queries:
        result = import_as(university_staff, csv_bytes())

    assert result.applied
    assert result.totals() == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3, "errors": 0}
    assert _writes(queries.captured_queries) == []
    assert EnrollmentEvent.objects.count() == events
    assert Enrollment.objects.count() == 3


def test_a_changed_status_becomes_one_event_through_the_lifecycle(import_as, university_staff, ms_programme):
    import_as(university_staff, csv_bytes())
    headers = [*HEADERS, "상태변경일"]
    on_leave = [*ROWS[0][:10], "휴학", "2026-09-01"]

    result = import_as(university_staff, csv_bytes([on_leave, *[[*r, ""] for r in ROWS[1:]]], headers=headers))

    assert [(r.action, r.changes) for r in result.rows] == [
        (RowAction.UPDATED, ["status"]),
        (RowAction.UNCHANGED, []),
        (RowAction.UNCHANGED, []),
    ]
    seoyeon = Enrollment.objects.get(student_number="2026-1001")
    assert (seoyeon.status, seoyeon.status_since) == ("on_leave", D(2026, 9, 1))
    last = seoyeon.events.order_by("sequence").last()
    assert last is not None
    assert (last.sequence, last.previous_status, last.status, last.actor) == (
        3,
        "enrolled",
        "on_leave",
        university_staff,
    )
    assert EnrollmentEvent.objects.count() == 2 + 2 + 1 + 1


def test_an_illegal_status_change_is_refused_with_the_lifecycle_message(import_as, university_staff, ms_programme):
    import_as(university_staff, csv_bytes())
    graduated = [*ROWS[2][:10], "졸업"]  # admitted -> graduated skips enrolment and coursework

    result = import_as(university_staff, csv_bytes([graduated]))

    (outcome,) = result.rows
    assert outcome.action == RowAction.ERROR
    assert outcome.messages[0].column == "학적상태"
    assert not result.applied
    assert Enrollment.objects.get(student_number="2026-1003").status == "admitted"


def test_changed_details_update_the_person_and_nothing_else(import_as, university_staff, ms_programme):
    import_as(university_staff, csv_bytes())
    changed = [*ROWS[1][:7], "doyun.lee@hanbit.ac.kr", *ROWS[1][8:]]

    result = import_as(university_staff, csv_bytes([ROWS[0], changed, ROWS[2]]))

    assert [r.changes for r in result.rows] == [[], ["email"], []]
    assert Person.objects.get(given_name_ko="도윤").email == "doyun.lee@hanbit.ac.kr"
    assert Person.objects.count() == 3


def test_a_new_student_with_a_later_status_gets_the_lifecycle_steps(import_as, university_staff, ms_programme):
    headers = ["학번", "성", "이름", "과정", "입학일", "학적상태", "상태변경일", "졸업방식"]
    rows = [["2024-0007", "윤", "지호", "AX 융합 석사", "2024-03-04", "졸업", "2026-02-20", "AX 프로젝트"]]

    result = import_as(university_staff, csv_bytes(rows, headers=headers))

    assert result.applied, result.problems
    enrollment = Enrollment.objects.get()
    assert list(enrollment.events.values_list("status", "effective_date")) == [
        ("admitted", D(2024, 3, 4)),
        ("enrolled", D(2024, 3, 4)),
        ("coursework_complete", D(2026, 2, 20)),
        ("graduated", D(2026, 2, 20)),
    ]
    assert (enrollment.status, enrollment.completion_route) == ("graduated", "ax_project")


def test_a_student_number_twice_in_the_file_is_refused(import_as, university_staff, ms_programme):
    result = import_as(university_staff, csv_bytes([ROWS[0], ROWS[0]]), dry_run=True)

    assert [r.action for r in result.rows] == [RowAction.CREATED, RowAction.ERROR]
    assert "2" in result.rows[1].messages[0].message


def test_an_unknown_programme_lists_the_universitys_programmes(import_as, university_staff, ms_programme):
    rows = [[*ROWS[0][:8], "없는 과정", *ROWS[0][9:]]]

    (outcome,) = import_as(university_staff, csv_bytes(rows), dry_run=True).rows

    assert outcome.messages[0].column == "과정"
    assert "AX 융합 석사" in outcome.messages[0].message


def test_a_known_student_given_another_persons_orcid_is_not_refused(import_as, university_staff, ms_programme):
    """A new student with a known ORCID iD is that person (tests/registry/test_identity_links.py); a student
    already on the roll whose row gives another person's ORCID iD is a correction kept for an operator, as through
    the API: a refusal would tell the university that someone has it."""
    import_as(university_staff, csv_bytes(ROWS[:1]))
    factories.PersonFactory(orcid="0000-0002-1825-0097")
    rows = [[*ROWS[0], "0000-0002-1825-0097"]]

    (outcome,) = import_as(university_staff, csv_bytes(rows, headers=[*HEADERS, "ORCID"]), dry_run=True).rows

    assert (outcome.action, outcome.messages) == ("updated", [])
    assert [m.column for m in outcome.notices] == ["ORCID"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_to_no_change(fmt, import_as, university_staff, ms_programme):
    headers = [*HEADERS, "ORCID", "졸업방식"]
    tricky = [*ROWS[0][:2], "=1+1", *ROWS[0][3:], "0000-0002-1825-0097", "논문"]  # formula-like text round-trips
    import_as(university_staff, csv_bytes([tricky, *[[*r, "", ""] for r in ROWS[1:]]], headers=headers))
    enrollment = Enrollment.objects.get(student_number="2026-1002")
    services.enrollment_transition(
        actor=university_staff, enrollment=enrollment, status="on_leave", effective_date=D(2026, 6, 1)
    )
    university = ms_programme.school.university

    exported = roster.roster_export(actor=university_staff, university=university, fmt=fmt)
    with CaptureQueriesContext(connection) as queries:
        result = import_as(university_staff, exported, filename=f"export.{fmt}")

    assert result.applied, result.problems
    assert result.totals() == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3, "errors": 0}
    assert _writes(queries.captured_queries) == []
    assert Person.objects.get(family_name_ko="김").given_name_ko == "=1+1"


def test_exported_cells_that_start_like_a_formula_are_escaped(import_as, university_staff, ms_programme):
    rows = [[*ROWS[0][:2], '=HYPERLINK("http://x")', "+Kim", "@Seo", *ROWS[0][5:]]]
    import_as(university_staff, csv_bytes(rows))

    exported = roster.roster_export(actor=university_staff, university=ms_programme.school.university, fmt="csv")

    text = exported.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+Kim" in text and "'@Seo" in text
    assert ",=" not in text and ",+" not in text and ",@" not in text


def test_the_template_has_korean_headers_and_the_english_alias_row():
    import io

    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    csv_text = roster.roster_template("csv").decode("utf-8-sig").splitlines()
    sheet = openpyxl.load_workbook(io.BytesIO(roster.roster_template("xlsx"))).active
    assert isinstance(sheet, Worksheet)

    assert csv_text[0].startswith("학번,성,이름,영문 성")
    assert csv_text[1].startswith("Student number,Family name (Korean)")
    assert [c.value for c in sheet[1]][:3] == ["학번", "성", "이름"]
    assert [c.value for c in sheet[2]][:1] == ["Student number"]
    assert sheet.max_row == 3  # and the example row


def _many_rows(n: int) -> list[list[str]]:
    return [
        [f"2026-{5000 + i}", "한", f"결{i}", "Han", f"Gyeol{i}", "2001-01-01", "남", f"gyeol{i}@hanbit.ac.kr",
         "AX 융합 석사", "2026-03-02", "휴학" if i % 2 else "재학"]
        for i in range(n)
    ]  # fmt: skip


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "real import"])
def test_the_number_of_queries_does_not_grow_with_the_rows(dry_run, import_as, university_staff, ms_programme):
    counts = []
    for n in (3, 60):
        rows = [[f"{n}-{r[0]}", *r[1:]] for r in _many_rows(n)]
        with CaptureQueriesContext(connection) as queries:
            result = import_as(university_staff, csv_bytes(rows), dry_run=dry_run)
        assert result.ok, result.problems
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def test_re_importing_with_changes_updates_in_bulk(import_as, university_staff, ms_programme):
    rows = _many_rows(40)
    import_as(university_staff, csv_bytes(rows))
    changed = [[*r[:7], r[7].replace("@", ".new@"), *r[8:10], "재학" if r[10] == "휴학" else r[10]] for r in rows]

    with CaptureQueriesContext(connection) as queries:
        result = import_as(university_staff, csv_bytes(changed, headers=HEADERS))

    assert result.applied and result.updated == 40
    assert EnrollmentEvent.objects.filter(status="enrolled", previous_status="on_leave").count() == 20
    assert len(queries.captured_queries) < 30


def test_the_history_records_who_imported_each_new_record(import_as, university_staff, ms_programme):
    import_as(university_staff, csv_bytes())

    for events in (Person.history, Enrollment.history):  # type: ignore[attr-defined]  # pghistory's, made at run time
        history = events.rel.related_model.objects.filter(pgh_label="insert").select_related("pgh_context")
        assert history.count() == 3
        assert {(h.pgh_context.metadata["user"], h.pgh_context.metadata["action"]) for h in history} == {
            (university_staff.pk, "roster_import")
        }
