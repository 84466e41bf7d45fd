"""A seeded target that is missing (its rows removed, as a transactional test's flush does) makes the intake plans
and scenarios pages say so, with who restores it, instead of failing with a server error; the API answers 409
with the same message. A code no target ever had stays the caller's mistake (400)."""

from __future__ import annotations

import pgtrigger
import pytest
from django.test import Client
from rest_framework.test import APIClient

from talent.reports.models import Target

MISSING = (
    "The target “AX-TRAINED” is not defined in this registry, so there is nothing to plan or project against. "
    "An operator adds it again in the admin (Reports › Targets); no other data is lost."
)


@pytest.fixture
def without_ax_trained(db):
    with pgtrigger.ignore("reports.Target:target_no_delete"):
        Target.objects.filter(code="AX-TRAINED").delete()
    assert Target.objects.filter(code="OVERSEAS-RETURNED").exists()


def page_client(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("url", ["/reports/intake/", "/reports/scenarios/"])
def test_the_pages_say_the_target_is_missing_and_who_restores_it(without_ax_trained, ministry_analyst, url):
    response = page_client(ministry_analyst).get(url)

    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="target-missing" data-target="AX-TRAINED"' in page
    assert MISSING in page
    assert 'data-testid="add-target"' not in page, "only an operator can add it"


def test_the_dashboard_shows_the_other_targets_and_refuses_the_missing_one_beside_its_field(
    without_ax_trained, ministry_analyst
):
    client = page_client(ministry_analyst)
    shown = client.get("/dashboard/")
    asked = client.get("/dashboard/", {"target": "AX-TRAINED", "version": "1"})

    assert shown.status_code == 200
    assert 'data-target="OVERSEAS-RETURNED"' in shown.content.decode()
    assert 'data-target="AX-TRAINED"' not in shown.content.decode()
    assert asked.status_code == 400
    assert MISSING in asked.content.decode()


def test_an_operator_gets_the_way_to_add_it_in_korean(without_ax_trained, operator):
    page = page_client(operator, "ko").get("/reports/intake/").content.decode()

    assert "이 등록부에 목표 “AX-TRAINED”가 정의되어 있지 않아" in page
    assert 'href="/admin/reports/target/add/"' in page


def test_the_api_answers_409_with_the_same_message(without_ax_trained, ministry_analyst):
    outlook = api(ministry_analyst).get("/api/v1/reports/outlook/")
    scenario = api(ministry_analyst).post("/api/v1/reports/scenarios/", {"kind": "all_schools", "from_year": 2028})
    unknown = api(ministry_analyst).get("/api/v1/reports/outlook/", {"target": "NO-SUCH"})

    for response in (outlook, scenario):
        assert response.status_code == 409
        assert (response.json()["code"], response.json()["errors"]) == ("target_missing", {"target": [MISSING]})
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["target"] == ["Unknown target “NO-SUCH”; use one of: OVERSEAS-RETURNED."]


def test_the_intake_plans_api_needs_no_target(without_ax_trained, ministry_analyst):
    assert api(ministry_analyst).get("/api/v1/reports/intake-plans/").status_code == 200


def test_with_the_target_the_pages_are_there(ministry_analyst):
    assert page_client(ministry_analyst).get("/reports/intake/").status_code == 200
    assert page_client(ministry_analyst).get("/reports/scenarios/").status_code == 200
