"""Permission-matrix rows of the indicators page (lk3/reports/indicator_views.py).

The indicators (counts, rates and medians, never a name) are for the
coordinator, the social office's supervisor and aggregate viewers, over the
organisations ``lk3.reports.permissions.report_organisation_ids`` gives
them; every other role is refused (403). The URL names no record, so no
ownership applies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.roles import Role
from tests.matrix import FORBIDDEN, OK, Row, only

READERS = [Role.COORDINATOR, Role.SUPERVISOR, Role.AGGREGATE_VIEWER]

ROWS: list[Row] = [
    Row("reports:indicators", only(READERS, OK, FORBIDDEN)),
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """The page names no record."""
    return {}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {}
