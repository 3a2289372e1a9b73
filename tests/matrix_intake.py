"""Permission-matrix rows of the intake desk's referrals in (lk3.referrals.intake_views).

The queue and the recording form are the intake desk's (intake officer and
coordinator); every other role gets a 403. A waiting referral in is
reached only by the desk of its organisation: everyone else gets a 404,
and another organisation's referral is a 404 for all.
``build_records(clerk, organisation)`` records one waiting referral in
(``clerk`` is the matrix's coordinator: ``budi`` for LK3 Bontang, ``rudi``
for LK3 Samarinda). POST rows send no data: the desk gets its form back
with errors (200) and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.roles import Role
from lk3.referrals import referrals_in
from tests.matrix import FORBIDDEN, NOT_FOUND, OK, Row, only, roles

DESK = [Role.COORDINATOR, Role.INTAKE]
PAGES = [
    ("referrals:intake_detail", "GET"),
    ("referrals:intake_accept_new", "GET"),
    ("referrals:intake_accept_new", "POST"),
    ("referrals:intake_accept_existing", "GET"),
    ("referrals:intake_accept_existing", "POST"),
    ("referrals:intake_decline", "POST"),
]

ROWS: list[Row] = [
    Row("referrals:intake_list", only(DESK, OK, FORBIDDEN)),
    Row("referrals:intake_create", only(DESK, OK, FORBIDDEN)),
    Row("referrals:intake_create", only(DESK, OK, FORBIDDEN), method="POST"),
    *(
        Row(
            name,
            only(DESK, OK, NOT_FOUND),
            method=method,
            ownership="same_org",
            target="referral_in",
        )
        for name, method in PAGES
    ),
    *(
        Row(name, roles(NOT_FOUND), method=method, ownership="other_org", target="referral_in")
        for name, method in PAGES
    ),
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """One referral in, waiting at ``organisation``'s intake desk."""
    assert clerk.organisation_id == organisation.pk
    referral = referrals_in.referral_in_record(
        actor=clerk,
        organisation=organisation,
        referrer_name="Puskesos Kelurahan Bontang Baru",
        external_reference="SLRT/6474/2026/0117",
        client_name="Siti Aminah",
        reason="Sering bertengkar dengan suami; anak berhenti sekolah.",
    )
    return {"referral_in": referral}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "referral_in": lambda record: {"public_id": record.public_id},
}
