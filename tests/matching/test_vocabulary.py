"""The AX vocabulary in the database: shipped with the application, extended by operators in the admin (bad
entries refused with a clear message), reloaded by a command, and used by every run to link Korean postings with
English-only profiles, each proposal naming the concept that linked them."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from talent.common.errors import InvalidInput
from talent.matching import services
from talent.matching.concepts import shipped_entries
from talent.matching.models import AxConcept
from tests import factories
from tests.matching.market import make_expert, open_problem, run_now

pytestmark = pytest.mark.django_db


def test_the_shipped_vocabulary_is_in_the_database_after_migrating():
    assert AxConcept.objects.filter(shipped=True).count() == len(shipped_entries())
    rul = AxConcept.objects.get(key="rul")
    assert "잔존수명" in rul.terms_ko and "remaining useful life" in rul.terms_en and "RUL" in rul.abbreviations


def test_every_shipped_concept_passes_the_rules_an_operators_concept_must_pass():
    """The file loads into empty tables, as a transactional test's flush leaves them, through the same validation as
    the admin: a concept with a term written twice (이온 주입 / 이온주입) is refused there, though the migrations,
    which write the file's rows directly, stored it without a word."""
    AxConcept.objects.all().delete()
    assert services.ax_vocabulary_load() == {"created": len(shipped_entries()), "updated": 0, "unchanged": 0}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"terms_ko": ["  "], "terms_en": ["blank"]}, "cannot be blank"),
        ({"terms_ko": ["가" * 61], "terms_en": ["long"]}, "at most 60 characters"),
        ({"terms_ko": ["머신 러닝"], "terms_en": ["Machine Learning"], "abbreviations": ["머신러닝"]}, "twice"),
        ({"terms_ko": ["사내 용어"]}, "at least two different terms"),
        ({"terms_ko": ["사내 용어"], "terms_en": ["in-house term"], "ksic_divisions": ["Z99"]}, "not a KSIC division"),
        ({"terms_ko": ["잔존 수명", "남은 기대수명"], "terms_en": ["expected life"]}, "already a term of the concept"),
    ],
)
def test_a_bad_concept_is_refused_with_a_clear_message(operator, fields, message):
    with translation.override("en"), pytest.raises(InvalidInput, match=message):
        services.ax_concept_create(actor=operator, key="new-concept", **fields)
    assert not AxConcept.objects.filter(key="new-concept").exists()


def test_an_operator_adds_a_concept_and_the_next_run_uses_it(operator, company):
    services.ax_concept_create(
        actor=operator, key="kiln", terms_ko=["소성로", "가마"], terms_en=["kiln", "kilns"], ksic_divisions=["C23"]
    )
    problem = open_problem(
        company,
        title="소성로 온도 편차 진단",
        description="세라믹 소성로의 온도 편차로 제품이 갈라집니다.",
        ksic_section="C",
        skills_wanted=["소성로"],
        region="KR-41",
        remote=True,
        experts_wanted=1,
    )
    expert = make_expert(
        factories.PersonFactory(family_name_ko="Smith", given_name_ko="Anna"),
        skills=["kiln control"],
        summary_en="Temperature uniformity in industrial kilns for ceramics.",
        ksic_sections=["C"],
        regions=["KR-11"],
        remote_ok=True,
        capacity=1,
    )

    run = run_now()

    assert run.status == "succeeded", run.error
    why = problem.proposals.get(expert=expert).explanation
    assert {"key": "kiln", "ko": "소성로", "en": "kiln"} in why["matched_concepts"]


