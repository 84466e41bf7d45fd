"""The outlook of a "trained" target from the registry: the projection's inputs read from the events (as of any
date), the intake plans in force, what it takes, the back-test, the page, the API and the downloads."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.test import Client

from talent.reports import intake, outlook, projection
from talent.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import D, graduate

TODAY = D(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today(clock):
    clock.move_to(TODAY)


@pytest.fixture
def registry(campus, history):
    """Master's students of X: two admitted 2024-03-04 who graduated on 2026-02-20 (trained), three admitted
    2025-03-03 still enrolled, one who withdrew after registering (2025-06-30), one who declined before
    registering (not a departure); a doctoral student admitted 2025-09-01, enrolled; a student of a programme
    that does not count."""
    for _ in range(2):
        history(
            factories.PersonFactory(),
            campus.ms_x,
            admitted=D(2024, 3, 4),
            steps=graduate(D(2024, 3, 4), D(2025, 12, 20), D(2026, 2, 20)),
        )
    for _ in range(3):
        history(factories.PersonFactory(), campus.ms_x, admitted=D(2025, 3, 3), steps=[("enrolled", D(2025, 3, 3))])
    history(
        factories.PersonFactory(),
        campus.ms_y,
        admitted=D(2025, 3, 3),
        steps=[("enrolled", D(2025, 3, 3)), ("withdrawn", D(2025, 6, 30))],
    )
    history(
        factories.PersonFactory(),
        campus.ms_y,
        admitted=D(2025, 3, 3),
        admitted_on=D(2025, 1, 10),
        steps=[("withdrawn", D(2025, 2, 20))],
    )
    history(factories.PersonFactory(), campus.phd_x, admitted=D(2025, 9, 1), steps=[("enrolled", D(2025, 9, 1))])
    history(factories.PersonFactory(), campus.uncounted_x, admitted=D(2025, 3, 3), steps=[("enrolled", D(2025, 3, 3))])
    return campus


def test_the_registry_becomes_the_projections_inputs(registry, trained_target):
    flows = outlook.flows_on(scope=ReportScope(), target=trained_target, as_of=TODAY)
    assert flows.active == [
        projection.ActiveGroup("ms", D(2025, 3, 3), 3),
        projection.ActiveGroup("phd", D(2025, 9, 1), 1),
    ]
    ms = flows.observations["ms"]
    # 2024-03-04 → 2026-02-20 is 718 days = 23.6 months → 24; 2025-03-03 → 2025-06-30 is 119 days → 4;
    # the students still enrolled are censored at 2025-03-03 → 2026-12-03 (640 days = 21.0 months).
    assert (ms.graduated, ms.left, ms.fast_tracked, ms.active) == ((24, 24), (4,), (), (21, 21, 21))
    assert flows.observations["phd"].active == (15,)
    assert flows.normal_months["ms"] == 24 and flows.normal_months["phd"] == 48


def test_as_of_a_past_date_the_inputs_are_what_was_known_then(registry, trained_target):
    flows = outlook.flows_on(scope=ReportScope(), target=trained_target, as_of=D(2025, 5, 1))
    # The 2024 students were active (not yet graduated), the withdrawal had not happened, the doctorate not begun.
    assert flows.active == [
        projection.ActiveGroup("ms", D(2024, 3, 4), 2),
        projection.ActiveGroup("ms", D(2025, 3, 3), 4),
    ]
    assert flows.observations["ms"].graduated == () and flows.observations["ms"].left == ()


def test_a_universitys_outlook_counts_its_own_students_and_plans(registry, trained_target):
    own = outlook.flows_on(scope=ReportScope(university=registry.university_y), target=trained_target, as_of=TODAY)
    assert own.active == [] and own.observations["ms"].left == (4,)


def test_planned_cohorts_add_graduates_and_a_school_without_a_plan_is_named(registry, trained_target, ministry_analyst):
    school_x = registry.ms_x.school
    intake.intake_plan_set(actor=ministry_analyst, school=school_x, year=2027, degree_level="ms", intake=100)
    without = outlook.outlook_of(
        scope=ReportScope(), target=trained_target, as_of=TODAY, achieved=2, plans=[], paths=200, backtest=False
    )
    with_plans = outlook.outlook_of(
        scope=ReportScope(), target=trained_target, as_of=TODAY, achieved=2, paths=200, backtest=False
    )
    assert without.projection.from_plans == 0
    # 100 master's entering 2027-03-01: at least the prior's on-time share graduates by 2029-12-31.
    assert with_plans.projection.from_plans > 0.6 * 100 * 0.5
    assert with_plans.projection.expected == pytest.approx(
        without.projection.expected + with_plans.projection.from_plans
    )
    assert with_plans.planned_by_year == {2027: 100}
    assert with_plans.unplanned[2027] == ["누리 AX 대학원"]
    assert sorted(with_plans.unplanned[2028]) == ["누리 AX 대학원", "한빛 AX 대학원"]
    assert not with_plans.confident and set(with_plans.thin) == {"ms", "phd"}


def test_what_it_takes_reaches_the_target_when_it_is_planned(registry, trained_target):
    value = outlook.outlook_of(
        scope=ReportScope(), target=trained_target, as_of=TODAY, achieved=2, paths=0, backtest=False
    )
    needed = value.requirement.intake_per_year
    assert needed is not None and needed > 1_000  # 5,000 from almost nothing in four intakes
    plans = [projection.PlannedCohort("all", year, level, round(needed * share))
             for year in range(2027, 2031) for level, share in value.mix.items()]  # fmt: skip
    reached = outlook.outlook_of(
        scope=ReportScope(), target=trained_target, as_of=TODAY, achieved=2, plans=plans, paths=0, backtest=False
    )
    assert reached.projection.expected == pytest.approx(trained_target.value, rel=0.002)


def test_the_backtest_sets_last_years_projection_beside_todays_count(registry, trained_target):
    value = outlook.outlook_of(scope=ReportScope(), target=trained_target, as_of=TODAY, achieved=2, paths=500)
    backtest = value.backtest
    assert backtest is not None
    assert (backtest.made_on, backtest.for_date, backtest.actual) == (D(2025, 12, 3), TODAY, 2)
    # A year ago two master's students were 21 months in: the prior expected most of them to graduate by now.
    assert 0.5 < backtest.expected < 2
    assert backtest.error == pytest.approx(backtest.expected - 2)
    assert backtest.in_band == (backtest.low <= 2 <= backtest.high)


def test_no_backtest_without_anyone_a_year_ago(campus, trained_target):
    assert outlook.backtest_of(scope=ReportScope(), target=trained_target, as_of=TODAY, achieved=0, paths=10) is None


# --- Page, API and downloads --------------------------------------------------------------------------------


def client_for(user, language="ko") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_api_gives_the_outlook_and_refuses_a_target_of_returns(registry, ministry_analyst):
    client = client_for(ministry_analyst, "en")
    data = client.get("/api/v1/reports/outlook/").json()
    assert data["projection"]["achieved"] == 2 and data["confident"] is False
    assert data["projection"]["low"] <= data["projection"]["expected"] <= data["projection"]["high"] + 1
    assert data["backtest"]["actual"] == 2
    assert {row["level"] for row in data["rates"]} >= {"ms", "phd"}
    refused = client.get("/api/v1/reports/outlook/?target=OVERSEAS-RETURNED")
    assert refused.status_code == 400 and "OVERSEAS-RETURNED" in refused.json()["errors"]["target"][0]


def test_the_download_carries_the_band_and_the_assumptions(registry, ministry_analyst):
    response = client_for(ministry_analyst, "en").get("/api/v1/reports/outlook/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Year", "Until", "Expected trained (cumulative)", "10th percentile", "90th percentile"]
    assert [row[0] for row in rows[1:6]] == ["2026", "2027", "2028", "2029", "2030"]
    notes = {row[0]: row[1] for row in rows if len(row) == 2}
    assert notes["Prior completion rate"] == "0.85" and "10,000" in notes["Band"]
    assert notes["Too little data for one figure"] == "yes"
    xlsx = client_for(ministry_analyst).get("/api/v1/reports/outlook/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


@pytest.mark.parametrize(
    ("language", "thin", "takes"), [("en", "Too little data", "What it takes:"), ("ko", "데이터가 부족", "필요한 입학")]
)
def test_the_dashboard_reads_the_outlook_in_both_languages(registry, ministry_analyst, language, thin, takes):
    page = client_for(ministry_analyst, language).get("/dashboard/").content.decode()
    sentence = page.split('data-testid="outlook-sentence-AX-TRAINED"')[1].split("</p>")[0]
    assert thin in sentence and 'data-confident="false"' in sentence
    assert takes in page.split('data-testid="what-it-takes-AX-TRAINED"')[1].split("</p>")[0]
    assert 'data-testid="backtest-AX-TRAINED"' in page and 'class="band-area"' in page
    assert 'data-testid="outlook-OVERSEAS-RETURNED"' not in page
