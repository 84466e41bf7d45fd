"""The vocabulary's third edition: twelve sector groups, each with the glossary it was written from, loaded by
migrating; migration 0009 adds the groups' concepts to a database migrated before it without touching what operators
wrote there (a term an operator's concept has stays theirs)."""

from __future__ import annotations

import importlib
import json
from collections import Counter

import pytest
from django.apps import apps

from talent.matching import services
from talent.matching.concepts import SHIPPED_VOCABULARY, build_vocabulary, shipped_concepts, shipped_entries
from talent.matching.models import AxConcept
from talent.matching.text import tokenize

pytestmark = pytest.mark.django_db

third_edition = importlib.import_module("talent.matching.migrations.0009_ax_vocabulary_third_edition")


def grouped_entries() -> list[dict]:
    return [entry for entry in shipped_entries() if "group" in entry]


def test_each_sector_group_names_its_sector_and_source_and_has_its_concepts():
    groups = json.loads(SHIPPED_VOCABULARY.read_text(encoding="utf-8"))["groups"]
    concepts_per_group = Counter(entry["group"] for entry in grouped_entries())

    assert set(groups) == set(concepts_per_group) == third_edition.THIRD_EDITION_GROUPS
    assert min(concepts_per_group.values()) >= 10
    assert all(group["sector"].strip() and len(group["source"]) > 20 for group in groups.values())


def test_the_groups_concepts_are_in_the_database_after_migrating():
    keys = {entry["key"] for entry in grouped_entries()}

    assert AxConcept.objects.filter(key__in=keys, shipped=True).count() == len(keys)


def test_every_concept_of_the_groups_is_found_from_a_korean_term_and_from_an_english_one():
    vocabulary = build_vocabulary(shipped_concepts())
    entries = grouped_entries()
    korean = [(entry["key"], term) for entry in entries for term in entry["ko"]]
    english = [(entry["key"], term) for entry in entries for term in [*entry["en"], *entry["abbr"]]]
    terms = tokenize([term for _, term in [*korean, *english]])

    korean_terms, english_terms = terms[: len(korean)], terms[len(korean) :]

    def found(pairs: list[tuple[str, str]], analysed: list[list[str]]) -> set[str]:
        return {key for (key, _), words in zip(pairs, analysed, strict=True) if key in vocabulary.find(words)}

    keys = {entry["key"] for entry in entries}
    assert keys - found(korean, korean_terms) == set()
    assert keys - found(english, english_terms) == set()


@pytest.mark.parametrize(
    ("korean", "english", "key"),
    [
        ("핫러너 노즐 온도가 흔들립니다", "balancing hot runners in family moulds", "hot-runner"),
        ("감광액 도포 두께 편차", "photoresist coating uniformity", "photoresist"),
        ("전극 슬러리 분산이 불균일", "rheology of electrode slurries", "electrode-slurry"),
        ("평형수 처리 장치 점검", "ballast water treatment systems", "ballast-water"),
        ("뇌졸중 환자의 재활 경과", "outcomes after acute stroke", "stroke"),
        ("크로스도킹 센터 운영", "cross-docking operations", "cross-docking"),
        ("공장 폐열 회수", "industrial waste heat recovery", "waste-heat"),
        ("딸기 육묘 환경", "strawberry seedlings under LED", "seedling"),
        ("소결 밀도가 낮습니다", "sintering of ceramic powders", "sintering"),
        ("자율주행 인지 센서", "perception for autonomous driving", "autonomous-driving"),
        ("편의점 발주 자동화", "ordering in convenience stores", "retail-formats"),
        ("측정 시스템 분석 결과", "a measurement system analysis of gauges", "msa"),
    ],
)
def test_a_term_of_each_group_links_a_korean_text_with_an_english_one(korean, english, key):
    vocabulary = build_vocabulary(shipped_concepts())
    korean_terms, english_terms = tokenize([korean, english])

    assert key in vocabulary.find(korean_terms)
    assert key in vocabulary.find(english_terms)


def test_the_third_edition_adds_what_a_database_lacks_and_leaves_what_operators_wrote(operator):
    AxConcept.objects.filter(key__in=["hot-runner", "heat-pump", "calcination", "sepsis", "rul"]).delete()
    services.ax_concept_create(
        actor=operator, key="kiln-firing", terms_ko=["소성", "가마 소성"], terms_en=["kiln firing"]
    )
    services.ax_concept_create(actor=operator, key="septic", terms_ko=["패혈증"], terms_en=["sepsis"])
    AxConcept.objects.filter(key="gloss").update(terms_ko=["광택", "광택 불량"])

    third_edition.add_third_edition(apps, None)

    assert AxConcept.objects.get(key="hot-runner").shipped and AxConcept.objects.filter(key="heat-pump").exists()
    calcination = AxConcept.objects.get(key="calcination")
    assert "소성" not in calcination.terms_ko and "calcination" in calcination.terms_en
    assert AxConcept.objects.get(key="kiln-firing").terms_ko == ["소성", "가마 소성"]
    assert not AxConcept.objects.filter(key="sepsis").exists()  # only "septic shock" was left: it links nothing
    assert AxConcept.objects.get(key="gloss").terms_ko == ["광택", "광택 불량"]
    assert not AxConcept.objects.filter(key="rul").exists()  # the second edition's, deleted by an operator

    count = AxConcept.objects.count()
    third_edition.add_third_edition(apps, None)  # again: nothing more
    assert AxConcept.objects.count() == count
