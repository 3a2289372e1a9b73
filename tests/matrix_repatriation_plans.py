"""Permission-matrix rows of the return plan and its documents (plan_views.py, document_views.py).

A stranded intake is reached through its case: the coordinator and the
intake officer reach every one of their organisation's (not confidential),
the case's lead counsellor (``sari`` in Bontang) reaches hers; the
psychologist is not on the case and the other roles have no case content
(404). Editing and submitting the plan and issuing documents need work
rights on the case: the intake officer gets a 403. The review, approval and
send back are the coordinator's: everyone else who reaches the group gets a
403. A document's PDF is for whoever reaches the group. Empty POSTs show
the form again with its errors (200), or, for issuing, go back to the
group page with a message (302). Another organisation's records are 404
for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lk3.accounts.roles import Role
from lk3.people.tests.builders import make_person
from lk3.repatriation.models import DocumentKind, StrandedGroup
from lk3.repatriation.tests.builders import take_in
from lk3.repatriation.tests.plan_builders import (
    approved_plan,
    issue,
    ready,
    save_plan,
    submitted_plan,
)
from tests.matrix import FORBIDDEN, FOUND, NOT_FOUND, OK, Row, only, roles

WORKERS = [Role.COORDINATOR, Role.COUNSELLOR]
REACH = [Role.COORDINATOR, Role.COUNSELLOR, Role.INTAKE]
# Rp 800.000 for two: under the default ceiling of Rp 450.000 each.
TWO: dict[str, Any] = {"ticket_cost": Decimal(500_000)}


def _work(yes: int) -> dict[str, int]:
    """Workers on the case get ``yes``; the intake officer reaches it but may not (403)."""
    return only(WORKERS, yes, NOT_FOUND, **{Role.INTAKE.value: FORBIDDEN})


def _coordinator(yes: int) -> dict[str, int]:
    """The coordinator gets ``yes``; the others who reach the group 403."""
    return only(
        [Role.COORDINATOR],
        yes,
        NOT_FOUND,
        **{Role.COUNSELLOR.value: FORBIDDEN, Role.INTAKE.value: FORBIDDEN},
    )


def _rows(name: str, method: str, target: str, same_org: dict[str, int]) -> list[Row]:
    return [
        Row(name, same_org, method=method, ownership="same_org", target=target),
        Row(name, roles(NOT_FOUND), method=method, ownership="other_org", target=target),
    ]


ROWS: list[Row] = [
    *_rows("repatriation:plan_edit", "GET", "plan_draft_group", _work(OK)),
    *_rows("repatriation:plan_edit", "POST", "plan_draft_group", _work(OK)),
    *_rows("repatriation:plan_submit", "POST", "plan_draft_group", _work(OK)),
    *_rows("repatriation:plan_review", "GET", "plan_submitted_group", _coordinator(OK)),
    *_rows("repatriation:plan_approve", "POST", "plan_submitted_group", _coordinator(OK)),
    *_rows("repatriation:plan_send_back", "POST", "plan_submitted_group", _coordinator(OK)),
    *_rows("repatriation:document_issue", "POST", "plan_draft_group", _work(FOUND)),
    *_rows("repatriation:document_download", "GET", "plan_document", only(REACH, OK, NOT_FOUND)),
]


def _group(clerk: Any, name: str) -> StrandedGroup:
    """A group of two (no NIK, so the records of several areas never share one), ready to go."""
    persons = [
        make_person(clerk, f"{name} Hidayat", sex="L"),
        make_person(clerk, f"{name} Rahayu", sex="P"),
    ]
    return ready(take_in(clerk, persons=persons))


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """``clerk`` is the organisation's coordinator (budi or rudi)."""
    draft = save_plan(clerk, _group(clerk, "Ujang"), **TWO).group
    submitted = submitted_plan(clerk, _group(clerk, "Cecep"), **TWO).group
    approved = approved_plan(clerk, _group(clerk, "Dadan"), **TWO).group
    return {
        "plan_draft_group": draft,
        "plan_submitted_group": submitted,
        "plan_document": issue(clerk, approved, DocumentKind.COVERING),
    }


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "plan_draft_group": lambda record: {"public_id": record.public_id},
    "plan_submitted_group": lambda record: {"public_id": record.public_id},
    "plan_document": lambda record: {"public_id": record.letter.public_id},
}
