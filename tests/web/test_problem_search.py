"""A company's problem list: searched by words of the title or description, filtered by status and KSIC section
(shown by name), the same filters as the API's; a new problem nearly the same as an open one of the company is
warned of before it is saved."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from talent.registry import services
from talent.registry.models import FieldProblem
from talent.registry.selectors import near_duplicate
from tests import factories

WELD = {
    "title": "용접 불량 자동 검출",
    "description": "생산 라인의 용접 이미지를 분석하여 용접 불량을 실시간으로 검출하고자 합니다.",
}


@pytest.fixture
def problems(company, company_member):
    opened = services.field_problem_create(
        actor=company_member,
        organization=company,
        title=WELD["title"],
        description=WELD["description"],
        ksic_section="C",
        region="KR-41",
    )
    services.field_problem_open(actor=company_member, problem=opened)
    draft = services.field_problem_create(
        actor=company_member,
        organization=company,
        title="물류 창고 재고 예측",
        description="창고의 출고 기록으로 재고 수요를 예측합니다.",
        ksic_section="H",
        region="KR-11",
    )
    factories.FieldProblemFactory(organization=factories.CompanyFactory(), title="용접 품질 예측")
    return opened, draft


def listed(client, **query) -> str:
    return client.get("/company/", query).content.decode()


def test_search_matches_words_of_the_title_or_the_description(client_for, company_member, problems):
    opened, draft = problems
    client = client_for(company_member)

    by_description = listed(client, search="출고 기록")
    by_title = listed(client, search="용접")

    assert f'problem-{draft.pk}"' in by_description and f'problem-{opened.pk}"' not in by_description
    assert f'problem-{opened.pk}"' in by_title and f'problem-{draft.pk}"' not in by_title
    assert 'data-testid="no-problems-found"' in listed(client, search="반도체")


def test_status_and_section_filter_and_the_section_is_shown_by_name(client_for, company_member, problems):
    opened, draft = problems
    client = client_for(company_member)

    open_only = listed(client, status="open")
    section_h = listed(client, ksic_section="H")

    assert f'problem-{opened.pk}"' in open_only and f'problem-{draft.pk}"' not in open_only
    assert f'problem-{draft.pk}"' in section_h and f'problem-{opened.pk}"' not in section_h
    assert "운수 및 창고업" in section_h


def test_the_api_searches_the_same_way_and_only_the_companys_own(company_member, problems):
    opened, draft = problems
    client = APIClient()
    client.force_authenticate(company_member)

    found = client.get("/api/v1/problems/", {"search": "출고"}).json()["results"]
    welds = client.get("/api/v1/problems/", {"search": "용접", "status": "open"}).json()["results"]

    assert [row["id"] for row in found] == [draft.pk]
    assert [row["id"] for row in welds] == [opened.pk]


def test_near_duplicates_are_a_copy_with_small_changes_not_a_problem_of_the_same_field():
    assert near_duplicate(WELD["title"], WELD["description"], "용접 불량 자동검출", WELD["description"] + " ")
    assert near_duplicate(
        WELD["title"], WELD["description"], "용접 불량 자동 검출", WELD["description"].replace("실시간으로", "빠르게")
    )
    assert not near_duplicate(WELD["title"], WELD["description"], "용접 품질 예측", "용접 조건으로 품질을 예측합니다.")


def test_a_near_duplicate_is_warned_of_and_saved_only_when_confirmed(client_for, company_member, problems):
    opened, _draft = problems
    client = client_for(company_member)
    form = {**WELD, "title": "용접 불량 자동검출", "ksic_section": "C", "region": "KR-41", "experts_wanted": "1"}
    before = FieldProblem.objects.count()

    warned = client.post("/company/problems/new/", form)

    assert warned.status_code == 200
    page = warned.content.decode()
    assert 'data-testid="duplicate-warning"' in page and f'data-testid="duplicate-{opened.pk}"' in page
    assert FieldProblem.objects.count() == before, "nothing saved before the member confirms"

    saved = client.post("/company/problems/new/", {**form, "confirm_duplicate": "1"})

    assert saved.status_code == 302
    assert FieldProblem.objects.count() == before + 1


def test_a_different_problem_is_saved_without_a_warning(client_for, company_member, problems):
    client = client_for(company_member)
    form = {
        "title": "도장 공정 결함 예측",
        "description": "자동차 도장 라인의 센서 데이터로 도장 결함을 사전에 예측하고자 합니다.",
        "ksic_section": "C",
        "region": "KR-41",
        "experts_wanted": "1",
    }

    assert client.post("/company/problems/new/", form).status_code == 302
