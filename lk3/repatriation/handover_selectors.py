"""Stub: the handover area's engineer fills it."""

from __future__ import annotations

from typing import Any

from lk3.repatriation.models import StrandedGroup


def handover_card(group: StrandedGroup, user: Any) -> dict[str, Any]:
    """What the group page's handover card needs."""
    return {}
