"""Finding probable duplicate persons: pure functions over plain records, no ORM (the bench and the tests run them
without a database).

1. Blocking: each record gives a few keys (birth date with day and month in either order + the Korean name, the
   same birth date + the Latin family name's romanisation group, each identifier: email address, ORCID iD,
   researcher number, its own or one a university gave for it); only records that share a key are compared, never
   all pairs. A block larger than MAX_BLOCK is skipped (a key that common identifies nobody).
2. Comparison: each pair becomes a vector of agreement levels, one per field (exact, close, different, missing).
3. Scoring: a pair that shares an identifier (`shared_identifiers`) is always a candidate, whatever its score,
   unless two different ORCID iDs or researcher numbers veto it; every other pair is one from its
   Fellegi–Sunter match weight, the sum over fields of log2(m/u) of the pair's level, with m and u
   estimated by expectation-maximisation on the compared pairs themselves (no labels needed), and shown as the
   posterior probability of a match. `bench/identity_linkage.py` compares it with deterministic rules and a plain
   rapidfuzz score on a generated labelled set; docs/identity.md gives the figures and why this one was chosen.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import JaroWinkler

MAX_BLOCK = 400

#: Romanisations of one Korean family name, by the group's usual spelling (the Revised Romanization where common).
FAMILY_GROUPS: dict[str, tuple[str, ...]] = {
    "kim": ("kim", "gim", "ghim"),
    "lee": ("lee", "yi", "rhee", "i", "ri", "rhie", "lie", "yee", "rhi"),
    "park": ("park", "pak", "bak", "bahk", "pack", "paik", "baek", "back", "baik", "paek"),
    "choi": ("choi", "choe", "choy", "chey", "chwe"),
    "jung": ("jung", "jeong", "chung", "joung", "cheong", "jeung", "chong", "jong"),
    "kang": ("kang", "gang"),
    "cho": ("cho", "jo", "joe"),
    "yoon": ("yoon", "yun", "youn"),
    "jang": ("jang", "chang"),
    "lim": ("lim", "im", "rim", "leem", "yim"),
    "han": ("han", "hahn"),
    "oh": ("oh", "o", "oe"),
    "seo": ("seo", "suh", "so", "seoh"),
    "shin": ("shin", "sin", "shinn"),
    "kwon": ("kwon", "gwon", "kweon"),
    "hwang": ("hwang", "whang"),
    "ahn": ("ahn", "an"),
    "song": ("song",),
    "yoo": ("yoo", "yu", "you", "ryu", "ryoo", "rhyu"),
    "hong": ("hong",),
    "jeon": ("jeon", "jun", "chun", "chon", "cheon", "jon"),
    "go": ("go", "ko", "koh", "goh"),
    "moon": ("moon", "mun"),
    "yang": ("yang",),
    "son": ("son", "sohn"),
    "bae": ("bae", "bai", "pae"),
    "baek": ("baek",),
    "heo": ("heo", "hur", "huh", "her"),
    "nam": ("nam",),
    "noh": ("noh", "no", "roh", "ro"),
    "ha": ("ha",),
    "kwak": ("kwak", "gwak"),
    "sung": ("sung", "seong", "sung"),
    "cha": ("cha",),
    "joo": ("joo", "ju", "chu"),
    "woo": ("woo", "wu", "u"),
    "min": ("min",),
    "ryu": ("ryu",),
    "na": ("na", "ra"),
    "jin": ("jin", "chin"),
    "ji": ("ji", "chi"),
    "eom": ("eom", "um", "uhm", "eum"),
    "chae": ("chae", "chai"),
    "won": ("won",),
    "cheon": ("cheon",),
    "bang": ("bang", "pang"),
    "gong": ("gong", "kong"),
    "hyun": ("hyun", "hyeon"),
}
_FAMILY_KEY = {spelling: key for key, spellings in FAMILY_GROUPS.items() for spelling in spellings}


def _letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", folded.lower())


def family_key(latin: str) -> str:
    """The romanisation group of a Latin family name: Kim and Gim, Lee, Yi, Rhee and I give one key."""
    letters = _letters(latin)
    return _FAMILY_KEY.get(letters, letters)


# Spelling differences of the common romanisations, folded so that Seoyeon, Suh-yeon and Soyeon meet: vowels as
# McCune–Reischauer and older spellings write them, then voiced and aspirated consonants as one.
_GIVEN_FOLDS = [
    ("yeo", "yo"), ("eo", "o"), ("eu", "u"), ("oo", "u"), ("ae", "e"), ("wo", "o"), ("ee", "i"),
    ("uh", "o"), ("ch", "j"), ("sh", "s"), ("k", "g"), ("t", "d"), ("p", "b"), ("r", "l"),
]  # fmt: skip


def given_key(latin: str) -> str:
    """A Latin given name without case, spaces and hyphens, romanisation variants folded together."""
    key = _letters(latin)
    for variant, common in _GIVEN_FOLDS:
        key = key.replace(variant, common)
    return key


@dataclass(frozen=True)
class Record:
    """What linkage compares of a person (strings empty when unknown)."""

    pk: int
    family_ko: str = ""
    given_ko: str = ""
    family_latin: str = ""
    given_latin: str = ""
    birth_date: datetime.date | None = None
    email: str = ""
    orcid: str = ""
    researcher_number: str = ""
    #: Identifiers a university gave for this person that the stored record does not hold (another person may):
    #: (kind, value) with kind one of IDENTIFIER_KINDS.
    given: tuple[tuple[str, str], ...] = ()
    # Normalised once, when the record is made (comparison runs per pair, hundreds of thousands of times).
    korean: str = field(init=False, compare=False, repr=False)
    family_letters: str = field(init=False, compare=False, repr=False)
    family_group: str = field(init=False, compare=False, repr=False)
    given_letters: str = field(init=False, compare=False, repr=False)
    given_folded: str = field(init=False, compare=False, repr=False)
    mailbox: str = field(init=False, compare=False, repr=False)
    identifiers: frozenset[tuple[str, str]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        derived = {
            "korean": "".join((self.family_ko + self.given_ko).split()),
            "family_letters": _letters(self.family_latin),
            "family_group": family_key(self.family_latin),
            "given_letters": _letters(self.given_latin),
            "given_folded": given_key(self.given_latin),
            "mailbox": self.email.lower(),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)
        own = (("email", self.mailbox), ("orcid", self.orcid.upper()), ("researcher_number", self.researcher_number))
        given = ((kind, value.lower() if kind == "email" else value.upper()) for kind, value in self.given)
        identifiers = frozenset((kind, value) for kind, value in (*own, *given) if value)
        object.__setattr__(self, "identifiers", identifiers)


def _birth_key(day: datetime.date) -> str:
    low, high = sorted((day.month, day.day))
    return f"{day.year}-{low}-{high}"


def blocking_keys(record: Record) -> Iterator[str]:
    if record.birth_date is not None:
        birth = _birth_key(record.birth_date)
        if record.korean:
            yield f"k|{birth}|{record.korean}"
        if record.family_group:
            yield f"l|{birth}|{record.family_group}"
    for kind, value in record.identifiers:
        yield f"i|{kind}|{value}"


#: The identifiers two records may share, in the order an operator reads them.
IDENTIFIER_KINDS = ("orcid", "researcher_number", "email")


def shared_identifiers(a: Record, b: Record) -> tuple[str, ...]:
    """The kinds of identifier (IDENTIFIER_KINDS) both records hold with one value, their own or given for them."""
    both = {kind for kind, _value in a.identifiers & b.identifiers}
    return tuple(kind for kind in IDENTIFIER_KINDS if kind in both)


def candidate_pairs(records: Iterable[Record], *, max_block: int = MAX_BLOCK) -> set[tuple[int, int]]:
    """The pairs (lower pk first) that share a blocking key."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for record in records:
        for key in set(blocking_keys(record)):
            blocks[key].append(record.pk)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block:
            continue
        ordered = sorted(members)
        for i, one in enumerate(ordered):
            for other in ordered[i + 1 :]:
                pairs.add((one, other))
    return pairs


