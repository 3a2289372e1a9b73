"""Optimistic locking: a stale edit is refused, never silently applied.

Every editable record has a ``version`` column. A form carries the version
it was loaded with; the service locks the row (``lock_for_edit``) and
``lk3.audit.services.refuse_if_stale`` raises ``StaleEditError`` when
someone saved in between, with what changed (from the audit trail), so
the caller can show it and let the user decide.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


def lock_for_edit(instance: ModelT) -> ModelT:
    """The row as it is now, locked until the transaction ends (PostgreSQL).

    SQLite runs write transactions as IMMEDIATE (settings), which already
    serialises writers.
    """
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)
