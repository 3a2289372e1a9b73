"""Numbers that are never reused: the last one given, per organisation and year, in a locked row.

Case, referral, letter and stranded-intake numbers all come from a counter
model with ``organisation``, ``year`` and ``last`` and a unique constraint on
the first two. The caller's transaction holds the row's lock until it
commits, so two requests never get the same number (PostgreSQL row lock;
SQLite runs write transactions as IMMEDIATE).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction


def counter_take(counter_model: type[models.Model], organisation: Any, year: int) -> int:
    """The next sequence of the organisation's year."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("counter_take runs inside a transaction")
    manager = counter_model._default_manager
    counter = manager.select_for_update().filter(organisation=organisation, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                manager.create(organisation=organisation, year=year)
        except IntegrityError:
            pass  # Another transaction created it first; its row is locked below.
        counter = manager.select_for_update().get(organisation=organisation, year=year)
    counter.last += 1  # type: ignore[attr-defined]
    counter.save(update_fields=["last"])
    return int(counter.last)  # type: ignore[attr-defined]
