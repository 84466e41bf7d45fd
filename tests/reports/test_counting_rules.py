"""Versioned counting rules (issue #15, part 6): which programmes count, and a target's value and deadline,
change from a date as a new target version; a report as of a date uses the version in force then, so a past
report stays what it was, and it can be reproduced under another version on request."""

from __future__ import annotations

import datetime
import importlib
from html import unescape as html_unescape

import pgtrigger
import pytest
from django.conf import settings
from django.db import DatabaseError, transaction
from django.test import Client
from django.utils import translation

from talent.common.errors import InvalidInput, NotAllowed
from talent.registry import counting_rules
from talent.registry import services as registry_services
from talent.registry.models import EnrollmentEvent, Programme, ProgrammeCountingRule
from talent.reports import services
from talent.reports.models import ReportSnapshot, Target
from tests import factories
from tests.reports.conftest import graduate

D = datetime.date
TODAY = D(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today(clock):
    """Today is 2026-12-03 (before the fixtures record anything)."""
    clock.move_to(TODAY)


def achieved(client, as_of: D, **query: object) -> tuple[int, int]:
    """(trained, target version) of the national headcount as of a date."""
    params = {"by": "university", "as_of": as_of.isoformat(), **query}
    data = client.get("/api/v1/reports/headcount/", params).data
    return data["total"]["achieved"], data["target"]["version"]


def test_a_past_count_stays_when_a_programme_stops_counting_and_the_count_after_the_change_follows_it(
    graduates, ministry_analyst, client_as, clock
):
    client = client_as(ministry_analyst)
    assert achieved(client, D(2026, 10, 1)) == (8, 1)
    registry_services.programme_set_counting(
        actor=ministry_analyst,
        programme=graduates.ms_y,
        counts_toward_target=False,
        effective_from=D(2026, 12, 10),
        note="부처 기준 변경",
    )
    # Decided today, from the 10th: no date counted so far changes, today included.
    assert achieved(client, D(2026, 10, 1)) == (8, 1)
    assert achieved(client, TODAY) == (8, 1)
    assert Programme.objects.get(pk=graduates.ms_y.pk).counts_toward_target is True

    clock.move_to(D(2026, 12, 15))
    assert achieved(client, D(2026, 12, 9)) == (8, 1)
    assert achieved(client, D(2026, 12, 10)) == (6, 2)
    assert achieved(client, D(2026, 10, 1)) == (8, 1)
    # ... and the past report under the new rules, on request.
    assert achieved(client, D(2026, 10, 1), version=2) == (6, 2)


def test_a_programme_that_starts_counting_counts_from_its_date_on(graduates, ministry_analyst, client_as, history):
    client = client_as(ministry_analyst)
    history(
        factories.PersonFactory(),
        graduates.uncounted_x,
        admitted=D(2024, 3, 4),
        steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)),
    )
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.uncounted_x, counts_toward_target=True
    )
    assert achieved(client, TODAY) == (9, 2)
    assert achieved(client, TODAY - datetime.timedelta(1)) == (8, 1)
    assert Programme.objects.get(pk=graduates.uncounted_x.pk).counts_toward_target is True


def test_a_change_is_kept_with_who_why_and_from_when_and_makes_the_target_version(graduates, ministry_analyst):
    registry_services.programme_set_counting(
        actor=ministry_analyst,
        programme=graduates.ms_y,
        counts_toward_target=False,
        effective_from=D(2027, 1, 1),
        note="부처 기준 변경",
    )
    rules = list(ProgrammeCountingRule.objects.filter(programme=graduates.ms_y).order_by("id"))
    assert [(r.counts, r.effective_from) for r in rules][-1] == (False, D(2027, 1, 1))
    assert (rules[-1].created_by, rules[-1].note) == (ministry_analyst, "부처 기준 변경")
    version = Target.objects.get(code="AX-TRAINED", version=2)
    assert (version.version, version.effective_from, version.note, version.created_by) == (
        2,
        D(2027, 1, 1),
        "부처 기준 변경",
        ministry_analyst,
    )
    assert (version.value, version.deadline) == (5000, D(2030, 12, 31))  # copied
    with pytest.raises(DatabaseError), transaction.atomic():  # the database refuses any change of a rule
        ProgrammeCountingRule.objects.filter(pk=rules[-1].pk).update(counts=True)


