"""A claim code used tells the staff member who issued it (the university's staff once they have left it), in their
inbox and by mail, without naming the student; a refused claim tells nobody."""

from __future__ import annotations

import pytest
from django.core import mail

from talent.accounts.services import claim_code_redeem
from talent.common.errors import InvalidInput
from talent.notifications import services
from talent.notifications.models import EmailStatus, Notification
from talent.registry.models import Membership
from talent.registry.services.claims import claim_code_issue
from tests import factories


@pytest.fixture
def colleague(university):
    user = factories.UserFactory(username="colleague-staff", email="colleague@univ.example.ac.kr")
    factories.MembershipFactory(user=user, organization=university)
    return user


def test_the_issuer_is_told_once_and_the_mail_names_no_student(university_staff, colleague, enrollment, outsider):
    university_staff.email = "staff@univ.example.ac.kr"
    university_staff.save()
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)

    claim_code_redeem(user=outsider, code=code)

    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.link) == (
        university_staff,
        "claim_code_used",
        "/university/claim-codes/",
    )
    mail.outbox.clear()
    assert services.notification_deliver(notification_id=notice.pk) == "sent"
    [message] = mail.outbox
    assert message.to == ["staff@univ.example.ac.kr"]
    assert message.subject == "[AX 인재 등록부] 연결 코드가 사용되었습니다"
    for personal in ("박지훈", "지훈", "2026-0001", outsider.username):
        assert personal not in message.subject and personal not in message.body
    notice.refresh_from_db()
    assert notice.email_status == EmailStatus.SENT


def test_when_the_issuer_has_left_the_universitys_staff_are_told(university_staff, colleague, enrollment, outsider):
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)
    Membership.objects.filter(user=university_staff).delete()

    claim_code_redeem(user=outsider, code=code)

    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["colleague-staff"]


def test_a_refused_claim_tells_nobody(university_staff, enrollment, outsider):
    claim_code_issue(actor=university_staff, enrollment=enrollment)

    with pytest.raises(InvalidInput):
        claim_code_redeem(user=outsider, code="WRONG-CODE-0000")

    assert not Notification.objects.exists()