# --- Comparison -------------------------------------------------------------------------------------------------

MISSING = -1
FIELDS = ("korean_name", "family_latin", "given_latin", "birth_date", "email", "identifiers")
#: Levels per field, best agreement first (the index is the level); MISSING is not a level.
LEVELS: dict[str, tuple[str, ...]] = {
    "korean_name": ("exact", "one_syllable_differs", "different"),
    "family_latin": ("exact", "same_romanisation", "different"),
    "given_latin": ("exact", "romanisation_variant", "similar", "different"),
    "birth_date": ("exact", "day_month_swapped", "one_part_differs", "different"),
    "email": ("exact", "same_mailbox_name", "different"),
    "identifiers": ("different",),  # two different ORCID iDs or researcher numbers: two persons
}


def _korean_level(a: Record, b: Record) -> int:
    if not a.korean or not b.korean:
        return MISSING
    if a.korean == b.korean:
        return 0
    if len(a.korean) == len(b.korean) and sum(x != y for x, y in zip(a.korean, b.korean, strict=True)) == 1:
        return 1
    return 2


def _family_level(a: Record, b: Record) -> int:
    if not a.family_letters or not b.family_letters:
        return MISSING
    if a.family_letters == b.family_letters:
        return 0
    return 1 if a.family_group == b.family_group else 2


