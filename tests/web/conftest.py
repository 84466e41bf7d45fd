"""Fixtures of the web-page tests: test clients for the named actors and a small market of proposals. The
browser, its screenshots folder and session cookies are in tests/browser.py."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.matching.market import market
from tests.web.walk import world

__all__ = ["market", "world"]


@pytest.fixture
def client_for():
    """A Django test client signed in as the user (anonymous for None), in Korean like the browser default."""

    def make(user, **kwargs) -> Client:
        client = Client(**{"HTTP_ACCEPT_LANGUAGE": "ko", **kwargs})
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def actor(request):
    """The named actor (tests/conftest.py) whose name the test is parametrized with; None is anonymous."""
    name = request.param
    return None if name is None else request.getfixturevalue(name)
