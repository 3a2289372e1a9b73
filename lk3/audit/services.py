"""Writing the audit trail.

Rules:
- Every write service calls ``audit_record`` inside its own
  ``transaction.atomic`` block, so the row exists exactly when the change
  does (DESIGN.md section 3). Never from signals.
- ``audit_record`` refuses to run outside a transaction, which catches a
  service that forgot its ``@transaction.atomic``.
- Pages that show sensitive records call ``access_record`` (who saw what).
- This module imports no other lk3 app, so every app's services can use it.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile

from lk3.audit.models import AccessEvent, AuditEvent
from lk3.audit.selectors import changes_since
from lk3.core import request_context
from lk3.core.errors import StaleEditError

OUTSIDE_TRANSACTION = "audit_record must run inside the service's transaction.atomic block"


def record_reference(record: models.Model) -> str:
    """How the trail names a record: its public id, else its code, else its key."""
    for attribute in ("public_id", "code"):
        value = getattr(record, attribute, None)
        if value:
            return str(value)
    return str(record.pk)


def _json_value(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return record_reference(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_json_value(item) for item in value)
    if isinstance(value, models.TextChoices):
        return value.value
    return value


def field_diff(
    before: Mapping[str, Any], after: Mapping[str, Any], *, redact: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for fields whose value changed.

    Redacted fields (encrypted text, secrets) are recorded as changed
    without their values.
    """
    hidden = set(redact)
    diff: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = _json_value(before.get(name)), _json_value(after.get(name))
        if old != new:
            diff[name] = ["***", "***"] if name in hidden else [old, new]
    return diff


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Current values of ``fields`` (many-to-many as sorted lists) for ``field_diff``."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            values[name] = sorted(record_reference(item) for item in getattr(instance, name).all())
        elif isinstance(field, models.Field):
            values[name] = getattr(instance, field.attname)
        else:
            raise TypeError(f"{name} is a reverse relation; snapshot the owning side")
    return values


def refuse_if_stale(current: Any, expected_version: int) -> None:
    """Raise StaleEditError, with what changed since ``expected_version``, when stale.

    ``current`` is the row as locked by the service (``lock_for_edit``).
    """
    if current.version == expected_version:
        return
    raise StaleEditError(
        current_version=current.version,
        changed_fields=changes_since(
            target_type=current._meta.label_lower,
            target_id=record_reference(current),
            version=expected_version,
        ),
    )


def _target_fields(target: models.Model) -> tuple[str, str, str]:
    return target._meta.label_lower, record_reference(target), str(target)[:200]


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    organisation: Any = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    if not connection.in_atomic_block:
        raise RuntimeError(OUTSIDE_TRANSACTION)
    target_type, target_id, target_label = _target_fields(target)
    context = request_context.current()
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(actor)[:200] if actor is not None else "",
        organisation=organisation,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        changes=dict(changes or {}),
        request_id=context.request_id,
        ip_address=context.ip_address,
    )
    event.save(force_insert=True)
    return event


@transaction.atomic
def access_record(
    *, actor: Any, target: models.Model, purpose: str, path: str = "", organisation: Any = None
) -> AccessEvent:
    target_type, target_id, target_label = _target_fields(target)
    context = request_context.current()
    event = AccessEvent(
        actor=actor,
        actor_label=str(actor)[:200],
        organisation=organisation,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        purpose=purpose,
        path=path[:300],
        request_id=context.request_id,
        ip_address=context.ip_address,
    )
    event.save(force_insert=True)
    return event
