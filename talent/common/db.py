"""Validation at the edge of every write: model rules become DomainErrors, database refusals too."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldError, ValidationError
from django.db import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    connection,
    connections,
    models,
    router,
    transaction,
)
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
from django.utils.translation import gettext as _

from talent.common.errors import Conflict, InvalidInput

logger = logging.getLogger(__name__)


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


def failing_checks(
    model: type[models.Model],
    instance: models.Model,
    checks: Sequence[CheckConstraint],
    *,
    exclude: set[str] | None,
    using: str,
) -> list[CheckConstraint] | None:
    """The check constraints of `model` that `instance` breaks, asked of the database in ONE query (Django asks one
    query, inside its own savepoint, per constraint: three round trips each, 18 for an enrollment). A condition that
    names an excluded field is skipped, as Django skips it. None when the database could not answer (Django then
    lets each check pass and leaves the refusal to the constraint itself; the caller asks Django's own way)."""
    query = Query(None)
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)  # type: ignore[attr-defined]
    for name, value in against.items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
    asked: list[CheckConstraint] = []
    for check in checks:
        try:  # a NULL answer passes, as in SQL (and in Django's check)
            query.add_annotation(
                Coalesce(Q(check.condition), True, output_field=BooleanField()), f"_check_{len(asked)}"
            )
        except FieldError:  # the condition names a field left out of this validation
            continue
        asked.append(check)
    if not asked:
        return []
    in_transaction = connections[using].in_atomic_block
    try:
        with transaction.atomic(using=using) if in_transaction else nullcontext():
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as exc:
        logger.warning("Checking %s's constraints in one query failed: %s", model._meta.label, exc)
        return None
    return [check for check, holds in zip(asked, row, strict=True) if not holds]


class ChecksInOneQuery(models.Model):
    """A model whose check constraints are validated together, in one query, and otherwise as Django does: same
    messages, codes, fields and order (full_clean, forms and the admin all call `validate_constraints`)."""

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Any = None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            plain = [c for c in constraints if type(c).validate is CheckConstraint.validate]
            failing = failing_checks(model_class, self, plain, exclude=exclude, using=using)  # type: ignore[arg-type]
            for constraint in constraints:
                try:
                    if failing is not None and constraint in plain:
                        if constraint in failing:
                            raise ValidationError(
                                constraint.get_violation_error_message(), code=constraint.violation_error_code
                            )
                    else:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as e:
                    fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                    if getattr(e, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


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
