"""A query the API does not understand is refused (400, naming the parameter), never read as "no filter":
booleans other than true/false, empty filters, page numbers and sizes that are not whole numbers of 1 or more,
empty choices of the report queries. A typo must not pass for an answer."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(operator):
    client = APIClient()
    client.force_authenticate(user=operator)
    return client


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/problems/?remote=yes", "remote"),
        ("/api/v1/problems/?remote=", "remote"),
        ("/api/v1/problems/?remote=null", "remote"),
        ("/api/v1/organizations/?ksic_section=", "ksic_section"),
        ("/api/v1/organizations/?region=%20", "region"),
        ("/api/v1/enrollments/?school=", "school"),
        ("/api/v1/enrollments/?search=", "search"),
        ("/api/v1/enrollments/?admission_date_after=", "admission_date_after"),
        ("/api/v1/graduate-schools/?university=", "university"),
        ("/api/v1/programmes/?school=", "school"),
        ("/api/v1/organizations/?page_size=ten", "page_size"),
        ("/api/v1/organizations/?page_size=0", "page_size"),
        ("/api/v1/organizations/?page=", "page"),
        ("/api/v1/organizations/?page=-1", "page"),
        ("/api/v1/statistics/enrollments/?by=", "by"),
        ("/api/v1/reports/headcount/?by=university&target=", "target"),
        ("/api/v1/reports/trajectory/?target=", "target"),
    ],
)
def test_a_query_value_the_api_does_not_understand_is_refused_naming_it(api, path, parameter):
    response = api.get(path)
    assert response.status_code == 400, (path, response.status_code, response.content[:300])
    assert parameter in response.json()["errors"], response.json()


def test_the_same_filters_with_values_they_understand_answer(api, company, other_company):
    assert api.get("/api/v1/problems/?remote=true").status_code == 200
    assert api.get("/api/v1/problems/?remote=false&page=1&page_size=5").status_code == 200
    shown = api.get(f"/api/v1/organizations/?ksic_section={company.ksic_section}&page_size=100").json()["results"]
    assert company.pk in {row["id"] for row in shown}
    assert api.get("/api/v1/statistics/enrollments/?by=university").status_code == 200


def test_a_page_size_above_the_largest_is_cut_to_it(api):
    """Documented: at most 100 rows a page; more is cut, not refused."""
    assert api.get("/api/v1/organizations/?page_size=1000").status_code == 200
