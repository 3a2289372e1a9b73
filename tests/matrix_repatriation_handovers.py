"""Permission-matrix rows of handovers and handover packages
(lk3/repatriation/handover_views.py, package_views.py).

The receiving desk (coordinator and intake officers) has the queue and the
import page; every other role is refused both (403). A handover addressed to
the user's organisation (``handover_in``: from the other LK3's group to this
one) is reached only by that desk; to anybody else it does not exist (404),
and a handover addressed to the other organisation is a 404 for everyone.
Empty POSTs to confirm or decline show the page again with the form's
errors (200).

The sender's actions (send, record the arrival at a receiver outside this
system, download the package) come through the group (``handover_group``,
approved plan, its handover ``handover_out`` on the way to an agency outside
this system): whoever may work on the case acts (coordinator, the lead
counsellor ``sari``); the intake officer reaches the case but may not work on
it (403); roles that do not reach the case get a 404. Sending again while
the handover is on its way is a double submit: it redirects (302).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.models import Organisation, OrganisationKind, User
from lk3.accounts.roles import Role
from lk3.repatriation import handovers
from lk3.repatriation.models import DocumentKind, Handover
from lk3.repatriation.tests.handover_builders import (
    approved_group,
    issue_letter,
    lone_traveller,
)
from tests.matrix import FORBIDDEN, FOUND, NOT_FOUND, OK, Row, only, roles

DESK = [Role.COORDINATOR, Role.INTAKE]


def _reach(**statuses: int) -> dict[str, int]:
    """404 for every role unless named."""
    expected = roles(NOT_FOUND)
    expected.update(statuses)
    return expected


def _sender(yes: int) -> dict[str, int]:
    """The group's workers act; the intake officer reaches the case but may not work on it."""
    return _reach(coordinator=yes, counsellor=yes, intake=FORBIDDEN)


ROWS: list[Row] = [
    Row("repatriation:handover_queue", only(DESK, OK, FORBIDDEN)),
    Row("repatriation:package_import", only(DESK, OK, FORBIDDEN)),
    Row("repatriation:package_import", only(DESK, OK, FORBIDDEN), method="POST"),
    # A handover to this organisation, from the other LK3's group.
    Row(
        "repatriation:handover_detail",
        _reach(coordinator=OK, intake=OK),
        ownership="same_org",
        target="handover_in",
    ),
    Row(
        "repatriation:handover_confirm",
        _reach(coordinator=OK, intake=OK),
        method="POST",
        ownership="same_org",
        target="handover_in",
    ),
    Row(
        "repatriation:handover_decline",
        _reach(coordinator=OK, intake=OK),
        method="POST",
        ownership="same_org",
        target="handover_in",
    ),
    Row(
        "repatriation:handover_letter",
        _reach(coordinator=OK, intake=OK),
        ownership="same_org",
        target="handover_in_letter",
    ),
    # A handover to the other organisation: nobody here reaches it.
    *[
        Row(name, _reach(), method=method, ownership="other_org", target=target)
        for name, method, target in (
            ("repatriation:handover_detail", "GET", "handover_in"),
            ("repatriation:handover_confirm", "POST", "handover_in"),
            ("repatriation:handover_decline", "POST", "handover_in"),
            ("repatriation:handover_letter", "GET", "handover_in_letter"),
        )
    ],
    # The sender's side, through the group.
    Row(
        "repatriation:handover_send",
        _sender(FOUND),
        method="POST",
        ownership="same_org",
        target="handover_group",
    ),
    Row(
        "repatriation:handover_record_arrival",
        _sender(OK),
        method="POST",
        ownership="same_org",
        target="handover_out",
    ),
    Row(
        "repatriation:package_export",
        _sender(OK),
        ownership="same_org",
        target="handover_group",
    ),
    *[
        Row(name, _reach(), method=method, ownership="other_org", target=target)
        for name, method, target in (
            ("repatriation:handover_send", "POST", "handover_group"),
            ("repatriation:handover_record_arrival", "POST", "handover_out"),
            ("repatriation:package_export", "GET", "handover_group"),
        )
    ],
]


def _peer_coordinator(organisation: Organisation) -> User | None:
    """The coordinator of another LK3 of this deployment (the matrix world has two)."""
    return (
        User.objects.filter(
            role=Role.COORDINATOR, is_active=True, organisation__kind=OrganisationKind.LK3
        )
        .exclude(organisation=organisation)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """The organisation's group with an approved plan and its handover on the way to an
    agency outside this system; and a handover addressed to the organisation, sent by the
    other LK3's group with a covering letter (``clerk`` is the organisation's coordinator)."""
    # People without a NIK: other areas' records may hold the Garut family's NIKs already.
    group = approved_group(clerk, persons=lone_traveller(clerk, "Ujang Suherman (serah terima)"))
    out = handovers.handover_send(actor=clerk, group=group)
    group.refresh_from_db()  # sending moved it to "handed over"
    peer = _peer_coordinator(organisation)
    assert peer is not None, "the matrix world has a second LK3 with a coordinator"
    sending = approved_group(
        peer,
        receiving_organisation=organisation,
        persons=lone_traveller(peer, f"Ujang untuk {organisation.short_name}"),
    )
    issue_letter(peer, sending, DocumentKind.COVERING)
    incoming: Handover = handovers.handover_send(actor=peer, group=sending)
    return {
        "handover_group": group,
        "handover_out": out,
        "handover_in": incoming,
        "handover_in_letter": incoming,
    }


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "handover_group": lambda record: {"public_id": record.public_id},
    "handover_out": lambda record: {"public_id": record.public_id},
    "handover_in": lambda record: {"public_id": record.public_id},
    "handover_in_letter": lambda record: {"public_id": record.public_id, "position": 1},
}
