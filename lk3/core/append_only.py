"""Append-only tables, enforced by the database itself.

An append-only table refuses UPDATE and DELETE of rows on both databases,
whatever code runs (the ORM, ``QuerySet.update()``, raw SQL from the app).
Emptying the whole database stays possible, as an operator's act:
PostgreSQL's TRUNCATE does not fire row triggers, and on SQLite our engine
opens a guard around Django's flush (see ``lk3/core/db/sqlite3``).

Use in a migration::

    operations = [*append_only_operations("audit_auditevent")]
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_GUARD_TABLE = "lk3_flush_guard"
REFUSAL = "append-only table"


def _sqlite_create(table: str) -> list[str]:
    guard = f"NOT EXISTS (SELECT 1 FROM {SQLITE_GUARD_TABLE})"  # noqa: S608 -- constant names
    return [
        f"CREATE TABLE IF NOT EXISTS {SQLITE_GUARD_TABLE} (active integer NOT NULL)",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} WHEN {guard} "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {table}'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN {guard} "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {table}'); END",
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
    ]


def _postgresql_create(table: str) -> list[str]:
    return [
        "CREATE OR REPLACE FUNCTION lk3_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{REFUSAL}: %', TG_TABLE_NAME "
        "USING ERRCODE = 'insufficient_privilege'; END $$",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION lk3_refuse_change()",
    ]


def _postgresql_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]


_STATEMENTS = {
    "sqlite": (_sqlite_create, _sqlite_drop),
    "postgresql": (_postgresql_create, _postgresql_drop),
}


def _run(table: str, *, create: bool) -> Any:
    def apply(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in _STATEMENTS:
            raise RuntimeError(f"append-only tables are not implemented for {vendor}")
        make = _STATEMENTS[vendor][0 if create else 1]
        for statement in make(table):
            # No parameters: the PL/pgSQL body contains a literal %.
            schema_editor.execute(statement, params=None)

    return apply


def append_only_operations(table: str) -> list[migrations.RunPython]:
    return [migrations.RunPython(_run(table, create=True), _run(table, create=False))]
