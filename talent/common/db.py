"""Validation at the edge of every write: model rules become DomainErrors, database refusals too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models
from django.utils.translation import gettext as _

from talent.common.errors import Conflict, InvalidInput


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model's own field `name` (not the reverse side of another model's relation)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a field of its own"
    return field


def validation_error_to_domain(error: ValidationError) -> InvalidInput:
    if hasattr(error, "error_dict"):
        errors = {
            ("non_field_errors" if key == NON_FIELD_ERRORS else key): [str(m) for m in ValidationError(msgs).messages]
            for key, msgs in error.error_dict.items()
        }
    else:
        errors = {"non_field_errors": [str(m) for m in error.messages]}
    first = next(iter(errors.values()))[0]
    return InvalidInput(first, errors=errors)


def _attach_constraint_errors_to_fields(error: ValidationError, fields_for_codes: dict[str, str]) -> ValidationError:
    """Move a multi-field constraint's message next to the field a person must change (the model names it
    in `CONSTRAINT_ERROR_FIELDS`: violation_error_code -> field)."""
    if not fields_for_codes or not hasattr(error, "error_dict"):
        return error
    moved: dict[str, list[ValidationError]] = {}
    for key, messages in error.error_dict.items():
        for message in messages:
            target = fields_for_codes.get(message.code or "", key) if key == NON_FIELD_ERRORS else key
            moved.setdefault(target, []).append(message)
    return ValidationError(moved)


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run every field validator, `clean()` and constraint check; raise InvalidInput with field messages."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        fields_for_codes = getattr(instance, "CONSTRAINT_ERROR_FIELDS", {})
        raise validation_error_to_domain(_attach_constraint_errors_to_fields(exc, fields_for_codes)) from exc


def _constraint_name(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


@contextmanager
def database_refusals(*models_to_explain: type[models.Model]) -> Iterator[None]:
    """Turn an IntegrityError (a race the validation could not see) into a Conflict with a clear message."""
    try:
        yield
    except IntegrityError as exc:
        name = _constraint_name(exc)
        for model in models_to_explain:
            for constraint in model._meta.constraints:
                if constraint.name == name:
                    raise Conflict(constraint.get_violation_error_message(), code=name) from exc
        raise Conflict(_("This change conflicts with another record; nothing was saved."), code=name) from exc
