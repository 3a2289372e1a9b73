"""Permission-matrix rows of the official reports (lk3/reports/official_views.py).

Official reports are for the coordinator, the social office's supervisor and
aggregate viewers; every other role is refused every page (403). A report run
and its files are reached only by whoever asked for it: the run of LK3
Bontang (``official_run``, asked by the coordinator ``budi``) is a 404 for the
supervisor and the aggregate viewer, and the run of LK3 Samarinda is a 404
for every reader. The template is edited by the coordinator only. Empty
POSTs show the form again with its errors (200).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile

from lk3.accounts.roles import Role
from lk3.reports.models import ReportKind, ReportRun, RunStatus
from tests.matrix import FORBIDDEN, NOT_FOUND, OK, Row, only

READERS = [Role.COORDINATOR, Role.SUPERVISOR, Role.AGGREGATE_VIEWER]
TEMPLATE = {"kind": ReportKind.MONTHLY}


def _own_run(yes: int) -> dict[str, int]:
    """The requester gets ``yes``; other readers 404; roles without reports 403."""
    return only(READERS, NOT_FOUND, FORBIDDEN, coordinator=yes)


def _run_rows(url_name: str) -> list[Row]:
    return [
        Row(url_name, _own_run(OK), ownership="same_org", target="official_run"),
        Row(url_name, _own_run(NOT_FOUND), ownership="other_org", target="official_run"),
    ]


ROWS: list[Row] = [
    Row("reports:official", only(READERS, OK, FORBIDDEN)),
    Row("reports:official", only(READERS, OK, FORBIDDEN), method="POST"),
    Row("reports:official_template", only([Role.COORDINATOR], OK, FORBIDDEN), kwargs=TEMPLATE),
    Row(
        "reports:official_template",
        only([Role.COORDINATOR], OK, FORBIDDEN),
        method="POST",
        kwargs=TEMPLATE,
    ),
    *_run_rows("reports:official_run"),
    *_run_rows("reports:official_run_status"),
    Row(
        "reports:official_download",
        _own_run(OK),
        ownership="same_org",
        target="official_download",
    ),
    Row(
        "reports:official_download",
        _own_run(NOT_FOUND),
        ownership="other_org",
        target="official_download",
    ),
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """A finished run asked for by the organisation's coordinator, with both files."""
    run = ReportRun.objects.create(
        organisation=organisation,
        requested_by=clerk,
        kind=ReportKind.MONTHLY,
        date_from=datetime.date(2026, 11, 1),
        date_to=datetime.date(2026, 11, 30),
        organisation_ids=[organisation.pk],
        status=RunStatus.DONE,
        progress=100,
    )
    run.xlsx.save("matrix.xlsx", ContentFile(b"PK matrix"), save=False)
    run.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
    run.save()
    return {"official_run": run, "official_download": run}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "official_run": lambda run: {"public_id": run.public_id},
    "official_download": lambda run: {"public_id": run.public_id, "file_type": "pdf"},
}
