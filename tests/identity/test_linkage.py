"""The linkage engine without a database: blocking finds romanisation variants and swapped birth dates, the
comparison names each field's agreement, and the fitted model ranks a true duplicate above namesakes."""

from __future__ import annotations

import datetime

from talent.identity import linkage
from talent.identity.linkage import Record

D = datetime.date


def test_romanisations_of_one_family_name_share_a_key():
    assert {linkage.family_key(n) for n in ("Lee", "Yi", "Rhee", "I")} == {"lee"}
    assert {linkage.family_key(n) for n in ("Jung", "Jeong", "Chung")} == {"jung"}
    assert linkage.family_key("Kim") != linkage.family_key("Park")
    assert linkage.given_key("Seo-yeon") == linkage.given_key("Suh Yeon") == linkage.given_key("Seoyeon")


def test_blocking_pairs_swapped_birth_dates_and_romanisations_but_not_strangers():
    a = Record(1, "이", "서연", "Lee", "Seoyeon", D(1999, 4, 7))
    b = Record(2, "", "", "Rhee", "Suh-yeon", D(1999, 7, 4))  # no Korean name, day and month swapped
    c = Record(3, "박", "민준", "Park", "Minjun", D(1999, 4, 7))
    d = Record(4, "최", "지우", "Choi", "Jiwoo", D(2000, 1, 1), email="x@example.org")
    e = Record(5, "", "", "Smith", "John", D(1980, 1, 2), email="X@example.org")

    assert linkage.candidate_pairs([a, b, c, d, e]) == {(1, 2), (4, 5)}


def test_a_comparison_names_each_fields_agreement():
    a = Record(1, "정", "하린", "Jung", "Harin", D(1999, 2, 4), "harin@a.ac.kr", orcid="0000-0002-1825-0097")
    b = Record(2, "정", "하린", "Jeong", "Ha-rin", D(1999, 4, 2), "harin@b.ac.kr", orcid="0000-0001-5109-3700")

    assert linkage.evidence(linkage.compare(a, b)) == {
        "korean_name": "exact",
        "family_latin": "same_romanisation",
        "given_latin": "exact",
        "birth_date": "day_month_swapped",
        "email": "same_mailbox_name",
        "identifiers": "different",
    }


def test_two_different_orcids_are_never_a_match_whatever_else_agrees():
    a = Record(1, "정", "하린", "Jung", "Harin", D(1999, 2, 4), orcid="0000-0002-1825-0097")
    b = Record(2, "정", "하린", "Jung", "Harin", D(1999, 2, 4), orcid="0000-0001-5109-3700")

    assert linkage.starting_model().probability(linkage.compare(a, b)) < 1e-9


GIVEN = [("서연", "Seoyeon", "Suh-yeon"), ("민준", "Minjun", "Min-joon"), ("지우", "Jiwoo", "Ji-u"),
         ("하은", "Haeun", "Ha Eun"), ("도윤", "Doyun", "Do-yoon")]  # fmt: skip
OTHER = [("예린", "Yerin"), ("시우", "Siwoo"), ("유나", "Yuna"), ("건우", "Geonwoo")]


def test_the_fitted_model_finds_noisy_duplicates_and_leaves_namesakes_of_the_family_born_the_same_day():
    records = []
    for n in range(200):  # every pair is born the same day; one in five is one human written twice
        day = D(1990 + n // 12, 1 + n % 12, 13 + n % 15)  # no day is another's with day and month swapped
        korean, latin, variant = GIVEN[n % len(GIVEN)]
        records.append(Record(2 * n + 1, "김", korean, "Kim", latin, day, f"k{n}@a.ac.kr"))
        if n % 5 == 0:
            records.append(Record(2 * n + 2, "김", korean, "Gim", variant, day, f"k{n}@b.ac.kr"))
        else:
            other_korean, other_latin = OTHER[n % len(OTHER)]
            records.append(Record(2 * n + 2, "김", other_korean, "Kim", other_latin, day, f"o{n}@b.ac.kr"))

    found, _model = linkage.find_candidates(records, threshold=0.9)

    assert {(c.one, c.other) for c in found} == {(2 * n + 1, 2 * n + 2) for n in range(0, 200, 5)}


def test_a_shared_identifier_makes_a_candidate_whatever_else_differs():
    # One mailbox on two records whose names and birth dates disagree: the model alone would not show them.
    a = Record(1, "이", "서연", "Lee", "Seoyeon", D(1999, 4, 7), email="family@example.org")
    b = Record(2, "김", "민준", "Kim", "Minjun", D(1970, 9, 30), email="Family@Example.org")
    # An ORCID iD a university gave for record 3 (it differs from what the registry holds) is record 4's own.
    c = Record(3, "", "", "Chung", "Harin", given=(("orcid", "0000-0002-1825-009x"),))
    d = Record(4, "정", "하린", "", "", D(1999, 2, 14), orcid="0000-0002-1825-009X")
    # Two different ORCID iDs of their own: two persons, even with one mailbox.
    e = Record(5, "박", "지우", "Park", "Jiwoo", D(2001, 1, 1), email="lab@example.org", orcid="0000-0001-5109-3700")
    f = Record(6, "박", "지우", "Park", "Jiwoo", D(2001, 1, 1), email="lab@example.org", orcid="0000-0002-1694-233X")

    assert linkage.starting_model().probability(linkage.compare(a, b)) < 0.9
    found, _model = linkage.find_candidates([a, b, c, d, e, f], threshold=0.9)

    assert {(x.one, x.other): x.shared for x in found} == {(1, 2): ("email",), (3, 4): ("orcid",)}
    assert linkage.shared_identifiers(e, f) == ("email",)