def test_a_programme_already_so_from_that_date_adds_no_rule_and_no_version(graduates, ministry_analyst):
    before = ProgrammeCountingRule.objects.count()
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_x, counts_toward_target=True
    )
    assert ProgrammeCountingRule.objects.count() == before
    assert Target.objects.filter(code="AX-TRAINED").count() == 1


@pytest.mark.parametrize(
    ("effective_from", "message"),
    [(TODAY - datetime.timedelta(1), "past dates"), (TODAY + datetime.timedelta(400), "at most until")],
)
def test_a_change_dated_in_the_past_or_beyond_the_horizon_is_refused_and_nothing_is_written(
    graduates, ministry_analyst, effective_from, message
):
    with pytest.raises(InvalidInput, match=message) as refusal, translation.override("en"):
        registry_services.programme_set_counting(
            actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False, effective_from=effective_from
        )
    assert refusal.value.field == "counting_from"
    assert ProgrammeCountingRule.objects.filter(programme=graduates.ms_y).count() == 1
    assert Target.objects.filter(code="AX-TRAINED").count() == 1


def test_a_change_before_the_newest_version_s_date_is_refused_and_nothing_is_written(graduates, ministry_analyst):
    services.target_revise(actor=ministry_analyst, code="AX-TRAINED", value=6000, effective_from=D(2027, 3, 1))
    with pytest.raises(InvalidInput, match="2027-03-01"):  # in either language
        registry_services.programme_set_counting(
            actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False, effective_from=D(2027, 1, 1)
        )
    assert ProgrammeCountingRule.objects.filter(programme=graduates.ms_y).count() == 1
    assert Target.objects.filter(code="AX-TRAINED").count() == 2


def test_only_the_ministry_changes_which_programmes_count(graduates, campus):
    staff = factories.UserFactory()
    factories.MembershipFactory(user=staff, organization=campus.university_y)
    with pytest.raises(NotAllowed):
        registry_services.programme_set_counting(actor=staff, programme=graduates.ms_y, counts_toward_target=False)
    assert ProgrammeCountingRule.objects.filter(programme=graduates.ms_y).count() == 1


def test_a_rule_dated_ahead_reaches_the_programme_s_flag_on_its_date(graduates, ministry_analyst, clock):
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False, effective_from=D(2026, 12, 10)
    )
    assert registry_services.programmes_counting_refresh() == 0
    clock.move_to(D(2026, 12, 10))
    assert registry_services.programmes_counting_refresh() == 1
    assert Programme.objects.get(pk=graduates.ms_y.pk).counts_toward_target is False
    assert registry_services.programmes_counting_refresh() == 0  # idempotent


def test_a_target_revised_from_a_later_date_leaves_the_reports_before_it(graduates, ministry_analyst, client_as):
    client = client_as(ministry_analyst)
    created = client.post(
        "/api/v1/reports/targets/AX-TRAINED/versions/", {"value": 7000, "effective_from": "2026-12-05"}
    )
    assert (created.status_code, created.data["effective_from"]) == (201, "2026-12-05")
    report = client.get("/api/v1/reports/targets/").data["targets"]
    trained = next(t for t in report if t["target"]["code"] == "AX-TRAINED")
    assert (trained["target"]["version"], trained["target"]["value"]) == (1, 5000)
    backdated = client.post(
        "/api/v1/reports/targets/AX-TRAINED/versions/", {"value": 8000, "effective_from": "2026-12-01"}
    )
    assert backdated.status_code == 400
    assert "effective_from" in str(backdated.data)


