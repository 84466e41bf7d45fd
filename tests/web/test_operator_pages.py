"""The operators' pages of the identity queue: a pair side by side with its evidence, "same person" merges it,
the merge is undone from the merges page; every other role is refused and an anonymous visitor signs in first."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from talent.identity import services
from talent.identity.models import CandidateStatus, DuplicateCandidate
from talent.registry.models import Person, PersonMerge
from tests import factories

D = datetime.date


@pytest.fixture
def pair(db):
    one = factories.PersonFactory(
        family_name_ko="정",
        given_name_ko="하린",
        family_name_latin="Jung",
        given_name_latin="Harin",
        birth_date=D(1999, 2, 14),
        email="",
    )
    other = factories.PersonFactory(
        family_name_ko="정",
        given_name_ko="하린",
        family_name_latin="Jeong",
        given_name_latin="Ha-rin",
        birth_date=D(1999, 2, 14),
        email="",
    )
    services.candidates_refresh()
    return one, other


@pytest.mark.parametrize("who", ["university_staff", "company_member", "ministry_analyst", "researcher"])
def test_other_roles_are_refused(who, request, pair, client_for):
    client = client_for(request.getfixturevalue(who))
    candidate = DuplicateCandidate.objects.get()

    assert client.get(reverse("web:operator-candidates")).status_code == 403
    assert (
        client.post(reverse("web:operator-candidate-decide", args=[candidate.pk]), {"decision": "same"}).status_code
        == 403
    )
    assert not PersonMerge.objects.exists()


def test_an_anonymous_visitor_signs_in_first(pair, client_for):
    response = client_for(None).get(reverse("web:operator-candidates"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_an_operator_merges_a_pair_and_undoes_it(pair, operator, client_for):
    client = client_for(operator, HTTP_ACCEPT_LANGUAGE="en")
    candidate = DuplicateCandidate.objects.get()

    queue = client.get(reverse("web:operator-candidates"))
    assert queue.status_code == 200
    page = queue.content.decode()
    assert "<strong>Family name (Latin)</strong>: another romanisation of the same name" in page
    assert "same_romanisation" not in page
    merged = client.post(
        reverse("web:operator-candidate-decide", args=[candidate.pk]), {"decision": "same"}, follow=True
    )
    assert "one person" in merged.content.decode()
    assert Person.objects.get(pk=pair[1].pk).merged_into_id == pair[0].pk
    merge = PersonMerge.objects.get()

    client.post(reverse("web:operator-merge-undo", args=[merge.pk]))

    assert Person.objects.get(pk=pair[1].pk).merged_into_id is None
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN


def test_not_the_same_leaves_the_queue(pair, operator, client_for):
    client = client_for(operator)
    candidate = DuplicateCandidate.objects.get()

    client.post(reverse("web:operator-candidate-decide", args=[candidate.pk]), {"decision": "distinct"})

    assert list(client.get(reverse("web:operator-candidates")).context["page"].object_list) == []
