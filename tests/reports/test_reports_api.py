"""The reports API as its users see it: figures, breakdowns, downloads, suppression, targets and snapshots."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from talent.registry import services as registry_services
from talent.reports import services
from talent.reports.models import ReportSnapshot, Target
from tests import factories
from tests.reports.conftest import D, graduate


def staff_of(university):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organization=university)
    return user


def test_the_targets_report_gives_every_figure_of_each_target(graduates, ministry_analyst, client_as):
    response = client_as(ministry_analyst).get("/api/v1/reports/targets/?as_of=2026-10-01")
    assert response.status_code == 200
    trained = next(t for t in response.data["targets"] if t["target"]["code"] == "AX-TRAINED")
    assert trained["achieved"] == 8
    assert trained["active"] == {"enrolled": 1, "on_leave": 0, "coursework_complete": 0, "total": 1}
    assert trained["entrants"] == 1
    assert trained["band"] == "off_track" and trained["band_label"] == "Off track"
    assert trained["pace"]["gained"] == 8
    assert trained["projected"] == 9  # 8 + 1 × (8 + 0.85 × 20) / (8 + 20) = 8.89, rounded
    returned = next(t for t in response.data["targets"] if t["target"]["code"] == "OVERSEAS-RETURNED")
    assert returned["achieved"] == 0 and returned["entrants"] is None


def test_the_targets_report_takes_a_fixed_number_of_queries(
    graduates, ministry_analyst, client_as, django_assert_num_queries
):
    client = client_as(ministry_analyst)
    client.get("/api/v1/reports/targets/")  # the user's membership is cached on the user from here on
    # the targets in force, then per target its statement's settings and the statement, and for AX-TRAINED the
    # counting rules (which programmes count under its version)
    with django_assert_num_queries(6):
        assert client.get("/api/v1/reports/targets/").status_code == 200


def test_a_university_sees_only_its_own_figures(graduates, client_as):
    response = client_as(staff_of(graduates.university_y)).get("/api/v1/reports/targets/?as_of=2026-10-01")
    trained = next(t for t in response.data["targets"] if t["target"]["code"] == "AX-TRAINED")
    assert (trained["achieved"], trained["scope"], trained["band"]) == (2, "Nuri University", None)
    table = client_as(staff_of(graduates.university_y)).get("/api/v1/reports/headcount/?by=university").data
    assert [row["key"] for row in table["rows"]] == [str(graduates.university_y.pk)]


def test_the_headcount_rows_add_up_and_the_public_view_hides_small_cells(graduates, ministry_analyst, client_as):
    client = client_as(ministry_analyst)
    exact = client.get("/api/v1/reports/headcount/?by=university&as_of=2026-10-01").data
    assert [(row["label"], row["counts"]["achieved"]) for row in exact["rows"]] == [
        ("Hanbit University", 6),
        ("Nuri University", 2),
    ]
    assert exact["total"]["achieved"] == 8
    public = client.get("/api/v1/reports/headcount/?by=university&as_of=2026-10-01&public=true").data
    # Nuri's 2 is small; Hanbit's 6 would follow from the total 8, so it is hidden too.
    assert [row["counts"]["achieved"] for row in public["rows"]] == ["<5", "<5"]
    assert public["total"]["achieved"] == 8
    assert "active" not in public["columns"]


def test_an_unknown_breakdown_is_refused_with_the_allowed_ones(ministry_analyst, client_as):
    response = client_as(ministry_analyst).get("/api/v1/reports/headcount/?by=shoe_size")
    assert response.status_code == 400
    assert "university, school, region" in response.data["detail"]


def test_a_future_date_is_refused(ministry_analyst, client_as):
    response = client_as(ministry_analyst).get("/api/v1/reports/targets/?as_of=2999-01-01&format=csv")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "in the future" in response.data["detail"]


def test_the_csv_download_is_the_table_with_a_total_row(graduates, ministry_analyst, client_as):
    response = client_as(ministry_analyst).get("/api/v1/reports/headcount/?by=university&as_of=2026-10-01&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="AX-TRAINED_university_2026-10-01.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Key", "Group", "Achieved"]
    assert [row[1:3] for row in rows if row[1:2] == ["Total"]] == [["Total", "8"]]


def test_the_xlsx_download_escapes_text_a_spreadsheet_would_run(campus, history, ministry_analyst, client_as):
    campus.university_x.name_en = '=HYPERLINK("http://example.com","x")'
    campus.university_x.save()
    history(factories.PersonFactory(), campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    response = client_as(ministry_analyst).get("/api/v1/reports/headcount/?by=university&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    labels = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://example.com","x")' in labels
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    csv_response = client_as(ministry_analyst).get("/api/v1/reports/headcount/?by=university&format=csv")
    assert "'=HYPERLINK" in csv_response.content.decode("utf-8-sig")


def test_the_trajectory_downloads_and_matches_the_report(graduates, ministry_analyst, client_as):
    client = client_as(ministry_analyst)
    path = client.get("/api/v1/reports/trajectory/?as_of=2026-10-01").data
    assert [p["achieved"] for p in path["points"]][:3] == [0, 8, 8]
    assert path["straight_path"][-1] == {"on": "2030-12-31", "value": 5000.0}
    assert path["projection"][0] == {"on": "2026-10-01", "value": 8.0}
    xlsx = client.get("/api/v1/reports/trajectory/?as_of=2026-10-01&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert isinstance(sheet, Worksheet)
    periods = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert periods[: periods.index(None)] == ["Period", *(f"2026-{month:02d}" for month in range(1, 11))]


def sheet_notes(rows: Sequence[Sequence[object]]) -> dict[object, object]:
    """The label and value rows after a table's blank row."""
    blank = next(i for i, row in enumerate(rows) if not any(cell not in (None, "") for cell in row))
    return {row[0]: row[1] for row in rows[blank + 1 :]}


