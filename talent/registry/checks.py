"""`manage.py check` (and so every test run) fails when a model of ours has a text field that a person can write
without the registry's resident-registration-number guard or without a bound, or a list whose size the database
does not hold.

A text field is a CharField or TextField (EmailField, SlugField, ...) or a list of them. It passes when it carries
`validators.reject_resident_registration_number` and a max_length, or when a person cannot write it: it has choices
(a closed vocabulary) or `editable=False` (only the system writes it). Every list a person writes needs a size.

A list's size is its one limit: validation holds it (the field's size validator), and so must the database: a
CheckConstraint of the model bounds the list's length by the same number (`<field>__len__lte=<size>`), so a write
that goes around validation cannot store 5,000 skills, nor the 17 regions one after another 300 times.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.contrib.postgres.fields import ArrayField
from django.core import checks
from django.db import models
from django.db.models import Q
from pghistory.models import Event

from talent.registry.validators import reject_resident_registration_number

HOW = (
    "Declare it with talent.registry.fields: GuardedCharField(max_length=N) for a line, GuardedTextField(max_length=N) "
    "for prose, GuardedListField(GuardedCharField(max_length=N), size=M) for a list; or give it choices, or "
    "editable=False when only the system writes it."
)


def _is_text(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, (models.CharField, models.TextField))


def _guarded(field: models.Field[Any, Any]) -> bool:
    return reject_resident_registration_number in field.validators


def text_field_problems(field: models.Field[Any, Any]) -> list[str]:
    """What is missing on one field for a person to write it safely (empty: nothing)."""
    if not field.editable:
        return []
    if isinstance(field, ArrayField):  # every list a person writes has a size, whatever its items
        problems = [] if field.size else ["a size (the most items a list may have)"]
        return problems + [f"items: {problem}" for problem in text_field_problems(field.base_field)]
    if not _is_text(field) or field.choices:
        return []
    problems = []
    if not _guarded(field):
        problems.append("the resident-registration-number guard")
    if not field.max_length:
        problems.append("a max_length")
    return problems


def _our_models(app_configs: Sequence[AppConfig] | None) -> Iterable[type[models.Model]]:
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    for config in configs:
        if not config.name.startswith("talent."):
            continue
        for model in config.get_models():
            # History rows copy the tracked model's fields; what reaches them passed the tracked model's guard.
            if not issubclass(model, Event) and not model._meta.proxy:
                yield model


@checks.register(checks.Tags.models)
def check_text_fields_are_guarded(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[checks.Error]:
    errors = []
    for model in _our_models(app_configs):
        for field in model._meta.local_fields:
            problems = text_field_problems(field)
            if problems:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} is free text without {' and '.join(problems)}.",
                        hint=HOW,
                        obj=field,
                        id="registry.E001",
                    )
                )
    return errors


def _conditions(condition: object) -> Iterable[object]:
    """Every lookup (a name and a value) of a constraint's condition, however its Q objects are nested."""
    if isinstance(condition, Q):
        for child in condition.children:
            yield from _conditions(child)
    else:
        yield condition


def bounds_its_size(model: type[models.Model], field: ArrayField) -> bool:
    """Whether one of the model's check constraints holds the list to its field's size."""
    wanted = (f"{field.name}__len__lte", field.size)
    return any(
        wanted in _conditions(constraint.condition)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    )


@checks.register(checks.Tags.models)
def check_list_sizes_are_held_by_the_database(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.Error]:
    return [
        checks.Error(
            f"{model._meta.label}.{field.name} holds at most {field.size} items, but the database does not.",
            hint=f"Add models.CheckConstraint(condition=Q({field.name}__len__lte=<the constant of its size>), ...) "
            "to the model's Meta.constraints, and its migration.",
            obj=field,
            id="registry.E002",
        )
        for model in _our_models(app_configs)
        for field in model._meta.local_fields
        if isinstance(field, ArrayField) and field.size and not bounds_its_size(model, field)
    ]
