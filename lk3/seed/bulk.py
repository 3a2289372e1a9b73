"""Inserting many generated rows quickly, on SQLite and on PostgreSQL.

Rules:
- Rows are given as ``{attname: value}``; a field left out takes its
  default, and ``auto_now``/``auto_now_add`` fields the current time, as
  ``save()`` would.
- ``bulk_create`` spends most of its time in Python building the INSERT
  (measured on 100,000 persons: over 80% on SQLite, about half on
  PostgreSQL; see lk3/seed/README.md). So SQLite gets one prepared INSERT
  run with ``executemany`` and PostgreSQL ``COPY`` (psycopg 3); any other
  database falls back to ``bulk_create``.
- Values are prepared by the fields themselves (``get_db_prep_save`` on
  SQLite; on PostgreSQL psycopg adapts them and encrypted fields encrypt),
  so storage formats and ciphertext stay the fields' business.
- The caller owns the transaction: one per batch keeps memory and locks small.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

from lk3.core.fields import EncryptedTextField


def bulk_insert(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, rows)
    elif connection.vendor == "sqlite":
        _executemany(model, rows)
    else:
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=len(rows))


def _complete(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]]
) -> tuple[list[models.Field[Any, Any]], list[dict[str, Any]]]:
    """The model's columns, and each row with its defaults filled in."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    given = set(rows[0])
    missing = {
        field.attname: _default(field, now) for field in fields if field.attname not in given
    }
    return fields, [{**missing, **row} for row in rows]


def _insert_statement(model: type[models.Model], fields: Sequence[models.Field[Any, Any]]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model's metadata, never from input.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608


def _executemany(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    fields, complete = _complete(model, rows)
    # get_db_prep_save gives SQLite what the ORM would store (UUIDs as hex,
    # dates as text, encrypted fields as ciphertext).
    values = [
        [field.get_db_prep_save(row[field.attname], connection) for field in fields]
        for row in complete
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_insert_statement(model, fields), values)


def _copy(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    fields, complete = _complete(model, rows)
    encrypted = [field for field in fields if isinstance(field, EncryptedTextField)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    attnames = [field.attname for field in fields]
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in complete:
            for field in encrypted:
                row[field.attname] = field.get_prep_value(row[field.attname])
            copy.write_row([row[name] for name in attnames])


def _default(field: models.Field[Any, Any], now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    # Like save(): no default means "" for a text field that is not nullable.
    return field.get_default()
