"""The bilingual AX vocabulary as the scorer uses it (no database): concepts found in Korean and English texts and
skills, however they are spaced or inflected, linking a Korean posting to an English-only profile."""

from __future__ import annotations

import pytest

from talent.matching.concepts import Concept, build_vocabulary, shipped_concepts, shipped_entries
from talent.matching.scoring import ExpertDoc, ProblemDoc, explain, score_candidates
from talent.matching.text import tokenize

RUL = Concept("rul", ("잔존수명", "잔여 수명"), ("remaining useful life",), ("RUL",))
VM = Concept("virtual-metrology", ("가상계측",), ("virtual metrology",), ("VM",), ("C26",))
METROLOGY = Concept("metrology", ("계측",), ("metrology",))
HYDROPONICS = Concept("hydroponics", ("양액",), ("hydroponics",))


@pytest.fixture(scope="module")
def vocabulary():
    return build_vocabulary((RUL, VM, METROLOGY, HYDROPONICS))


def found(vocabulary, text):
    [terms] = tokenize([text])
    return vocabulary.find(terms)


@pytest.mark.parametrize(
    "text",
    [
        "배터리 잔존수명을 예측합니다",
        "잔존 수명 추정",
        "잔여수명 모델",
        "estimating the remaining useful life of bearings",
        "REMAINING USEFUL LIFE",
        "RUL prediction",
    ],
)
def test_a_concept_is_found_in_either_language_whatever_the_spacing_case_or_inflection(vocabulary, text):
    assert found(vocabulary, text) == ["rul"]


def test_the_longest_term_found_at_a_place_wins(vocabulary):
    assert found(vocabulary, "가상 계측 모델과 계측 장비") == ["virtual-metrology", "metrology"]
    assert found(vocabulary, "virtual metrology") == ["virtual-metrology"]


def test_a_term_the_analyser_shortens_to_one_syllable_is_not_looked_for():
    # Kiwi reads 결로 as 결 + 로 (a particle): looking for 결 alone would find it in every 결과 and 결함.
    condensation = build_vocabulary((Concept("condensation", ("결로",), ("condensation",)),))
    assert condensation.find(tokenize(["결로 결함 결과"])[0]) == []
    assert condensation.find(tokenize(["condensation on the glass"])[0]) == ["condensation"]


def test_a_field_word_the_analyser_used_to_misread_is_found_whole_and_nowhere_else(vocabulary):
    # Kiwi alone reads 양액 as 양 + 액; data/analyser_nouns.txt makes it one noun, and 액 in 액체 or 용액 is not it.
    assert found(vocabulary, "양액 농도와 액체 용액") == ["hydroponics"]
    assert found(vocabulary, "hydroponics") == ["hydroponics"]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("웨이퍼 맵", "웨이퍼 표면 결함을 찾습니다"),  # 맵 read as an adjective: found in every wafer
        ("검사 결과", "외관 검사를 자동화합니다"),  # 결과 is a stopword: read as 검사
        ("가동률", "설비 가동 이력을 봅니다"),  # the suffix goes: read as 가동
        ("공정 관리", "공정 관리 경험이 있습니다"),  # two generic words
        ("machining", "machine learning for vision"),  # stems to the machin of machine
    ],
)
def test_a_term_whose_analysis_says_something_broader_is_not_looked_for(term, text):
    narrow = build_vocabulary((Concept("narrow", (term,), ()),))
    assert narrow.find(tokenize([text])[0]) == []
    assert narrow.forms == {}


def test_a_term_that_keeps_several_words_after_a_suffix_goes_is_looked_for():
    tariff = build_vocabulary((Concept("tou-tariff", ("시간대별 요금",), ()),))
    assert tariff.find(tokenize(["시간대별 요금을 반영한 운전 계획"])[0]) == ["tou-tariff"]


def test_a_text_with_no_term_of_the_vocabulary_has_no_concept(vocabulary):
    assert found(vocabulary, "회계 감사 자동화") == []


