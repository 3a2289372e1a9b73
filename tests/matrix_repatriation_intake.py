"""Permission-matrix rows of the stranded-people intake pages (issue 6, area A).

A stranded intake is a case: the casework roles (coordinator, counsellor,
psychologist, intake officer) use the pages; every other role is refused
the whole area (403). Within it, the intake is reached through its case:
the coordinator and intake officers reach their organisation's, the
counsellor (``sari``, the lead of the Bontang intake) hers, the
psychologist is not on the case (404). Work on it (identification,
shelter, tracing, decisions, adding people) is for who may work on the
case: the coordinator and the lead; the intake officer reads it but gets a
403. Another organisation's intake is a 404 for the casework roles.

Empty POSTs show the form again (200); an empty "add a person" goes back to
the group page with a message (302); checking out needs no input (302).
Taking in without people chosen sends back to the registry search (302).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.roles import Role
from lk3.people.tests.builders import make_person
from lk3.repatriation import members
from lk3.repatriation.tests.builders import take_in
from tests.matrix import FORBIDDEN, FOUND, NOT_FOUND, OK, REGISTRY, Row, only

WORKERS = [Role.COORDINATOR, Role.COUNSELLOR]


def _work(yes: int) -> dict[str, int]:
    """Workers get ``yes``; the intake officer reads but may not work (403); the
    psychologist does not reach the case (404); roles without cases: 403."""
    return only(WORKERS, yes, FORBIDDEN, **{Role.PSYCHOLOGIST.value: NOT_FOUND})


def _elsewhere() -> dict[str, int]:
    """Another organisation's intake: casework roles 404, the rest 403."""
    return only(REGISTRY, NOT_FOUND, FORBIDDEN)


# (url name, method, target, expected for the Bontang record)
_RECORD_URLS: list[tuple[str, str, str, dict[str, int]]] = [
    (
        "repatriation:group_detail",
        "GET",
        "stranded_group",
        only(REGISTRY, OK, FORBIDDEN, **{Role.PSYCHOLOGIST.value: NOT_FOUND}),
    ),
    ("repatriation:member_add", "POST", "stranded_group", _work(FOUND)),
    ("repatriation:tracing_add", "GET", "stranded_group", _work(OK)),
    ("repatriation:tracing_add", "POST", "stranded_group", _work(OK)),
    ("repatriation:member_edit", "GET", "stranded_member", _work(OK)),
    ("repatriation:member_edit", "POST", "stranded_member", _work(OK)),
    ("repatriation:member_origin_search", "GET", "stranded_member", _work(OK)),
    ("repatriation:shelter_check_in", "GET", "stranded_member", _work(OK)),
    ("repatriation:shelter_check_in", "POST", "stranded_member", _work(OK)),
    ("repatriation:shelter_check_out", "POST", "shelter_stay", _work(FOUND)),
    ("repatriation:member_decide", "GET", "stranded_member", _work(OK)),
    ("repatriation:member_decide", "POST", "stranded_member", _work(OK)),
]

ROWS: list[Row] = [
    Row("repatriation:group_list", only(REGISTRY, OK, FORBIDDEN)),
    Row("repatriation:take_in_choose", only(REGISTRY, OK, FORBIDDEN)),
    Row("repatriation:take_in", only(REGISTRY, FOUND, FORBIDDEN)),
    Row("repatriation:take_in", only(REGISTRY, FOUND, FORBIDDEN), method="POST"),
    *[
        Row(name, expect, method=method, ownership="same_org", target=target)
        for name, method, target, expect in _RECORD_URLS
    ],
    *[
        Row(name, _elsewhere(), method=method, ownership="other_org", target=target)
        for name, method, target, _expect in _RECORD_URLS
    ],
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """A family taken in by ``clerk`` (the organisation's coordinator), one of them in shelter.

    In LK3 Bontang the intake's lead counsellor is ``sari`` (``take_in`` picks her).
    """
    # People without a NIK: other areas' records take the builders' family (NIKs are unique).
    group = take_in(
        clerk, [make_person(clerk, "Udin Sahrudin"), make_person(clerk, "Iis Rohayati")]
    )
    member = group.members.order_by("pk").first()
    assert member is not None
    stay = members.shelter_check_in(actor=clerk, member=member, shelter="Rumah Singgah")
    return {"stranded_group": group, "stranded_member": member, "shelter_stay": stay}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "stranded_group": lambda record: {"public_id": record.public_id},
    "stranded_member": lambda record: {"public_id": record.public_id},
    "shelter_stay": lambda record: {"public_id": record.member.public_id, "stay_id": record.pk},
}
