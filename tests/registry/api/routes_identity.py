"""The identity queue: probable duplicates, merges and differing details. Operators only: every other role is
refused (403), an anonymous caller 401."""

from __future__ import annotations

from talent.identity.models import DuplicateCandidate
from talent.registry.models import IdentityDisagreement
from talent.registry.services.merges import person_merge
from tests import factories
from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses

OPERATORS_ONLY = {role: 403 for role in ("university_a", "university_b", "company", "other_company", "researcher",
                                          "other_researcher", "ministry")}  # fmt: skip


def _candidate(world: World) -> int:
    one, other = sorted([world.enrollment_a.person_id, world.enrollment_b.person_id])
    candidate = DuplicateCandidate.objects.create(person_a_id=one, person_b_id=other, score=0.95, evidence={})
    return candidate.pk


def _merge(world: World) -> int:
    return person_merge(actor=None, survivor=factories.PersonFactory(), merged=factories.PersonFactory()).pk


def _disagreement(world: World) -> int:
    row = IdentityDisagreement.objects.create(
        person=world.enrollment_a.person, university=world.university_a, field="email", submitted="x@example.org"
    )
    return row.pk


def _pair(world: World) -> dict:
    return {"survivor": factories.PersonFactory().pk, "merged": factories.PersonFactory().pk}


ROUTES: list[Route] = [
    Route("identity-candidate-list", "GET", lambda w: "/api/v1/identity/candidates/", statuses(200, **OPERATORS_ONLY)),
    Route(
        "identity-candidate-detail",
        "GET",
        lambda w: f"/api/v1/identity/candidates/{_candidate(w)}/",
        statuses(200, **OPERATORS_ONLY),
    ),
    Route(
        "identity-candidate-decide",
        "POST",
        lambda w: f"/api/v1/identity/candidates/{_candidate(w)}/decide/",
        statuses(200, **OPERATORS_ONLY),
        body=lambda w: {"same": False},
    ),
    Route("identity-merge-list", "GET", lambda w: "/api/v1/identity/merges/", statuses(200, **OPERATORS_ONLY)),
    Route(
        "identity-merge-list",
        "POST",
        lambda w: "/api/v1/identity/merges/",
        statuses(201, **OPERATORS_ONLY),
        body=_pair,
        notes="a direct merge of two persons",
    ),
    Route(
        "identity-merge-detail",
        "GET",
        lambda w: f"/api/v1/identity/merges/{_merge(w)}/",
        statuses(200, **OPERATORS_ONLY),
    ),
    Route(
        "identity-merge-undo",
        "POST",
        lambda w: f"/api/v1/identity/merges/{_merge(w)}/undo/",
        statuses(200, **OPERATORS_ONLY),
    ),
    Route(
        "identity-disagreement-list",
        "GET",
        lambda w: "/api/v1/identity/disagreements/",
        statuses(200, **OPERATORS_ONLY),
    ),
    Route(
        "identity-disagreement-resolve",
        "POST",
        lambda w: f"/api/v1/identity/disagreements/{_disagreement(w)}/resolve/",
        statuses(200, **OPERATORS_ONLY),
        body=lambda w: {"take": False},
    ),
]