@pytest.mark.parametrize("report", ["headcount/?by=university&", "trajectory/?"])
def test_the_headcount_and_trajectory_downloads_name_the_target_version_they_were_computed_under(
    graduates, ministry_analyst, client_as, report
):
    client = client_as(ministry_analyst)
    services.target_revise(actor=ministry_analyst, code="AX-TRAINED", value=6000, note="확대")
    today = timezone.localdate().isoformat()
    url = f"/api/v1/reports/{report}"
    as_csv = client.get(f"{url}format=csv&public=true")
    notes = sheet_notes(list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")))))
    assert notes["Target"] == "AX-TRAINED v2: 6,000 by 2030-12-31"
    assert (notes["Version"], notes["Version in force from"]) == ("2", today)
    xlsx = client.get(f"{url}format=xlsx&as_of=2026-10-01")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert isinstance(sheet, Worksheet)
    notes = sheet_notes([list(row) for row in sheet.iter_rows(values_only=True)])
    assert (notes["Target"], notes["Version"]) == ("AX-TRAINED v1: 5,000 by 2030-12-31", 1)
    under_v2 = client.get(f"{url}format=xlsx&as_of=2026-10-01&version=2")
    sheet = load_workbook(io.BytesIO(under_v2.content)).active
    assert isinstance(sheet, Worksheet)
    assert sheet_notes([list(row) for row in sheet.iter_rows(values_only=True)])["Version"] == 2


def test_the_ministry_revises_a_target_by_adding_a_version(graduates, ministry_analyst, client_as):
    client = client_as(ministry_analyst)
    response = client.post("/api/v1/reports/targets/AX-TRAINED/versions/", {"value": 6000, "note": "확대"})
    assert response.status_code == 201 and response.data["version"] == 2
    reports = client.get("/api/v1/reports/targets/").data["targets"]
    assert next(t for t in reports if t["target"]["code"] == "AX-TRAINED")["target"]["value"] == 6000
    versions = client.get("/api/v1/reports/targets/AX-TRAINED/versions/").data["results"]
    assert [(v["version"], v["value"]) for v in versions] == [(2, 6000), (1, 5000)]
    assert Target.objects.get(code="AX-TRAINED", version=1).value == 5000


def test_a_revision_that_breaks_a_rule_is_refused(ministry_analyst, client_as):
    response = client_as(ministry_analyst).post(
        "/api/v1/reports/targets/AX-TRAINED/versions/", {"deadline": "2025-01-01"}
    )
    assert response.status_code == 400
    assert response.data["detail"] == "The deadline must come after the start."


def test_listing_versions_and_snapshots_takes_a_fixed_number_of_queries(
    graduates, ministry_analyst, client_as, django_assert_num_queries
):
    client = client_as(ministry_analyst)
    for _ in range(3):
        client.post("/api/v1/reports/snapshots/", {"target": "OVERSEAS-RETURNED"})
    client.get("/api/v1/reports/snapshots/")
    # count, page (with target and author joined)
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/reports/snapshots/").data["results"]) == 3
    # version in force, count, page
    with django_assert_num_queries(3):
        client.get("/api/v1/reports/targets/AX-TRAINED/versions/")


def test_a_snapshot_gives_the_same_figures_back_later(graduates, history, ministry_analyst, client_as):
    client = client_as(ministry_analyst)
    frozen = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED", "as_of": "2026-10-01"}).data
    assert frozen["figures"]["report"]["achieved"] == 8
    history(
        factories.PersonFactory(),
        graduates.ms_y,
        admitted=D(2024, 3, 4),
        steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)),
    )
    again = client.get(f"/api/v1/reports/snapshots/{frozen['id']}/").data
    assert again["figures"] == frozen["figures"] and again["checksum"] == frozen["checksum"]
    recomputed = client.get(f"/api/v1/reports/snapshots/{frozen['id']}/recompute/").data
    assert recomputed["checksum_valid"] and recomputed["changed"]
    changes = {c["figure"]: (c["frozen"], c["now"]) for c in recomputed["changes"]}
    assert changes["report.achieved"] == (8, 9)
    assert changes[f"breakdowns.university.rows.{graduates.university_y.pk}.achieved"] == (2, 3)


