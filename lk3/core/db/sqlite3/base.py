"""SQLite engine for lk3: Django's, plus the append-only flush guard.

Django empties an SQLite database with ``DELETE FROM`` for each table, which
the append-only triggers refuse. Around a whole-database flush we set the
guard row the triggers look for, the SQLite counterpart of PostgreSQL's
TRUNCATE (see ``lk3/core/append_only.py``). Row-level changes stay refused.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations

from lk3.core.append_only import SQLITE_GUARD_TABLE


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements: list[str] = super().sql_flush(style, tables, **kwargs)
        if not statements:
            return statements
        return [
            f"CREATE TABLE IF NOT EXISTS {SQLITE_GUARD_TABLE} (active integer NOT NULL);",
            f"INSERT INTO {SQLITE_GUARD_TABLE} (active) VALUES (1);",  # noqa: S608
            *statements,
            f"DELETE FROM {SQLITE_GUARD_TABLE};",  # noqa: S608
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