def _given_level(a: Record, b: Record) -> int:
    if not a.given_letters or not b.given_letters:
        return MISSING
    if a.given_letters == b.given_letters:
        return 0
    one, other = a.given_folded, b.given_folded
    if one == other:
        return 1
    return 2 if JaroWinkler.similarity(one, other) >= 0.88 else 3


def _birth_level(a: Record, b: Record) -> int:
    if a.birth_date is None or b.birth_date is None:
        return MISSING
    x, y = a.birth_date, b.birth_date
    if x == y:
        return 0
    if (x.year, x.month, x.day) == (y.year, y.day, y.month):
        return 1
    return 2 if sum((x.year != y.year, x.month != y.month, x.day != y.day)) == 1 else 3


def _email_level(a: Record, b: Record) -> int:
    if not a.mailbox or not b.mailbox:
        return MISSING
    if a.mailbox == b.mailbox:
        return 0
    return 1 if a.mailbox.split("@")[0] == b.mailbox.split("@")[0] else 2


def _identifier_level(a: Record, b: Record) -> int:
    for one, other in ((a.orcid, b.orcid), (a.researcher_number, b.researcher_number)):
        if one and other and one != other:
            return 0
    return MISSING


_IDENTIFIERS = FIELDS.index("identifiers")
_COMPARE = (_korean_level, _family_level, _given_level, _birth_level, _email_level, _identifier_level)


def compare(a: Record, b: Record) -> tuple[int, ...]:
    """The pair's agreement level per field (FIELDS order); MISSING where either lacks the field."""
    return tuple(level(a, b) for level in _COMPARE)


def evidence(vector: Sequence[int]) -> dict[str, str]:
    """The comparison in words, field by field: what an operator reads beside a candidate."""
    pairs = zip(FIELDS, vector, strict=True)
    return {name: ("missing" if level == MISSING else LEVELS[name][level]) for name, level in pairs}


# --- Fellegi–Sunter ---------------------------------------------------------------------------------------------


