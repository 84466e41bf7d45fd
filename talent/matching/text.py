"""Text of profiles and problems as index terms: Korean nouns from the Kiwi analyser, English words lower-cased
and stemmed (Snowball), so that "검출하는 비전 모델" and "vision models detecting" share terms with what they mean.
Skills go through the same analysis (`skill_terms`), so that 사출성형 and 사출 성형, or "Injection Molding" and
"injection molding", are the same skill.

Terms are stored per profile and problem (`services.index`): computed once when a text is saved (a task, in the
worker; in-process without a broker), and only read by the runs. Kiwi takes a second or more to load its model
(shipped in `kiwipiepy-model`, never downloaded), so each process has one analyser, made on first use.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import snowballstemmer
from snowballstemmer.basestemmer import BaseStemmer

if TYPE_CHECKING:
    from kiwipiepy import Kiwi, Token

# Bounds on what the analyser is handed, whatever a row holds (bulk loads go around the forms' limits). The
# registry's longest text, a problem's title and description, is shorter than MAX_ANALYSED_CHARACTERS, so nothing
# accepted is cut. Kiwi's work on a run without spaces grows with the square of its length (8k characters 0.06 s,
# 32k 0.9 s): runs longer than LONGEST_RUN, longer than any word, are cut. `bench/text_bounds.py` measures both.
MAX_ANALYSED_CHARACTERS = 6_200
LONGEST_RUN = 32
_LONG_RUN = re.compile(rf"\S{{{LONGEST_RUN + 1},}}")

# Within those bounds Kiwi's work is linear, but its cost per Hangul syllable depends on what the syllables say:
# 13-20 µs in prose, up to 35-40 µs in nonsense of the syllables that are each a particle, an ending or a short
# noun (every segmentation is a candidate), so that a description of such nonsense at its limit costs 3x the
# prose. A text with more than PLAUSIBILITY_CHECKED_HANGUL Hangul syllables is first probed: PROBE_WINDOWS
# windows of Hangul words (PROBE_WINDOW_HANGUL syllables each, at places drawn from a hash of the text, so that
# they cannot be chosen without trying) are analysed, and if Kiwi's log-probability per syllable of them all is
# below PLAUSIBLE_SCORE, the text is not Korean as people write it and Kiwi is handed only its first
# PLAUSIBILITY_CHECKED_HANGUL syllables. Korean prose scores -3.5 to -5.2 (bench/labelled*, the background corpus),
# long lists of the field's nouns -5.5 to -5.9, the costly nonsense -6.6 to -10 (`bench/text_bounds.py`): prose is
# never cut, and cut nonsense costs what its first 1,500 syllables and the probe do (about what Korean prose at the
# limit costs). Nonsense that scores above the line (one Hangul word repeated, -5.9) costs 1.5-1.8x that prose.
PLAUSIBILITY_CHECKED_HANGUL = 1_500
PROBE_WINDOWS = 8
PROBE_WINDOW_HANGUL = 48
PLAUSIBLE_SCORE = -6.3
_HANGUL = re.compile("[가-힣]")
_HANGUL_WORD = re.compile(r"\S*[가-힣]\S*")

# Nouns, roots (XR) and Hanja carry a Korean text's meaning; particles, endings and verbs' stems much less.
KOREAN_TAGS = frozenset({"NNG", "NNP", "XR", "SH"})
# Latin letters, digits and symbols written together form one term: "ROS2", "C++", "3D", "e-commerce".
LATIN_WORD_TAGS = frozenset({"SL", "SN", "SW", "SO"})
JOINERS = "-"

# Words every AI posting and profile uses, whatever its field: with IDF from a small pool they would still weigh
# as much as the words that say what the work is, and lift experts who only share them. Not dropped (a text of
# nothing else still scores), but weighed at GENERIC_WEIGHT of their IDF. Reviewed against bench/labelled: none of
# them tells one field problem from another.
GENERIC_WEIGHT = 0.25
_GENERIC_KOREAN = frozenset(
    {
        "데이터", "예측", "검토", "평가", "설계", "분석", "모델", "개발", "시스템", "최적화", "관리", "자동화",
        "인공지능", "인공", "지능", "딥러닝", "머신러닝", "학습", "알고리즘", "기술", "연구", "프로젝트", "솔루션",
        "플랫폼", "서비스", "개선", "향상", "적용", "구축", "성능", "정확도", "효율", "방안", "문제", "기업", "현장",
        "경험", "공정", "품질", "제조", "생산", "산업", "기반", "도입", "지원", "업무", "운영", "모니터링", "실시간",
        "자동", "검증", "방식", "처리", "정보",
    }
)  # fmt: skip
_GENERIC_ENGLISH = frozenset(
    {
        "data", "prediction", "predict", "review", "evaluation", "evaluate", "design", "analysis", "analytics",
        "model", "develop", "development", "system", "optimization", "optimisation", "optimize", "management",
        "automation", "ai", "deep", "learning", "machine", "algorithm", "technology", "research", "project",
        "solution", "platform", "service", "improvement", "improve", "performance", "accuracy", "efficiency",
        "industry", "process", "quality", "manufacturing", "production", "real-time", "monitoring", "work", "build",
    }
)  # fmt: skip

# Small on purpose: IDF already discounts words that every document uses.
KOREAN_STOPWORDS = frozenset(
    {
        "것", "수", "등", "때", "중", "위", "통", "관련", "경우", "기반", "활용", "이용", "분야", "내용",
        "부분", "정도", "사용", "진행", "수행", "담당", "필요", "가능", "대상", "방법", "과정", "결과",
    }
)  # fmt: skip
# Not "it" or "us": in Korean texts they are mostly IT and US.
ENGLISH_STOPWORDS = frozenset(
    {
        "a", "about", "above", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
        "being", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "done", "during", "each", "etc",
        "for", "from", "had", "has", "have", "having", "he", "her", "here", "his", "how", "i", "if", "in", "into",
        "is", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "of", "on", "once", "only",
        "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than",
        "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
        "under", "until", "up", "use", "used", "uses", "using", "very", "via", "was", "we", "were", "what", "when",
        "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
    }
)  # fmt: skip


ANALYSER_NOUNS_FILE = Path(__file__).resolve().parent / "data" / "analyser_nouns.txt"


def analyser_nouns(path: Path = ANALYSER_NOUNS_FILE) -> tuple[str, ...]:
    """The nouns added to the analyser (`data/analyser_nouns.txt`: words of the field it reads wrongly)."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


