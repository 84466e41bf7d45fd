"""A small market whose outcome can be checked by hand (the `market` fixture), and running a match run here.

Two open problems: 한빛로보틱스 wants one expert for weld-defect vision (KR-41, manufacturing), 누리반도체 one for
wafer-defect classification (KR-26, open to remote work). Experts, all consenting but 정하늘:
- 이서연 (the `researcher` login): computer vision + PyTorch, weld defects, KR-41 — the best fit for the weld problem;
- 박지훈 (login `expert-park`): semiconductor process + deep learning, wafers, KR-26 — the wafer problem's fit;
- 최민수 (no login): computer vision only — second for the weld problem, so proposed nothing: a near miss;
- 정하늘: a perfect fit for the weld problem who never consented, so is never proposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from talent.matching import services
from talent.matching.models import MatchRun, Proposal
from talent.registry import services as registry
from talent.registry.models import ExpertProfile, FieldProblem, Person
from tests import factories


@dataclass
class Market:
    weld: FieldProblem
    wafer: FieldProblem
    lee: ExpertProfile  # 이서연, the `researcher` login
    park: ExpertProfile  # 박지훈, login `expert-park`
    choi: ExpertProfile  # 최민수, no login
    jung: ExpertProfile  # 정하늘, no consent
    park_user: Any
    company_member: Any
    other_company_member: Any

    def proposal(self, expert: ExpertProfile, problem: FieldProblem) -> Proposal:
        return Proposal.objects.get(expert=expert, problem=problem, status__in=["proposed", "accepted"])


def make_expert(person: Person, *, consent: bool = True, shared: tuple[str, ...] = (), **fields: Any) -> ExpertProfile:
    profile = registry.expert_profile_save(actor=None, person=person, **fields)
    if consent:
        profile = registry.expert_consent_set(
            actor=None, profile=profile, consent_to_matching=True, shared_fields=shared
        )
    return profile


def open_problem(organization: Any, **fields: Any) -> FieldProblem:
    problem = registry.field_problem_create(actor=None, organization=organization, **fields)
    return registry.field_problem_open(actor=None, problem=problem)


@pytest.fixture
def market(db, company, other_company, company_member, researcher) -> Market:
    other_member = factories.UserFactory(username="other-company-member")
    factories.MembershipFactory(user=other_member, organization=other_company)
    weld = open_problem(
        company,
        title="용접 불량 자동 검출",
        description="생산 라인의 용접 이미지를 분석하여 용접 불량을 실시간으로 검출하고자 합니다.",
        ksic_section="C",
        skills_wanted=["컴퓨터 비전", "PyTorch"],
        region="KR-41",
        experts_wanted=1,
    )
    wafer = open_problem(
        other_company,
        title="웨이퍼 결함 분류",
        description="반도체 웨이퍼 검사 이미지의 결함 유형을 딥러닝으로 분류하고자 합니다.",
        ksic_section="C",
        skills_wanted=["반도체 공정", "딥러닝"],
        region="KR-26",
        remote=True,
        experts_wanted=1,
    )
    affiliation = factories.UniversityFactory(name_ko="가온대학교")
    lee_person = researcher.person
    registry.person_update(actor=None, person=lee_person, email="seoyeon@example.ac.kr")
    registry.researcher_profile_save(actor=None, person=lee_person, phd_field="06", korean_affiliation=affiliation)
    lee = make_expert(
        lee_person,
        shared=("name", "skills", "affiliation"),
        skills=["컴퓨터 비전", "PyTorch"],
        summary_ko="용접 불량 검출을 위한 컴퓨터 비전 모델을 개발했습니다.",
        ksic_sections=["C"],
        regions=["KR-41"],
        capacity=1,
    )
    park_user = factories.UserFactory(username="expert-park")
    park = make_expert(
        factories.PersonFactory(family_name_ko="박", given_name_ko="지훈", user=park_user, email="park@example.org"),
        shared=("name", "email", "summary"),
        skills=["반도체 공정", "딥러닝"],
        summary_ko="반도체 웨이퍼 결함 분류를 위한 딥러닝 모델을 연구합니다.",
        ksic_sections=["C"],
        regions=["KR-26"],
        capacity=2,
    )
    choi = make_expert(
        factories.PersonFactory(family_name_ko="최", given_name_ko="민수"),
        skills=["컴퓨터 비전"],
        summary_ko="제조 공정의 비전 검사 시스템을 만들었습니다.",
        ksic_sections=["C"],
        regions=["KR-41"],
        capacity=1,
    )
    jung = make_expert(
        factories.PersonFactory(family_name_ko="정", given_name_ko="하늘"),
        consent=False,
        skills=["컴퓨터 비전", "PyTorch"],
        summary_ko="용접 불량 검출 컴퓨터 비전 모델을 개발했습니다.",
        ksic_sections=["C"],
        regions=["KR-41"],
        capacity=3,
    )
    return Market(
        weld=weld,
        wafer=wafer,
        lee=lee,
        park=park,
        choi=choi,
        jung=jung,
        park_user=park_user,
        company_member=company_member,
        other_company_member=other_member,
    )


def run_now(**request: Any) -> MatchRun:
    """Request a run and execute it here (as a worker would), whatever broker the settings name."""
    run = services.match_run_request(actor=None, enqueue=False, **request)
    services.match_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def live_pairs() -> set[tuple[int, int]]:
    return set(Proposal.objects.filter(status__in=["proposed", "accepted"]).values_list("expert_id", "problem_id"))
