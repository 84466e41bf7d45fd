"""Field problems: companies manage their own, researchers read open ones, nobody else sees any."""

from __future__ import annotations

from typing import Any

from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses

NEITHER_COMPANY_NOR_RESEARCHER = {"university_a": 403, "university_b": 403, "ministry": 403}


def _visible_problems(world: World, role: str) -> set[int]:
    own = {
        "company": {world.problem.pk, world.draft_problem.pk},
        "other_company": {world.other_problem.pk},
        "researcher": {world.problem.pk, world.other_problem.pk},
        "other_researcher": {world.problem.pk, world.other_problem.pk},
        "operator": {world.problem.pk, world.other_problem.pk, world.draft_problem.pk},
    }
    return own.get(role, set())


def _new_problem(world: World) -> dict[str, Any]:
    # Operators must name the company; members' problems are their own company's whatever the body says.
    return {
        "organization": world.company.pk,
        "title": "스마트 팩토리 이상 탐지",
        "description": "생산 라인 센서 데이터로 설비 이상을 조기에 탐지하고자 합니다.",
        "ksic_section": "C",
        "skills_wanted": ["시계열 분석", "이상 탐지"],
        "region": "KR-41",
        "experts_wanted": 2,
    }


def _detail(attribute: str) -> Any:
    return lambda w: f"/api/v1/problems/{getattr(w, attribute).pk}/"


ROUTES: list[Route] = [
    Route(
        "field-problem-list",
        "GET",
        lambda w: "/api/v1/problems/",
        statuses(200, **NEITHER_COMPANY_NOR_RESEARCHER),
        visible_ids=_visible_problems,
    ),
    Route(
        "field-problem-list",
        "POST",
        lambda w: "/api/v1/problems/",
        statuses(403, company=201, other_company=201, operator=201),
        body=_new_problem,
    ),
    Route(
        "field-problem-detail",
        "GET",
        _detail("problem"),
        statuses(200, **NEITHER_COMPANY_NOR_RESEARCHER, other_company=404),
        notes="an open problem: researchers may read it, the other company may not",
    ),
    Route(
        "field-problem-detail",
        "GET",
        _detail("draft_problem"),
        statuses(404, **NEITHER_COMPANY_NOR_RESEARCHER, company=200, operator=200),
        notes="a draft is its company's own: researchers and the other company find nothing",
    ),
    Route(
        "field-problem-detail",
        "PATCH",
        _detail("problem"),
        statuses(403, company=200, other_company=404, operator=200),
        body=lambda w: {"experts_wanted": 3},
    ),
    Route(
        "field-problem-detail",
        "PATCH",
        _detail("other_problem"),
        statuses(403, company=404, other_company=200, operator=200),
        body=lambda w: {"title": "단백질 구조 분석 자동화 (수정)"},
    ),
    Route(
        "field-problem-open",
        "POST",
        lambda w: f"/api/v1/problems/{w.draft_problem.pk}/open/",
        statuses(403, company=200, other_company=404, operator=200),
    ),
    Route(
        "field-problem-close",
        "POST",
        lambda w: f"/api/v1/problems/{w.problem.pk}/close/",
        statuses(403, company=200, other_company=404, operator=200),
    ),
]
