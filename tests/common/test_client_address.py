"""One rule for the client's address (TRUSTED_PROXIES): the throttles, the login lockout and the access log all
see the same address, and a forged X-Forwarded-For buys no fresh budget."""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from talent.common.client_address import client_address
from talent.common.throttles import AnonRateThrottle, ScopedRateThrottle
from talent.registry.models import AccessLog
from talent.registry.services.access import access_log_record
from tests import factories

PROXY = "10.0.0.2"
CLIENT = "198.51.100.7"


def request_from(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, CLIENT, None, CLIENT),
        (0, CLIENT, "203.0.113.9", CLIENT),  # no proxy trusted: the header is the client's own words
        (1, PROXY, CLIENT, CLIENT),
        (1, PROXY, f"203.0.113.9, {CLIENT}", CLIENT),  # the left entry was forged by the client
        (2, PROXY, f"203.0.113.9, {CLIENT}, 10.0.0.1", CLIENT),
        (2, PROXY, CLIENT, PROXY),  # fewer entries than proxies: nothing vouched for
        (1, PROXY, None, PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_is_the_entry_the_trusted_proxies_vouch_for(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request_from(remote, forwarded)) == expected


@pytest.mark.parametrize("proxies", [0, 1, 2])
@pytest.mark.django_db
def test_throttles_lockout_and_access_log_see_the_same_address(settings, proxies, researcher, outsider):
    settings.TRUSTED_PROXIES = proxies
    request = request_from(PROXY, f"203.0.113.9, {CLIENT}, 10.0.0.1")
    expected = client_address(request)

    assert AnonRateThrottle().get_ident(request) == expected
    assert ScopedRateThrottle().get_ident(request) == expected
    assert get_client_ip_address(request) == expected
    person = factories.PersonFactory()
    access_log_record(actor=outsider, person_ids=[person.pk], action="test", request=request)
    assert AccessLog.objects.get(person=person).ip_address == expected


@pytest.fixture
def anon_limit(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None, "register": None})
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("proxies", [0, 1])
@pytest.mark.django_db
def test_a_forged_forwarded_header_cannot_escape_the_anonymous_throttle(settings, anon_limit, proxies):
    settings.TRUSTED_PROXIES = proxies
    client = APIClient(REMOTE_ADDR=PROXY if proxies else CLIENT)
    statuses = [
        client.get("/api/v1/schema/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {CLIENT}").status_code for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_clients_behind_the_same_proxy_keep_budgets_of_their_own(settings, anon_limit):
    settings.TRUSTED_PROXIES = 1
    client = APIClient(REMOTE_ADDR=PROXY)
    first = [client.get("/api/v1/schema/", HTTP_X_FORWARDED_FOR=CLIENT).status_code for _ in range(4)]
    other = client.get("/api/v1/schema/", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code
    assert (first, other) == ([200, 200, 200, 429], 200)


def test_a_forged_forwarded_header_cannot_escape_the_sign_in_lockout(settings, researcher):
    settings.TRUSTED_PROXIES = 1
    client = Client(REMOTE_ADDR=PROXY, HTTP_ACCEPT_LANGUAGE="en")

    def sign_in(password: str, n: int) -> int:
        forwarded = f"192.0.2.{n}, {CLIENT}"
        data = {"username": "researcher", "password": password}
        return client.post(reverse("web:login"), data, HTTP_X_FORWARDED_FOR=forwarded).status_code

    statuses = [sign_in("wrong-one", n) for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert sign_in("correct-horse-battery-staple", 99) == 429
