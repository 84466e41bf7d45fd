"""The vocabulary's second edition reaches a database migrated before it (migration 0006): the shipped concepts it
lacks are added, less any term a concept there already has; the concepts it has, edited by operators or not, are
left as they are."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from talent.matching import services
from talent.matching.concepts import shipped_entries
from talent.matching.models import AxConcept

pytestmark = pytest.mark.django_db

edition = importlib.import_module("talent.matching.migrations.0006_ax_vocabulary_second_edition")


def test_the_concepts_a_database_lacks_are_added_and_the_others_left_alone():
    AxConcept.objects.filter(key__in=["fast-charging", "peak-demand"]).delete()
    AxConcept.objects.filter(key="rul").update(terms_en=["remaining useful life", "operator's own term"])

    edition.add_new_concepts(apps, None)

    assert AxConcept.objects.count() == len(shipped_entries())
    fast = AxConcept.objects.get(key="fast-charging")
    assert fast.shipped and "급속충전" in fast.terms_ko and "fast charging" in fast.terms_en
    assert AxConcept.objects.get(key="rul").terms_en == ["remaining useful life", "operator's own term"]

    edition.add_new_concepts(apps, None)  # again: nothing more
    assert AxConcept.objects.count() == len(shipped_entries())


def test_the_second_edition_leaves_an_operators_term_with_the_operator(operator):
    AxConcept.objects.filter(key="fast-charging").delete()
    services.ax_concept_create(actor=operator, key="quick-charge", terms_ko=["급속충전"], terms_en=["quick charge"])

    edition.add_new_concepts(apps, None)

    fast = AxConcept.objects.get(key="fast-charging")
    assert "급속충전" not in fast.terms_ko and "fast charging" in fast.terms_en
    assert AxConcept.objects.get(key="quick-charge").terms_ko == ["급속충전"]


@pytest.mark.parametrize(
    ("korean", "english", "key"),
    [
        ("급속 충전으로 수명이 줄었습니다", "fast-charging protocols for packs", "fast-charging"),
        ("최대수요전력을 낮추고 싶습니다", "cutting peak demand charges", "peak-demand"),
        ("시간대별 요금을 반영", "under time-of-use tariffs", "tou-tariff"),
        ("공구 수명을 예측", "remaining tool life in milling", "tool-life"),
        ("요양병원 낙상 사고", "inpatient falls in older patients", "falls"),
    ],
)
def test_the_second_edition_links_what_the_first_held_out_set_missed(korean, english, key):
    from talent.matching.concepts import build_vocabulary, shipped_concepts
    from talent.matching.text import tokenize

    vocabulary = build_vocabulary(shipped_concepts())
    korean_terms, english_terms = tokenize([korean, english])
    assert key in vocabulary.find(korean_terms)
    assert key in vocabulary.find(english_terms)