def test_a_snapshot_recomputes_unchanged_after_the_rules_change_and_differs_under_the_new_version(
    graduates, ministry_analyst, client_as
):
    client = client_as(ministry_analyst)
    frozen = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED", "as_of": "2026-10-01"}).data
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False
    )
    same = client.get(f"/api/v1/reports/snapshots/{frozen['id']}/recompute/").data
    assert (same["changed"], same["target_version"], same["programmes_no_longer_counting"]) == (False, 1, {})
    under_new = client.get(f"/api/v1/reports/snapshots/{frozen['id']}/recompute/", {"version": 2}).data
    assert under_new["target_version"] == 2
    assert under_new["programmes_no_longer_counting"] == {str(graduates.ms_y.pk): "누리 AX 석사"}
    assert {c["figure"]: (c["frozen"], c["now"]) for c in under_new["changes"]}["report.achieved"] == (8, 6)
    assert ReportSnapshot.objects.get(pk=frozen["id"]).figures["report"]["achieved"] == 8
    # A snapshot frozen now, as of the same past date, is the same report.
    again = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED", "as_of": "2026-10-01"}).data
    assert (again["target_version"], again["checksum"]) == (1, frozen["checksum"])


def test_two_versions_made_the_same_day_from_the_same_date_each_count_by_their_own_rules(
    graduates, ministry_analyst, client_as
):
    client = client_as(ministry_analyst)
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False, note="누리 제외"
    )
    frozen_under_2 = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED"}).data
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_x, counts_toward_target=False, note="한빛 제외"
    )
    versions = Target.objects.filter(code="AX-TRAINED").order_by("version")
    assert [(v.version, v.effective_from) for v in versions] == [(1, D(2026, 1, 1)), (2, TODAY), (3, TODAY)]

    assert achieved(client, TODAY) == (0, 3)  # the newest of the day is in force
    assert achieved(client, TODAY, version=2) == (6, 2)  # X's six graduates: only Y's programme stopped
    assert achieved(client, TODAY, version=1) == (8, 1)
    assert frozen_under_2["target_version"] == 2
    same = client.get(f"/api/v1/reports/snapshots/{frozen_under_2['id']}/recompute/").data
    assert (same["changed"], same["target_version"], same["programmes_now_counting"]) == (False, 2, {})
    under_3 = client.get(f"/api/v1/reports/snapshots/{frozen_under_2['id']}/recompute/", {"version": 3}).data
    assert under_3["programmes_no_longer_counting"] == {str(graduates.ms_x.pk): "한빛 AX 석사"}
    page = Client()
    page.force_login(ministry_analyst)
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    dashboard = page.get("/dashboard/").content.decode()
    assert "Version 2 from 2026-12-03: 누리 제외 (replaced the same day by version 3)</li>" in dashboard
    assert "Version 3 from 2026-12-03: 한빛 제외 (used here)</li>" in dashboard


def test_a_programme_made_after_a_version_is_read_by_it_as_it_began(graduates, ministry_analyst, client_as, history):
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False
    )
    later = factories.ProgrammeFactory(school=graduates.ms_x.school, name_ko="신설 AX 석사", degree_level="ms")
    history(
        factories.PersonFactory(), later, admitted=D(2024, 3, 4), steps=graduate(D(2024, 3, 4), D(2025, 12, 20),
                                                                                  D(2026, 2, 20)),
    )  # fmt: skip
    client = client_as(ministry_analyst)
    assert achieved(client, TODAY) == (7, 2)
    assert achieved(client, TODAY, version=1) == (9, 1)


def test_an_unknown_version_is_refused(graduates, ministry_analyst, client_as):
    response = client_as(ministry_analyst).get("/api/v1/reports/headcount/", {"by": "university", "version": 9})
    assert response.status_code == 400
    assert "version" in str(response.data)