#: Changes whenever the analyser's added nouns do: stored index terms carry it (`services.index`).
ANALYSER_SIGNATURE = hashlib.sha256("\n".join(analyser_nouns()).encode()).hexdigest()[:12]


@functools.cache
def _load_analyser() -> Kiwi:
    from kiwipiepy import Kiwi

    # num_workers=-1: batch calls use every core.
    kiwi = Kiwi(num_workers=-1)
    for noun in analyser_nouns():
        kiwi.add_user_word(noun, "NNG", 0.0)
    return kiwi


_first_use = threading.Lock()


def analyser() -> Kiwi:
    """The process's one Kiwi analyser, loaded on first use from the installed model (nothing is downloaded)."""
    with _first_use:  # else two threads' first calls could each load a model
        return _load_analyser()


_local = threading.local()


def _stemmer() -> BaseStemmer:
    # A Snowball stemmer keeps state while it works, so each thread has its own.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The English stem of a lower-case word: "detecting" → "detect", "defects" → "defect"."""
    stemmed: str = _stemmer().stemWord(word)  # snowballstemmer has no type hints
    return stemmed


def normalize_text(text: str) -> str:
    """NFKC, so full-width Latin letters and digits (Ｃ＋＋) read as plain ones."""
    return unicodedata.normalize("NFKC", text)


