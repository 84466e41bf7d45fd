"""A resident registration number (주민등록번호) is refused in every text a person can write, in every spelling, on
every way in (the API, the pages, the roster, sign-in, upload names, query strings); afterwards no text column of
any table (history and third-party tables included) holds it, nor any browser session (stored encoded: the scan
decodes each one).

The probes cover every model text field a person can write (the fields `talent/registry/checks.py` makes carry the
guard): a field added without a probe here fails `test_the_probes_cover_every_guarded_field`.
"""

from __future__ import annotations

import functools
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core import signing
from django.db import connection
from django.test import Client

from talent.accounts.models import UserSession
from talent.accounts.sessions import SessionStore
from talent.registry import checks
from talent.registry.models import AccessLog, FieldProblem, ImportBatch
from tests.registry.api.conftest import World
from tests.registry.api.routes_me import _expert_profile, _new_account, _position, _researcher_profile
from tests.registry.api.routes_problems import _new_problem
from tests.registry.api.routes_university import _admission, _new_programme, _new_school
from tests.registry.test_text_guard import SPELLINGS
from tests.roster.conftest import HEADERS, ROWS, csv_bytes

#: What the scan looks for: the digits 900101 and 1234568 in this order, at most three other characters between
#: any two of them (dashes, dots, spaces, invisible characters), after NFKC (full-width digits read as digits).
_DIGITS = "9001011234568"
SCAN_PATTERN = r"\D{0,3}".join(_DIGITS)


@dataclass(frozen=True)
class Probe:
    fields: tuple[str, ...]  # model fields ("app.Model.field") the probe writes
    role: str
    method: str
    path: Callable[[World], str]
    body: Callable[[World, Any], dict[str, Any]]


def _with(base: Callable[[World], dict[str, Any]], **placed: Callable[[Any], Any]):
    return lambda w, v: {**base(w), **{name: put(v) for name, put in placed.items()}}


def _text(v: Any) -> Any:
    return v


def _listed(v: Any) -> Any:
    return [v]


def _named(name: str, w: World, v: Any) -> dict[str, Any]:
    return {name: v}


def _problem_detail(w: World) -> str:
    return f"/api/v1/problems/{w.problem.pk}/"


def _enrollment(w: World) -> str:
    return f"/api/v1/enrollments/{w.enrollment_a.pk}/"


