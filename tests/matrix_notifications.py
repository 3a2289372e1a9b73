"""Permission-matrix rows of the inbox (lk3.referrals.notification_views).

Every signed-in role has an inbox; a notification belongs to one user only.
``build_records(clerk, organisation)`` makes one notification for ``clerk``
(the matrix's coordinator of that organisation: ``budi`` for LK3 Bontang,
``rudi`` for LK3 Samarinda). So in ``same_org`` only the coordinator opens
it (302 to its link) and every other role gets a 404; in ``other_org``
everybody gets a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.roles import Role
from lk3.referrals.notifications import notify
from tests.matrix import FOUND, NOT_FOUND, OK, Row, only, roles

ROWS: list[Row] = [
    Row("referrals:inbox", roles(OK)),
    Row("referrals:notification_read_all", roles(FOUND), method="POST"),
    Row(
        "referrals:notification_read",
        only([Role.COORDINATOR], FOUND, NOT_FOUND),
        method="POST",
        ownership="same_org",
        target="notification",
    ),
    Row(
        "referrals:notification_read",
        roles(NOT_FOUND),
        method="POST",
        ownership="other_org",
        target="notification",
    ),
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """One notification for ``clerk`` (a user of ``organisation``)."""
    assert clerk.organisation_id == organisation.pk
    [notification] = notify(
        recipients=[clerk],
        kind="referral",
        text="Rujukan baru masuk ke meja penerimaan.",
        url="/referrals/inbox/",
    )
    return {"notification": notification}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "notification": lambda record: {"notification_id": record.pk},
}
