"""Unlinking an AX project: the student's university's staff (or an operator) unlink it with a reason, through the
service, the API, the engagement page or the admin; the row is kept as unlinked (its history is the audit trail),
the enrollment's completion route goes back to what it was before the link, a report as of an earlier date still
counts it, and the student may then be linked to another engagement. Every refusal writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.engagements import services
from talent.engagements.models import (  # type: ignore[attr-defined]  # pghistory makes AXProjectHistory at run time
    AXProject,
    AXProjectHistory,
)
from talent.registry import services as registry
from talent.reports.field_projects import field_projects

D = datetime.date


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def project(market, engaged, university_staff, enrollment, clock):
    """박지훈's wafer engagement, agreed to by 누리반도체, is the MS student 2026-0001's AX project since 2026-04-01
    (the student was admitted with the route "thesis")."""
    registry.enrollment_update(actor=university_staff, enrollment=enrollment, completion_route="thesis")
    clock.move_to(D(2026, 4, 1))
    services.engagement_agree_to_ax_projects(actor=market.other_company_member, engagement=engaged)
    return services.ax_project_link(actor=university_staff, engagement=engaged, enrollment=enrollment)


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def page_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def unlink_url(project: AXProject) -> str:
    return f"/api/v1/engagements/{project.engagement_id}/ax-projects/{project.pk}/unlink/"


def test_staff_unlink_with_a_reason_the_route_goes_back_and_the_history_keeps_who_and_why(
    project, university_staff, enrollment, clock
):
    clock.move_to(D(2026, 5, 4))
    services.ax_project_unlink(actor=university_staff, project=project, reason="다른 과제로 변경")

    project.refresh_from_db()
    enrollment.refresh_from_db()
    assert (project.unlinked_at.date(), project.unlinked_by, project.unlink_reason) == (
        D(2026, 5, 4),
        university_staff,
        "다른 과제로 변경",
    )
    assert enrollment.completion_route == "thesis"
    event = AXProjectHistory.objects.order_by("pgh_id").last()
    assert (event.pgh_label, event.unlink_reason) == ("update", "다른 과제로 변경")
    assert event.pgh_context.metadata == {"user": university_staff.pk, "action": "ax_project_unlink"}
    route = enrollment.history.order_by("pgh_id").last()
    assert (route.completion_route, route.pgh_context.metadata["action"]) == ("thesis", "enrollment_update")


def test_a_report_as_of_before_the_unlinking_still_counts_the_project(
    project, university_staff, ministry_analyst, clock
):
    clock.move_to(D(2026, 5, 4))
    services.ax_project_unlink(actor=university_staff, project=project, reason="잘못 연결")

    assert field_projects(user=ministry_analyst, as_of=D(2026, 5, 3)).students == 1
    assert field_projects(user=ministry_analyst, as_of=D(2026, 5, 4)).students == 0


def test_once_unlinked_the_student_can_be_linked_again(project, university_staff, enrollment):
    services.ax_project_unlink(actor=university_staff, project=project, reason="잘못 연결")
    again = services.ax_project_link(actor=university_staff, engagement=project.engagement, enrollment=enrollment)

    assert again.pk != project.pk
    assert list(AXProject.objects.filter(unlinked_at__isnull=True)) == [again]
    enrollment.refresh_from_db()
    assert enrollment.completion_route == "ax_project"


def refused(call, error_type) -> str:
    before = (list(AXProject.objects.values()), AXProjectHistory.objects.count())
    with pytest.raises(error_type) as refusal:
        call()
    assert (list(AXProject.objects.values()), AXProjectHistory.objects.count()) == before, "a refusal writes nothing"
    return str(refusal.value)


def test_another_university_the_company_and_the_expert_may_not_unlink(market, project, other_university_staff):
    for actor in (other_university_staff, market.other_company_member, market.park_user):
        message = refused(lambda a=actor: services.ax_project_unlink(actor=a, project=project, reason="x"), NotAllowed)
        assert message == "Only the student's own university may unlink their AX project."


def test_no_reason_twice_or_a_finished_enrollment_is_refused(project, university_staff, enrollment):
    assert (
        refused(lambda: services.ax_project_unlink(actor=university_staff, project=project, reason="  "), InvalidInput)
        == "Say why the AX project is unlinked."
    )
    registry.enrollment_transition(
        actor=university_staff, enrollment=enrollment, status="withdrawn", effective_date=D(2026, 4, 1), reason="자퇴"
    )
    message = refused(
        lambda: services.ax_project_unlink(actor=university_staff, project=project, reason="자퇴"), Conflict
    )
    assert message == "Only an active enrollment's AX project can be unlinked (this one is Withdrawn)."


def test_unlinking_twice_is_refused_in_korean(project, university_staff):
    services.ax_project_unlink(actor=university_staff, project=project, reason="잘못 연결")

    with translation.override("ko"):
        message = refused(
            lambda: services.ax_project_unlink(actor=university_staff, project=project, reason="다시"), Conflict
        )
    assert message == "이 AX 프로젝트는 2026-04-01에 이미 연결이 해제되었습니다."


def test_the_api_unlinks_and_refuses_as_the_service_does(project, university_staff, other_university_staff):
    other = api(other_university_staff).post(unlink_url(project), {"reason": "x"})
    blank = api(university_staff).post(unlink_url(project), {"reason": ""})
    done = api(university_staff).post(unlink_url(project), {"reason": "잘못 연결"})
    twice = api(university_staff).post(unlink_url(project), {"reason": "잘못 연결"})
    elsewhere = api(university_staff).post(
        f"/api/v1/engagements/{project.engagement_id}/ax-projects/999999/unlink/", {"reason": "x"}
    )

    assert other.status_code == 403, "the engagement is open to AX projects, but the student is not theirs"
    assert blank.status_code == 400
    assert done.status_code == 200
    [row] = done.json()["ax_projects"]
    assert (row["unlink_reason"], row["unlinked_at"] is not None) == ("잘못 연결", True)
    assert twice.status_code == 409 and twice.json()["code"] == "ax_project_unlinked"
    assert elsewhere.status_code == 404


def test_the_company_sees_that_a_project_was_unlinked_but_not_why(market, project, university_staff):
    services.ax_project_unlink(actor=university_staff, project=project, reason="개인 사정")

    [row] = api(market.other_company_member).get(f"/api/v1/engagements/{project.engagement_id}/").json()["ax_projects"]
    assert (row["unlink_reason"], row["enrollment"], row["unlinked_at"] is not None) == ("", None, True)


def test_the_page_offers_unlinking_to_the_students_university_only(market, project, university_staff, enrollment):
    page = reverse("web:engagement-detail", args=[project.engagement_id])
    unlink = reverse("web:engagement-ax-project-unlink", args=[project.engagement_id, project.pk])
    staff = page_client(university_staff)

    assert 'data-testid="unlink-form"' in staff.get(page).content.decode()
    assert 'data-testid="unlink-form"' not in page_client(market.other_company_member).get(page).content.decode()
    refused_page = staff.post(unlink, {"reason": ""}, follow=True).content.decode()
    done = staff.post(unlink, {"reason": "잘못 연결"}, follow=True).content.decode()

    assert "Say why the AX project is unlinked." in refused_page
    assert 'data-testid="ax-unlinked"' in done and "잘못 연결" in done
    assert 'data-testid="unlink-form"' not in done
    enrollment.refresh_from_db()
    assert enrollment.completion_route == "thesis"


def test_an_operator_unlinks_in_the_admin_through_the_same_rules(project, operator):
    admin = page_client(operator)
    change = reverse("admin:engagements_axproject_change", args=[project.pk])

    refused_page = admin.post(change, {"reason": ""})
    done = admin.post(change, {"reason": "운영자 정정"})

    assert "Say why the AX project is unlinked." in refused_page.content.decode()
    assert done.status_code == 302
    project.refresh_from_db()
    assert (project.unlinked_by, project.unlink_reason) == (operator, "운영자 정정")
    assert admin.get(change).status_code == 200, "an unlinked project's page is read only"


def test_a_reason_holding_a_resident_registration_number_is_refused_in_every_spelling(project, university_staff):
    from tests.registry.test_text_guard import SPELLINGS

    answers = {
        label: api(university_staff).post(unlink_url(project), {"reason": f"사유 {v}"})
        for label, v in SPELLINGS.items()
    }

    assert {label: answer.status_code for label, answer in answers.items()} == dict.fromkeys(SPELLINGS, 400)
    project.refresh_from_db()
    assert (project.unlinked_at, project.unlink_reason) == (None, "")
    assert not AXProjectHistory.objects.filter(unlink_reason__contains="123").exists()
