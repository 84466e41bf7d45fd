"""Accounts and a person's own data.

/me/ routes answer only logins with a person record (the two researchers), each about themselves: every other
signed-in role gets 403, anonymous 401, and another researcher's position is not found (404).
Signing in is open to everyone with the right password (the body signs in as the researcher whatever the
client already is); registering is for anonymous visitors only (a signed-in user gets 403: sign out first).
A claim code is redeemed by a login that is not staff: the body's code is wrong (400), for a researcher too (a record
they made themselves would be absorbed into the university's).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.registry.api.conftest import World
from tests.registry.api.matrix import Route, statuses

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's password


def own(status: int, **overrides: int) -> dict[str, int]:
    """Researchers get `status` on their own record; every other signed-in role 403, anonymous 401."""
    return statuses(403, **{"researcher": status, "other_researcher": status, **overrides})


def _position_of_researcher(world: World) -> str:
    position = world.researcher_person.researcher_profile.positions.get()
    return f"/api/v1/me/positions/{position.pk}/"


def _own_position_ids(world: World, role: str) -> set[int]:
    person = {"researcher": world.researcher_person, "other_researcher": world.other_researcher_person}.get(role)
    return set(person.researcher_profile.positions.values_list("pk", flat=True)) if person else set()


def _new_account(world: World) -> dict[str, Any]:
    return {
        "email": "hana.kim@example.org",
        "password": "바다-건너-돌아온-연구자",
        "family_name_ko": "김",
        "given_name_ko": "하나",
        "family_name_latin": "Kim",
        "given_name_latin": "Hana",
        "nationality": "KR",
        "consent_required": True,
        "consent_optional": True,
    }


def _credentials(world: World) -> dict[str, Any]:
    return {"username": "researcher", "password": PASSWORD}


def _researcher_profile(world: World) -> dict[str, Any]:
    return {
        "phd_field": "06",
        "phd_subject": "자연어 처리",
        "phd_year": 2017,
        "phd_country": "US",
        "return_date": "2026-03-01",
        "return_planned": False,
        "return_programme": "brain_pool",
        "korean_affiliation": world.university_a.pk,
    }


def _expert_profile(world: World) -> dict[str, Any]:
    return {
        "skills": ["대규모 언어모델", "검색 증강 생성"],
        "summary_ko": "산업 문서를 위한 한국어 언어모델을 연구합니다.",
        "summary_en": "Korean language models for industrial documents.",
        "ksic_sections": ["C", "J"],
        "regions": ["KR-11", "KR-41"],
        "remote_ok": True,
        "capacity": 2,
        "available": True,
    }


def _position(world: World) -> dict[str, Any]:
    return {
        "country": "DE",
        "institution": "Max-Planck-Institut für Informatik",
        "title": "Postdoc",
        "start_date": str(datetime.date(2015, 3, 1)),
        "end_date": str(datetime.date(2017, 8, 31)),
    }


ROUTES: list[Route] = [
    # --- Accounts -------------------------------------------------------------------------------------
    Route(
        "auth-register",
        "POST",
        lambda w: "/api/v1/auth/register/",
        statuses(403, anonymous=201),
        body=_new_account,
        notes="Signed-in users sign out before registering another account.",
    ),
    Route("auth-token", "POST", lambda w: "/api/v1/auth/token/", statuses(200, anonymous=200), body=_credentials),
    Route("auth-token", "DELETE", lambda w: "/api/v1/auth/token/", statuses(204)),
    Route("auth-login", "GET", lambda w: "/api/v1/auth/login/", statuses(200, anonymous=200)),
    Route("auth-login", "POST", lambda w: "/api/v1/auth/login/", statuses(200, anonymous=200), body=_credentials),
    Route("auth-logout", "POST", lambda w: "/api/v1/auth/logout/", statuses(204, anonymous=204)),
    Route(
        "auth-password",
        "POST",
        lambda w: "/api/v1/auth/password/",
        statuses(200),
        body=lambda w: {"current_password": PASSWORD, "new_password": "새-암호는-충분히-길다-2027"},
    ),
    Route("auth-sign-out-everywhere", "POST", lambda w: "/api/v1/auth/sign-out-everywhere/", statuses(204)),
    Route(
        "auth-user-sign-out",
        "POST",
        lambda w: f"/api/v1/auth/users/{w.users['researcher'].pk}/sign-out-everywhere/",
        statuses(403, operator=204),
        notes="Operators sign any login out everywhere.",
    ),
    Route(
        "auth-claim",
        "POST",
        lambda w: "/api/v1/auth/claim/",
        # Staff logins may not claim a student record; a researcher's self-made record does not stand in the way.
        statuses(403, researcher=400, other_researcher=400),
        body=lambda w: {"code": "0000-0000-0000"},
    ),
    # --- Own record -------------------------------------------------------------------------------------
    Route("me", "GET", lambda w: "/api/v1/me/", own(200)),
    Route("me", "PATCH", lambda w: "/api/v1/me/", own(200), body=lambda w: {"given_name_latin": "Jimin"}),
    Route("me", "DELETE", lambda w: "/api/v1/me/", own(204), body=lambda w: {"password": PASSWORD}),
    Route("me-researcher-profile", "GET", lambda w: "/api/v1/me/researcher-profile/", own(200)),
    Route(
        "me-researcher-profile",
        "PUT",
        lambda w: "/api/v1/me/researcher-profile/",
        own(200),
        body=_researcher_profile,
    ),
    Route(
        "me-researcher-profile",
        "PATCH",
        lambda w: "/api/v1/me/researcher-profile/",
        own(200),
        body=lambda w: {"return_programme": "innocore"},
    ),
    Route("me-position-list", "GET", lambda w: "/api/v1/me/positions/", own(200), visible_ids=_own_position_ids),
    Route("me-position-list", "POST", lambda w: "/api/v1/me/positions/", own(201), body=_position),
    Route("me-position-detail", "GET", _position_of_researcher, own(200, other_researcher=404)),
    Route(
        "me-position-detail",
        "PATCH",
        _position_of_researcher,
        own(200, other_researcher=404),
        body=lambda w: {"title": "Research Scientist"},
    ),
    Route("me-position-detail", "DELETE", _position_of_researcher, own(204, other_researcher=404)),
    Route("me-expert-profile", "GET", lambda w: "/api/v1/me/expert-profile/", own(200)),
    Route("me-expert-profile", "PUT", lambda w: "/api/v1/me/expert-profile/", own(200), body=_expert_profile),
    Route(
        "me-expert-profile",
        "PATCH",
        lambda w: "/api/v1/me/expert-profile/",
        own(200),
        body=lambda w: {"available": False},
    ),
    Route("me-consent", "GET", lambda w: "/api/v1/me/consent/", own(200)),
    Route(
        "me-consent",
        "PUT",
        lambda w: "/api/v1/me/consent/",
        own(200),
        body=lambda w: {"consent_to_matching": True, "shared_fields": ["name", "skills", "summary"]},
    ),
    Route("me-privacy-consents", "GET", lambda w: "/api/v1/me/privacy-consents/", own(200)),
    Route(
        "me-privacy-consents",
        "POST",
        lambda w: "/api/v1/me/privacy-consents/",
        own(200),
        body=lambda w: {"consent_required": True, "consent_optional": False},
    ),
    Route("me-export", "GET", lambda w: "/api/v1/me/export/", own(200)),
]
