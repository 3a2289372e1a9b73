"""Optimistic locking: a stale edit is refused, never silently applied.

Every editable record has a ``version`` column. A form carries the version
it was loaded with; the service locks the row, compares, and raises
``StaleEditError`` when someone saved in between. The caller shows what
changed (from the audit trail) and lets the user decide.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from lk3.core.errors import StaleEditError

ModelT = TypeVar("ModelT", bound=models.Model)


def lock_for_edit(instance: ModelT) -> ModelT:
    """The row as it is now, locked until the transaction ends (PostgreSQL).

    SQLite runs write transactions as IMMEDIATE (settings), which already
    serialises writers.
    """
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def check_version(current: Any, *, expected_version: int, changed_fields: dict[str, Any]) -> None:
    if current.version != expected_version:
        raise StaleEditError(current_version=current.version, changed_fields=changed_fields)
