"""Permission-matrix rows of referrals out (lk3/referrals/referral_views.py).

The LK3's list is for casework roles; the partner's inbox for linked partner
staff. A referral is reached through its case (coordinator, the case's lead
and team, intake officers for a case that is not confidential; the
psychologist is not on the case: 404) and by the staff of the partner it was
sent to (``mitra_ppa``, linked here to the Bontang partner). Roles outside
both never learn a referral exists (404). Sending needs work rights on the
case (like the case's quick actions); answering is the partner's (LK3 staff
who reach the referral get 403); revoking is for who works on the case (the
intake officer and the partner get 403). Empty POSTs show the form again
(200). Another organisation's records are 404 for everyone who could
otherwise act.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.models import User
from lk3.accounts.roles import Role
from lk3.cases.tests.builders import open_case
from lk3.referrals.models import PartnerMember
from lk3.referrals.tests.referral_builders import link_staff, partner_for, send_referral
from tests.matrix import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REGISTRY,
    Row,
    only,
    roles,
)

WORKERS = [Role.COORDINATOR, Role.COUNSELLOR]


def _reach(**statuses: int) -> dict[str, int]:
    """404 for every role unless named (a referral outside the user's reach)."""
    expected = roles(NOT_FOUND)
    expected.update(statuses)
    return expected


ROWS: list[Row] = [
    Row("referrals:referral_list", only(REGISTRY, OK, FORBIDDEN)),
    Row("referrals:referral_inbox", only([Role.PARTNER], OK, FORBIDDEN)),
    # Sending: like the case's quick actions.
    *[
        Row(
            "referrals:referral_new",
            only(WORKERS, OK, FORBIDDEN, psychologist=NOT_FOUND),
            method=method,
            ownership="same_org",
            target="referral_case",
        )
        for method in ("GET", "POST")
    ],
    *[
        Row(
            "referrals:referral_new",
            only(REGISTRY, NOT_FOUND, FORBIDDEN),
            method=method,
            ownership="other_org",
            target="referral_case",
        )
        for method in ("GET", "POST")
    ],
    # A referral of LK3 Bontang.
    Row(
        "referrals:referral_detail",
        _reach(coordinator=OK, counsellor=OK, intake=OK, partner=OK),
        ownership="same_org",
        target="referral",
    ),
    Row(
        "referrals:referral_answer",
        _reach(coordinator=FORBIDDEN, counsellor=FORBIDDEN, intake=FORBIDDEN, partner=OK),
        method="POST",
        ownership="same_org",
        target="referral",
    ),
    Row(
        "referrals:referral_revoke",
        _reach(coordinator=OK, counsellor=OK, intake=FORBIDDEN, partner=FORBIDDEN),
        method="POST",
        ownership="same_org",
        target="referral",
    ),
    # A referral of LK3 Samarinda: nobody in Bontang reaches it.
    *[
        Row(name, _reach(), method=method, ownership="other_org", target="referral")
        for name, method in (
            ("referrals:referral_detail", "GET"),
            ("referrals:referral_answer", "POST"),
            ("referrals:referral_revoke", "POST"),
        )
    ],
]


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """A case and a referral of it, for ``clerk``'s organisation (``clerk`` is its coordinator).

    In the organisation of ``mitra_ppa`` the referral goes to the partner that
    account is staff of (linked here to the UPTD PPA unless already linked).
    """
    partner = partner_for(clerk)
    staff = User.objects.filter(username="mitra_ppa", organisation=organisation).first()
    if staff is not None:
        existing = PartnerMember.objects.filter(user=staff).select_related("partner").first()
        if existing is not None:
            partner = existing.partner
        else:
            link_staff(staff, partner)
    case = open_case(clerk)
    referral = send_referral(clerk, case=open_case(clerk), partner=partner)
    return {"referral": referral, "referral_case": case}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "referral": lambda record: {"public_id": record.public_id},
    "referral_case": lambda record: {"public_id": record.public_id},
}
