"""A generated, labelled population for the identity bench: persons across universities, some present at two, the
second record written with the noise real offices make. Deterministic for a seed; standard library only.

Noise of a second record (each independently): the Latin family name in another romanisation of the same Korean
name (Kim/Gim, Lee/Yi/Rhee/I, Park/Pak/Bak, Choi/Choe, Jung/Jeong/Chung, ...), the given name in another
romanisation or with hyphens and spaces moved, a typo in a Latin name, day and month of the birth date swapped,
the Korean name missing or with one syllable mistyped, the ORCID iD missing (a shared ORCID would have linked the
two at admission), the email changed or missing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, replace

from talent.identity.linkage import Record

#: Korean family names with their share of the population (about 60% covered) and their romanisations.
FAMILIES: list[tuple[str, float, tuple[str, ...]]] = [
    ("김", 21.5, ("Kim", "Gim")),
    ("이", 14.7, ("Lee", "Yi", "Rhee", "I")),
    ("박", 8.4, ("Park", "Pak", "Bak")),
    ("최", 4.7, ("Choi", "Choe")),
    ("정", 4.3, ("Jung", "Jeong", "Chung")),
    ("강", 2.3, ("Kang", "Gang")),
    ("조", 2.1, ("Cho", "Jo")),
    ("윤", 2.1, ("Yoon", "Yun")),
    ("장", 2.0, ("Jang", "Chang")),
    ("임", 1.7, ("Lim", "Im")),
    ("한", 1.5, ("Han",)),
    ("오", 1.5, ("Oh", "O")),
    ("서", 1.5, ("Seo", "Suh")),
    ("신", 1.5, ("Shin", "Sin")),
    ("권", 1.4, ("Kwon", "Gwon")),
    ("황", 1.4, ("Hwang",)),
    ("안", 1.4, ("Ahn", "An")),
    ("송", 1.3, ("Song",)),
    ("류", 1.2, ("Ryu", "Yoo")),
    ("홍", 1.1, ("Hong",)),
]

#: Syllables of given names, with their common romanisations (Revised Romanization first).
SYLLABLES: list[tuple[str, tuple[str, ...]]] = [
    ("서", ("seo", "suh", "so")), ("연", ("yeon", "yun", "yon")), ("민", ("min",)), ("준", ("jun", "joon")),
    ("지", ("ji", "jee", "chi")), ("현", ("hyun", "hyeon")), ("우", ("woo", "u")), ("은", ("eun", "un")),
    ("하", ("ha",)), ("윤", ("yoon", "yun")), ("예", ("ye", "yea")), ("도", ("do", "doh")), ("수", ("su", "soo")),
    ("영", ("young", "yeong", "yong")), ("진", ("jin", "chin")), ("혜", ("hye", "hae")), ("성", ("sung", "seong")),
    ("재", ("jae", "jay")), ("원", ("won", "weon")), ("상", ("sang",)), ("정", ("jung", "jeong")),
    ("희", ("hee", "hui")), ("경", ("kyung", "gyeong", "kyeong")), ("태", ("tae",)), ("주", ("joo", "ju")),
    ("아", ("a", "ah")), ("나", ("na",)), ("유", ("yu", "yoo")), ("채", ("chae",)), ("다", ("da",)),
    ("시", ("si", "shi")), ("빈", ("bin", "been")), ("건", ("geon", "gun", "keon")), ("호", ("ho",)),
    ("형", ("hyung", "hyeong")), ("석", ("seok", "suk")), ("동", ("dong",)), ("혁", ("hyuk", "hyeok")),
    ("승", ("seung",)), ("훈", ("hoon", "hun")), ("린", ("rin", "lin")), ("율", ("yul", "yool")),
    ("소", ("so",)), ("규", ("gyu", "kyu")), ("찬", ("chan",)), ("인", ("in",)), ("혼", ("hon",)),
]  # fmt: skip

#: The most common given name then has about 0.7% of a cohort (서연 and 민준 had about 1% in the peak years).
SYLLABLE_WEIGHTS = [1 / (rank + 1) ** 0.5 for rank in range(len(SYLLABLES))]

FOREIGN_FAMILIES = ["Nguyen", "Tran", "Smith", "Garcia", "Wang", "Zhang", "Kumar", "Singh", "Ivanova", "Sato"]
FOREIGN_GIVEN = ["Anh", "Linh", "John", "Maria", "Wei", "Li", "Arjun", "Priya", "Olga", "Yuki", "Thanh", "Ana"]
DOMAINS = ["gmail.com", "naver.com", "daum.net", "kakao.com"]


@dataclass(frozen=True)
class Person:
    """A human as generated: the true values, before any office writes them down."""

    family_ko: str
    given_ko: str
    family_variants: tuple[str, ...]
    given_syllables: tuple[tuple[str, ...], ...]  # romanisations per syllable
    foreign: bool
    family_latin: str
    given_latin: str
    birth_date: datetime.date


@dataclass(frozen=True)
class Population:
    records: list[Record]
    true_pairs: set[tuple[int, int]]
    universities: dict[int, int]  # record pk -> university


def _human(rng: random.Random) -> Person:
    # Graduate students: mostly born within a dozen years.
    birth = datetime.date(1992, 1, 1) + datetime.timedelta(days=rng.randrange(12 * 365))
    if rng.random() < 0.04:
        return Person("", "", (), (), True, rng.choice(FOREIGN_FAMILIES), rng.choice(FOREIGN_GIVEN), birth)
    names = [f for f, _w, _r in FAMILIES]
    weights = [w for _f, w, _r in FAMILIES]
    family = rng.choices(range(len(names)), weights=weights)[0]
    # Given names concentrate on a few popular syllables (Zipf-like), so namesakes born the same day do occur.
    syllables = rng.choices(SYLLABLES, weights=SYLLABLE_WEIGHTS, k=2)
    return Person(
        family_ko=names[family],
        given_ko="".join(s for s, _r in syllables),
        family_variants=FAMILIES[family][2],
        given_syllables=tuple(r for _s, r in syllables),
        foreign=False,
        family_latin=FAMILIES[family][2][0],
        given_latin="",
        birth_date=birth,
    )


def _given(person: Person, rng: random.Random, *, variant: bool) -> str:
    if person.foreign:
        return person.given_latin
    parts = [rng.choice(options) if variant else options[0] for options in person.given_syllables]
    style = rng.random() if variant else 0.0
    if style < 0.6:
        return "".join(parts).capitalize()
    if style < 0.8:
        return "-".join(parts).capitalize()
    if style < 0.9:
        return " ".join(p.capitalize() for p in parts)
    return "-".join(p.capitalize() for p in parts)


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + rng.choice("aeiouyhgnk") + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1 :]
    j = min(i + 1, len(text) - 1)
    return text[:i] + text[j] + text[i] + text[j + 1 :] if j != i else text


def _orcid(n: int) -> str:
    digits = f"{n:015d}"
    total = 0
    for ch in digits:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    last = "X" if check == 10 else str(check)
    raw = digits + last
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def generate(persons: int, *, universities: int = 22, shared: float = 0.05, seed: int = 2030) -> Population:
    """`persons` humans across `universities`, `shared` of them with a second record at another university."""
    rng = random.Random(seed)
    records: list[Record] = []
    true_pairs: set[tuple[int, int]] = set()
    where: dict[int, int] = {}
    for n in range(persons):
        human = _human(rng)
        university = rng.randrange(universities)
        pk = len(records) + 1
        # A mailbox belongs to one human: the local part carries the person's number, as a unique handle would.
        local = f"{_given(human, rng, variant=False).lower().replace('-', '').replace(' ', '')}.{n}"
        first = Record(
            pk=pk,
            family_ko=human.family_ko,
            given_ko=human.given_ko,
            family_latin=human.family_latin,
            given_latin=_given(human, rng, variant=False),
            birth_date=human.birth_date,
            email=f"{local}@{rng.choice(DOMAINS)}" if rng.random() < 0.8 else "",
            orcid=_orcid(n + 1) if rng.random() < 0.3 else "",
        )
        records.append(first)
        where[pk] = university
        if rng.random() < shared:
            second = _noisy(first, human, rng, pk=pk + 1, local=local)
            records.append(second)
            where[second.pk] = (university + 1 + rng.randrange(universities - 1)) % universities
            true_pairs.add((pk, second.pk))
    return Population(records, true_pairs, where)


def _noisy(first: Record, human: Person, rng: random.Random, *, pk: int, local: str) -> Record:
    family_latin = first.family_latin
    if human.family_variants and rng.random() < 0.35:
        family_latin = rng.choice(human.family_variants)
    given_latin = _given(human, rng, variant=True) if rng.random() < 0.6 else first.given_latin
    if rng.random() < 0.08:
        given_latin = _typo(given_latin, rng)
    if rng.random() < 0.04:
        family_latin = _typo(family_latin, rng)
    birth = first.birth_date
    assert birth is not None
    if rng.random() < 0.06 and birth.day <= 12 and birth.day != birth.month:
        birth = birth.replace(month=birth.day, day=birth.month)
    given_ko = first.given_ko
    if given_ko and rng.random() < 0.02:
        given_ko = given_ko[0] + SYLLABLES[rng.randrange(len(SYLLABLES))][0]
    korean_missing = rng.random() < 0.05
    email_roll = rng.random()
    if email_roll < 0.4:
        email = first.email
    elif email_roll < 0.6:
        email = f"{local}@univ{rng.randrange(22)}.ac.kr"
    elif email_roll < 0.85:
        email = f"{local}{rng.randrange(1000)}@univ{rng.randrange(22)}.ac.kr"
    else:
        email = ""
    return replace(
        first,
        pk=pk,
        family_ko="" if korean_missing else first.family_ko,
        given_ko="" if korean_missing else given_ko,
        family_latin=family_latin,
        given_latin=given_latin,
        birth_date=birth,
        email=email,
        orcid="",  # the same ORCID on both would have linked them at admission; often left blank anyway
    )