def test_the_api_takes_the_ministry_s_decision_from_a_date_and_shows_the_rules(
    graduates, ministry_analyst, client_as, campus
):
    url = f"/api/v1/programmes/{graduates.ms_y.pk}/"
    changed = client_as(ministry_analyst).patch(
        url,
        {"counts_toward_target": False, "counting_from": "2026-12-10", "counting_note": "부처 기준 변경"},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.data["counts_toward_target"] is True  # until the 10th
    staff = factories.UserFactory()
    factories.MembershipFactory(user=staff, organization=campus.university_y)
    rules = client_as(staff).get(url + "counting-rules/")
    assert rules.status_code == 200
    assert [(r["counts"], r["effective_from"]) for r in rules.data] == [(True, "2020-01-01"), (False, "2026-12-10")]
    assert (rules.data[-1]["note"], rules.data[-1]["created_by"]) == ("부처 기준 변경", ministry_analyst.username)
    past = client_as(ministry_analyst).patch(
        url, {"counts_toward_target": True, "counting_from": "2026-11-01"}, format="json"
    )
    assert past.status_code == 400
    assert "counting_from" in str(past.data)


def test_the_dashboard_names_the_rules_it_counted_under_and_when_they_changed(graduates, ministry_analyst):
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False, note="부처 기준 변경"
    )
    client = Client()
    client.force_login(ministry_analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    today = client.get("/dashboard/").content.decode()
    assert 'data-testid="achieved-AX-TRAINED" data-value="6"' in today
    assert "Counted under version 2 of the counting rules, in force from 2026-12-03." in today
    assert "Version 2 from 2026-12-03: 부처 기준 변경 (used here)" in today
    past = client.get("/dashboard/?as_of=2026-10-01").content.decode()
    assert 'data-testid="achieved-AX-TRAINED" data-value="8"' in past
    assert "Counted under version 1 of the counting rules, in force from 2026-01-01." in past
    assert "Version 2 from 2026-12-03: 부처 기준 변경</li>" in past


def test_a_snapshot_shows_the_difference_a_voided_graduation_makes_and_the_correction_s_reason(
    graduates, ministry_analyst, client_as, clock
):
    client = client_as(ministry_analyst)
    frozen = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED", "as_of": "2026-10-01"}).data
    clock.move_to(TODAY + datetime.timedelta(1))
    mistaken = EnrollmentEvent.objects.filter(enrollment__programme=graduates.ms_y, status="graduated").first()
    assert mistaken is not None
    registry_services.enrollment_event_void(actor=None, event=mistaken, reason="학위수여 입력 오류")

    recomputed = client.get(f"/api/v1/reports/snapshots/{frozen['id']}/recompute/").data
    assert {c["figure"]: (c["frozen"], c["now"]) for c in recomputed["changes"]}["report.achieved"] == (8, 7)
    assert recomputed["corrections_total"] == 1
    (correction,) = recomputed["corrections"]
    assert (correction["kind"], correction["status"], correction["effective_date"]) == (
        "voided",
        "graduated",
        "2026-02-20",
    )
    assert (correction["university"], correction["reason"]) == ("누리대학교", "학위수여 입력 오류")
    assert "person" not in correction and "student_number" not in correction


def test_the_snapshot_s_admin_page_lists_its_corrections_in_korean(graduates, ministry_analyst, operator, clock):
    snapshot = services.snapshot_freeze(actor=ministry_analyst, code="AX-TRAINED", as_of=D(2026, 10, 1))
    client = Client()
    client.force_login(operator)
    url = f"/admin/reports/reportsnapshot/{snapshot.pk}/change/"
    untouched = client.get(url).content.decode()
    assert "확정 이후 기록 정정" in untouched and "확정 당시의 기록 그대로입니다" in untouched
    clock.move_to(TODAY + datetime.timedelta(1))
    mistaken = EnrollmentEvent.objects.filter(enrollment__programme=graduates.ms_y, status="graduated").first()
    assert mistaken is not None
    registry_services.enrollment_event_void(actor=None, event=mistaken, reason="학위수여 입력 오류")

    page = client.get(url).content.decode()
    assert 'data-testid="snapshot-corrections"' in page
    assert "2026-02-20 졸업 (누리대학교): 2026-12-04" in page
    assert "무효 처리됨 — 학위수여 입력 오류" in page


def test_a_change_recorded_after_the_snapshot_for_an_uncounted_programme_or_a_later_date_is_not_listed(
    graduates, ministry_analyst, client_as, history, clock
):
    client = client_as(ministry_analyst)
    frozen = client.post("/api/v1/reports/snapshots/", {"target": "AX-TRAINED", "as_of": "2026-10-01"}).data
    clock.move_to(TODAY + datetime.timedelta(1))
    history(
        factories.PersonFactory(), graduates.uncounted_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))]
    )
    history(factories.PersonFactory(), graduates.ms_x, admitted=D(2026, 11, 2), steps=[("enrolled", D(2026, 11, 2))])
    late = history(factories.PersonFactory(), graduates.ms_x, admitted=D(2026, 3, 2))
    registry_services.enrollment_transition(
        actor=None, enrollment=late, status="enrolled", effective_date=D(2026, 3, 2), reason="등록 누락 정정"
    )
    recomputed = client.get(f"/api/v1/reports/snapshots/{frozen['id']}/recompute/").data
    reasons = [(c["kind"], c["status"], c["reason"]) for c in recomputed["corrections"]]
    assert ("recorded_late", "enrolled", "등록 누락 정정") in reasons
    assert all(c["effective_date"] <= "2026-10-01" for c in recomputed["corrections"])
    # the late student's admission and registration; nothing of the uncounted programme nor after the date
    assert recomputed["corrections_total"] == len(recomputed["corrections"]) == 2


