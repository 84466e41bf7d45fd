"""AX projects: with the company's agreement, a university's staff link their own active students' enrollments to an
engagement as their AX project (the completion route becomes "AX project"); every refusal says why in Korean or
English and writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from talent.common.errors import Conflict, NotAllowed
from talent.engagements import selectors, services
from talent.engagements.models import (  # type: ignore[attr-defined]  # pghistory makes AXProjectHistory at run time
    AXProject,
    AXProjectHistory,
    Engagement,
)
from talent.registry import services as registry
from talent.registry.models import AccessLog
from tests import factories


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages are read in English here (the Korean one is asked for by name)."""
    with translation.override("en"):
        yield


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def client_for():
    """A page client signed in as the user, in English (the messages below are read in English)."""

    def make(user) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return make


@pytest.fixture
def agreed(market, engaged):
    """누리반도체 agreed that students do the wafer engagement as their AX project."""
    return services.engagement_agree_to_ax_projects(actor=market.other_company_member, engagement=engaged)


def history_rows() -> int:
    return AXProjectHistory.objects.count()


def refused(call, error_type) -> str:
    before = (AXProject.objects.count(), history_rows())
    with pytest.raises(error_type) as refusal:
        call()
    assert (AXProject.objects.count(), history_rows()) == before, "a refusal writes nothing"
    return str(refusal.value)


def test_staff_link_their_student_once_the_company_agreed_and_the_route_becomes_ax_project(
    market, agreed, university_staff, enrollment
):
    project = services.ax_project_link(actor=university_staff, engagement=agreed, enrollment=enrollment)

    enrollment.refresh_from_db()
    assert (project.engagement, project.enrollment, project.linked_by) == (agreed, enrollment, university_staff)
    assert enrollment.completion_route == "ax_project"
    event = AXProjectHistory.objects.get()
    assert (event.pgh_label, event.pgh_context.metadata) == (
        "insert",
        {"user": university_staff.pk, "action": "ax_project_link"},
    )


def test_the_agreement_is_the_companys_alone_and_kept_in_the_history(market, engaged, university_staff):
    for outsider in (market.park_user, market.company_member, university_staff):
        with pytest.raises(NotAllowed):
            services.engagement_agree_to_ax_projects(actor=outsider, engagement=engaged)
    engaged.refresh_from_db()
    assert engaged.ax_projects_agreed_at is None

    agreed = services.engagement_agree_to_ax_projects(actor=market.other_company_member, engagement=engaged)
    again = services.engagement_agree_to_ax_projects(actor=market.other_company_member, engagement=engaged)

    assert again.ax_projects_agreed_at == agreed.ax_projects_agreed_at
    assert agreed.ax_projects_agreed_by == market.other_company_member
    labels = list(engaged.history.order_by("pgh_id").values_list("pgh_context__metadata__action", flat=True))
    assert labels[-1] == "engagement_agree_to_ax_projects"


def test_without_the_companys_agreement_nothing_is_linked(market, engaged, university_staff, enrollment):
    message = refused(
        lambda: services.ax_project_link(actor=university_staff, engagement=engaged, enrollment=enrollment), Conflict
    )

    assert message == "The company has not agreed to AX projects on this engagement: ask it to agree first."
    enrollment.refresh_from_db()
    assert enrollment.completion_route == ""


def test_a_student_of_another_university_is_refused_in_korean(market, agreed, other_university_staff, enrollment):
    with translation.override("ko"):
        message = refused(
            lambda: services.ax_project_link(actor=other_university_staff, engagement=agreed, enrollment=enrollment),
            NotAllowed,
        )

    assert message == "자기 대학의 학생만 AX 프로젝트로 연결할 수 있습니다."


def test_an_enrollment_that_is_not_active_is_refused(market, agreed, university_staff, enrollment):
    registry.enrollment_transition(
        actor=university_staff,
        enrollment=enrollment,
        status="withdrawn",
        effective_date=datetime.date(2026, 3, 2),
        reason="입학 포기",
    )

    message = refused(
        lambda: services.ax_project_link(actor=university_staff, engagement=agreed, enrollment=enrollment), Conflict
    )

    assert message == "Only a student whose enrollment is active can take it as an AX project (this one is Withdrawn)."


def test_a_closed_engagement_takes_no_student_and_no_agreement(market, agreed, university_staff, enrollment):
    services.engagement_close(actor=market.park_user, engagement=agreed, outcome="solved")

    message = refused(
        lambda: services.ax_project_link(actor=university_staff, engagement=agreed, enrollment=enrollment), Conflict
    )
    assert message == "This engagement was closed (Solved): nothing more can be added to it."
    engaged_again = Engagement.objects.get(pk=agreed.pk)
    with pytest.raises(Conflict):
        services.engagement_agree_to_ax_projects(actor=market.other_company_member, engagement=engaged_again)


def test_an_enrollment_has_one_ax_project(market, agreed, university_staff, enrollment):
    services.ax_project_link(actor=university_staff, engagement=agreed, enrollment=enrollment)

    message = refused(
        lambda: services.ax_project_link(actor=university_staff, engagement=agreed, enrollment=enrollment), Conflict
    )

    assert message == "This student's enrollment already has an AX project."


