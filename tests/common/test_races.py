"""A write that loses a race in PostgreSQL (a deadlock) is refused as a Conflict that says to try again: the API
answers 409, never 500."""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.db import OperationalError, connections
from django.utils import translation

from talent.common.api import exception_handler
from talent.common.errors import Conflict
from talent.registry.models import Person
from talent.registry.services._base import acting
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_is_a_conflict_that_says_try_again():
    """Two transactions lock the same two persons in opposite orders: PostgreSQL ends one of them."""
    first, second = factories.PersonFactory(), factories.PersonFactory()
    each_holds_one = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def lock(one: Person, other: Person) -> None:
        try:
            with translation.override("en"), acting(None, "test_deadlock"):
                Person.objects.select_for_update().get(pk=one.pk)
                each_holds_one.wait()
                Person.objects.select_for_update().get(pk=other.pk)
            outcomes.append("saved")
        except Conflict as refusal:
            outcomes.append(refusal.code)
            assert "at the same time" in str(refusal)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=lock, args=pair) for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["concurrent_change", "saved"]


def test_a_deadlock_the_api_meets_outside_a_service_is_a_409_in_the_callers_language():
    """As Django raises it: its OperationalError, caused by psycopg's DeadlockDetected (SQLSTATE 40P01)."""
    lost = OperationalError("deadlock detected")
    lost.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")

    with translation.override("ko"):
        response = exception_handler(lost, {"view": None})

    assert response is not None
    assert (response.status_code, response.data["code"]) == (409, "concurrent_change")
    assert "동시에" in response.data["detail"]


def test_any_other_operational_error_stays_a_server_error():
    broken = OperationalError("server closed the connection unexpectedly")
    broken.__cause__ = psycopg.errors.AdminShutdown("terminating connection")

    response = exception_handler(broken, {"view": None})

    assert response is not None and response.status_code == 500