PROBES = [
    Probe(("registry.FieldProblem.title",), "company", "POST", lambda w: "/api/v1/problems/",
          _with(_new_problem, title=_text)),
    Probe(("registry.FieldProblem.description",), "company", "POST", lambda w: "/api/v1/problems/",
          _with(_new_problem, description=_text)),
    Probe(("registry.FieldProblem.skills_wanted",), "company", "POST", lambda w: "/api/v1/problems/",
          _with(_new_problem, skills_wanted=_listed)),
    Probe(("registry.FieldProblem.description",), "company", "PATCH", _problem_detail,
          lambda w, v: {"description": f"설명 {v}"}),
    *[
        Probe((f"registry.Person.{name}",), "researcher", "PATCH", lambda w: "/api/v1/me/",
              functools.partial(_named, name))
        for name in ("family_name_ko", "given_name_ko", "family_name_latin", "given_name_latin")
    ],
    Probe(("registry.Person.email",), "researcher", "PATCH", lambda w: "/api/v1/me/",
          lambda w, v: {"email": f"{v}@example.org"}),
    Probe(("registry.ResearcherProfile.phd_subject",), "researcher", "PUT", lambda w: "/api/v1/me/researcher-profile/",
          _with(_researcher_profile, phd_subject=_text)),
    Probe(("registry.OverseasPosition.institution",), "researcher", "POST", lambda w: "/api/v1/me/positions/",
          _with(_position, institution=_text)),
    Probe(("registry.OverseasPosition.title",), "researcher", "POST", lambda w: "/api/v1/me/positions/",
          _with(_position, title=_text)),
    Probe(("registry.ExpertProfile.skills",), "researcher", "PUT", lambda w: "/api/v1/me/expert-profile/",
          _with(_expert_profile, skills=_listed)),
    Probe(("registry.ExpertProfile.summary_ko",), "researcher", "PUT", lambda w: "/api/v1/me/expert-profile/",
          _with(_expert_profile, summary_ko=lambda v: f"요약 {v}")),
    Probe(("registry.ExpertProfile.summary_en",), "researcher", "PUT", lambda w: "/api/v1/me/expert-profile/",
          _with(_expert_profile, summary_en=_text)),
    Probe(("registry.Enrollment.student_number",), "university_a", "POST", lambda w: "/api/v1/enrollments/",
          _with(_admission, student_number=_text)),
    Probe(("registry.Person.family_name_ko",), "university_a", "POST", lambda w: "/api/v1/enrollments/",
          lambda w, v: {**_admission(w), "person": {**_admission(w)["person"], "family_name_ko": v}}),
    Probe(("registry.Person.given_name_latin",), "university_a", "PATCH", _enrollment,
          lambda w, v: {"person": {"given_name_latin": v}}),
    Probe(("registry.EnrollmentEvent.reason",), "university_a", "POST",
          lambda w: f"/api/v1/enrollments/{w.enrollment_a.pk}/transitions/",
          lambda w, v: {"status": "enrolled", "effective_date": "2026-03-02", "reason": v}),
    Probe(("registry.GraduateSchool.name_ko",), "operator", "POST", lambda w: "/api/v1/graduate-schools/",
          _with(_new_school, name_ko=_text)),
    Probe(("registry.GraduateSchool.name_en",), "operator", "POST", lambda w: "/api/v1/graduate-schools/",
          _with(_new_school, name_en=_text)),
    Probe(("registry.Programme.name_ko",), "university_a", "POST", lambda w: "/api/v1/programmes/",
          _with(_new_programme, name_ko=_text)),
    Probe(("registry.Programme.name_en",), "university_a", "POST", lambda w: "/api/v1/programmes/",
          _with(_new_programme, name_en=_text)),
    Probe(("registry.ProgrammeCountingRule.note",), "ministry", "PATCH",
          lambda w: f"/api/v1/programmes/{w.programme_a.pk}/",
          lambda w, v: {"counts_toward_target": not w.programme_a.counts_toward_target, "counting_note": v}),
    Probe(("reports.Target.note",), "ministry", "POST", lambda w: "/api/v1/reports/targets/AX-TRAINED/versions/",
          lambda w, v: {"value": 5500, "note": v}),
    Probe(("reports.ReportSnapshot.note",), "ministry", "POST", lambda w: "/api/v1/reports/snapshots/",
          lambda w, v: {"target": "AX-TRAINED", "as_of": "2026-06-30", "note": v}),
    Probe(("reports.IntakePlan.note",), "university_a", "POST", lambda w: "/api/v1/reports/intake-plans/",
          lambda w, v: {"school": w.school_a.pk, "year": 2030, "degree_level": "ms", "intake": 20, "note": v}),
    Probe(("reports.Scenario.name",), "ministry", "POST", lambda w: "/api/v1/reports/scenarios/",
          lambda w, v: {"kind": "new_schools", "from_year": 2027, "schools": 2, "intake": 40, "name": v}),
    Probe(("registry.Person.given_name_ko",), "anonymous", "POST", lambda w: "/api/v1/auth/register/",
          _with(_new_account, given_name_ko=_text)),
    Probe(("auth.User.username",), "anonymous", "POST", lambda w: "/api/v1/auth/register/",
          _with(_new_account, username=_text)),
]  # fmt: skip

#: Guarded fields no probe above writes, and why no person reaches them through the API.
NOT_PROBED_BY_THE_API = {
    "registry.Organization.name_ko": "organizations are made by operators in the admin (probed below)",
    "registry.Organization.name_en": "organizations are made by operators in the admin (probed below)",
    "registry.Organization.business_registration_number": "10 digits, checked by its own validator too",
    "registry.Person.orcid": "its own format (0000-0000-0000-000X) cannot hold 13 digits in a row",
    "registry.Person.national_researcher_number": "8 digits by its own validator",
    "registry.ImportBatch.filename": "the upload's name: probed by the roster upload below",
    "matching.AxConcept.key": "operators' admin only (probed below)",
    "matching.AxConcept.terms_ko": "operators' admin only (probed below)",
    "matching.AxConcept.terms_en": "operators' admin only (probed below)",
    "matching.AxConcept.abbreviations": "operators' admin only (probed below)",
    "matching.AxConcept.ksic_divisions": "operators' admin only; a section letter and two digits by clean()",
    **{
        f"registry.PersonAsRecorded.{name}": (
            "a university's own record of a shared person, written by the enrollment PATCH the Person's fields are "
            "probed through (test_each_university_reads_its_record: refused the same way)"
        )
        for name in (
            "family_name_ko",
            "given_name_ko",
            "family_name_latin",
            "given_name_latin",
            "email",
            "orcid",
            "national_researcher_number",
        )
    },
    "registry.IdentityDisagreement.submitted": (
        "a known person's submitted field, validated as a Person before it is kept (identity.person_link_or_create)"
    ),
    "reports.Target.code": "made by migrations; revisions keep the code",
    "reports.Target.name_ko": "made by migrations; revisions keep the name",
    "reports.Target.name_en": "made by migrations; revisions keep the name",
    "engagements.Engagement.note": (
        "the probes' world has no engagement (two acceptances start one); the close note's refusal is tested in "
        "tests/engagements/test_engagements.py (RRN_LIKE)"
    ),
    "engagements.AXProject.unlink_reason": (
        "the probes' world has no AX project; the unlink reason's refusal in every spelling is tested in "
        "tests/engagements/test_ax_project_unlink.py"
    ),
    "registry.EnrollmentEventVoid.reason": (
        "a guarded field; the probes' world has no change that can be voided (the admission cannot be), so a probe "
        "here would be refused before the reason is read: a probe on a voidable change is still to write"
    ),
}


