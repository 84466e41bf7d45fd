"""Every API route answers every kind of user as designed, and each list shows exactly the rows the role may see:
none of another tenant's, none of its own missing."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests.registry.api as api_tests
from tests.registry.api.conftest import ROLES
from tests.registry.api.matrix import Route, result_ids

ROUTE_MODULES = sorted(m.name for m in pkgutil.iter_modules(api_tests.__path__) if m.name.startswith("routes_"))
ALL_ROUTES: list[Route] = [
    route for name in ROUTE_MODULES for route in importlib.import_module(f"tests.registry.api.{name}").ROUTES
]
UNDOCUMENTED = {"api-schema", "api-docs"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: f"{r.method} {r.name}")
def test_each_route_answers_each_role_as_designed(route: Route, role: str, world, api_as):
    client = api_as(role)
    body = route.body(world) if route.body else None
    response = getattr(client, route.method.lower())(route.path(world), data=body, format=route.format)
    expected = route.expected[role]
    assert response.status_code == expected, (
        f"{route.method} {route.path(world)} as {role}: {response.status_code} != {expected}: "
        f"{getattr(response, 'data', response.content)!r}"
    )
    if route.visible_ids is not None and response.status_code == 200:
        shown, visible = result_ids(response.data), route.visible_ids(world, role)
        assert not shown - visible, f"{route.name} shows {role} rows it must not see: {sorted(shown - visible)}"
        assert shown == visible, f"{route.name} hides from {role} rows it must show: {sorted(visible - shown)}"


def _api_route_names(patterns, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            names |= _api_route_names(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and pattern.name:
            names.add(pattern.name)
    return names


def test_every_api_route_is_in_the_matrix():
    in_matrix = {route.name for route in ALL_ROUTES}
    missing = _api_route_names(get_resolver().url_patterns) - in_matrix - UNDOCUMENTED
    assert not missing, f"routes without a permission row: {sorted(missing)}"