def test_a_korean_posting_reaches_an_english_only_expert_through_the_shipped_vocabulary(company):
    problem = open_problem(
        company,
        title="배터리 잔존수명 예측",
        description="ESS 배터리 셀의 잔존수명과 건강상태를 충방전 기록으로 추정하고 싶습니다.",
        ksic_section="C",
        skills_wanted=["잔존수명 예측", "배터리 진단"],
        region="KR-43",
        remote=True,
        experts_wanted=1,
    )
    english = make_expert(
        factories.PersonFactory(family_name_ko="Kim", given_name_ko="Jun"),
        skills=["RUL", "state of health"],
        summary_en="I predict the remaining useful life and state of health of lithium-ion cells from cycling data.",
        ksic_sections=["C"],
        regions=["KR-11"],
        remote_ok=True,
        capacity=1,
    )
    generic = make_expert(
        factories.PersonFactory(family_name_ko="이", given_name_ko="준호"),
        skills=["데이터 분석", "예측 모델"],
        summary_ko="다양한 데이터로 예측 모델을 만들고 성능을 평가합니다.",
        ksic_sections=["C"],
        regions=["KR-43"],
        remote_ok=True,
        capacity=1,
    )

    run_now()

    proposal = problem.proposals.get(status="proposed")
    assert proposal.expert == english, f"proposed {proposal.expert}, not the RUL expert over {generic}"
    keys = [concept["key"] for concept in proposal.explanation["matched_concepts"]]
    assert {"rul", "soh"} <= set(keys)


def test_the_command_loads_the_shipped_vocabulary_again_and_leaves_operators_concepts_alone(operator):
    services.ax_concept_create(actor=operator, key="kiln", terms_ko=["소성로"], terms_en=["kiln"])
    rul = AxConcept.objects.get(key="rul")
    services.ax_concept_update(actor=operator, concept=rul, terms_en=["RUL prediction", "remaining life"])

    call_command("load_ax_vocabulary", stdout=(out := _Output()))

    assert out.text == f"created: 0, updated: 1, unchanged: {len(shipped_entries()) - 1}\n"
    assert "remaining useful life" in AxConcept.objects.get(key="rul").terms_en
    assert AxConcept.objects.get(key="kiln").terms_en == ["kiln"]


def test_the_command_refuses_a_file_that_is_not_a_vocabulary(tmp_path):
    bad = tmp_path / "vocabulary.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CommandError, match="not a vocabulary file"):
        call_command("load_ax_vocabulary", file=bad)


def test_the_admin_refuses_a_term_of_another_concept_on_the_form(client, operator):
    client.force_login(operator)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/admin/matching/axconcept/add/",
        {"key": "life", "terms_ko": "잔존수명,수명", "terms_en": "life", "abbreviations": "", "ksic_divisions": ""},
    )
    assert response.status_code == 200
    assert "already a term of the concept" in response.content.decode()
    assert not AxConcept.objects.filter(key="life").exists()

    response = client.post(
        "/admin/matching/axconcept/add/",
        {"key": "kiln", "terms_ko": "소성로,가마", "terms_en": "kiln", "abbreviations": "", "ksic_divisions": "C23"},
    )
    assert response.status_code == 302
    assert AxConcept.objects.get(key="kiln").terms_ko == ["소성로", "가마"]


class _Output:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("terms_ko", "terms_en", "message"),
    [
        # A term mapped to itself: one term only, or the same term twice in other spellings.
        ("사내 용어", "", "서로 다른 용어가 두 개 이상"),
        ("머신 러닝", "Machine Learning,machine  learning", "두 번 들어 있습니다"),
        # A cycle of synonyms: a term another concept has already (synonyms are the terms of one concept).
        ("잔존수명", "expected life", "이미 개념 “rul”의 용어입니다"),
        ("가" * 61, "long", "60"),
    ],
)
def test_the_admin_refuses_a_bad_concept_on_the_form_with_the_reason_in_korean(
    client, operator, terms_ko, terms_en, message
):
    client.force_login(operator)
    response = client.post(
        "/admin/matching/axconcept/add/",
        {"key": "bad", "terms_ko": terms_ko, "terms_en": terms_en, "abbreviations": "", "ksic_divisions": ""},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AxConcept.objects.filter(key="bad").exists()


def test_the_admin_refuses_an_empty_term_on_the_form(client, operator):
    client.force_login(operator)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/admin/matching/axconcept/add/",
        {"key": "bad", "terms_ko": "소성로, ,가마", "terms_en": "kiln", "abbreviations": "", "ksic_divisions": ""},
    )
    assert response.status_code == 200
    assert "Item 2 in the array did not validate: This field is required." in response.content.decode()
    assert not AxConcept.objects.filter(key="bad").exists()