def _guarded_fields() -> set[str]:
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("talent."):
            continue
        for model in checks._our_models([config]):
            for field in model._meta.local_fields:
                base = getattr(field, "base_field", field)
                if field.editable and checks._is_text(base) and not base.choices:
                    found.add(f"{model._meta.label}.{field.name}")
    return found


def test_the_probes_cover_every_guarded_field():
    probed = {name for probe in PROBES for name in probe.fields}

    assert _guarded_fields() - probed - set(NOT_PROBED_BY_THE_API) == set()


def _texts(value: Any) -> Iterator[str]:
    """Every string inside a decoded value, and inside the JSON a string holds (Django's messages keep theirs in the
    session as a JSON string, whose non-ASCII characters are escaped)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, str):
        yield value
        if value[:1] in ("[", "{", '"'):
            try:
                inner = json.loads(value)
            except ValueError:
                return
            yield from _texts(inner)
    elif value is not None:
        yield str(value)


def sessions_holding_the_number() -> tuple[list[tuple[str, str, int]], int]:
    """(table, "session_data (decoded)", rows) for each session table with a session that holds the number, and the
    number of sessions read. Sessions are stored signed and encoded, which the text scan cannot read: each one is
    decoded as Django reads it, and a session that does not decode fails the scan instead of passing unread."""
    found, read = [], 0
    for model in apps.get_models():
        if not issubclass(model, AbstractBaseSession):
            continue
        store_class = model.get_session_store_class()
        assert store_class is not None, f"{model._meta.label} names its session store"
        store = store_class()
        rows = 0
        for data in model._default_manager.values_list("session_data", flat=True):
            decoded = signing.loads(data, salt=store.key_salt, serializer=store.serializer)  # raises if unreadable
            text = unicodedata.normalize("NFKC", "\n".join(_texts(decoded)))
            rows += bool(re.search(SCAN_PATTERN, text))
            read += 1
        if rows:
            found.append((model._meta.db_table, "session_data (decoded)", rows))
    return found, read


def scan_for_the_number() -> list[tuple[str, str, int]]:
    """(table, column, rows) for every text, JSON or array column of every table that holds the number, and for
    every session table (decoded: `sessions_holding_the_number`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = current_schema()
               AND (data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
                    OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))
               AND table_name IN (SELECT table_name FROM information_schema.tables
                                   WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
            """
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            quoted = f"{connection.ops.quote_name(table)}.{connection.ops.quote_name(column)}"
            cursor.execute(
                f"SELECT count(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608 - names from the catalogue
                f"WHERE normalize({quoted}::text, NFKC) ~ %s",
                [SCAN_PATTERN],
            )
            (rows,) = cursor.fetchone()
            if rows:
                found.append((table, column, rows))
    return found + sessions_holding_the_number()[0]


def test_the_scan_finds_a_number_written_around_the_guard(world):
    FieldProblem.objects.filter(pk=world.problem.pk).update(description="연락처 900101\u20131234568")

    assert ("registry_fieldproblem", "description", 1) in scan_for_the_number()


def test_the_scan_reads_sessions_decoded(world):
    plain, messages = SessionStore(), SessionStore()
    plain["note"] = "연락처 900101\u20131234568"
    plain.create()
    # As Django's messages keep themselves in a session: a JSON string, its non-ASCII characters escaped.
    messages["_messages"] = json.dumps([["__json_message", 0, 25, "번호 900101\u20131234568"]])
    messages.create()
    SessionStore().create()  # an empty one

    assert "\\u2013" in messages["_messages"], "escaped as Django's message storage writes it"
    assert (UserSession._meta.db_table, "session_data (decoded)", 2) in scan_for_the_number()
    assert sessions_holding_the_number()[1] == 3


def _roster_with(value: str, *, header: bool = False) -> bytes:
    rows = [[*row, "비고"] for row in ROWS]
    rows[1][2] = value if not header else rows[1][2]
    return csv_bytes(rows, headers=[*HEADERS, value if header else "비고"])


def test_every_spelling_in_every_field_on_every_way_in_is_refused_and_stored_nowhere(world, api_as):
    refused: list[tuple[str, str, int]] = []
    accepted: list[tuple[str, str, int]] = []
    for probe in PROBES:
        client = api_as(probe.role)
        for label, spelling in SPELLINGS.items():
            response = client.generic(
                probe.method,
                probe.path(world),
                json.dumps(probe.body(world, spelling)),
                content_type="application/json",
            )
            outcome = (probe.fields[0], label, response.status_code)
            (refused if 400 <= response.status_code < 500 else accepted).append(outcome)
    assert accepted == []

    staff = api_as("university_a")
    operator = Client()
    operator.force_login(world.users["operator"])
    for label, spelling in SPELLINGS.items():
        # The roster: a cell, a header, the file's name.
        for content in (_roster_with(spelling), _roster_with(spelling, header=True)):
            upload = io.BytesIO(content)
            upload.name = "명단.csv"
            response = staff.post("/api/v1/enrollments/import/", {"file": upload}, format="multipart")
            assert response.status_code == 400, (label, response.content)
        named = io.BytesIO(csv_bytes())
        named.name = f"명단 {spelling}.csv"
        assert staff.post("/api/v1/enrollments/import/", {"file": named, "dry_run": "true"}, format="multipart")
        # Sign-in with the number as the username, on the API and the page (django-axes records failures).
        api_as("anonymous").post("/api/v1/auth/login/", {"username": spelling, "password": "x"}, format="json")
        Client().post("/login/", {"username": spelling, "password": "x"}, HTTP_USER_AGENT=f"agent {spelling}")
        # A read whose query string carries it (the access log keeps the route and ids only).
        staff.get(_enrollment(world), {"q": spelling})
        # The admin: organizations and the AX vocabulary.
        response = operator.post(
            "/admin/registry/organization/add/",
            {"kind": "university", "name_ko": f"대학 {spelling}", "name_en": "", "region": "KR-11"},
        )
        assert response.status_code == 200 and "주민등록번호" in response.content.decode(), label  # the form, its error
        response = operator.post(
            "/admin/matching/axconcept/add/",
            {"key": "probe", "terms_ko": f"용어,{spelling}", "terms_en": "term", "abbreviations": spelling},
        )
        assert response.status_code == 200 and "주민등록번호" in response.content.decode(), label

    # The pages: a company's problem form and a researcher's expert profile form.
    company, researcher = Client(), Client()
    company.force_login(world.users["company"])
    researcher.force_login(world.users["researcher"])
    for label, spelling in SPELLINGS.items():
        problem_page = company.post(
            "/company/problems/new/",
            {"title": "비전 검사", "description": f"설명 {spelling}", "ksic_section": "C", "region": "KR-41",
             "skills_wanted": f"비전, {spelling}", "experts_wanted": 1},
        )  # fmt: skip
        expert_page = researcher.post("/me/expert/", {"summary_ko": spelling, "skills": "비전", "capacity": 1})
        for response in (problem_page, expert_page):
            assert response.status_code == 200 and "주민등록번호" in response.content.decode(), label

    assert len(refused) == len(PROBES) * len(SPELLINGS)
    # The side stores were written (so the scan below looks at something): sign-in failures and reads.
    assert AccessAttempt.objects.filter(username__contains="*").exists()
    assert AccessLog.objects.filter(action="enrollment_detail").count() == len(SPELLINGS)
    assert ImportBatch.objects.filter(filename__contains="*").count() == len(SPELLINGS)
    assert sessions_holding_the_number()[1] >= 3, "the signed-in browsers' sessions are read too"
    assert scan_for_the_number() == []