def test_other_universities_see_the_agreed_engagement_without_the_expert_or_the_student(
    market, agreed, university_staff, other_university_staff, enrollment
):
    services.ax_project_link(actor=university_staff, engagement=agreed, enrollment=enrollment)

    [seen_by_other] = selectors.engagement_list_for_user(user=other_university_staff)
    other_view = api(other_university_staff).get(f"/api/v1/engagements/{agreed.pk}/").json()
    own_view = api(university_staff).get(f"/api/v1/engagements/{agreed.pk}/").json()
    company_view = api(market.other_company_member).get(f"/api/v1/engagements/{agreed.pk}/").json()

    assert seen_by_other == agreed
    assert other_view["contact"]["expert"] == {"id": market.park.pk}, "박지훈 is not their student"
    assert [row["enrollment"] for row in other_view["ax_projects"]] == [None]
    assert [row["enrollment"] for row in own_view["ax_projects"]] == [enrollment.pk]
    assert [(row["university"], row["enrollment"]) for row in company_view["ax_projects"]] == [
        (enrollment.university.name_ko, None)
    ]


def test_the_api_links_and_refuses_with_the_reason(market, engaged, university_staff, enrollment):
    staff_before_agreement = api(university_staff).post(
        f"/api/v1/engagements/{engaged.pk}/ax-projects/", {"enrollment": enrollment.pk}
    )
    agreement = api(market.other_company_member).post(f"/api/v1/engagements/{engaged.pk}/agree-ax-projects/")
    linked = api(university_staff).post(f"/api/v1/engagements/{engaged.pk}/ax-projects/", {"enrollment": enrollment.pk})
    unknown = api(university_staff).post(f"/api/v1/engagements/{engaged.pk}/ax-projects/", {"enrollment": 999999})

    assert staff_before_agreement.status_code == 404, "not the staff's student's engagement and not open to them"
    assert agreement.status_code == 200 and agreement.json()["ax_projects_agreed_at"]
    assert linked.status_code == 201
    assert [row["enrollment"] for row in linked.json()["ax_projects"]] == [enrollment.pk]
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["enrollment"] == ["No such enrollment."]


def test_the_api_refuses_another_universitys_student_with_403(market, agreed, other_university_staff, enrollment):
    response = api(other_university_staff).post(
        f"/api/v1/engagements/{agreed.pk}/ax-projects/", {"enrollment": enrollment.pk}
    )

    assert response.status_code == 403
    assert not AXProject.objects.exists()


def test_the_page_agrees_links_by_student_number_and_shows_the_student_to_their_university(
    market, engaged, university_staff, enrollment, client_for
):
    page = reverse("web:engagement-detail", args=[engaged.pk])
    company = client_for(market.other_company_member)
    staff = client_for(university_staff)

    assert "agree-form" in company.get(page).content.decode()
    company.post(reverse("web:engagement-agree-ax-projects", args=[engaged.pk]))
    wrong = staff.post(reverse("web:engagement-ax-project-link", args=[engaged.pk]), {"enrollment": "1999-9999"})
    staff.post(reverse("web:engagement-ax-project-link", args=[engaged.pk]), {"enrollment": "2026-0001"})
    shown = staff.get(page).content.decode()

    assert "No student of your university has this student number." in wrong.content.decode()
    assert "박지훈 (2026-0001)" in shown
    assert "박지훈 (2026-0001)" not in company.get(page).content.decode()
    assert AccessLog.objects.filter(user=university_staff, person_id=enrollment.person_id).exists()


def test_the_page_shows_a_refusal_beside_the_student_number(market, agreed, university_staff, enrollment, client_for):
    registry.enrollment_transition(
        actor=university_staff,
        enrollment=enrollment,
        status="withdrawn",
        effective_date=datetime.date(2026, 3, 2),
        reason="입학 포기",
    )

    response = client_for(university_staff).post(
        reverse("web:engagement-ax-project-link", args=[agreed.pk]), {"enrollment": "2026-0001"}
    )

    assert response.status_code == 200
    assert response.context["link_form"].errors["enrollment"] == [
        "Only a student whose enrollment is active can take it as an AX project (this one is Withdrawn)."
    ]
    assert not AXProject.objects.exists()


def test_an_operator_links_in_the_admin_through_the_same_rules(market, engaged, operator, enrollment, client_for):
    admin = client_for(operator)
    add = reverse("admin:engagements_axproject_add")

    refused_page = admin.post(add, {"engagement": engaged.pk, "enrollment": enrollment.pk})
    services.engagement_agree_to_ax_projects(actor=market.other_company_member, engagement=engaged)
    done = admin.post(add, {"engagement": engaged.pk, "enrollment": enrollment.pk})

    assert "The company has not agreed to AX projects" in refused_page.content.decode()
    assert done.status_code == 302
    assert AXProject.objects.get().linked_by == operator


def test_a_member_of_another_company_cannot_agree(market, engaged):
    other = factories.UserFactory(username="third-company")
    factories.MembershipFactory(user=other, organization=factories.CompanyFactory())

    with pytest.raises(NotAllowed):
        services.engagement_agree_to_ax_projects(actor=other, engagement=engaged)


def test_the_contact_rule_holds_for_an_engagement_read_outside_the_list(
    market, agreed, university_staff, other_university_staff, ms_programme
):
    registry.enrollment_admit(
        actor=university_staff,
        person=market.park.person,
        programme=ms_programme,
        student_number="2026-0099",
        admission_date=datetime.date(2026, 3, 2),
    )
    plain = Engagement.objects.get(pk=agreed.pk)  # no annotation of whose student the expert is

    own = selectors.engagement_contact(user=university_staff, engagement=plain)["expert"]
    other = selectors.engagement_contact(user=other_university_staff, engagement=plain)["expert"]

    assert (own["name"], own["email"]) == ("박지훈", "park@example.org"), "their own student"
    assert other == {"id": market.park.pk}
