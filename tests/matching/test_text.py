"""Index terms of Korean, English and mixed texts, and skills as they are stored and compared (no database)."""

from __future__ import annotations

import random

import pytest

from talent.matching import text
from talent.matching.background import corpus_documents
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


# --- Bounded work: long nonsense is cut, prose is not ----------------------------------------------------------

# Each of these syllables is a particle, an ending or a short noun to Kiwi: in random words it weighs every
# segmentation, and costs it two to three times what prose of the same length does.
FREQUENT_SYLLABLES = "이다의는에가을하고를으로서한지기사도자리대그어나들정부인시일수와적상해전보소주요과경제"


def _hangul(handed: str) -> int:
    return sum("가" <= char <= "힣" for char in handed)


def _nonsense(length: int) -> str:
    draw = random.Random(13)
    words = ("".join(draw.choice(FREQUENT_SYLLABLES) for _ in range(6)) for _ in range(length // 7 + 1))
    return " ".join(words)[:length]


def _prose_at_the_limit() -> str:
    """The background corpus's documents run together up to the longest text the registry accepts: real prose."""
    from talent.registry.models import DESCRIPTION_MAX_LENGTH

    return "\n".join(corpus_documents())[:DESCRIPTION_MAX_LENGTH]


def test_long_nonsense_reaches_the_analyser_cut_to_the_checked_number_of_syllables():
    from talent.registry.models import DESCRIPTION_MAX_LENGTH

    nonsense = _nonsense(DESCRIPTION_MAX_LENGTH)
    [handed] = text.handed([nonsense])

    assert _hangul(nonsense) > 2 * text.PLAUSIBILITY_CHECKED_HANGUL
    assert _hangul(handed) == text.PLAUSIBILITY_CHECKED_HANGUL
    assert nonsense.startswith(handed)


def test_short_nonsense_is_not_probed_and_reaches_the_analyser_whole():
    nonsense = _nonsense(text.PLAUSIBILITY_CHECKED_HANGUL)

    assert text.plausible([nonsense]) == [True]
    assert text.handed([nonsense]) == [text.bounded(nonsense)]


def test_long_prose_is_judged_plausible_and_reaches_the_analyser_whole():
    prose = _prose_at_the_limit()

    assert _hangul(prose) > text.PLAUSIBILITY_CHECKED_HANGUL  # so that it is probed
    assert text.plausible([prose, _nonsense(len(prose))]) == [True, False]
    assert text.handed([prose]) == [text.bounded(prose)]


def test_prose_yields_the_terms_the_analyser_gives_it_whole():
    # The terms before the probe existed: Kiwi on the bounded text, nothing else.
    texts = [_prose_at_the_limit(), *corpus_documents()[:20]]

    expected = [text._terms(tokens) for tokens in analyser().tokenize([text.bounded(each) for each in texts])]

    assert tokenize(texts) == expected
    assert len(expected[0]) > 500


def test_the_probe_takes_the_same_windows_of_a_text_every_time_and_a_bounded_number_of_them():
    prose = _prose_at_the_limit()

    windows = text.probe_windows(prose)

    assert windows == text.probe_windows(prose)
    assert len(windows) == text.PROBE_WINDOWS
    assert all(text.PROBE_WINDOW_HANGUL <= _hangul(window) <= 2 * text.PROBE_WINDOW_HANGUL for window in windows)
