"""A student signs up on the site, then claims the record their university keeps, in a real browser (Chromium driven
by Playwright) in Korean: afterwards one person holds the login, the profile made at sign-up and the enrollment.

The claim code is issued before the browser starts (the ORM must not run inside Playwright's event loop); what the
claim did is checked on the pages and then in the database.
"""

from __future__ import annotations

from talent.registry.models import Person, ResearcherProfile
from talent.registry.services.claims import claim_code_issue
from tests.web.test_browser_flows import STRONG, Flow


def test_a_student_signs_up_then_claims_their_university_record(
    transactional_db, live_server, browser, artifacts, university_staff, enrollment
):
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)
    student_pk, programme = enrollment.person_id, enrollment.programme.name_ko
    flow = Flow(browser, live_server.url, artifacts, "claim-after-signup")
    page = flow.page

    flow.goto("/signup/")
    page.fill("#id_email", "jihun.park@example.org")
    page.fill("#id_password", STRONG)
    page.fill("#id_password_again", STRONG)
    page.fill("#id_family_name_ko", "박")
    page.fill("#id_given_name_ko", "지훈")
    page.fill("#id_birth_date", "2001-04-09")
    page.check("#id_consent_required")
    flow.submit("signup-submit")
    assert page.url.endswith("/me/profile/")
    page.fill("#id_phd_subject", "강화학습")
    flow.submit("save")
    flow.shot("signed-up")

    flow.goto("/me/")
    with page.expect_navigation():
        page.get_by_test_id("claim-record").click()
    page.fill("#id_code", code.lower())
    flow.shot("claim-code")
    flow.submit("claim-submit")
    assert page.url.endswith("/me/"), "a student with a record works on their own pages"
    assert programme in page.get_by_test_id("my-enrollments").inner_text()
    assert page.get_by_test_id("claim-record").count() == 0
    flow.shot("claimed")
    flow.close()

    person = Person.objects.get(user__username="jihun.park@example.org")
    assert person.pk == student_pk, "the university's record is the login's record"
    assert ResearcherProfile.objects.get(person=person).phd_subject == "강화학습", "what was saved before stays"
    standing = Person.objects.filter(family_name_ko="박", given_name_ko="지훈", merged_into=None)
    assert standing.count() == 1, "one person stands: the self-made record is merged into the university's"
