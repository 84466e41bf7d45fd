"""The target reports, their breakdowns, the dashboard and the registry's statistics follow one set of rules:
who may read them, whose figures they show, how a group is named, what "unspecified" is, and which dates
they may be as of. Every expected value below is written out by hand.

The registry (talent.reports' campus): 한빛대학교 (Seoul) and 누리대학교 (Busan), a master's programme each.
- 박지훈 (male) enrolled at 한빛 on 2026-03-02; 최수아 (no gender given) enrolled at 누리 on 2026-03-02;
- 이서연 returned from overseas on 2026-04-01 through Brain Pool, now at 누리대학교;
- 강도현 returned on 2026-05-01 without saying through which programme, no Korean affiliation yet.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories
from tests.reports.conftest import D
from tests.targets import seed_targets_if_flushed

AS_OF = "2026-10-01"
READERS_ONLY = {
    "en": "Only the ministry, university staff or an operator may see the reports.",
    "ko": "보고서는 부처, 대학 담당자 또는 운영자만 조회할 수 있습니다.",
}
READ_URLS = [
    "/api/v1/reports/targets/",
    "/api/v1/reports/headcount/?by=university",
    "/api/v1/reports/trajectory/",
    "/api/v1/statistics/registry/",
    "/api/v1/statistics/enrollments/",
    "/api/v1/statistics/field-projects/",
]


@pytest.fixture(autouse=True)
def seeded_targets(db):
    """The targets the data migration seeds (a transactional test earlier on this worker may have flushed them)."""
    seed_targets_if_flushed()  # a transactional test earlier on this worker may have flushed them


@pytest.fixture
def stack(campus, history):
    jihun = factories.PersonFactory(family_name_ko="박", given_name_ko="지훈", gender="male")
    history(jihun, campus.ms_x, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    sua = factories.PersonFactory(family_name_ko="최", given_name_ko="수아")
    history(sua, campus.ms_y, admitted=D(2026, 3, 2), steps=[("enrolled", D(2026, 3, 2))])
    factories.ResearcherProfileFactory(
        person=factories.PersonFactory(family_name_ko="이", given_name_ko="서연"),
        return_date=D(2026, 4, 1),
        return_programme="brain_pool",
        korean_affiliation=campus.university_y,
    )
    factories.ResearcherProfileFactory(
        person=factories.PersonFactory(family_name_ko="강", given_name_ko="도현"), return_date=D(2026, 5, 1)
    )
    return campus


def api(user, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user=user)
    return client


def staff_of(university):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organization=university)
    return user


def labels_of(rows: list[dict]) -> list[str]:
    return [row["label"] for row in rows]


# --- Who may read -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["company_member", "researcher", "outsider"])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_report_and_statistic_refuses_the_same_users_in_the_same_words(request, actor, language):
    client = api(request.getfixturevalue(actor), language)
    for url in READ_URLS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.data["detail"] == READERS_ONLY[language], url


@pytest.mark.parametrize("actor", ["ministry_analyst", "operator", "university_staff"])
def test_every_report_and_statistic_is_open_to_the_same_readers(request, actor):
    client = api(request.getfixturevalue(actor))
    for url in READ_URLS:
        assert client.get(url).status_code == 200, url


# --- Whose figures ----------------------------------------------------------------------------------------


def test_a_university_reads_its_own_figures_in_every_table(stack):
    client = api(staff_of(stack.university_y))

    targets = client.get("/api/v1/reports/targets/", {"as_of": AS_OF}).data["targets"]
    assert {t["target"]["code"]: (t["scope"], t["national"]) for t in targets} == {
        "AX-TRAINED": ("Nuri University", False),
        "OVERSEAS-RETURNED": ("Nuri University", False),
    }
    returned = next(t for t in targets if t["target"]["code"] == "OVERSEAS-RETURNED")
    assert returned["achieved"] == 1  # 이서연, who works there; 강도현 works nowhere yet
    headcount = client.get("/api/v1/reports/headcount/", {"by": "university", "as_of": AS_OF}).data
    assert labels_of(headcount["rows"]) == ["Nuri University"]
    statistics = client.get("/api/v1/statistics/enrollments/", {"by": "university", "as_of": AS_OF}).data
    assert labels_of(statistics["groups"]) == ["Nuri University"]
    assert (statistics["total"]["enrollments"], statistics["total"]["persons"]) == (1, 1)
    totals = client.get("/api/v1/statistics/registry/").data
    assert totals["persons"] == 2  # 최수아 and 이서연
    assert totals["returning_researchers_by_programme"]["total"] == 1


def test_the_ministry_reads_the_whole_country_in_every_table(stack, ministry_analyst):
    client = api(ministry_analyst)

    targets = client.get("/api/v1/reports/targets/", {"as_of": AS_OF}).data["targets"]
    assert {t["scope"] for t in targets} == {"National"}
    headcount = client.get("/api/v1/reports/headcount/", {"by": "university", "as_of": AS_OF}).data
    assert labels_of(headcount["rows"]) == ["Hanbit University", "Nuri University"]
    statistics = client.get("/api/v1/statistics/enrollments/", {"by": "university", "as_of": AS_OF}).data
    assert labels_of(statistics["groups"]) == ["Hanbit University", "Nuri University"]
    assert client.get("/api/v1/statistics/registry/").data["persons"] == 4


# --- How a group is named ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "by", "expected"),
    [
        ("en", "university", ["Hanbit University", "Nuri University"]),
        ("ko", "university", ["누리대학교", "한빛대학교"]),
        ("en", "region", ["Busan Metropolitan City", "Seoul Metropolitan City"]),
        ("ko", "region", ["부산광역시", "서울특별시"]),
        ("en", "degree_level", ["Master's"]),
    ],
)
def test_a_group_has_the_same_name_in_the_reports_and_the_statistics(stack, ministry_analyst, language, by, expected):
    client = api(ministry_analyst, language)

    headcount = client.get("/api/v1/reports/headcount/", {"by": by, "as_of": AS_OF}).data
    statistics = client.get("/api/v1/statistics/enrollments/", {"by": by, "as_of": AS_OF}).data
    assert labels_of(headcount["rows"]) == expected
    assert labels_of(statistics["groups"]) == expected


def test_a_group_has_the_same_key_in_the_reports_and_the_statistics(stack, ministry_analyst):
    client = api(ministry_analyst)

    headcount = client.get("/api/v1/reports/headcount/", {"by": "university", "as_of": AS_OF}).data
    statistics = client.get("/api/v1/statistics/enrollments/", {"by": "university", "as_of": AS_OF}).data
    expected = [str(stack.university_x.pk), str(stack.university_y.pk)]
    assert [row["key"] for row in headcount["rows"]] == expected
    assert [group["key"] for group in statistics["groups"]] == expected


# --- Unspecified ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "label"), [("en", "Unspecified"), ("ko", "미지정")])
def test_a_missing_value_is_unspecified_named_alike_and_listed_last(stack, ministry_analyst, language, label):
    client = api(ministry_analyst, language)

    by_programme = client.get(
        "/api/v1/reports/headcount/", {"target": "OVERSEAS-RETURNED", "by": "return_programme", "as_of": AS_OF}
    ).data
    assert [(r["key"], r["counts"]["achieved"]) for r in by_programme["rows"]] == [
        ("brain_pool", 1),
        ("unspecified", 1),
    ]
    assert by_programme["rows"][-1]["label"] == label
    by_gender = client.get("/api/v1/reports/headcount/", {"by": "gender", "as_of": AS_OF}).data
    assert [(r["key"], r["counts"]["enrolled"]) for r in by_gender["rows"]] == [("male", 1), ("unspecified", 1)]
    assert by_gender["rows"][-1]["label"] == label
    totals = client.get("/api/v1/statistics/registry/").data["returning_researchers_by_programme"]
    assert totals["counts"]["unspecified"] == 1
    assert totals["counts"]["brain_pool"] == 1
    assert totals["total"] == 2


# --- Which date -------------------------------------------------------------------------------------------

FUTURE_REFUSED = {
    "en": "A report is as of today or a past date: {date} is in the future.",
    "ko": "보고서 기준일은 오늘 또는 과거 날짜여야 합니다. 입력한 날짜({date})는 미래 날짜입니다.",
}
DATED_URLS = [
    "/api/v1/reports/targets/",
    "/api/v1/reports/headcount/?by=university",
    "/api/v1/reports/trajectory/",
    "/api/v1/statistics/enrollments/",
    "/api/v1/statistics/field-projects/",
]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_future_date_is_refused_by_every_dated_table_in_the_same_words(ministry_analyst, language):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    expected = FUTURE_REFUSED[language].format(date=tomorrow)
    client = api(ministry_analyst, language)
    for url in DATED_URLS:
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}as_of={tomorrow}")
        assert response.status_code == 400, url
        assert response.data["errors"] == {"as_of": [expected]}, url


def test_the_dashboard_refuses_a_future_date_in_the_same_words(ministry_analyst):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client = Client()
    client.force_login(ministry_analyst)
    html = client.get(f"/dashboard/?lang=ko&as_of={tomorrow}").content.decode()
    assert FUTURE_REFUSED["ko"].format(date=tomorrow) in html


def test_today_is_a_date_every_table_accepts(ministry_analyst):
    today = timezone.localdate().isoformat()
    client = api(ministry_analyst)
    for url in DATED_URLS:
        separator = "&" if "?" in url else "?"
        assert client.get(f"{url}{separator}as_of={today}").status_code == 200, url


def test_statistics_without_a_date_are_today_s(stack, ministry_analyst):
    client = api(ministry_analyst)
    today = timezone.localdate().isoformat()

    undated = client.get("/api/v1/statistics/enrollments/", {"by": "university"}).data
    dated = client.get("/api/v1/statistics/enrollments/", {"by": "university", "as_of": today}).data
    assert undated["as_of"] == today
    assert undated == dated
    assert (undated["total"]["enrollments"], undated["total"]["persons"]) == (2, 2)
    assert undated["total"]["by_status"]["enrolled"] == {"enrollments": 2, "persons": 2}
