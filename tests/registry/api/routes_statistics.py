"""Statistics (talent.reports): the ministry, operators and universities (their own figures) read them, as they
read the reports; nobody else."""

from __future__ import annotations

from tests.registry.api.matrix import Route, statuses

NOT_FOR_COMPANIES_OR_RESEARCHERS = {"company": 403, "other_company": 403, "researcher": 403, "other_researcher": 403}

ROUTES: list[Route] = [
    Route(
        "statistics-registry",
        "GET",
        lambda w: "/api/v1/statistics/registry/",
        statuses(200, **NOT_FOR_COMPANIES_OR_RESEARCHERS),
    ),
    Route(
        "statistics-enrollments",
        "GET",
        lambda w: "/api/v1/statistics/enrollments/",
        statuses(200, **NOT_FOR_COMPANIES_OR_RESEARCHERS),
    ),
    Route(
        "statistics-enrollments",
        "GET",
        lambda w: "/api/v1/statistics/enrollments/?by=university&as_of=2026-04-01",
        statuses(200, **NOT_FOR_COMPANIES_OR_RESEARCHERS),
    ),
    Route(
        "statistics-enrollments",
        "GET",
        lambda w: "/api/v1/statistics/enrollments/?by=gender",
        statuses(400, **NOT_FOR_COMPANIES_OR_RESEARCHERS),
        notes="an unknown grouping is refused (after the role check: others learn nothing)",
    ),
    Route(
        "statistics-enrollments",
        "GET",
        lambda w: "/api/v1/statistics/enrollments/?as_of=2999-01-01",
        statuses(400, **NOT_FOR_COMPANIES_OR_RESEARCHERS),
        notes="a date in the future is refused, as by the reports",
    ),
    Route(
        "statistics-field-projects",
        "GET",
        lambda w: "/api/v1/statistics/field-projects/?as_of=2026-04-01",
        statuses(200, **NOT_FOR_COMPANIES_OR_RESEARCHERS),
    ),
    Route(
        "statistics-field-projects",
        "GET",
        lambda w: "/api/v1/statistics/field-projects/?as_of=2999-01-01",
        statuses(400, **NOT_FOR_COMPANIES_OR_RESEARCHERS),
        notes="a date in the future is refused, as by the reports",
    ),
]