def normalize_skill(skill: str) -> str:
    """A skill as stored and compared: NFKC, case-folded, inner spaces collapsed ("  Computer  Vision" → "computer
    vision")."""
    return " ".join(unicodedata.normalize("NFKC", skill).casefold().split())


def _latin_term(word: str) -> str | None:
    """A Latin-script word as a term: lower-cased, stemmed when purely alphabetic; None for words without a
    letter, stopwords and single letters (they match too much)."""
    # Kiwi reads a sentence's last word and its full stop as one ("models." → "mod" + "els."): the stop goes.
    word = word.strip(JOINERS).rstrip(".").lower()
    if len(word) < 2 or word in ENGLISH_STOPWORDS or not any(char.isalpha() for char in word):
        return None
    return stem(word) if word.isalpha() else word


#: The generic words as analysed terms (English ones stemmed as texts are).
GENERIC_TERMS = frozenset(_GENERIC_KOREAN) | {term for word in _GENERIC_ENGLISH if (term := _latin_term(word))}


def _words(tokens: Iterable[Token]) -> Iterator[tuple[bool, str]]:
    """(is Latin, surface) of each word that can carry meaning: contiguous Latin-script tokens joined ("ROS" +
    "2"), and nouns, a one-syllable noun with the suffix written onto it ("수" + "율" → "수율")."""
    latin = False
    parts: list[str] = []
    end = -1
    for token in tokens:
        tag = token.tag
        joins = token.start == end and ((latin and tag in LATIN_WORD_TAGS) or (not latin and tag == "XSN"))
        if parts and joins:
            # A suffix completes a one-syllable noun (수 + 율); a longer noun means the same without it, so that
            # 효율성 and 효율 match.
            if latin or len(parts) == len(parts[0]) == 1:
                parts.append(token.form)
            end = token.end
            continue
        if parts:
            yield latin, "".join(parts)
        latin = tag in LATIN_WORD_TAGS
        parts = [token.form] if latin or tag in KOREAN_TAGS else []
        end = token.end
    if parts:
        yield latin, "".join(parts)


def _terms(tokens: Iterable[Token]) -> list[str]:
    """The terms of one analysed text, in order, repeats kept (they count as term frequency)."""
    terms: list[str] = []
    for latin, word in _words(tokens):
        if latin:
            term = _latin_term(word)
            if term:
                terms.append(term)
        elif word not in KOREAN_STOPWORDS:
            terms.append(word)
    return terms


# A skill's terms carry one more: the whole skill, written as its terms run together, so that a skill matched
# whole counts for more than one matched in part. ":" never occurs in an analysed term (Kiwi splits at it).
PHRASE_PREFIX = "skill:"
_skill_cache: dict[str, tuple[str, ...]] = {}
_skill_cache_lock = threading.Lock()
SKILL_CACHE_SIZE = 200_000


def skill_phrase(terms: Sequence[str]) -> str:
    """The phrase term of a skill analysed into `terms`."""
    return PHRASE_PREFIX + "".join(terms)


