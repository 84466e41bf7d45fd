"""Validation at the edge of every write: model rules become DomainErrors, database refusals too."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, OperationalError, connection, models
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


#: PostgreSQL's answers when two transactions wanted the same rows in opposite orders (40P01), could not be
#: serialised (40001) or waited past `lock_timeout` (55P03): the write lost a race, the request was fine.
CONCURRENCY_SQLSTATES = frozenset({"40P01", "40001", "55P03"})


def concurrency_conflict(exc: BaseException) -> Conflict | None:
    """The Conflict a lost race deserves (None for any other database error): 409 with a message, never a 500."""
    if not isinstance(exc, OperationalError):
        return None
    if getattr(exc.__cause__, "sqlstate", None) not in CONCURRENCY_SQLSTATES:
        return None
    return Conflict(
        _("Another change to the same records was being saved at the same time; nothing was saved. Please try again."),
        code="concurrent_change",
    )


@contextmanager
def concurrency_refusals() -> Iterator[None]:
    """Turn a lost race (deadlock, serialisation failure, lock timeout) into a Conflict. Wrap the whole
    transaction: a deadlock can also surface at COMMIT (deferred constraints)."""
    try:
        yield
    except OperationalError as exc:
        conflict = concurrency_conflict(exc)
        if conflict is None:
            raise
        raise conflict from exc


def serialise(scope: str, key: int) -> None:
    """Wait for, and hold until the transaction ends, the lock of `scope` × `key` (a PostgreSQL advisory lock):
    writers of one scope and key take their turns. Call it first in the transaction, before any row lock."""
    scope_key = zlib.crc32(scope.encode()) - (1 << 31)  # a stable int4, whatever the process
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::int, %s::int)", [scope_key, key])