def test_a_korean_posting_and_an_english_only_profile_meet_in_a_concept_named_in_both_languages(vocabulary):
    [problem_terms, expert_terms, other_terms] = tokenize(
        [
            "전지 잔존수명 예측과 가상 계측 모델 개발",
            "I estimate the remaining useful life of cells and build virtual metrology models.",
            "I build recommendation models for online shops.",
        ]
    )
    problem = ProblemDoc("p", problem_terms, ["잔존수명"], "C", "KR-11", True, 1)
    english = ExpertDoc("en", expert_terms, ["RUL", "virtual metrology"], ["C"], ["KR-11"], True, 1)
    other = ExpertDoc("x", other_terms, ["recommender systems"], ["C"], ["KR-11"], True, 1)

    without = score_candidates([english, other], [problem], top_k=2)
    result = score_candidates([english, other], [problem], top_k=2, vocabulary=vocabulary)

    assert without.text[0] == 0.0 and without.skills[0] == 0.0
    assert result.expert_ids[result.expert_index[0]] == "en"
    assert result.text[0] > 0.2 and result.skills[0] > 0.2
    why = explain(result, 0)
    assert {"key": "rul", "ko": "잔존수명", "en": "remaining useful life"} in why["matched_concepts"]
    assert {"key": "virtual-metrology", "ko": "가상계측", "en": "virtual metrology"} in why["matched_concepts"]
    assert why["matched_skills"] == ["잔존수명"]
    assert all(not term["term"].startswith("ax:") for term in why["matched_terms"])


def test_an_explanation_without_a_concept_in_common_says_so_with_an_empty_list(vocabulary):
    [problem_terms, expert_terms] = tokenize(["회계 감사 자동화", "회계 감사 자동화 경험"])
    problem = ProblemDoc("p", problem_terms, [], "M", "", True, 1)
    expert = ExpertDoc("e", expert_terms, [], ["M"], [], True, 1)

    why = explain(score_candidates([expert], [problem], vocabulary=vocabulary), 0)

    assert why["matched_concepts"] == []
    assert {term["term"] for term in why["matched_terms"]} >= {"회계", "감사"}


def test_the_shipped_vocabulary_is_well_formed():
    entries = shipped_entries()
    keys = [entry["key"] for entry in entries]
    assert len(keys) >= 150 and len(set(keys)) == len(keys)
    seen: dict[str, str] = {}
    for entry in entries:
        terms = [*entry["ko"], *entry["en"], *entry["abbr"]]
        assert len(set(terms)) >= 2, entry["key"]
        assert all(0 < len(term) <= 60 for term in terms), entry["key"]
        for term in terms:
            folded = "".join(term.casefold().split())
            assert seen.setdefault(folded, entry["key"]) == entry["key"], f"{term} in {seen[folded]} and {entry['key']}"
        assert all(len(division) == 3 and division[1:].isdigit() for division in entry["ksic"]), entry["key"]
    assert {"rul", "soh", "machine-vision", "virtual-metrology", "cii", "spc", "oee"} <= set(keys)


def test_the_abbreviations_the_issue_names_find_their_concepts():
    vocabulary = build_vocabulary(shipped_concepts())
    for abbreviation, key in {
        "SOH": "soh",
        "RUL": "rul",
        "AOI": "machine-vision",
        "VM": "virtual-metrology",
        "CII": "cii",
        "SPC": "spc",
        "OEE": "oee",
        "PdM": "predictive-maintenance",
    }.items():
        assert found(vocabulary, abbreviation) == [key], abbreviation


def test_generic_words_lift_a_candidate_less_than_a_word_of_the_field():
    [problem_terms, generic_terms, specific_terms, filler] = tokenize(
        [
            "데이터 기반 예측 모델로 사출 불량을 줄이고 싶습니다",
            "데이터 기반 예측 모델을 개발하고 평가합니다",
            "사출 공정을 다룹니다",
            "회계 감사",
        ]
    )
    problem = ProblemDoc("p", problem_terms, [], "C", "", True, 1)
    generic = ExpertDoc("generic", generic_terms, [], ["C"], [], True, 1)
    specific = ExpertDoc("specific", specific_terms, [], ["C"], [], True, 1)
    others = [ExpertDoc(f"x{i}", filler, [], ["C"], [], True, 1) for i in range(5)]

    full_weight = score_candidates([generic, specific, *others], [problem], top_k=2, generic_terms=frozenset())
    weighed = score_candidates([generic, specific, *others], [problem], top_k=2)

    assert full_weight.expert_ids[full_weight.expert_index[0]] == "generic"
    assert weighed.expert_ids[weighed.expert_index[0]] == "specific"


