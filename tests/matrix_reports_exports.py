"""Permission-matrix rows of the list exports (lk3/reports/export_views.py).

The casework roles (coordinator, counsellor, psychologist, intake officer)
export cases, persons and referrals, each over what they reach; every other
role is refused the page and every download (403). An unknown kind or format
is a 404 for everyone logged in. No URL names a record, so no ownership
applies: the reach is in the rows of the file (lk3/reports/tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.roles import Role
from tests.matrix import FORBIDDEN, NOT_FOUND, OK, Row, only, roles

EXPORTERS = [Role.COORDINATOR, Role.COUNSELLOR, Role.PSYCHOLOGIST, Role.INTAKE]

ROWS: list[Row] = [
    Row("reports:exports", only(EXPORTERS, OK, FORBIDDEN)),
    *[
        Row(
            "reports:export",
            only(EXPORTERS, OK, FORBIDDEN),
            kwargs={"kind": kind, "file_format": file_format},
        )
        for kind in ("cases", "persons", "referrals")
        for file_format in ("csv", "xlsx")
    ],
    Row("reports:export", roles(NOT_FOUND), kwargs={"kind": "diaries", "file_format": "csv"}),
    Row("reports:export", roles(NOT_FOUND), kwargs={"kind": "cases", "file_format": "pdf"}),
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """The exports name no record."""
    return {}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {}
