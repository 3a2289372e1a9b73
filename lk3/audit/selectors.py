"""Reads of the audit trail, scoped to what the reader may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from lk3.audit.models import AccessEvent, AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _apply(events: QuerySet[Any], filters: AuditFilters, *, has_action: bool) -> QuerySet[Any]:
    if has_action and filters.action:
        events = events.filter(action=filters.action)
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.date_from:
        events = events.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(occurred_at__date__lte=filters.date_to)
    return events


def audit_event_list(
    *, organisation_ids: set[int] | None, filters: AuditFilters
) -> QuerySet[AuditEvent]:
    """``organisation_ids=None`` means every organisation (superuser)."""
    events = AuditEvent.objects.all()
    if organisation_ids is not None:
        events = events.filter(organisation_id__in=organisation_ids)
    return _apply(events, filters, has_action=True).order_by("-occurred_at", "-id")


def access_event_list(
    *, organisation_ids: set[int] | None, filters: AuditFilters
) -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.all()
    if organisation_ids is not None:
        events = events.filter(organisation_id__in=organisation_ids)
    return _apply(events, filters, has_action=False).order_by("-occurred_at", "-id")


def changes_since(*, target_type: str, target_id: str, version: int) -> dict[str, list[Any]]:
    """Field changes recorded after ``version`` of a record: oldest value, newest value.

    Used to show a user whose edit went stale what the other person changed.
    Services record ``version`` in every update diff, which is how the
    events after a version are found.
    """
    merged: dict[str, list[Any]] = {}
    events = AuditEvent.objects.filter(target_type=target_type, target_id=target_id).order_by(
        "occurred_at", "id"
    )
    for event in events:
        version_change = event.changes.get("version")
        if not version_change or version_change[0] < version:
            continue
        for field, (old, new) in event.changes.items():
            if field == "version":
                continue
            if field in merged:
                merged[field][1] = new
            else:
                merged[field] = [old, new]
    return merged
