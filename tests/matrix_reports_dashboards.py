"""Permission-matrix rows of the dashboard (lk3/reports/dashboard_views.py), area B of issue 7.

Every active member has a dashboard (``reports.permissions.can_view_dashboard``):
counsellors and psychologists their own work, the coordinator and intake
officers their organisation's, the supervisor and aggregate viewers the city
picture in counts only, and the other roles a page of links to their pages.
So every role of the cast gets a 200 and an anonymous visitor is sent to log
in. The URL names no record, so no ownership applies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.matrix import OK, Row, roles

ROWS: list[Row] = [
    Row("reports:dashboard", roles(OK)),
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """The dashboard names no record."""
    return {}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {}