def test_a_skill_of_generic_words_only_counts_for_little():
    problem = ProblemDoc("p", [], ["품질 예측", "사출 성형"], "C", "", True, 1)
    generic = ExpertDoc("generic", [], ["품질 예측"], ["C"], [], True, 1)
    specific = ExpertDoc("specific", [], ["사출성형"], ["C"], [], True, 1)

    result = score_candidates([generic, specific], [problem], top_k=2)

    assert result.expert_ids[result.expert_index[0]] == "specific"
    assert result.skills[0] > 2 * result.skills[1] > 0


def test_the_vocabulary_places_problems_and_experts_in_ksic_divisions_within_their_section():
    vocabulary = build_vocabulary(
        (
            Concept("wafer", ("웨이퍼",), ("wafer",), (), ("C26",)),
            Concept("battery", ("배터리",), ("battery",), (), ("C28",)),
        )
    )
    [problem_terms, wafer_terms, battery_terms] = tokenize(
        ["웨이퍼 검사 이미지 분석", "wafer inspection images", "battery inspection images"]
    )
    problem = ProblemDoc("p", problem_terms, [], "C", "", True, 1)
    wafer = ExpertDoc("wafer", wafer_terms, [], ["C"], [], True, 1)
    battery = ExpertDoc("battery", battery_terms, [], ["C"], [], True, 1)

    by_section = score_candidates([battery, wafer], [problem], top_k=2, vocabulary=vocabulary, divisions=False)
    by_division = score_candidates([battery, wafer], [problem], top_k=2, vocabulary=vocabulary)

    assert list(by_section.sector) == [1.0, 1.0]
    sector = dict(zip((by_division.expert_ids[e] for e in by_division.expert_index), by_division.sector, strict=True))
    assert sector == {"wafer": 1.0, "battery": 0.5}
    first = explain(by_division, 0)
    assert by_division.expert_ids[by_division.expert_index[0]] == "wafer"
    assert first["matched_divisions"] == ["C26"]


def test_an_expert_whose_division_is_unknown_stands_between_one_in_the_division_and_one_in_another():
    vocabulary = build_vocabulary(
        (
            Concept("wafer", ("웨이퍼",), ("wafer",), (), ("C26",)),
            Concept("battery", ("배터리",), ("battery",), (), ("C28",)),
        )
    )
    [problem_terms, wafer_terms, battery_terms, unknown_terms] = tokenize(
        ["웨이퍼 검사 이미지 분석", "wafer inspection images", "battery inspection images", "inspection images"]
    )
    problem = ProblemDoc("p", problem_terms, [], "C", "", True, 1)
    experts = [
        ExpertDoc(name, terms, [], ["C"], [], True, 1)
        for name, terms in (("wafer", wafer_terms), ("battery", battery_terms), ("unknown", unknown_terms))
    ]
    # An expert of another section has no sector, known divisions or not.
    outside = ExpertDoc("outside", unknown_terms, [], ["J"], [], True, 1)

    result = score_candidates([*experts, outside], [problem], top_k=4, vocabulary=vocabulary)

    sector = dict(zip((result.expert_ids[e] for e in result.expert_index), result.sector, strict=True))
    assert sector == {"wafer": 1.0, "unknown": 0.75, "battery": 0.5, "outside": 0.0}
    unknown = [i for i in range(len(result)) if result.expert_ids[result.expert_index[i]] == "unknown"]
    assert explain(result, unknown[0])["matched_divisions"] == []
    # The benchmark's comparison: unknown taken for another division, as before.
    before = score_candidates([*experts, outside], [problem], top_k=4, vocabulary=vocabulary, unknown_division_share=0)
    assert dict(zip((before.expert_ids[e] for e in before.expert_index), before.sector, strict=True))["unknown"] == 0.5


def test_without_divisions_in_the_problem_every_expert_of_the_section_has_the_whole_sector():
    vocabulary = build_vocabulary((Concept("battery", ("배터리",), ("battery",), (), ("C28",)),))
    [problem_terms, battery_terms, unknown_terms] = tokenize(
        ["검사 이미지 분석", "battery inspection images", "inspection images"]
    )
    problem = ProblemDoc("p", problem_terms, [], "C", "", True, 1)
    experts = [ExpertDoc("battery", battery_terms, [], ["C"], [], True, 1)]
    experts.append(ExpertDoc("unknown", unknown_terms, [], ["C"], [], True, 1))

    result = score_candidates(experts, [problem], top_k=2, vocabulary=vocabulary)

    assert list(result.sector) == [1.0, 1.0]
