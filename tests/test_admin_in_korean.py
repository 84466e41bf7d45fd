"""The admin reads as Korean in Korean mode: every section, model, column, filter and field label of every
registered model (third-party apps included), on the index, the section pages, the lists, the add pages and
a change page of each model that has a record."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from talent.registry import services
from talent.registry.admin.base import history_url
from talent.registry.admin.history import describe_change
from talent.registry.models import Enrollment
from tests import factories

HANGUL = re.compile("[가-힣]")
#: An English word a person would have to read (acronyms such as ID, ORCID iD, SHA-256, KSIC are not).
ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z]{3,}[A-Za-z]*")
#: Headings a page shows, where an untranslated name shows up.
HEADINGS = {"title", "h1", "h2", "h3", "caption", "summary", "legend"}


class AdminText(HTMLParser):
    """The texts of a page's headings, table headers, filter titles and field labels."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, str]] = []
        self._buffer: list[str] = []

    def _collecting(self) -> str | None:
        if len(self.stack) >= 2 and self.stack[-1][0] == "h2" and self.stack[-2][1].get("id") == "content":
            return None  # the subtitle of a change page: the record's own name, data rather than a label
        for tag, attrs in reversed(self.stack):
            if tag in HEADINGS:
                return tag
            if tag == "th" and (any(t == "thead" for t, _ in self.stack) or attrs.get("scope") == "row"):
                return "th"
            if tag == "label" and not any("checkbox" in (a.get("class") or "") for _, a in self.stack):
                return "label"
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"input", "br", "img", "meta", "link", "hr"}:
            return
        self._flush()
        self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        while self.stack:
            popped, _ = self.stack.pop()
            if popped == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._collecting():
            self._buffer.append(data)

    def _flush(self) -> None:
        where = self._collecting()
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if where and text:
            self.texts.append((where, text))


def english_texts(html: str) -> list[tuple[str, str]]:
    parser = AdminText()
    parser.feed(html)
    return [(where, text) for where, text in parser.texts if not HANGUL.search(text) and ENGLISH_WORD.search(text)]


def admin_pages(enrollment: Enrollment) -> list[str]:
    """The index, each section, and each model's list, add page and a change page where it has a record, and
    the change history of an enrollment."""
    pages = [reverse("admin:index"), history_url(enrollment)]
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse("admin:app_list", args=[opts.app_label]))
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = None if opts.proxy else model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    return list(dict.fromkeys(pages))


@pytest.fixture
def records(operator, enrollment, university_staff, company_member, company, researcher):
    """A record of most models: an admitted student on leave, a field problem, a researcher's profiles."""
    import datetime

    services.enrollment_transition(
        actor=university_staff,
        enrollment=enrollment,
        status="enrolled",
        effective_date=datetime.date(2026, 3, 3),
        reason="등록금 납부 확인",
    )
    factories.FieldProblemFactory(organization=company)
    nightly = CrontabSchedule.objects.create(minute="0", hour="3")
    PeriodicTask.objects.create(name="야간 매칭", task="talent.matching.tasks.nightly_match", crontab=nightly)
    return enrollment


def test_the_admin_shows_no_english_names_in_korean_mode(client, operator, records):
    client.force_login(operator)
    found: dict[str, list[tuple[str, str]]] = {}
    for page in admin_pages(records):
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="ko")
        if response.status_code == 403:  # pages an operator may not open (no add page for read-only records)
            continue
        assert response.status_code == 200, page
        english = english_texts(response.content.decode())
        if english:
            found[page] = english
    assert not found, "English in the Korean admin:\n" + "\n".join(f"{p}: {t}" for p, t in found.items())


def test_a_status_change_reads_as_a_sentence(records, university_staff):
    event = records.events.order_by("sequence").last()
    with translation.override("ko"):
        assert str(event) == "2026-03-03 재학 (등록금 납부 확인), 기록자 univ-staff"
    with translation.override("en"):
        assert str(event) == "2026-03-03 Enrolled (등록금 납부 확인), recorded by univ-staff"


def test_the_change_history_names_what_changed_and_who_changed_it(client, operator, records):
    client.force_login(operator)

    page = client.get(history_url(records), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "<h1>변경 이력</h1>" in page
    assert "상태: 합격 → 재학" in page
    assert "univ-staff" in page  # the staff member who recorded the change
    assert "pgh_" not in page.replace('name="pgh_', "")  # no raw column names


def test_a_read_only_list_is_titled_in_plain_korean(client, operator, records):
    client.force_login(operator)

    page = client.get(reverse("admin:registry_enrollmentevent_changelist"), HTTP_ACCEPT_LANGUAGE="ko")

    assert "<h1>조회할 학적 변동 선택</h1>" in page.content.decode()  # not "보기위한 1학적 변동 를(을) 선택"


def test_a_change_is_described_by_field_labels_and_shown_values():
    event = SimpleNamespace(
        pgh_obj_model="registry.ExpertProfile",
        pgh_diff={
            "id": [1, 2],
            "regions": [["KR-11"], ["KR-11", "KR-45"]],
            "available": [True, False],
            "summary_ko": [None, "가" * 80],
            "capacity": [1, 2],
            "remote_ok": [False, True],
            "skills": [[], ["로봇"]],
            "ksic_sections": [[], ["C"]],
            "no_such_column": [1, 2],
        },
    )
    with translation.override("ko"):
        described = describe_change(event)
    assert "활동 지역(시도): 서울특별시 → 서울특별시, 전북특별자치도" in described
    assert "예 → 아니요" in described
    assert "– → " + "가" * 59 + "…" in described
    assert described.endswith("외 1개")  # seven fields changed, six shown
    assert "no_such_column" not in described


def test_a_change_of_a_record_type_that_no_longer_exists_is_still_shown():
    event = SimpleNamespace(pgh_obj_model="gone.Model", pgh_diff={"name": ["a", "b"]})
    assert describe_change(event) == ""