def test_a_status_backdated_after_a_snapshot_shows_in_the_recomputation(campus, history, ministry_analyst, client_as):
    student = history(
        factories.PersonFactory(), campus.ms_x, admitted=D(2024, 3, 4), steps=[("enrolled", D(2024, 3, 4))]
    )
    client = client_as(ministry_analyst)
    frozen = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED", "as_of": "2026-09-30"}).data
    assert frozen["figures"]["report"]["achieved"] == 0
    # Recorded in November, effective in the summer: the past report is corrected.
    registry_services.enrollment_transition(
        reason="학사 처리", actor=None, enrollment=student, status="coursework_complete", effective_date=D(2026, 6, 30)
    )
    registry_services.enrollment_transition(
        reason="학사 처리", actor=None, enrollment=student, status="graduated", effective_date=D(2026, 8, 21)
    )
    recomputed = client.get(f"/api/v1/reports/snapshots/{frozen['id']}/recompute/").data
    changes = {c["figure"]: (c["frozen"], c["now"]) for c in recomputed["changes"]}
    assert changes["report.achieved"] == (0, 1)
    assert changes["trajectory.2026-08"] == (0, 1)
    assert ReportSnapshot.objects.get(pk=frozen["id"]).figures["report"]["achieved"] == 0


def test_a_programme_that_stops_counting_leaves_past_figures_and_snapshots(graduates, ministry_analyst, client_as):
    client = client_as(ministry_analyst)
    frozen = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED", "as_of": "2026-10-01"}).data
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False
    )
    assert client.get(f"/api/v1/reports/snapshots/{frozen['id']}/").data["figures"]["report"]["achieved"] == 8
    recomputed = client.get(f"/api/v1/reports/snapshots/{frozen['id']}/recompute/").data
    assert recomputed["changes"] == []
    assert (recomputed["changed"], recomputed["programmes_no_longer_counting"]) == (False, {})
    past = client.get("/api/v1/reports/targets/?as_of=2026-10-01").data["targets"]
    assert next(t for t in past if t["target"]["code"] == "AX-TRAINED")["achieved"] == 8
    today = client.get("/api/v1/reports/targets/").data["targets"]
    trained_today = next(t for t in today if t["target"]["code"] == "AX-TRAINED")
    assert (trained_today["achieved"], trained_today["target"]["version"]) == (6, 2)


def test_a_snapshot_names_its_target_version_and_code_version(ministry_analyst, client_as):
    client = client_as(ministry_analyst)
    snapshot = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED"}).data
    client.post("/api/v1/reports/targets/AX-TRAINED/versions/", {"value": 7000})
    again = client.get(f"/api/v1/reports/snapshots/{snapshot['id']}/").data
    assert (again["target_version"], again["figures"]["target"]["value"]) == (1, 5000)
    assert again["code_version"].startswith("rules ")
    assert len(again["checksum"]) == 64


def test_a_frozen_snapshot_cannot_be_changed_in_the_database(ministry_analyst):
    from django.db import DatabaseError, transaction

    from talent.reports import services

    snapshot = services.snapshot_freeze(actor=ministry_analyst, code="AX-TRAINED")
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(figures={"report": {"achieved": 4999}})
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSnapshot.objects.filter(pk=snapshot.pk).delete()