def analyse_skills(skills: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each distinct skill (normalised, `normalize_skill`) → its terms and its phrase term; every skill not seen
    before by this process goes through one batch call of the analyser. A skill with no term (only stopwords or
    symbols) is its own phrase."""
    keys = {normalize_skill(skill) for skill in skills} - {""}
    with _skill_cache_lock:
        known = {key: _skill_cache[key] for key in keys if key in _skill_cache}
    fresh = sorted(keys - known.keys())
    if fresh:
        analysed = {
            key: (*terms, skill_phrase(terms or [key.replace(" ", "")]))
            for key, terms in zip(fresh, tokenize(fresh), strict=True)
        }
        with _skill_cache_lock:
            if len(_skill_cache) + len(analysed) > SKILL_CACHE_SIZE:
                _skill_cache.clear()
            _skill_cache.update(analysed)
        known.update(analysed)
    return known


def skill_terms(skills: Sequence[str], analysed: dict[str, tuple[str, ...]]) -> list[str]:
    """The terms of one document's skills (`analysed` from `analyse_skills`), each once."""
    return list(dict.fromkeys(term for skill in skills for term in analysed.get(normalize_skill(skill), ())))


def bounded(text: str) -> str:
    """`text` as the analyser may see it: normalised, at most MAX_ANALYSED_CHARACTERS, and every run without a space
    longer than LONGEST_RUN cut into pieces of LONGEST_RUN, so that the work of any text is bounded and linear."""
    text = normalize_text(text[: 2 * MAX_ANALYSED_CHARACTERS])  # NFKC may lengthen it
    return _LONG_RUN.sub(_cut_run, text)[:MAX_ANALYSED_CHARACTERS]


def _cut_run(run: re.Match[str]) -> str:
    word = run.group()
    return " ".join(word[start : start + LONGEST_RUN] for start in range(0, len(word), LONGEST_RUN))


def probe_windows(text: str) -> list[str]:
    """The windows of `text`'s Hangul words that `plausible` analyses: PROBE_WINDOWS of them, each from a word at a
    place drawn from a hash of the text to PROBE_WINDOW_HANGUL syllables or more."""
    words = _HANGUL_WORD.findall(text)
    digest = hashlib.blake2b(text.encode(), digest_size=4 * PROBE_WINDOWS).digest()
    windows = []
    for window in range(PROBE_WINDOWS):
        index = int.from_bytes(digest[4 * window : 4 * window + 4], "big") % len(words)
        taken: list[str] = []
        syllables = 0
        while index < len(words) and syllables < PROBE_WINDOW_HANGUL:
            taken.append(words[index])
            syllables += len(_HANGUL.findall(words[index]))
            index += 1
        windows.append(" ".join(taken))
    return windows


def plausible(texts: Sequence[str]) -> list[bool]:
    """For each (bounded) text: whether Kiwi reads its probe windows as Korean (`PLAUSIBLE_SCORE`); a text with at
    most PLAUSIBILITY_CHECKED_HANGUL Hangul syllables is not probed (its work is small whatever it says)."""
    probed = [i for i, text in enumerate(texts) if len(_HANGUL.findall(text)) > PLAUSIBILITY_CHECKED_HANGUL]
    verdicts = [True] * len(texts)
    if not probed:
        return verdicts
    windows = [probe_windows(texts[i]) for i in probed]
    analysed = iter(analyser().analyze([window for each in windows for window in each], top_n=1))
    for i, each in zip(probed, windows, strict=True):
        score = sum(next(analysed)[0][1] for _ in each)
        syllables = sum(len(_HANGUL.findall(window)) for window in each)
        verdicts[i] = score / syllables >= PLAUSIBLE_SCORE
    return verdicts


def _first_hangul(text: str, syllables: int) -> str:
    """`text` up to its `syllables`-th Hangul syllable."""
    for seen, match in enumerate(_HANGUL.finditer(text)):
        if seen == syllables:
            return text[: match.start()]
    return text


def handed(texts: Sequence[str]) -> list[str]:
    """What Kiwi is handed for each text: `bounded`, and if the text is long and not plausible Korean (`plausible`)
    only its first PLAUSIBILITY_CHECKED_HANGUL Hangul syllables."""
    bounded_texts = [bounded(text) for text in texts]
    return [
        text if ok else _first_hangul(text, PLAUSIBILITY_CHECKED_HANGUL)
        for text, ok in zip(bounded_texts, plausible(bounded_texts), strict=True)
    ]


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """The index terms of each text, in the texts' order, through Kiwi's batch interface (one call for all); each
    text `handed` first (bounded, and cut when it is long nonsense)."""
    if not texts:
        return []
    analysed = analyser().tokenize(handed(texts))
    return [_terms(tokens) for tokens in analysed]
