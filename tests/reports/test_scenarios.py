"""Scenarios on the planned intake: trained-by-deadline moves, a named scenario is saved with its figures, no plan
and no official figure changes; a year outside the target period, one already entered and a scenario with no
effect are refused beside the field. And the outlook frozen in a snapshot."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from talent.common.errors import InvalidInput, NotAllowed
from talent.registry.models import GraduateSchool
from talent.reports import intake, projection, scenarios, services
from talent.reports.models import IntakePlan, Scenario, ScenarioKind
from tests import factories
from tests.reports.conftest import D, graduate

TODAY = D(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today(clock):
    clock.move_to(TODAY)


@pytest.fixture
def planned(campus, history, ministry_analyst):
    for _ in range(2):
        history(factories.PersonFactory(), campus.ms_x, admitted=D(2024, 3, 4),
                steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)))  # fmt: skip
    for year in (2027, 2028):
        intake.intake_plan_set(
            actor=ministry_analyst, school=campus.ms_x.school, year=year, degree_level="ms", intake=50
        )
    return campus


def change(**kwargs) -> scenarios.Change:
    return scenarios.Change(**{"kind": ScenarioKind.ALL_SCHOOLS, "from_year": 2027, **kwargs})


def test_apply_change_on_hand_made_plans():
    plans = [projection.PlannedCohort("1", 2027, "ms", 50), projection.PlannedCohort("1", 2028, "ms", 50)]
    assert [p.intake for p in scenarios.apply_change(plans, change(percent=20, from_year=2028), last_year=2030)] == [
        50,
        60,
    ]
    added = scenarios.apply_change(plans, change(kind=ScenarioKind.NEW_SCHOOLS, schools=2, intake=30), last_year=2028)
    assert sum(p.intake for p in added) == 100 + 2 * 2 * 30
    school = cast(GraduateSchool, SimpleNamespace(pk=1))
    one = scenarios.apply_change(plans, change(kind=ScenarioKind.ONE_SCHOOL, school=school, intake=80), last_year=2028)
    assert sorted(p.intake for p in one) == [80, 80]


def test_more_intake_trains_more_and_changes_no_official_figure(planned, ministry_analyst):
    plans_before = list(IntakePlan.objects.values_list("pk", "intake"))
    more = scenarios.scenario_run(user=ministry_analyst, change=change(percent=100), code="AX-TRAINED")
    assert more.scenario.expected > more.planned.expected + 30  # 100 more master's entrants, most graduate by 2030
    assert (more.planned_entrants, more.scenario_entrants) == (100, 200)
    saved = scenarios.scenario_save(user=ministry_analyst, result=more, name="정원 두 배")
    assert Scenario.objects.get().figures["scenario"]["expected"] == pytest.approx(more.scenario.expected)
    assert saved.parameters["percent"] == 100
    assert list(IntakePlan.objects.values_list("pk", "intake")) == plans_before


def test_new_schools_from_a_year_move_the_figure(planned, ministry_analyst):
    result = scenarios.scenario_run(
        user=ministry_analyst, change=change(kind=ScenarioKind.NEW_SCHOOLS, schools=3, intake=40), code="AX-TRAINED"
    )
    assert result.moved > 0 and result.scenario_entrants == 100 + 3 * 40 * 4


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"from_year": 2031}, "from_year"),
        ({"from_year": 2025}, "from_year"),
        ({"from_year": 2026}, "from_year"),  # its intake happened on 1 March
        ({"percent": 0}, "non_field_errors"),  # no plan changes
        # Entrants of 2030 cannot graduate by 2030-12-31.
        ({"from_year": 2030, "kind": ScenarioKind.NEW_SCHOOLS, "schools": 2, "intake": 40}, "from_year"),
    ],
)
def test_refusals_name_the_field(planned, ministry_analyst, asked, field):
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        scenarios.scenario_run(user=ministry_analyst, change=change(**asked), code="AX-TRAINED")
    assert field in (refused.value.errors or {refused.value.field or "non_field_errors": []})


def test_only_the_ministry_runs_scenarios(planned, company_member):
    with pytest.raises(NotAllowed):
        scenarios.scenario_run(user=company_member, change=change(percent=10), code="AX-TRAINED")


def client_for(user, language="ko") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_page_shows_the_effect_saves_it_and_refuses_beside_the_field(planned, ministry_analyst):
    client = client_for(ministry_analyst)
    shown = client.post(
        "/reports/scenarios/", {"kind": "all_schools", "from_year": 2027, "percent": 50, "action": "try"}
    )
    assert shown.status_code == 200 and 'data-testid="scenario-result"' in shown.content.decode()
    saved = client.post(
        "/reports/scenarios/",
        {"kind": "all_schools", "from_year": 2027, "percent": 50, "name": "50% 증원", "action": "save"},
    )
    assert "50% 증원" in saved.content.decode().split('data-testid="saved-scenarios"')[1]
    refused = client_for(ministry_analyst, "en").post(
        "/reports/scenarios/", {"kind": "all_schools", "from_year": 2031, "percent": 5}
    )
    assert refused.status_code == 400
    assert "target period" in refused.content.decode().split('data-testid="error-from_year"')[1].split("</ul>")[0]
    assert client_for(factories.UserFactory()).get("/reports/scenarios/").status_code == 403


def test_the_api_runs_and_saves_a_scenario(planned, ministry_analyst):
    client = client_for(ministry_analyst)
    body = {"kind": "new_schools", "from_year": 2027, "schools": 2, "intake": 40}
    tried = client.post("/api/v1/reports/scenarios/", body, content_type="application/json")
    assert tried.status_code == 200 and tried.json()["moved"] > 0 and tried.json()["saved"] is None
    kept = client.post("/api/v1/reports/scenarios/", {**body, "name": "신규 2곳"}, content_type="application/json")
    assert kept.status_code == 201
    assert [s["name"] for s in client.get("/api/v1/reports/scenarios/").json()] == ["신규 2곳"]


def test_a_snapshot_freezes_the_outlook(planned, ministry_analyst):
    snapshot = services.snapshot_freeze(actor=ministry_analyst, code="AX-TRAINED")
    frozen = snapshot.figures["outlook"]
    assert frozen["projection"]["achieved"] == 2 and frozen["planned_by_year"] == {"2027": 50, "2028": 50}
    assert not services.snapshot_recompute(snapshot=snapshot).changed
    intake.intake_plan_set(actor=ministry_analyst, school=planned.ms_x.school, year=2028, degree_level="ms", intake=90)
    changes = {c.figure for c in services.snapshot_recompute(snapshot=snapshot).changes}
    assert "outlook.planned_by_year.2028" in changes


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"percent": -150}, "percent"),
        ({"kind": ScenarioKind.ONE_SCHOOL, "intake": 30}, "school"),
        ({"kind": ScenarioKind.NEW_SCHOOLS, "schools": 2, "intake": 20_000}, "intake"),
        ({"kind": ScenarioKind.NEW_SCHOOLS, "schools": 0, "intake": 30}, "schools"),
    ],
)
def test_figures_out_of_bounds_are_refused_beside_their_field(trained_target, asked, field):
    assert field in scenarios._refusals(change(**asked), trained_target, TODAY)


def test_saving_needs_a_name_and_the_ministry(planned, ministry_analyst, company_member):
    result = scenarios.scenario_run(user=ministry_analyst, change=change(percent=50), code="AX-TRAINED")
    with pytest.raises(InvalidInput):
        scenarios.scenario_save(user=ministry_analyst, result=result, name="  ")
    with pytest.raises(NotAllowed):
        scenarios.scenario_save(user=company_member, result=result, name="몰래")
    with pytest.raises(NotAllowed):
        scenarios.scenario_list(user=company_member)
    assert not Scenario.objects.exists()


def test_the_page_runs_under_the_version_in_force_or_the_one_asked_for_and_names_it(planned, ministry_analyst, clock):
    """Version 2 (from 2027) ends the period in 2027: none of 2027's entrants can graduate by then, so the same
    scenario that moves the figure under version 1 is refused under version 2."""
    services.target_revise(
        actor=ministry_analyst, code="AX-TRAINED", deadline=D(2027, 12, 31), effective_from=D(2027, 1, 1), note="단축"
    )
    client = client_for(ministry_analyst, "en")
    asked = {"kind": "all_schools", "from_year": 2027, "percent": 50, "action": "save"}
    today = client.get("/reports/scenarios/").content.decode()
    assert "Counted under version 1 of the counting rules, in force from 2026-01-01." in today
    assert "trained by 2030-12-31" in today
    under_1 = client.post("/reports/scenarios/", {**asked, "name": "v1"})
    assert under_1.status_code == 200 and 'data-testid="scenario-result"' in under_1.content.decode()

    under_2 = client.post("/reports/scenarios/?version=2", {**asked, "name": "v2"})
    page = under_2.content.decode()
    assert under_2.status_code == 400
    assert "Counted under version 2 of the counting rules, in force from 2027-01-01." in page
    assert "by 2027-12-31" in page.split('data-testid="error-from_year"')[1].split("</ul>")[0]
    assert [(s.name, s.target.version) for s in Scenario.objects.all()] == [("v1", 1)]
    assert "<td>2027</td><td>1</td>" in page.split('data-testid="saved-scenarios"')[1]  # its version is shown

    clock.move_to(D(2027, 1, 4))  # version 2 is in force: the page uses it unasked, version 1 when asked
    client = client_for(ministry_analyst, "en")  # a month on, the session has expired
    assert "version 2 of the counting rules" in client.get("/reports/scenarios/").content.decode()
    again = client.post("/reports/scenarios/?version=1", {**asked, "name": "v1 again"})
    assert again.status_code == 200 and "version 1 of the counting rules" in again.content.decode()
    assert Scenario.objects.get(name="v1 again").target.version == 1


def test_the_page_refuses_a_version_the_target_does_not_have_beside_it_and_runs_nothing(planned, ministry_analyst):
    for language, words in (("ko", "버전 9"), ("en", "no version 9")):
        page = client_for(ministry_analyst, language).post(
            "/reports/scenarios/?version=9",
            {"kind": "all_schools", "from_year": 2027, "percent": 50, "name": "몰래", "action": "save"},
        )
        assert page.status_code == 400
        assert words in page.content.decode().split('data-testid="error-version"')[1].split("</ul>")[0]
        assert 'data-testid="scenario-result"' not in page.content.decode()
    assert client_for(ministry_analyst).get("/reports/scenarios/?version=abc").status_code == 400
    assert not Scenario.objects.exists()


def test_the_api_runs_a_scenario_under_the_version_asked_for_and_names_it(planned, ministry_analyst):
    services.target_revise(
        actor=ministry_analyst, code="AX-TRAINED", deadline=D(2027, 12, 31), effective_from=D(2027, 1, 1), note="단축"
    )
    client = client_for(ministry_analyst)
    body = {"kind": "all_schools", "from_year": 2027, "percent": 50}
    today = client.post("/api/v1/reports/scenarios/", {**body, "name": "오늘"}, content_type="application/json")
    assert (today.status_code, today.json()["target_version"]) == (201, 1)
    refused = client.post("/api/v1/reports/scenarios/", {**body, "version": 2}, content_type="application/json")
    assert refused.status_code == 400 and "from_year" in refused.json()["errors"]
    unknown = client.post("/api/v1/reports/scenarios/", {**body, "version": 9}, content_type="application/json")
    assert unknown.status_code == 400 and "version" in unknown.json()["errors"]
    assert [s["target_version"] for s in client.get("/api/v1/reports/scenarios/").json()] == [1]


def test_a_saved_scenario_names_the_version_it_was_counted_under_and_its_table_heads_names_as_names(
    planned, ministry_analyst
):
    """The result and the saved message name the version the scenario ran under (read from the result); the
    saved table's first column is a scenario's 이름, not a person's 성명."""
    services.target_revise(actor=ministry_analyst, code="AX-TRAINED", value=6000, note="상향")  # version 2, today
    asked = {"kind": "all_schools", "from_year": 2027, "percent": 50, "action": "save"}
    saved = client_for(ministry_analyst, "en").post("/reports/scenarios/?version=1", {**asked, "name": "v1"}).content
    effect = saved.decode().split('data-testid="scenario-rules"')[1].split("</p>")[0]
    assert "Counted under version 1 of the counting rules, in force from 2026-01-01." in effect
    assert "Scenario “v1” saved, counted under version 1." in saved.decode()
    ko = client_for(ministry_analyst).post("/reports/scenarios/", {**asked, "name": "v2"}).content.decode()
    assert "산정 기준 버전 2(2026-12-03부터 적용)으로 계산했습니다." in ko.split('data-testid="scenario-rules"')[1]
    assert "산정 기준 버전 2)" in ko.split('data-testid="messages"')[1].split("</ul>")[0]
    head = ko.split('data-testid="saved-scenarios"')[1].split("</thead>")[0]
    assert '<th scope="col">이름</th>' in head and "성명" not in head
    english = client_for(ministry_analyst, "en").get("/reports/scenarios/").content.decode()
    assert '<th scope="col">Name</th>' in english.split('data-testid="saved-scenarios"')[1].split("</thead>")[0]
    with translation.override("ko"):  # people's names keep their label
        assert translation.gettext("Name") == "성명"
