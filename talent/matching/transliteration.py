"""Loanwords across scripts: a Korean technical text writes many English words in Hangul (클린룸, 파티클, 킬른,
버스바, 스팀트랩, 마스터배치), and an English-only profile writes them in Latin letters. Both are reduced to the
same consonant skeleton, the way Korean borrows English sounds: vowels dropped; ㅋ ㄱ k c g → K;
ㅂ ㅍ p b f v → P; ㄷ ㅌ d t → T; ㄹ l r → L (an English r that no vowel follows is silent:
"master" is 마스터); ㅅ ㅈ ㅊ s j ch z th → S (Korean writes an English s as ㅅ or ㅈ: 센서,
레이저); a final ㅇ and "ng" → NK; h, w, y and an initial ㅇ silent; repeats collapsed. 클린룸 and
"cleanroom" are both KLNLM; 스팀트랩 is "steam trap", STMTLP.

The first vowel must agree too, loosely (`hangul_vowel`, `latin_vowels`): Korean writes an English a as ㅏ, ㅐ,
ㅔ or ㅓ, but never as ㅗ or ㅣ, so 센터 meets "center" and not "joint", 로봇 "robot" and not "report", 링 "ring" and
not "rank", although each pair has one skeleton. A link term is the skeleton and the Korean vowel's class.

Only Hangul words that look borrowed count (`looks_borrowed`), and a skeleton links the two sides only where the
pool holds it in both scripts (a Hangul word, and an English word or two English words in a row) with at least
MIN_SKELETON consonants, so that native words do not meet English ones by chance. A link adds the term
`TRANSLITERATION_PREFIX` + skeleton + "-" + vowel class to the document, counted and weighed as a word. Pure: no
ORM, no I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from itertools import pairwise

TRANSLITERATION_PREFIX = "tl:"  # ":" never occurs in an analysed term
MIN_SKELETON = 3

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
# Initial consonants in Unicode order:
# ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
_INITIAL = ("K", "K", "N", "T", "T", "L", "M", "P", "P", "S", "S", "", "S", "S", "S", "K", "T", "P", "")
# Final consonants in Unicode order (none first):
# ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ
# ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
_FINAL = (
    "", "K", "K", "K", "N", "N", "N", "T", "L", "K", "M", "L", "L", "L", "P", "L", "M", "P", "P", "T", "T", "NK",
    "T", "T", "K", "T", "P", "T",
)  # fmt: skip
_VOWELS = frozenset("aeiou")
# Letter pairs read as one sound, then single letters (c and r depend on what follows, below).
_TRIPLES = {"tch": "S"}
_PAIRS = {"ph": "P", "ch": "S", "sh": "S", "th": "S", "ck": "K", "ng": "NK", "qu": "K", "gh": ""}
_LETTERS = {
    "b": "P", "d": "T", "f": "P", "g": "K", "h": "", "j": "S", "k": "K", "l": "L", "m": "M", "n": "N", "p": "P",
    "q": "K", "s": "S", "t": "T", "v": "P", "w": "", "x": "KS", "y": "", "z": "S",
}  # fmt: skip


def _collapse(symbols: Iterable[str]) -> str:
    out: list[str] = []
    for symbol in "".join(symbols):
        if not out or out[-1] != symbol:
            out.append(symbol)
    return "".join(out)


# Syllables Korean writes loanwords with and no Sino-Korean word has: a native word made only of Sino-Korean
# syllables (장비, 적용, 불량) is never read as a loanword, whatever its skeleton.
_LOAN_SYLLABLES = frozenset("티테터퍼페레러버베너네디데더셀센션쇼링닝팅딩펀맵봇즘엔") | frozenset(
    chr(_HANGUL_FIRST + initial * 588 + 18 * 28)
    for initial in range(19)  # 그 끄 느 드 … 스 … 트 프 흐: open ㅡ
)
_KIEUK = 15  # ㅋ: initial only in loanwords (쾌 aside)


@functools.lru_cache(maxsize=65_536)
def looks_borrowed(word: str) -> bool:
    """Whether a Hangul word has a syllable only loanwords use: ㅋ as initial, an open syllable with ㅡ (스, 트, 프,
    the vowel Korean adds inside English consonant clusters), or one of `_LOAN_SYLLABLES`."""
    for char in word:
        index = ord(char) - _HANGUL_FIRST
        if not 0 <= index < 11_172:
            return False
        if (index // 588 == _KIEUK and char != "쾌") or char in _LOAN_SYLLABLES:
            return True
    return False


@functools.lru_cache(maxsize=65_536)
def hangul_skeleton(word: str) -> str | None:
    """The consonant skeleton of a word written in Hangul syllables only; None for any other word."""
    if not word or not all(_HANGUL_FIRST <= ord(char) <= _HANGUL_LAST for char in word):
        return None
    symbols = []
    for char in word:
        index = ord(char) - _HANGUL_FIRST
        symbols.append(_INITIAL[index // 588] + _FINAL[index % 28])
    return _collapse(symbols)


@functools.lru_cache(maxsize=65_536)
def latin_skeleton(word: str) -> str | None:
    """The consonant skeleton of a word of Latin letters only (lower case, as analysed terms are); None otherwise."""
    if not word or not word.isascii() or not word.isalpha():
        return None
    word = word.lower()
    symbols = []
    i = 0
    while i < len(word):
        if word[i : i + 3] in _TRIPLES:
            symbols.append(_TRIPLES[word[i : i + 3]])
            i += 3
            continue
        pair = word[i : i + 2]
        if pair == "ti" and word[i + 2 : i + 3] in _VOWELS:  # -tion, -tial
            symbols.append("S")
            i += 2
            continue
        if pair == "ng" and word[i + 2 : i + 3] in ("e", "i", "y"):  # engine, angle's soft g
            symbols.append("NS")
            i += 2
            continue
        if pair in _PAIRS:
            symbols.append(_PAIRS[pair])
            i += 2
            continue
        letter = word[i]
        following = word[i + 1 : i + 2]
        if letter in _VOWELS:
            pass
        elif letter in "cg":
            # A soft c or g: cell, engine.
            symbols.append("S" if following in ("e", "i", "y") else "K")
        elif letter == "r":
            # Korean borrows a non-rhotic r: silent unless a vowel follows.
            if following and following in _VOWELS | {"y"}:
                symbols.append("L")
        else:
            symbols.append(_LETTERS[letter])
        i += 1
    return _collapse(symbols)


# Korean vowels (medials, in Unicode order) by the class an English vowel is written with: A ㅏ, E ㅐ ㅔ, R ㅓ (the
# vowel of "er", "u", the unstressed a and o), O ㅗ, U ㅜ, I ㅣ; with a glide (ㅑ ㅘ ㅕ ㅝ ㅛ ㅠ ㅖ ㅞ ㅟ) as without.
# ㅡ (18) is the vowel Korean adds inside a consonant cluster (스, 크, 트): it is skipped.
# ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ
_MEDIAL_CLASS = ("A", "E", "A", "E", "R", "E", "R", "E", "O", "A", "E", "E", "O", "U", "R", "E", "I", "U", "", "I", "I")
_EU = 18
# An English word's first vowel letters → the classes Korean writes them with (camera 카, data 데, sofa 퍼; engine
# 엔, green 그린, report 리; vision 비, time 타, first 퍼; robot 로, body 바, monitor 모; pump 펌, rule 루, cut 컷).
_LATIN_VOWEL_CLASSES = {
    "a": "AER", "e": "EIR", "i": "IAR", "o": "OAR", "u": "RUA", "y": "AI",
    "ee": "I", "ea": "IEAR", "ou": "AU", "au": "O", "oo": "U", "ai": "E", "ay": "E", "oi": "O", "oy": "O",
    "ei": "EAI", "ey": "EAI", "ie": "IA", "ue": "UR", "ui": "UR", "oa": "O", "eu": "U",
}  # fmt: skip


@functools.lru_cache(maxsize=65_536)
def hangul_vowel(word: str) -> str | None:
    """The class of a Hangul word's first vowel other than ㅡ (클린 → ㅣ, I); None if it has none."""
    for char in word:
        index = ord(char) - _HANGUL_FIRST
        if 0 <= index < 11_172 and (index // 28) % 21 != _EU:
            return _MEDIAL_CLASS[(index // 28) % 21]
    return None


@functools.lru_cache(maxsize=65_536)
def latin_vowels(word: str) -> str:
    """The classes of Korean vowel an English word's first vowel may be written with (empty: no vowel, as in an
    abbreviation such as "cvd", which Korean spells out instead)."""
    start = next((i for i, char in enumerate(word) if char in "aeiou" or (char == "y" and i > 0)), None)
    if start is None:
        return ""
    pair = word[start : start + 2]
    return _LATIN_VOWEL_CLASSES.get(pair) or _LATIN_VOWEL_CLASSES.get(word[start], "")


@functools.lru_cache(maxsize=65_536)
def _latin_word_keys(term: str) -> tuple[str, ...]:
    """The link keys (skeleton-vowel class) of one English term whose skeleton is long enough."""
    skeleton = latin_skeleton(term)
    if not skeleton or len(skeleton) < MIN_SKELETON:
        return ()
    return tuple(f"{skeleton}-{vowel}" for vowel in latin_vowels(term))


def _latin_keys(terms: Sequence[str]) -> list[tuple[str, str]]:
    """(key, spelling) of each English term, and of each two English terms in a row (스팀트랩: "steam trap")
    when their skeleton is longer than MIN_SKELETON: two short words in a row meet a Korean word by chance too
    often. A key is the skeleton and a vowel class the first word's first vowel may be written with."""
    keys = [(key, term) for term in terms for key in _latin_word_keys(term)]
    skeletons = [latin_skeleton(term) for term in terms]
    keys.extend(
        (f"{key}-{vowel}", f"{terms[i]} {terms[i + 1]}")
        for i, (first, second) in enumerate(pairwise(skeletons))
        if first and second and len(key := first + second) > MIN_SKELETON
        for vowel in latin_vowels(terms[i])
    )
    return keys


# Endings Korean keeps on loanwords (모니터링, 시뮬레이션) that the English stemmer cuts (monitor, simul).
_HANGUL_ENDINGS = ("링", "닝", "션", "팅", "딩")


@functools.lru_cache(maxsize=65_536)
def _hangul_word_keys(word: str) -> tuple[tuple[str, str], ...]:
    """(key, spelling) of a Hangul word, and of it without a loanword ending, where the skeleton is long enough."""
    skeleton, vowel = hangul_skeleton(word), hangul_vowel(word)
    if not skeleton or not vowel:
        return ()
    skeletons = [skeleton]
    if len(word) > 2 and word.endswith(_HANGUL_ENDINGS):
        skeletons.append(hangul_skeleton(word[:-1]) or "")
    return tuple((f"{each}-{vowel}", word) for each in skeletons if len(each) >= MIN_SKELETON)


def _hangul_keys(terms: Sequence[str]) -> list[tuple[str, str]]:
    """(skeleton, spelling) of each borrowed-looking Hangul term, and of each two in a row of which one looks
    borrowed (the analyser splits 클린룸 into 클린 and 룸, 스팀트랩 into 스팀 and 트랩); each also without a
    loanword ending when it has one."""
    borrowed = [looks_borrowed(term) for term in terms]
    keys = [key for term, flag in zip(terms, borrowed, strict=True) if flag for key in _hangul_word_keys(term)]
    for i in range(len(terms) - 1):
        if borrowed[i] or borrowed[i + 1]:
            keys.extend(_hangul_word_keys(terms[i] + terms[i + 1]))
    return keys


def link_terms(documents: Sequence[Sequence[str]]) -> tuple[list[list[str]], dict[str, tuple[str, str]]]:
    """(for each document (analysed terms) the transliteration terms it gains: one per Hangul term, English term or
    two such terms in a row whose skeleton, of MIN_SKELETON consonants or more, the documents hold in both
    scripts; each transliteration term → the first Hangul and English spelling of it met, to name it)."""
    latin = [_latin_keys(terms) for terms in documents]
    hangul = [_hangul_keys(terms) for terms in documents]
    shared = {key for keys in latin for key, _ in keys} & {key for keys in hangul for key, _ in keys}
    if not shared:
        return [[] for _ in documents], {}
    links = [
        [TRANSLITERATION_PREFIX + key for key, _ in (*latin_keys, *hangul_keys) if key in shared]
        for latin_keys, hangul_keys in zip(latin, hangul, strict=True)
    ]
    korean: dict[str, str] = {}
    english: dict[str, str] = {}
    for side, spelled in ((hangul, korean), (latin, english)):
        for keys in side:
            for key, spelling in keys:
                if key in shared:
                    spelled.setdefault(key, spelling)
    return links, {TRANSLITERATION_PREFIX + key: (korean[key], english[key]) for key in shared}
