"""Permission-matrix rows of the repatriation report (lk3/repatriation/report_views.py).

The report (counts and costs, no names) is for the coordinator, the social
office's supervisor and aggregate viewers, over their own organisation and
the organisations it supervises; every other role is refused the page and
its CSV (403). Neither URL names a record, so no ownership applies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.roles import Role
from tests.matrix import FORBIDDEN, OK, Row, only

READERS = [Role.COORDINATOR, Role.SUPERVISOR, Role.AGGREGATE_VIEWER]

ROWS: list[Row] = [
    Row("repatriation:report", only(READERS, OK, FORBIDDEN)),
    Row("repatriation:report_csv", only(READERS, OK, FORBIDDEN)),
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """The report names no record."""
    return {}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {}
