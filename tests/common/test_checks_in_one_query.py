"""A model's check constraints are asked of the database in one query, with exactly Django's answer: the same
messages, codes and fields, whatever the instance breaks (`talent.common.db.ChecksInOneQuery`)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from talent.common.db import ChecksInOneQuery
from talent.registry.models import Enrollment
from tests import factories

pytestmark = pytest.mark.django_db

ODD_VALUES: dict[type[models.Field[Any, Any]], list[Any]] = {
    models.DateField: [None, datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)],
    models.DateTimeField: [None],
    models.IntegerField: [None, -1, 0, 10**6],
    models.CharField: [None, "", "x" * 5],
    models.TextField: [None, ""],
    models.BooleanField: [None, True, False],
}


def _odd_values(field: models.Field[Any, Any]) -> list[Any]:
    for kind, values in ODD_VALUES.items():
        if isinstance(field, kind):
            return values
    return []


def _answers(instance: models.Model) -> tuple[dict[str, list[str]] | None, dict[str, list[str]] | None]:
    """(the mixin's errors, Django's own errors) for the instance as it is now."""

    def errors(validate: Any) -> dict[str, list[str]] | None:
        try:
            validate()
        except ValidationError as exc:
            return {key: [f"{e.code}:{m}" for e in value for m in e.messages] for key, value in exc.error_dict.items()}
        return None

    return (
        errors(instance.validate_constraints),
        errors(lambda: models.Model.validate_constraints(instance)),
    )


def test_every_model_with_several_checks_asks_them_in_one_query() -> None:
    slow = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("talent.")
        and sum(isinstance(c, models.CheckConstraint) for c in model._meta.constraints) >= 2
        and not issubclass(model, ChecksInOneQuery)
    ]
    assert slow == []


def test_an_enrollment_is_checked_in_one_query_and_found_valid(enrollment: Enrollment) -> None:
    enrollment = Enrollment.objects.get(pk=enrollment.pk)
    with CaptureQueriesContext(connection) as queries:
        enrollment.validate_constraints()
    checks = [q["sql"] for q in queries.captured_queries if "_check_" in q["sql"]]
    assert len(checks) == 1
    django_way = len([c for _, cs in enrollment.get_constraints() for c in cs if isinstance(c, models.CheckConstraint)])
    assert django_way >= 5  # what one query replaces: a query and a savepoint per check


@pytest.mark.parametrize(
    "make",
    [
        "enrollment",
        lambda: factories.ExpertProfileFactory(),
        lambda: factories.FieldProblemFactory(),
        lambda: factories.GraduateSchoolFactory(),
        lambda: factories.ResearcherProfileFactory(),
        lambda: factories.PersonFactory(),
        lambda: factories.UniversityFactory(),
    ],
)
def test_the_answer_is_djangos_for_every_odd_value_and_pair_of_them(make: Any, request: pytest.FixtureRequest) -> None:
    instance = request.getfixturevalue(make) if isinstance(make, str) else make()
    model = type(instance)
    instance = model.objects.get(pk=instance.pk)
    assert isinstance(instance, ChecksInOneQuery)
    fields = [f for f in model._meta.concrete_fields if _odd_values(f) and not f.primary_key]
    refused = 0
    singles = [(f, v) for f in fields for v in _odd_values(f)]
    for changes in itertools.chain(((s,) for s in singles), itertools.combinations(singles[:12], 2)):
        saved = {f.attname: getattr(instance, f.attname) for f, _ in changes}
        for field, value in changes:
            setattr(instance, field.attname, value)
        ours, djangos = _answers(instance)
        assert ours == djangos, [(f.name, v) for f, v in changes]
        refused += ours is not None
        for name, value in saved.items():
            setattr(instance, name, value)
    assert refused, f"no odd value broke a check of {model.__name__}: the comparison compared nothing"