def test_an_operator_revises_a_target_from_a_date_in_the_admin(operator, client):
    client.force_login(operator)
    form = {
        "code": "AX-TRAINED",
        "value": "6000",
        "start_date": "2026-01-01",
        "deadline": "2030-12-31",
        "prior_completion_rate": "0.850",
        "prior_weight": "20",
        "note": "목표 상향",
    }
    response = client.post("/admin/reports/target/add/", {**form, "effective_from": "2027-01-01"})
    assert response.status_code == 302
    revised = Target.objects.get(code="AX-TRAINED", version=2)
    assert (revised.value, revised.effective_from, revised.created_by) == (6000, D(2027, 1, 1), operator)
    today = client.post("/admin/reports/target/add/", {**form, "value": "6500"})
    assert today.status_code == 302
    assert Target.objects.filter(code="AX-TRAINED").count() == 2  # today is before version 2's date: refused


def test_the_migration_carries_each_programme_s_flag_over_as_its_first_rule(campus):
    from django.apps import apps

    carry = importlib.import_module("talent.registry.migrations.0019_programme_counting_rules").carry_flags_over
    counted = Programme.objects.create(school=campus.ms_x.school, name_ko="옛 과정", degree_level="phd",
                                       normal_duration_months=48, counts_toward_target=True)  # fmt: skip
    carry(apps, None)
    rule = ProgrammeCountingRule.objects.get(programme=counted)
    assert (rule.counts, rule.effective_from) == (True, TODAY)
    # ... and in force before its date too: a report as of 2026-10-01 counts the programme.
    assert counted.pk in counting_rules.counting_programme_ids(on=D(2026, 10, 1))


def test_the_migration_gives_each_version_made_so_far_the_rules_recorded_by_its_creation(graduates, ministry_analyst):
    from django.apps import apps

    backfill = importlib.import_module(
        "talent.reports.migrations.0011_target_reads_the_rules_recorded_when_made"
    ).rules_recorded_by_each_version
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False
    )
    change = ProgrammeCountingRule.objects.latest("id")
    first_recorded = ProgrammeCountingRule.objects.earliest("id").created_at
    versions = Target.objects.filter(code="AX-TRAINED")
    with pgtrigger.ignore("reports.Target:target_versions_are_append_only"):
        versions.update(counting_rules_through=0)  # as the new column starts
        versions.filter(version=1).update(created_at=first_recorded - datetime.timedelta(days=1))
        versions.filter(version=2).update(created_at=change.created_at + datetime.timedelta(seconds=1))
        backfill(apps, None)
    assert list(versions.order_by("version").values_list("counting_rules_through", flat=True)) == [0, change.pk]


