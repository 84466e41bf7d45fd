"""Loanwords across scripts: a Korean posting's 클린룸 and an English profile's "cleanroom" meet as one term, with
no vocabulary entry; native Korean words never pass for English ones; explanations name the word in both scripts."""

from __future__ import annotations

import pytest
from django.utils import translation

from talent.matching.presentation import explained, in_words
from talent.matching.scoring import ExpertDoc, ProblemDoc, explain, score_candidates
from talent.matching.text import stem, tokenize
from talent.matching.transliteration import hangul_skeleton, latin_skeleton, link_terms, looks_borrowed
from tests.matching.market import run_now


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        ("클린룸", "cleanroom"),
        ("파티클", "particle"),
        ("킬른", "kiln"),
        ("버스바", "busbar"),
        ("오버레이", "overlay"),
        ("레티클", "reticle"),
        ("마스터배치", "masterbatch"),
        ("레이저", "laser"),
        ("컴프레서", "compressor"),
        ("플라스틱", "plastic"),
        ("알고리즘", "algorithm"),
        ("엔진", "engine"),
        ("실린더", "cylinder"),
    ],
)
def test_a_loanword_and_its_english_word_have_one_skeleton_whatever_the_stemmer_left(korean, english):
    assert hangul_skeleton(korean) == latin_skeleton(english) == latin_skeleton(stem(english))


def test_only_hangul_or_only_latin_letters_have_a_skeleton():
    assert hangul_skeleton("CNC가공") is None and hangul_skeleton("") is None
    assert latin_skeleton("ros2") is None and latin_skeleton("센서") is None and latin_skeleton("") is None


@pytest.mark.parametrize("word", ["클린룸", "파티클", "스팀트랩", "데이터", "센서", "카메라", "모니터링", "엔진"])
def test_a_loanword_looks_borrowed(word):
    assert looks_borrowed(word)


@pytest.mark.parametrize("word", ["장비", "적용", "불량", "공정", "양분", "종합", "시간대", "조건", "CNC"])
def test_a_native_word_does_not_look_borrowed(word):
    assert not looks_borrowed(word)


def test_links_join_the_two_scripts_and_nothing_else():
    documents = [
        ["클린룸", "파티클", "장비", "관리"],
        ["cleanroom", "particl", "counter", "singapor"],
        ["스팀트랩", "누설"],
        ["steam", "trap", "failur"],
        ["모니터링"],
        ["monitor"],
    ]
    links, spellings = link_terms(documents)
    # Each word, and the two in a row as a phrase (the same two words side by side in both texts).
    # The skeleton and the class of the first vowel (클린룸's ㅣ, the i of "clean").
    assert sorted(links[0]) == sorted(links[1]) == ["tl:KLNLM-I", "tl:KLNLMPTKL-I", "tl:PTKL-A"]
    assert links[2] == links[3] == ["tl:STMTLP-I"]
    assert links[4] == links[5] == ["tl:MNT-O"]  # 모니터링 without -링 is the stem "monitor"
    assert spellings["tl:KLNLM-I"] == ("클린룸", "cleanroom")
    assert spellings["tl:STMTLP-I"] == ("스팀트랩", "steam trap")
    # 장비 (native) never meets "singapor", though both reduce to SNKP.
    assert latin_skeleton("singapor") == "SNKP" and hangul_skeleton("장비") == "SNKP"
    assert not any("SNKP" in term for terms in links for term in terms)


@pytest.mark.parametrize(
    ("korean", "english", "other"),
    [
        ("센터", "centr", "joint"),  # all three are SNT
        ("로봇", "robot", "report"),  # LPT
        ("링", "ring", "rank"),  # LNK
        ("배터리", "batteri", "virtual"),  # PTL
        ("드론", "drone", "train"),  # TLN
        ("크레인", "crane", "green"),  # KLN
    ],
)
def test_a_loanword_meets_its_english_word_and_not_another_of_the_same_skeleton_with_another_vowel(
    korean, english, other
):
    assert hangul_skeleton(korean) == latin_skeleton(english) == latin_skeleton(other)
    links, spellings = link_terms([[korean], [english], [other]])
    assert links[0] == links[1] != [] and links[2] == []
    assert list(spellings.values()) == [(korean, english)]


def test_an_abbreviation_without_a_vowel_is_no_loanword():
    # CVD is 씨브이디 in Korean, never 캐비티 (cavity), though both reduce to KPT.
    assert link_terms([["캐비티"], ["cvd"]]) == ([[], []], {})


def test_one_script_alone_links_nothing():
    assert link_terms([["클린룸"], ["파티클"]]) == ([[], []], {})


def test_a_korean_posting_finds_an_english_only_expert_through_a_loanword():
    problem_terms, expert_terms, other_terms = tokenize(
        [
            "클린룸 파티클 오염원을 찾고 싶습니다",
            "Cleanroom contamination: airborne particle counters and source localisation.",
            "Brain imaging biomarkers and segmentation.",
        ]
    )
    problem = ProblemDoc("p", problem_terms, [], "C", "KR-44", True, 1)
    expert = ExpertDoc("cleanroom", expert_terms, [], ["C"], [], True, 1)
    other = ExpertDoc("other", other_terms, [], ["C"], [], True, 1)

    linked = score_candidates([expert, other], [problem], top_k=2)
    assert linked.expert_ids[linked.expert_index[0]] == "cleanroom" and linked.text[0] > 0.1
    why = explain(linked, 0)
    assert {"ko": "클린룸", "en": "cleanroom"} in why["matched_loanwords"]
    assert not any(term["term"].startswith("tl:") for term in why["matched_terms"])

    unlinked = score_candidates([expert, other], [problem], top_k=2, transliteration=False)
    assert unlinked.text.tolist() == [0.0, 0.0]
    assert explain(unlinked, 0)["matched_loanwords"] == []


@pytest.mark.django_db
def test_the_proposal_says_which_word_it_found_in_both_scripts(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    loanwords = [{"ko": "파티클", "en": "particl"}]
    proposal.explanation = {
        **proposal.explanation,
        "matched_skills": [],
        "matched_terms": [],
        "matched_concepts": [],
        "matched_loanwords": loanwords,
    }
    with translation.override("en"):
        assert "Same word in Hangul and Latin letters: 파티클 · particl" in in_words(proposal)
    with translation.override("ko"):
        assert "한글과 로마자로 쓴 같은 낱말: 파티클 · particl" in in_words(proposal)
    shown = explained(proposal)
    assert shown["matched_loanwords"] == loanwords and not shown["nothing_in_common"]
