"""Claim codes: staff revoke them, they work once, and of ten codes requested at once for one enrollment (ten
connections in parallel) exactly one, the newest, is left valid."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections
from django.utils import timezone, translation

from talent.accounts.services import claim_code_redeem
from talent.common.errors import InvalidInput, NotAllowed
from talent.registry.models import ClaimCode
from talent.registry.services.claims import claim_code_issue, claim_codes_revoke
from tests import factories


def _valid() -> list[ClaimCode]:
    return list(ClaimCode.objects.filter(used_at__isnull=True, expires_at__gt=timezone.now()))


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_requests_leave_exactly_the_newest_code_valid(enrollment, university_staff):
    barrier = threading.Barrier(10)
    errors: list[Exception] = []

    def issue() -> None:
        try:
            barrier.wait()
            claim_code_issue(actor=university_staff, enrollment=enrollment)
        except Exception as error:  # noqa: BLE001 - collected, and the assertion below reports it
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=issue) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ClaimCode.objects.count() == 10
    (valid,) = _valid()
    newest = ClaimCode.objects.latest("created_at", "pk")
    assert valid.pk == newest.pk


def test_staff_revoke_a_code_and_it_stops_working(enrollment, university_staff, other_university_staff):
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)

    with pytest.raises(NotAllowed):
        claim_codes_revoke(actor=other_university_staff, enrollment=enrollment)
    assert claim_codes_revoke(actor=university_staff, enrollment=enrollment) == 1

    assert _valid() == []
    with translation.override("en"), pytest.raises(InvalidInput, match="expired"):
        claim_code_redeem(user=factories.UserFactory(username="student"), code=code)


def test_a_code_works_once(enrollment, university_staff):
    _claim, code = claim_code_issue(actor=university_staff, enrollment=enrollment)
    claim_code_redeem(user=factories.UserFactory(username="student"), code=code)

    with translation.override("en"), pytest.raises(InvalidInput, match="already been used"):
        claim_code_redeem(user=factories.UserFactory(username="someone-else"), code=code)
