"""Stub: the plan area's engineer fills it."""

from __future__ import annotations

from typing import Any

from lk3.repatriation.models import StrandedGroup


def plan_card(group: StrandedGroup, user: Any) -> dict[str, Any]:
    """What the group page's plan and documents cards need."""
    return {}