def _dashboard(user, language: str, query: str):
    page = Client()
    page.force_login(user)
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return page.get(f"/dashboard/{query}")


def test_the_dashboard_counts_a_past_date_under_the_version_asked_for_and_says_which(
    graduates, ministry_analyst, client_as
):
    registry_services.programme_set_counting(
        actor=ministry_analyst, programme=graduates.ms_y, counts_toward_target=False, note="부처 기준 변경"
    )
    unasked = _dashboard(ministry_analyst, "en", "?as_of=2026-10-01").content.decode()
    assert 'data-testid="achieved-AX-TRAINED" data-value="8"' in unasked  # the version in force then: 1
    assert 'data-testid="asked-AX-TRAINED"' not in unasked
    assert " selected>Version" not in unasked  # the picker offers the versions and asks for none

    asked = _dashboard(ministry_analyst, "en", "?as_of=2026-10-01&target=AX-TRAINED&version=2")
    page = asked.content.decode()
    assert asked.status_code == 200
    assert 'data-testid="achieved-AX-TRAINED" data-value="6"' in page
    assert achieved(client_as(ministry_analyst), D(2026, 10, 1), version=2) == (6, 2)  # the API's figure
    assert "Counted under version 2 of the counting rules, in force from 2026-12-03." in page
    assert (
        "Version 2 as asked: the version in force on 2026-10-01 is 1, and the official figures of that date are "
        "counted under it." in page
    )
    assert '<option value="2" selected>Version 2 from 2026-12-03</option>' in page
    # The other target counts under its own version in force; the downloads ask the API for the same version.
    assert "Counted under version 1" in page.split('data-testid="rules-OVERSEAS-RETURNED"')[1].split("</p>")[0]
    assert "/api/v1/reports/headcount/?target=AX-TRAINED&amp;as_of=2026-10-01&amp;version=2&amp;by=" in page
    outlook_link = "/api/v1/reports/outlook/?target=AX-TRAINED&amp;as_of=2026-10-01&amp;version=2&amp;format=csv"
    assert outlook_link in page
    outlook = client_as(ministry_analyst).get(html_unescape(outlook_link).replace("&format=csv", "")).data
    assert (outlook["target"]["version"], outlook["projection"]["achieved"]) == (2, 6)

    korean = _dashboard(ministry_analyst, "ko", "?as_of=2026-10-01&version=2").content.decode()  # target: AX-TRAINED
    assert "요청에 따라 버전 2(으)로 계산했습니다. 2026-10-01에 적용 중인 버전은 1이며" in korean


def test_the_dashboard_refuses_a_version_or_target_there_is_not_beside_its_field_as_the_api_does(
    graduates, ministry_analyst, client_as
):
    for language, words in (("ko", "버전 9"), ("en", "has no version 9")):
        refused = _dashboard(ministry_analyst, language, "?as_of=2026-10-01&version=9")
        page = refused.content.decode()
        assert refused.status_code == 400
        assert words in page.split('data-testid="error-version"')[1].split("</ul>")[0]
        assert 'aria-describedby="id_version_helptext id_version_error" aria-invalid="true"' in page
        # Meanwhile the page shows the date under the version in force, and says so.
        assert 'data-testid="achieved-AX-TRAINED" data-value="8"' in page
    api = client_as(ministry_analyst).get("/api/v1/reports/headcount/", {"by": "university", "version": 9})
    assert "has no version 9" in str(api.data)  # the API's words
    assert _dashboard(ministry_analyst, "en", "?version=abc").status_code == 400
    unknown = _dashboard(ministry_analyst, "en", "?target=NOPE&version=1").content.decode()
    assert "Unknown target “NOPE”" in unknown.split('data-testid="error-target"')[1].split("</ul>")[0]
