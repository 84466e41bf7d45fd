"""Writing thousands of rows in one statement whose values travel as ONE JSON document (`jsonb_to_recordset`).

A large run writes tens of thousands of explanations. Django's `bulk_create` (UNNEST of arrays) and `bulk_update`
(a CASE branch per row) quote every JSON value in Python: seconds at 20,000 rows. One JSON document is encoded by
the `json` module and unpacked by PostgreSQL, in C: a fraction of a second. Callers are services (in their
transaction); database triggers (history) fire as for any other write.
"""

# The SQL names only tables, columns and types of the models (quoted); every value is the one bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Field, Model


def insert_rows(objs: Sequence[Model], fields: Sequence[str]) -> int:
    """INSERT the unsaved instances (one model), with the named fields (defaults, auto_now(_add) applied)."""
    if not objs:
        return 0
    model, columns = _columns(objs, fields)
    rows = [[field.pre_save(obj, add=True) for field in columns] for obj in objs]
    names = ", ".join(_quote(field) for field in columns)
    sql = f"INSERT INTO {_table(model)} ({names}) SELECT {names} FROM {_records(columns)}"
    return _execute(sql, columns, rows)


def update_rows(objs: Sequence[Model], fields: Sequence[str]) -> int:
    """UPDATE the named fields of saved instances (one model) to the values they hold, by primary key."""
    if not objs:
        return 0
    model, columns = _columns(objs, fields)
    key = model._meta.pk
    assert key is not None
    every = [key, *columns]
    rows = [[getattr(obj, field.attname) for field in every] for obj in objs]
    assignments = ", ".join(f"{_quote(field)} = v.{_quote(field)}" for field in columns)
    sql = (
        f"UPDATE {_table(model)} AS t SET {assignments} FROM {_records(every)} WHERE t.{_quote(key)} = v.{_quote(key)}"
    )
    return _execute(sql, every, rows)


def _columns(objs: Sequence[Model], fields: Sequence[str]) -> tuple[type[Model], list[Field]]:
    model = type(objs[0])
    columns = [model._meta.get_field(name) for name in fields]
    if not all(isinstance(column, Field) and column.concrete for column in columns):
        raise ValueError(f"{model.__name__}: only concrete fields can be written, not {list(fields)!r}")
    return model, columns  # type: ignore[return-value]  # narrowed just above


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _quote(field: Field) -> str:
    return connection.ops.quote_name(cast(str, field.column))  # a concrete field: it has a column


def _records(columns: Sequence[Field]) -> str:
    """The document's rows as a relation `v` with typed columns (a foreign key takes its target's type)."""
    typed = ", ".join(f"{_quote(field)} {field.db_type(connection)}" for field in columns)
    return f"jsonb_to_recordset(%s::jsonb) AS v({typed})"


def _execute(sql: str, columns: Sequence[Field], rows: list[list[object]]) -> int:
    names = [field.column for field in columns]
    document = json.dumps([dict(zip(names, row, strict=True)) for row in rows], cls=DjangoJSONEncoder)
    with connection.cursor() as cursor:
        cursor.execute(sql, [document])
        return cursor.rowcount