@dataclass
class Model:
    """m (P(level | match)) and u (P(level | non-match)) per field and level, and the prior share of matches
    among compared pairs."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float

    def weight(self, vector: Sequence[int]) -> float:
        if vector[_IDENTIFIERS] == 0:
            return VETO  # two different ORCID iDs or researcher numbers: two persons, whatever else agrees
        total = math.log2(self.prior / (1 - self.prior))
        for name, level in zip(FIELDS, vector, strict=True):
            if level != MISSING:
                total += math.log2(self.m[name][level] / self.u[name][level])
        return total

    def probability(self, vector: Sequence[int]) -> float:
        weight = max(min(self.weight(vector), -VETO), VETO)
        return 1 / (1 + 2.0**-weight)


#: m and u as EM estimated them on the bench's generated population (bench/identity_linkage.py, seed 2030,
#: zeros floored at 1e-4): the model until the registry has MIN_PAIRS compared pairs to fit its own, and where
#: each fit starts. Two different strong identifiers are a rule, not something to learn.
DEFAULT_PARAMETERS: dict[str, dict[str, list[float]]] = {
    "m": {
        "korean_name": [0.9532, 0.0468, 0.0001],
        "family_latin": [0.817, 0.1553, 0.0276],
        "given_latin": [0.534, 0.1835, 0.2487, 0.0337],
        "birth_date": [0.98, 0.02, 0.0001, 0.0001],
        "email": [0.4847, 0.2211, 0.2942],
        "identifiers": [0.001],
    },
    "u": {
        "korean_name": [0.0001, 0.0502, 0.9498],
        "family_latin": [0.9841, 0.0159, 0.0001],
        "given_latin": [0.0001, 0.0001, 0.0046, 0.9953],
        "birth_date": [0.7475, 0.2525, 0.0001, 0.0001],
        "email": [0.0001, 0.0001, 1.0],
        "identifiers": [0.5],
    },
}
DEFAULT_PRIOR = 0.1085
MIN_PAIRS = 500


def starting_model() -> Model:
    return Model(m=DEFAULT_PARAMETERS["m"], u=DEFAULT_PARAMETERS["u"], prior=DEFAULT_PRIOR)


FLOOR = 1e-4
VETO = -60.0


def fit(vectors: Sequence[Sequence[int]], *, iterations: int = 30, model: Model | None = None) -> Model:
    """Estimate m, u and the prior by expectation-maximisation over the compared pairs' vectors (unlabelled),
    starting from `model` (default: the bench's); fewer than MIN_PAIRS pairs keep the starting model."""
    model = model or starting_model()
    if len(vectors) < MIN_PAIRS:
        return model
    counts: dict[tuple[int, ...], int] = defaultdict(int)
    for vector in vectors:
        counts[tuple(vector)] += 1
    patterns = list(counts.items())
    for _ in range(iterations):
        m_sum = {name: [FLOOR] * len(LEVELS[name]) for name in FIELDS}
        u_sum = {name: [FLOOR] * len(LEVELS[name]) for name in FIELDS}
        matched = 0.0
        for vector, n in patterns:
            p = model.probability(vector)
            matched += p * n
            for name, level in zip(FIELDS, vector, strict=True):
                if level != MISSING:
                    m_sum[name][level] += p * n
                    u_sum[name][level] += (1 - p) * n
        total = sum(n for _v, n in patterns)
        prior = min(max(matched / total, FLOOR), 1 - FLOOR)
        m = {name: [x / sum(values) for x in values] for name, values in m_sum.items()}
        u = {name: [x / sum(values) for x in values] for name, values in u_sum.items()}
        m["identifiers"], u["identifiers"] = model.m["identifiers"], model.u["identifiers"]
        model = Model(m=m, u=u, prior=prior)
    return model


@dataclass
class Candidate:
    one: int
    other: int
    score: float
    vector: tuple[int, ...] = field(default_factory=tuple)
    #: The identifiers the pair shares (IDENTIFIER_KINDS): such a pair is shown whatever its score.
    shared: tuple[str, ...] = ()


def find_candidates(
    records: Sequence[Record], *, threshold: float, model: Model | None = None, only: set[int] | None = None
) -> tuple[list[Candidate], Model]:
    """Blocked pairs scored with a Fellegi–Sunter model fitted on them (or `model`), those at or above `threshold`
    (a match probability) and those that share an identifier (unless two different strong identifiers veto).
    With `only`, just the pairs that involve one of those persons are returned (the model is still fitted on every
    blocked pair)."""
    by_pk = {r.pk: r for r in records}
    pairs = sorted(candidate_pairs(records))
    vectors = [compare(by_pk[a], by_pk[b]) for a, b in pairs]
    fitted = model or fit(vectors)
    found = []
    scores: dict[tuple[int, ...], float] = {}  # a few hundred distinct vectors among all the pairs
    for (a, b), vector in zip(pairs, vectors, strict=True):
        if only is not None and a not in only and b not in only:
            continue
        score = scores.get(vector)
        if score is None:
            score = scores[vector] = fitted.probability(vector)
        shared = shared_identifiers(by_pk[a], by_pk[b])
        vetoed = vector[_IDENTIFIERS] == 0
        if score >= threshold or (shared and not vetoed):
            found.append(Candidate(a, b, score, vector, shared))
    return found, fitted
