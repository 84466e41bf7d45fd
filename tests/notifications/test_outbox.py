"""Notifications: written in the transaction of their event, one digest per expert and run, mailed once through
the outbox in the recipient's language with nothing personal in the subject, kept queued with a visible count
when the mail server refuses or times out, and stopped per kind by the mail's own link."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from talent.celery import app
from talent.matching import services as matching
from talent.matching.models import Answer
from talent.notifications import services
from talent.notifications.models import EmailStatus, Notification, NotificationKind
from tests.matching.market import run_now


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_expert_accepting_tells_the_company_and_both_accepting_tells_both(market, engaged):
    assert kinds_of(market.other_company_member) == ["engagement_started", "proposal_answered"]
    assert kinds_of(market.park_user) == ["engagement_started", "proposals_new"]
    assert kinds_of(market.company_member) == [], "another company's member hears nothing of it"


def test_nothing_is_told_when_the_answer_rolls_back(market):
    run_now()
    proposal = market.proposal(market.park, market.wafer)
    before = Notification.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        matching.proposal_answer(actor=market.park_user, proposal=proposal, answer=Answer.ACCEPTED)
        raise RuntimeError("the request failed after the answer")

    assert Notification.objects.count() == before


def test_a_run_sends_each_expert_one_digest_and_a_run_with_nothing_new_sends_none(market):
    run_now()
    digests = Notification.objects.filter(kind=NotificationKind.PROPOSALS_NEW)
    assert sorted((n.recipient_id, n.context["count"]) for n in digests) == sorted(
        [(market.park_user.pk, 1), (market.lee.person.user_id, 1)]
    )

    run_now()

    assert digests.count() == 2, "the second run proposed nothing new"


def test_a_mail_is_sent_once_however_often_its_task_runs(market, engaged):
    notification = Notification.objects.get(recipient=market.park_user, kind=NotificationKind.ENGAGEMENT_STARTED)

    first = services.notification_deliver(notification_id=notification.pk)
    again = services.notification_deliver(notification_id=notification.pk)

    assert (first, again) == ("sent", "nothing")
    assert [m.to for m in mail.outbox] == [["park@example.org"]], "to the person record's address, once"
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT and notification.email_sent_at is not None


def _deliver_all() -> list[mail.EmailMessage]:
    mail.outbox.clear()
    for pk in Notification.objects.filter(email_status=EmailStatus.QUEUED).values_list("pk", flat=True):
        services.notification_deliver(notification_id=pk)
    return list(mail.outbox)


def test_mails_are_in_the_recipients_language_with_nothing_personal_in_the_subject(market, engaged):
    market.park_user.email = "park@example.org"
    market.park_user.save()
    market.other_company_member.email = "member@nuri.example.com"
    market.other_company_member.save()
    services.notification_settings_update(user=market.park_user, language="en")

    sent = _deliver_all()

    by_address: dict[str, list[mail.EmailMessage]] = {}
    for message in sent:
        by_address.setdefault(message.to[0], []).append(message)
    english = {m.subject for m in by_address["park@example.org"]}
    korean = {m.subject for m in by_address["member@nuri.example.com"]}
    assert "[AX Talent Registry] An engagement started" in english
    assert "[AX 인재 등록부] 협업이 시작되었습니다" in korean
    personal = ["박지훈", "지훈", "park@", "member@", "웨이퍼", market.park_user.username]
    for message in sent:
        assert not any(part in message.subject for part in personal), message.subject
        assert "unsubscribe" in message.extra_headers["List-Unsubscribe"]


def test_the_mails_link_stops_that_kind_of_mail_and_the_inbox_still_shows_it(market, engaged):
    sent = [m for m in _deliver_all() if m.to == ["park@example.org"] and "협업" in m.subject]
    link = re.search(r"http://\S+/unsubscribe/(\S+)/", str(sent[0].body))
    assert link is not None

    page = Client().post(f"/unsubscribe/{link.group(1)}/")

    assert page.status_code == 200 and 'data-testid="unsubscribed"' in page.content.decode()
    assert services.settings_of(market.park_user).muted_kinds == [NotificationKind.ENGAGEMENT_STARTED]
    assert Client().post("/unsubscribe/not-a-token/").status_code == 400
    reader = Client()
    reader.force_login(market.park_user)
    assert 'data-kind="engagement_started"' in reader.get("/inbox/").content.decode()


class SilentServer:
    """A TCP server on a port of its own that either refuses mail (554 on connect) or accepts and never answers."""

    def __init__(self, *, refuse: bool) -> None:
        self.refuse = refuse
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.clients: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _address = self.sock.accept()
            except OSError:
                return
            self.clients.append(client)
            if self.refuse:
                client.sendall(b"554 5.7.1 no service here\r\n")

    def close(self) -> None:
        self.sock.close()
        for client in self.clients:
            client.close()


@pytest.fixture(params=["refusing", "silent"])
def broken_mail_server(request, settings) -> Iterator[SilentServer]:
    server = SilentServer(refuse=request.param == "refusing")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 0.5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    try:
        yield server
    finally:
        server.close()


def test_a_mail_server_that_refuses_or_times_out_leaves_the_mail_queued_with_a_count_then_failed(
    market, engaged, broken_mail_server
):
    notification = Notification.objects.get(recipient=market.park_user, kind=NotificationKind.ENGAGEMENT_STARTED)

    first = services.notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert first == "retry"
    assert (notification.email_status, notification.email_attempts) == (EmailStatus.QUEUED, 1)
    assert notification.email_error and "park@" not in notification.email_error
    assert notification.email_next_attempt_at is not None and notification.email_next_attempt_at > timezone.now()
    assert services.notification_deliver(notification_id=notification.pk) == "nothing", "not due yet"

    Notification.objects.filter(pk=notification.pk).update(email_next_attempt_at=timezone.now())
    assert services.notification_deliver(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (EmailStatus.FAILED, 2)


@pytest.fixture
def in_process(settings):
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before


def test_a_refusing_mail_server_never_fails_the_page_that_closes_the_engagement(
    market, engaged, in_process, django_capture_on_commit_callbacks, settings
):
    server = SilentServer(refuse=True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 0.5
    client = Client()
    client.force_login(market.park_user)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            page = client.post(f"/engagements/{engaged.pk}/", {"outcome": "solved", "note": "완료"})
    finally:
        server.close()

    assert page.status_code == 302
    closed = Notification.objects.get(recipient=market.park_user, kind=NotificationKind.ENGAGEMENT_CLOSED)
    assert (closed.email_status, closed.email_attempts) == (EmailStatus.QUEUED, 1)
