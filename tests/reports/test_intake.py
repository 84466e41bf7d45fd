"""Intake plans (모집 정원): proposed by a school's staff, approved or set by the ministry, imported from a
sheet, versioned; refused beside the field for a past year, a negative or an absurd intake."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.conf import settings
from django.db import ProgrammingError, transaction
from django.test import Client
from django.utils import translation

from talent.common.errors import Conflict, InvalidInput, NotAllowed, NotFound
from talent.reports import intake, services
from talent.reports.models import IntakePlan
from tests import factories
from tests.reports.conftest import D

TODAY = D(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today(clock):
    clock.move_to(TODAY)


def propose(staff, school, year=2028, level="ms", n=40, **kwargs):
    return intake.intake_plan_set(actor=staff, school=school, year=year, degree_level=level, intake=n, **kwargs)


def client_for(user, language="ko") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_staff_propose_and_the_ministry_approves_each_a_version(university_staff, ministry_analyst, school):
    proposed = propose(university_staff, school, n=45)
    assert (proposed.version, proposed.state, proposed.intake) == (1, "proposed", 45)
    approved = intake.intake_plan_approve(actor=ministry_analyst, plan=proposed)
    assert (approved.version, approved.state, approved.intake) == (2, "approved", 45)
    overridden = propose(ministry_analyst, school, n=50)
    assert (overridden.version, overridden.state) == (3, "overridden")
    assert [p.intake for p in intake.intake_plan_versions(user=university_staff, plan=overridden)] == [50, 45, 45]
    assert intake.intake_plan_list(user=university_staff) == [overridden]


def test_the_same_figure_again_adds_no_version(university_staff, ministry_analyst, school):
    first = propose(university_staff, school)
    assert propose(university_staff, school) == first
    approved = intake.intake_plan_approve(actor=ministry_analyst, plan=first)
    assert propose(university_staff, school) == approved  # the school agrees with what stands
    assert propose(ministry_analyst, school) == approved
    assert IntakePlan.objects.count() == 2


def test_approving_is_for_the_plan_in_force_while_proposed(university_staff, ministry_analyst, school):
    first = propose(university_staff, school, n=40)
    second = propose(university_staff, school, n=42)
    with pytest.raises(Conflict, match="새로운 버전"):
        intake.intake_plan_approve(actor=ministry_analyst, plan=first)
    approved = intake.intake_plan_approve(actor=ministry_analyst, plan=second)
    with pytest.raises(Conflict):
        intake.intake_plan_approve(actor=ministry_analyst, plan=approved)
    with pytest.raises(NotAllowed):
        intake.intake_plan_approve(actor=university_staff, plan=approved)


def test_a_past_years_plan_is_refused_beside_the_year(university_staff, school):
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        propose(university_staff, school, year=2026)
    assert refused.value.errors is not None
    assert "2026-03-01" in refused.value.errors["year"][0] and "no longer change" in refused.value.errors["year"][0]
    with translation.override("ko"), pytest.raises(InvalidInput) as refused_ko:
        propose(university_staff, school, year=2026)
    assert "2026-03-01" in str(refused_ko.value) and "no longer change" not in str(refused_ko.value)
    assert propose(university_staff, school, year=2027).year == 2027  # 1 March 2027 is still ahead


def test_a_negative_or_absurd_intake_is_refused_beside_the_intake(university_staff, school, history):
    with pytest.raises(InvalidInput) as negative:
        propose(university_staff, school, n=-1)
    assert list(negative.value.errors or {}) == ["intake"]
    # No students yet: the bound is 10 × 40.
    assert propose(university_staff, school, n=400).intake == 400
    with translation.override("en"), pytest.raises(InvalidInput) as absurd:
        propose(university_staff, school, n=401)
    assert "400 at most" in (absurd.value.errors or {})["intake"][0]
    assert IntakePlan.objects.count() == 1


def test_the_bound_grows_with_the_schools_largest_cohort(university_staff, school, ms_programme, history):
    for _ in range(45):
        history(factories.PersonFactory(), ms_programme, admitted=D(2026, 3, 2))
    assert intake.largest_cohort(school) == 45
    assert propose(university_staff, school, n=450).intake == 450
    with pytest.raises(InvalidInput):
        propose(university_staff, school, n=451)


def test_another_universitys_school_is_not_theirs_to_plan(other_university_staff, school, company_member):
    with pytest.raises(NotAllowed):
        propose(other_university_staff, school)
    with pytest.raises(NotFound):
        intake.school_get_for_user(user=other_university_staff, pk=school.pk)
    with pytest.raises(NotAllowed):
        intake.intake_plan_list(user=company_member)
    assert intake.intake_plan_list(user=other_university_staff) == []


def test_versions_cannot_be_changed_or_deleted(university_staff, school):
    plan = propose(university_staff, school)
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        IntakePlan.objects.filter(pk=plan.pk).update(intake=99)
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        IntakePlan.objects.filter(pk=plan.pk).delete()


def test_the_plans_in_force_on_a_past_date_are_the_versions_recorded_by_then(
    university_staff, ministry_analyst, school, clock
):
    clock.move_to(D(2026, 6, 1))
    old = propose(university_staff, school, n=40)
    clock.move_to(TODAY)
    new = propose(ministry_analyst, school, n=60)
    assert intake.plans_in_force(on=D(2026, 7, 1)) == [old]
    assert intake.plans_in_force() == [new]
    assert intake.plans_in_force(on=D(2026, 5, 1)) == []


def test_a_school_without_a_plan_is_shown_as_none_not_zero(university_staff, school, ministry_analyst):
    other = factories.GraduateSchoolFactory()
    propose(university_staff, school, year=2028, level="ms", n=30)
    propose(university_staff, school, year=2028, level="phd", n=0)
    grid = intake.intake_grid(user=ministry_analyst, years=[2028, 2029])
    by_key = {(row.school.pk, row.year): row for row in grid}
    assert by_key[(school.pk, 2028)].total == 30
    assert [c.plan.intake if c.plan else None for c in by_key[(school.pk, 2028)].cells] == [30, 0, None]
    assert by_key[(other.pk, 2028)].total is None
    assert intake.schools_without_plan(year=2028) == [other]
    assert {s.pk for s in intake.schools_without_plan(year=2029)} == {school.pk, other.pk}


# --- Sheets ------------------------------------------------------------------------------------------------


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_imports_every_row_and_again_nothing(university_staff, school):
    sheet = xlsx(
        [["대학원", "연도", "과정", "모집정원"], [school.name_ko, 2027, "석사", 40], [school.pk, 2027, "박사", 10]]
    )
    result = intake.intake_plan_import(actor=university_staff, content=sheet)
    assert (result.rows, result.recorded, result.unchanged, result.errors) == (2, 2, 0, [])
    assert {(p.degree_level, p.intake, p.source, p.state) for p in intake.plans_in_force()} == {
        ("ms", 40, "imported", "proposed"),
        ("phd", 10, "imported", "proposed"),
    }
    again = intake.intake_plan_import(actor=university_staff, content=sheet)
    assert (again.recorded, again.unchanged) == (0, 2)


def test_a_sheet_with_any_problem_imports_nothing_and_names_each(university_staff, school):
    other = factories.GraduateSchoolFactory(name_ko="남의 대학원")
    sheet = (
        "School,Year,Degree level,Intake\n"
        f"{school.name_en},2028,master,30\n"
        f"{school.name_ko},2026,석사,30\n"
        f"{school.name_ko},2028,학사,-3\n"
        f"{other.name_ko},2028,박사,5\n"
        f"{school.name_en},2028,Master's,31\n"
    ).encode()
    with translation.override("en"):
        result = intake.intake_plan_import(actor=university_staff, content=sheet)
    problems = {(e["row"], e["column"]) for e in result.errors}
    assert problems == {(3, "year"), (4, "degree_level"), (4, "intake"), (5, "school"), (6, "degree_level")}
    assert IntakePlan.objects.count() == 0


def test_a_sheet_without_its_columns_is_refused(university_staff):
    with pytest.raises(InvalidInput, match="대학원"):
        intake.intake_plan_import(actor=university_staff, content="이름,값\n가,1\n".encode())
    with pytest.raises(InvalidInput):
        intake.intake_plan_import(actor=university_staff, content=b"")


# --- The page and the admin ----------------------------------------------------------------------------------


def test_the_page_records_a_plan_and_shows_no_plan_elsewhere(university_staff, school):
    client = client_for(university_staff)
    page = client.get("/reports/intake/")
    assert page.status_code == 200
    assert "계획 없음" in page.content.decode()
    posted = client.post(
        "/reports/intake/",
        {"action": "set", "plan-school": school.pk, "plan-year": 2028, "plan-degree_level": "ms", "plan-intake": 44},
    )
    assert posted.status_code == 302
    shown = client.get("/reports/intake/").content.decode()
    assert f'data-testid="plan-{school.pk}-2028-ms">\n          44' in shown


def test_the_page_shows_a_refusal_beside_the_field_in_both_languages(university_staff, school):
    for language, words in (("ko", "10배"), ("en", "10 times")):
        page = client_for(university_staff, language).post(
            "/reports/intake/",
            {
                "action": "set",
                "plan-school": school.pk,
                "plan-year": 2028,
                "plan-degree_level": "ms",
                "plan-intake": 9999,
            },
        )
        assert page.status_code == 400
        error = page.content.decode().split('data-testid="error-intake"')[1].split("</ul>")[0]
        assert words in error
    assert IntakePlan.objects.count() == 0


def test_the_page_offers_the_years_of_the_version_in_force_or_of_the_one_asked_for_and_names_it(
    university_staff, ministry_analyst, school, clock
):
    services.target_revise(
        actor=ministry_analyst, code="AX-TRAINED", deadline=D(2032, 12, 31), effective_from=D(2027, 1, 1), note="연장"
    )
    client = client_for(university_staff, "en")
    today = client.get("/reports/intake/").content.decode()
    assert "Years 2026–2030: the target period of version 1, in force from 2026-01-01." in today
    assert 'data-year="2030"' in today and 'data-year="2032"' not in today
    plan_2032 = {
        "action": "set",
        "plan-school": school.pk,
        "plan-year": 2032,
        "plan-degree_level": "ms",
        "plan-intake": 30,
    }
    refused = client.post("/reports/intake/", plan_2032)
    assert refused.status_code == 400 and 'data-testid="error-year"' in refused.content.decode()

    under_2 = client.get("/reports/intake/?version=2").content.decode()
    assert "Years 2026–2032: the target period of version 2, in force from 2027-01-01." in under_2
    assert 'data-year="2032"' in under_2
    recorded = client.post("/reports/intake/?version=2", plan_2032)
    assert (recorded.status_code, recorded["Location"]) == (302, "/reports/intake/?version=2")
    assert list(IntakePlan.objects.values_list("year", "intake")) == [(2032, 30)]

    clock.move_to(D(2027, 1, 4))  # version 2 is in force: the page offers its years unasked
    client = client_for(university_staff, "en")  # a month on, the session has expired
    assert 'data-year="2032"' in client.get("/reports/intake/").content.decode()
    assert 'data-year="2032"' not in client.get("/reports/intake/?version=1").content.decode()


def test_the_page_refuses_a_version_the_target_does_not_have_beside_it_and_records_nothing(university_staff, school):
    for language, words in (("ko", "버전 9"), ("en", "no version 9")):
        page = client_for(university_staff, language).post(
            "/reports/intake/?version=9",
            {"action": "set", "plan-school": school.pk, "plan-year": 2028, "plan-degree_level": "ms", "plan-intake": 4},
        )
        assert page.status_code == 400
        assert words in page.content.decode().split('data-testid="error-version"')[1].split("</ul>")[0]
    assert not IntakePlan.objects.exists()


def test_the_ministry_approves_on_the_page_and_imports_a_sheet(university_staff, ministry_analyst, school):
    plan = propose(university_staff, school)
    client = client_for(ministry_analyst)
    page = client.get("/reports/intake/").content.decode()
    assert f'data-testid="approve-{plan.pk}"' in page
    assert "2027년 계획 없음: 1개 대학원" in page and "2028년 계획 없음" not in page
    assert client.post("/reports/intake/", {"action": "approve", "plan": plan.pk}).status_code == 302
    assert intake.plans_in_force()[0].state == "approved"
    sheet = io.BytesIO(f"대학원,연도,과정,모집정원\n{school.name_ko},2029,석사,50\n".encode())
    sheet.name = "plans.csv"
    assert client.post("/reports/intake/", {"action": "import", "sheet-file": sheet}).status_code == 302
    bad = io.BytesIO(f"대학원,연도,과정,모집정원\n{school.name_ko},2029,석사,-5\n".encode())
    bad.name = "plans.csv"
    refused = client.post("/reports/intake/", {"action": "import", "sheet-file": bad})
    assert refused.status_code == 400 and 'data-testid="sheet-problems"' in refused.content.decode()


def test_companies_do_not_see_the_page(company_member):
    assert client_for(company_member).get("/reports/intake/").status_code == 403


def test_the_admin_approves_through_the_service(university_staff, operator, school):
    plan = propose(university_staff, school)
    client = client_for(operator)
    client.post("/admin/reports/intakeplan/", {"action": "approve", "_selected_action": [plan.pk]}, follow=True)
    client.post("/admin/reports/intakeplan/", {"action": "approve", "_selected_action": [plan.pk]}, follow=True)
    assert [p.state for p in IntakePlan.objects.order_by("version")] == ["proposed", "approved"]
    assert client.get("/admin/reports/intakeplan/").status_code == 200


@pytest.mark.parametrize(
    ("language", "action"), [("ko", "선택한 제안 계획 승인"), ("en", "Approve the selected proposed plans")]
)
def test_the_admin_names_its_action_in_the_reader_s_language(operator, school, university_staff, language, action):
    propose(university_staff, school)
    page = client_for(operator, language).get("/admin/reports/intakeplan/").content.decode()
    assert f">{action}</option>" in page
