"""Explanations in words: what matched, said as a person says it ("Skills matched: … (2 of 2 wanted)", "Same KSIC
section", "Region: … (on site)"), never as weights and products; the numbers stay in the API's explanation and
behind the pages' details toggle."""

from __future__ import annotations

from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from talent.matching.models import Proposal
from talent.matching.presentation import in_words, text_strength
from talent.registry.models import FieldProblem
from tests.matching.market import run_now


def test_a_proposal_is_explained_in_words_in_english_and_korean(market):
    run_now()
    proposal = market.proposal(market.lee, market.weld)

    with translation.override("en"):
        english = in_words(proposal)
    with translation.override("ko"):
        korean = in_words(proposal)

    assert english[0] == "Skills matched: pytorch, 컴퓨터 비전 (2 of 2 wanted)"
    assert english[1].startswith("Text in common: ")
    assert english[-2].startswith("Same KSIC section (")
    assert english[-1] == "Region: Gyeonggi-do (on site)"
    assert korean[-1] == "지역: 경기도 (현장 근무)"
    assert korean[0] == "일치한 기술: pytorch, 컴퓨터 비전 (요청 2개 중 2개)"
    for phrase in english + korean:
        assert "×" not in phrase and "0." not in phrase, phrase


def test_a_remote_pair_with_no_skill_in_common_says_so(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    proposal.explanation = {
        **proposal.explanation,
        "matched_skills": [],
        "matched_concepts": [],
        "missing_skills": ["반도체 공정", "딥러닝"],
        "region_match": "remote",
        "sector_match": False,
        "components": {**proposal.explanation["components"], "text": 0.0},
    }

    with translation.override("en"):
        assert in_words(proposal) == [
            "None of the 2 skills wanted",
            "Text in common: none",
            "Different KSIC section",
            "Remote work on both sides",
        ]


def test_text_strength_has_a_word_for_each_band():
    with translation.override("en"):
        assert [text_strength(v) for v in (0.0, 0.05, 0.2, 0.6)] == ["none", "weak", "some", "strong"]


def test_the_api_gives_the_words_and_keeps_the_numbers(market):
    run_now()
    client = APIClient()
    client.force_authenticate(market.company_member)

    row = client.get("/api/v1/proposals/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    assert row["explanation_in_words"][0] == "Skills matched: pytorch, 컴퓨터 비전 (2 of 2 wanted)"
    assert set(row["explanation"]["components"]) == {"skills", "text", "sector", "region"}
    assert row["explanation"]["weights"]["skills"] > 0


def test_the_page_shows_words_and_keeps_the_numbers_behind_a_details_toggle(market):
    run_now()
    client = Client()
    client.force_login(market.company_member)

    page = client.get(f"/company/problems/{market.weld.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    words = page.index('data-testid="why-in-words"')
    details = page.index('data-testid="why-details"')
    assert words < details
    assert "Skills matched: pytorch, 컴퓨터 비전 (2 of 2 wanted)" in page[words:details]
    assert "×" not in page[words:details] and "×" in page[details:]


def test_an_expert_naming_no_region_and_a_pair_with_no_topic_in_common_are_said_so():
    proposal = Proposal(
        problem=FieldProblem(ksic_section="D"),
        explanation={
            "components": {"skills": 0.0, "text": 0.0, "sector": 1.0, "region": 0.5},
            "missing_skills": ["부분방전"],
            "sector_match": True,
            "region_match": "region_unknown",
            "context_share": 0.5,
        },
    )

    with translation.override("en"):
        english = in_words(proposal)
    with translation.override("ko"):
        korean = in_words(proposal)

    assert english[-2:] == [
        "The expert names no region (counted as half)",
        "Little in common in skills and text: sector and region counted in part",
    ]
    assert korean[-2:] == [
        "전문가가 지역을 밝히지 않음 (절반으로 계산)",
        "기술과 설명에 공통점이 적어 업종과 지역은 일부만 반영",
    ]
