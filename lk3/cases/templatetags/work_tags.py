"""Template helpers of the work on a case: how due a task is."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def due_state(due_on: datetime.date | None) -> str:
    """``overdue``, ``today`` or ``""`` for a due date, in the organisation's time zone."""
    if due_on is None:
        return ""
    today = timezone.localdate()
    if due_on < today:
        return "overdue"
    return "today" if due_on == today else ""
