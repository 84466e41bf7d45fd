"""The API fuzzed against its own OpenAPI schema (schemathesis), every operation as every role, on a seeded world
(enrollments, an advisor, problems open, draft and remote, a finished match run with proposals and near misses,
a frozen snapshot, import batches): no response is a server error, and every response conforms to the schema
with all of schemathesis' checks.

Two modes of the same test:
- by default (the suite), derandomised with a few examples per operation and role: the same requests every run;
- `API_FUZZ_EXAMPLES=N API_FUZZ_RANDOM=1` (CI's second run, with `--hypothesis-seed` printed so a failure can be
  replayed), N examples each, different ones every run.

Marked `fuzz`: CI's second pass of the suite (the machine's PostgreSQL and Redis) leaves the fixed examples out, as
the random run that follows it sends more requests of every operation as every role to the same services; the first
pass (the embedded default) runs them as the gate.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from talent.matching.models import NearMiss, Proposal
from talent.registry import services
from talent.reports.models import Target
from talent.wsgi import application
from tests.registry.api.conftest import ROLES, World, build_world, module_rows
from tests.registry.api.routes_matching import matching
from tests.registry.api.routes_reports import _snapshot
from tests.registry.api.routes_roster import _batches
from tests.registry.api.routes_university import _appointments
from tests.targets import seed_targets_if_flushed

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
RANDOM = os.environ.get("API_FUZZ_RANDOM", "") == "1"
COVERAGE_PHASE = os.environ.get("API_FUZZ_COVERAGE", "") == "1"

# Every check schemathesis has, each response against the schema, plus the two about data: a request the schema
# calls valid is not refused with 400, one it calls invalid is refused. Where the schema cannot say what is valid
# (a rule between two fields, a record's state, a row that must exist), the operation documents its 400; the
# positive check then accepts 400 only for those operations (DOCUMENTED_400 below).
#: Operations whose 400 the schema cannot foretell, and why: a request of the right shape may still break a rule
#: between fields, about a row that must exist, or about today. Every other operation must accept a valid request.
DOCUMENTED_400 = {
    "POST /api/v1/enrollments/": "the programme and person named must exist; a new person or a person id, not both",
    "PATCH /api/v1/enrollments/{id}/": "the advisor named must exist and be eligible; dates in order",
    "POST /api/v1/enrollments/{id}/fast-track/": "the doctoral programme named must exist, at the same university",
    "POST /api/v1/enrollments/{id}/transitions/": "the date must follow the previous change and not be in the future",
    "POST /api/v1/enrollments/import/": "the file must be a roster (CSV or XLSX with the template's columns)",
    "POST /api/v1/advisor-appointments/": "the person named must exist; a new person or a person id, not both",
    "POST /api/v1/graduate-schools/": "the university and consortium companies named must exist",
    "PATCH /api/v1/graduate-schools/{id}/": "the consortium companies named must exist",
    "POST /api/v1/programmes/": "the school named must exist; the normal duration is 1 to 120 months (a DB check)",
    "PATCH /api/v1/programmes/{id}/": "the normal duration is 1 to 120 months (a database check)",
    "POST /api/v1/problems/": "a region, or open to remote work; experts wanted 1 to 50 (a database check)",
    "PATCH /api/v1/problems/{id}/": "a region, or open to remote work; experts wanted 1 to 50 (a database check)",
    "POST /api/v1/auth/claim/": "the code must be one a university issued and still valid",
    "POST /api/v1/auth/register/": "the password must pass the password rules (length, not common, not all digits) "
    "and the required items of the privacy notice be consented to (optional items only with the optional consent)",
    "POST /api/v1/me/privacy-consents/": "the required items of the privacy notice must be consented to",
    "POST /api/v1/auth/login/": "the username and password must match a login",
    "POST /api/v1/auth/token/": "the username and password must match a login",
    "PATCH /api/v1/me/": "the national researcher number is 8 digits with a valid check; no resident number",
    "DELETE /api/v1/me/": "the password must be the account's current one",
    "PUT /api/v1/me/researcher-profile/": "the affiliation named must exist; the return date fits the career",
    "PATCH /api/v1/me/researcher-profile/": "the affiliation named must exist; the return date fits the career",
    "POST /api/v1/me/positions/": "the end date must not come before the start",
    "PATCH /api/v1/me/positions/{id}/": "the end date must not come before the start",
    "PUT /api/v1/me/expert-profile/": "capacity is 1 to 20 problems (a database check)",
    "PATCH /api/v1/me/expert-profile/": "capacity is 1 to 20 problems (a database check)",
    "PUT /api/v1/me/consent/": "shared fields need consent to matching",
    "GET /api/v1/reports/headcount/": "the target (and any version named) must exist, `by` be one of its breakdowns, "
    "`as_of` not in the future",
    "GET /api/v1/enrollments/export/": "an operator names the university (staff default to their own)",
    "GET /api/v1/reports/trajectory/": "the target (and any version named) must exist; `as_of` not in the future",
    "GET /api/v1/reports/snapshots/{id}/recompute/": "the target version named (`version`) must exist",
    "GET /api/v1/reports/targets/": "`as_of` not in the future",
    "GET /api/v1/reports/targets/{code}/versions/": "`as_of` not in the future",
    "POST /api/v1/reports/targets/{code}/versions/": "the effective date must follow the current version's",
    "POST /api/v1/reports/snapshots/": "the target must exist; `as_of` not in the future",
    "GET /api/v1/statistics/enrollments/": "`as_of` not in the future",
    "GET /api/v1/statistics/registry/": "`as_of` not in the future",
    "GET /api/v1/statistics/field-projects/": "`as_of` not in the future",
    "POST /api/v1/auth/password/": "the current password must be the account's own",
    "POST /api/v1/identity/merges/": "two different persons, without conflicting identifiers, neither merged already",
    "GET /api/v1/reports/outlook/": "the target must exist and count graduates; `as_of` not in the future",
    "POST /api/v1/reports/scenarios/": "a year of the target period still to enter; a change with an effect; "
    "the target version named must exist",
    "POST /api/v1/reports/intake-plans/": "the year's intake is ahead; at most 10× the largest cohort",
    "POST /api/v1/reports/intake-plans/{id}/approve/": "the plan's year's intake (1 March) is still ahead",
    "POST /api/v1/reports/intake-plans/import/": "the file must be a sheet (CSV or XLSX) with the plan's columns",
    "POST /api/v1/engagements/{id}/ax-projects/{project}/unlink/": "a reason with words (not only spaces), no RRN",
}
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429"]

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json",
    application,
    config=SchemathesisConfig.from_dict(
        {
            # A NUL character cannot be stored in PostgreSQL text; DRF refuses it in every string field.
            "generation": {"allow-x00": False},
            "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_STATUSES}},
            "operations": [
                {
                    "include-name": name,
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE_STATUSES, "400"]}},
                }
                for name in DOCUMENTED_400
            ],
        }
    ),
)
schema.config.phases.coverage.enabled = COVERAGE_PHASE


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[tuple[World, dict[str, dict[str, str]]]]:
    """The world and each role's request headers, built once per module (`module_rows`: each test's writes are
    rolled back after it)."""
    yield from module_rows(django_db_blocker, _seed)


def _seed() -> tuple[World, dict[str, dict[str, str]]]:
    world = build_world()
    _seed_the_rest(world)
    headers = {
        role: {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
        for role, user in world.users.items()
        if user is not None
    }
    headers["anonymous"] = {}
    return world, headers


def _seed_the_rest(world: World) -> None:
    seed_targets_if_flushed()  # a transactional test earlier on this worker may have flushed them
    run = matching(world).run
    remote = services.field_problem_create(
        actor=world.users["company"],
        organization=world.company,
        title="원격 데이터 라벨링 품질 관리",
        description="지역과 무관하게 원격으로 함께할 전문가를 찾습니다.",
        ksic_section="C",
        skills_wanted=["데이터 품질"],
        region="",
        remote=True,
    )
    remote = services.field_problem_open(actor=world.users["company"], problem=remote)
    world.extra["remote_problem"] = remote
    expert = world.researcher_person.expert_profile
    other_expert = world.other_researcher_person.expert_profile
    Proposal.objects.create(run=run, expert=other_expert, problem=remote, score=0.4)
    NearMiss.objects.create(run=run, expert=expert, problem=remote, score=0.15)
    for status, day in (("enrolled", datetime.date(2026, 3, 2)), ("on_leave", datetime.date(2026, 9, 1))):
        services.enrollment_transition(
            actor=world.users["university_a"], enrollment=world.enrollment_a, status=status, effective_date=day
        )
    _snapshot(world)
    _batches(world)
    _appointments(world)


def _real_ids(world: World) -> dict[str, list[Any]]:
    """Ids of seeded rows by path, so that part of the generated requests reach real records (the rest keep the
    generated id: mostly not found)."""
    m = matching(world)
    problems = [world.problem, world.other_problem, world.draft_problem, world.extra["remote_problem"]]
    return {
        "/enrollments/{id}/": [world.enrollment_a.pk, world.enrollment_b.pk],
        "/graduate-schools/{id}/": [world.school_a.pk, world.school_b.pk],
        "/programmes/{id}/": [world.programme_a.pk, world.programme_b.pk],
        "/organizations/{id}/": [world.university_a.pk, world.company.pk, world.other_company.pk],
        "/problems/{id}/": [problem.pk for problem in problems],
        "/proposals/{id}/": sorted(Proposal.objects.values_list("pk", flat=True)),
        "/match-runs/{id}/": [m.run.pk],
        "/me/positions/{id}/": sorted(
            world.researcher_person.researcher_profile.positions.values_list("pk", flat=True)
        ),
        "/reports/snapshots/{id}/": [_snapshot(world).pk],
        "/reports/targets/{code}/": sorted(Target.objects.values_list("code", flat=True).distinct()),
    }


def _aim_at_real_rows(case: Any, world: World) -> None:
    """Replace a generated path id by a seeded row's, chosen by the generated value (so hypothesis still shrinks)."""
    if case.meta is not None and not case.meta.generation.mode.is_positive:
        return
    for prefix, ids in _real_ids(world).items():
        name = "code" if "{code}" in prefix else "id"
        value = (case.path_parameters or {}).get(name)
        if value is None or not case.path.startswith("/api/v1" + prefix.split("{")[0]):
            continue
        pick = value if isinstance(value, int) else len(str(value))
        if pick % (len(ids) + 1) < len(ids):
            case.path_parameters[name] = ids[pick % (len(ids) + 1)]


@pytest.fixture(autouse=True)
def _keep_the_test_connection(db):
    """Called as a WSGI app, Django closes the database connection after each request (the test client
    avoids that): keep it open for the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_holds_its_schema(case, role, seeded):
    world, headers = seeded
    _aim_at_real_rows(case, world)
    case.call_and_validate(headers=headers[role])


def test_both_generation_modes_are_on():
    """Valid and invalid requests both: the negative-data check only means something with invalid ones."""
    modes = schema.config.generation.modes
    assert GenerationMode.POSITIVE in modes and GenerationMode.NEGATIVE in modes, modes
