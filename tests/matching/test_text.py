"""Index terms of Korean, English and mixed texts, and skills as they are stored and compared (no database)."""

from __future__ import annotations

import pytest

from talent.matching import text
from talent.matching.text import analyser, analyser_nouns, normalize_skill, tokenize


def test_korean_text_yields_its_nouns_without_particles_or_endings():
    [terms] = tokenize(["용접 불량을 실시간으로 검출하는 비전 모델"])

    assert {"용접", "불량", "검출", "비전", "모델"} <= set(terms)
    assert not {"을", "으로", "하", "는"} & set(terms)


def test_english_words_are_lower_cased_and_stemmed():
    detecting, detect = tokenize(["Detecting Defects", "detect defect"])

    assert detecting == detect == ["detect", "defect"]


def test_english_function_words_and_korean_filler_nouns_are_dropped():
    [english, korean] = tokenize(
        ["the inspection of welds and the vision system", "품질 검사 등 관련 업무 및 모델 개발"]
    )

    assert english == ["inspect", "weld", "vision", "system"]
    assert "등" not in korean and "관련" not in korean
    assert {"품질", "검사", "모델", "개발"} <= set(korean)


def test_mixed_text_keeps_korean_nouns_and_english_stems_together():
    [terms] = tokenize(["PyTorch 기반 딥러닝 모델로 제조 공정의 anomaly detection을 합니다"])

    assert {"pytorch", "모델", "제조", "공정", "detect"} <= set(terms)
    assert "을" not in terms and "detection" not in terms


def test_latin_letters_digits_and_symbols_written_together_stay_one_term():
    [terms] = tokenize(["ROS2 로봇 제어와 C++ 개발, Ｐｙｔｈｏｎ 스크립트"])

    assert {"ros2", "c++", "python", "로봇", "제어"} <= set(terms)
    assert "ros" not in terms and "2" not in terms


def test_repeated_terms_are_kept_as_term_frequency_and_texts_keep_their_order():
    terms = tokenize(["", "용접 용접 용접", "weld"])

    assert terms == [[], ["용접", "용접", "용접"], ["weld"]]
    assert tokenize([]) == []


def test_one_analyser_per_process():
    tokenize(["수소 연료전지 스택 설계"])
    tokenize(["배터리 열관리 시스템"])

    assert analyser() is analyser()
    assert text._load_analyser.cache_info().currsize == 1


def test_many_texts_go_to_the_analyser_in_one_batch_call(monkeypatch):
    real = analyser()
    calls = []

    class Spy:
        def tokenize(self, texts):
            texts = list(texts)
            calls.append(len(texts))
            return real.tokenize(texts)

    monkeypatch.setattr(text, "analyser", Spy)

    terms = tokenize(["반도체 공정 수율 분석", "스마트팩토리 예지보전", "demand forecasting"])

    assert calls == [3]
    assert "수율" in terms[0] and "forecast" in terms[2]


def test_skills_are_normalised_for_comparison():
    assert normalize_skill("  Computer   VISION ") == "computer vision"
    assert normalize_skill("Ｐｙｔｈｏｎ") == "python"
    assert normalize_skill("컴퓨터  비전") == "컴퓨터 비전"


# --- Bounded work: what the analyser is handed ----------------------------------------------------------------


def test_no_run_without_spaces_longer_than_the_bound_reaches_the_analyser():
    hostile = "가" * 50_000 + " ok " + "a" * 200 + "\u200b" + "1" * 70

    handed = text.bounded(hostile)

    assert max(len(run) for run in handed.split()) == text.LONGEST_RUN
    assert len(handed) <= text.MAX_ANALYSED_CHARACTERS


def test_a_text_longer_than_the_bound_is_analysed_up_to_it_only():
    filler = "비전 검사 " * (text.MAX_ANALYSED_CHARACTERS // 6 + 1)
    [terms] = tokenize([filler + "잔존수명"])

    assert "잔존수명" not in terms and "비전" in terms


def test_every_text_the_registry_accepts_is_analysed_whole():
    from talent.registry.models import DESCRIPTION_MAX_LENGTH, SUMMARY_MAX_LENGTH, FieldProblem

    title = FieldProblem._meta.get_field("title").max_length or 0
    longest_problem = title + 1 + DESCRIPTION_MAX_LENGTH  # services.index joins the parts with a newline
    longest_expert = SUMMARY_MAX_LENGTH + 1 + SUMMARY_MAX_LENGTH

    assert max(longest_problem, longest_expert) <= text.MAX_ANALYSED_CHARACTERS


def test_a_text_of_ordinary_words_reaches_the_analyser_unchanged():
    ordinary = "사출 성형 불량을 비전 검사로 검출합니다. Internationalization of vision models, Ｃ＋＋."

    assert text.bounded(ordinary) == text.normalize_text(ordinary)


@pytest.mark.parametrize(("text", "noun"), [("양액 재배", "양액"), ("보압 조건", "보압"), ("야드 크레인", "야드")])
def test_a_field_word_the_analyser_would_misread_is_one_term(text, noun):
    # Kiwi alone reads 양액 as 양 + 액, 보압 as a verb, 야드 as a bound noun; data/analyser_nouns.txt adds them.
    assert noun in analyser_nouns()
    assert tokenize([text])[0][0] == noun


def test_the_added_nouns_are_words_of_two_syllables_or_more_each_once():
    nouns = analyser_nouns()
    assert len(set(nouns)) == len(nouns)
    assert all(len(noun) >= 2 and all("가" <= char <= "힣" for char in noun) for noun in nouns)
