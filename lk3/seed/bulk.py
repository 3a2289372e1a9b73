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
  SQLite, with shortcuts that store exactly the same for the commonest
  field classes; on PostgreSQL psycopg adapts them, encrypted fields
  encrypt and JSON fields wrap their value), so storage formats and
  ciphertext stay the fields' business.
- The caller owns the transaction: one per batch keeps memory and locks small.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
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
    # dates as text, encrypted fields as ciphertext). It gets the connection
    # itself: the ``connection`` proxy looks it up again on every attribute
    # access, and fields read it for every value (a third of the time of a
    # case batch).
    database = connections[DEFAULT_DB_ALIAS]
    prepare = [(field.attname, _preparer(field, database)) for field in fields]
    values = [[save(row[name]) for name, save in prepare] for row in complete]
    with connection.cursor() as cursor:
        cursor.executemany(_insert_statement(model, fields), values)


# Field classes whose values Django's SQLite backend stores as given: a
# text as it is (also a TextChoices member, a str), an int or a bool. For
# those values get_db_prep_save, most of the time of preparing a row, is
# skipped. Exact classes only: a subclass may prepare values
# (EncryptedTextField encrypts).
TEXT_FIELDS: frozenset[type[models.Field[Any, Any]]] = frozenset(
    {models.CharField, models.SlugField, models.TextField}
)
NUMBER_FIELDS: frozenset[type[models.Field[Any, Any]]] = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SmallIntegerField,
    }
)
PLAIN_NUMBERS = frozenset({int, bool, type(None)})


def _stored_kind(field: models.Field[Any, Any]) -> type[models.Field[Any, Any]]:
    """The field class that decides how a value is stored (a foreign key's target's)."""
    if isinstance(field, models.ForeignKey):
        return _stored_kind(field.target_field)
    return type(field)


def _preparer(field: models.Field[Any, Any], database: Any) -> Callable[[Any], Any]:
    """``get_db_prep_save`` for SQLite, with shortcuts for the commonest field classes.

    Each shortcut gives exactly what Django's SQLite backend stores: the
    value itself, ``str`` of a date, ``str`` of an aware datetime made naive
    in the connection's zone (UTC), the hex of a UUID.
    """
    save = field.get_db_prep_save
    kind = _stored_kind(field)
    if kind in TEXT_FIELDS:
        return lambda value: (
            value if value is None or isinstance(value, str) else save(value, database)
        )
    if kind in NUMBER_FIELDS:
        return lambda value: value if type(value) in PLAIN_NUMBERS else save(value, database)
    if kind is models.DateTimeField and settings.USE_TZ:
        zone = database.timezone
        return lambda value: (
            str(value.astimezone(zone).replace(tzinfo=None))
            if type(value) is datetime.datetime and value.tzinfo is not None
            else save(value, database)
        )
    if kind is models.DateField:
        return lambda value: str(value) if type(value) is datetime.date else save(value, database)
    if kind is models.UUIDField and not database.features.has_native_uuid_field:
        return lambda value: value.hex if type(value) is uuid.UUID else save(value, database)
    return lambda value: save(value, database)


def _copy(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    fields, complete = _complete(model, rows)
    # psycopg adapts the rest; encrypted fields encrypt, JSON fields wrap their value.
    encrypted = [
        field for field in fields if isinstance(field, EncryptedTextField | models.JSONField)
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    attnames = [field.attname for field in fields]
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in complete:
            for field in encrypted:
                row[field.attname] = field.get_db_prep_save(row[field.attname], connection)
            copy.write_row([row[name] for name in attnames])


def _default(field: models.Field[Any, Any], now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    # Like save(): no default means "" for a text field that is not nullable.
    return field.get_default()
