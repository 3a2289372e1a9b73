"""Permission-matrix rows of the partner directory (lk3.referrals.partner_views).

The directory is read by the casework roles (coordinator, counsellor,
psychologist, intake officer) and the user administrator; it is managed
(partners, contacts, MoUs, staff accounts) and its scorecard seen by the
coordinator and the user administrator. Readers asking for a change get a
403; field officers, partner staff (even linked), aggregate viewers and the
city-office supervisor never reach a partner (403 on the list, 404 on a
partner); another organisation's partner is a 404 for all.

``build_records(clerk, organisation)`` adds one partner with a contact and a
staff account to ``organisation``'s directory (``clerk`` is its
coordinator). In LK3 Bontang the staff account is the cast's ``mitra_ppa``.
POST rows to forms send no data: the manager gets the form back with errors
(200) and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from conftest import make_user
from lk3.accounts.models import User
from lk3.accounts.roles import Role
from lk3.referrals import partners
from lk3.referrals.models import PartnerMember
from lk3.referrals.tests.partner_builders import add_agreement, make_partner
from tests.matrix import FORBIDDEN, FOUND, NOT_FOUND, OK, Row, only, roles

MANAGERS = [Role.COORDINATOR, Role.ADMIN]
READERS = [Role.COORDINATOR, Role.ADMIN, Role.COUNSELLOR, Role.PSYCHOLOGIST, Role.INTAKE]
NAME = "RSUD Taman Husada"


def change(yes: int) -> dict[str, int]:
    """Managers get ``yes``; other readers see the partner but may not change it (403);
    everyone else does not reach it (404)."""
    expected = only(READERS, FORBIDDEN, NOT_FOUND)
    for role in MANAGERS:
        expected[role] = yes
    return expected


# (url name, method, target, status for a manager, data)
CHANGES: list[tuple[str, str, str, int, dict[str, str]]] = [
    ("referrals:partner_edit", "GET", "partner", OK, {}),
    ("referrals:partner_edit", "POST", "partner", OK, {}),
    ("referrals:partner_deactivate", "POST", "partner", FOUND, {"version": "1"}),
    ("referrals:partner_contact_add", "GET", "partner", OK, {}),
    ("referrals:partner_contact_add", "POST", "partner", OK, {}),
    ("referrals:partner_contact_remove", "POST", "contact", FOUND, {}),
    ("referrals:partner_agreement_add", "GET", "partner", OK, {}),
    ("referrals:partner_agreement_add", "POST", "partner", OK, {}),
    ("referrals:partner_staff_link", "GET", "partner", OK, {}),
    ("referrals:partner_staff_link", "POST", "partner", OK, {}),
    ("referrals:partner_staff_unlink", "POST", "staff", FOUND, {}),
]

ROWS: list[Row] = [
    Row("referrals:partner_list", only(READERS, OK, FORBIDDEN)),
    Row("referrals:partner_create", only(MANAGERS, OK, FORBIDDEN)),
    Row("referrals:partner_create", only(MANAGERS, OK, FORBIDDEN), method="POST"),
    Row("referrals:partner_scorecard", only(MANAGERS, OK, FORBIDDEN)),
    Row(
        "referrals:partner_detail",
        only(READERS, OK, NOT_FOUND),
        ownership="same_org",
        target="partner",
    ),
    Row("referrals:partner_detail", roles(NOT_FOUND), ownership="other_org", target="partner"),
    *(
        Row(name, change(yes), method=method, ownership="same_org", target=target, data=data)
        for name, method, target, yes, data in CHANGES
    ),
    *(
        Row(name, roles(NOT_FOUND), method=method, ownership="other_org", target=target, data=data)
        for name, method, target, _yes, data in CHANGES
    ),
]


def _staff_account(organisation: Any) -> User:
    """The cast's partner account in LK3 Bontang; a new one elsewhere."""
    found = User.objects.filter(organisation=organisation, username="mitra_ppa").first()
    if found is not None:
        return found
    return make_user(f"mitra_rs_{organisation.pk}", Role.PARTNER, organisation)


def build_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    """A partner of ``organisation`` with an MoU, a contact and a linked staff account."""
    assert clerk.organisation_id == organisation.pk
    today = timezone.localdate()
    partner = make_partner(clerk, NAME, short_name="RSUD TH", services=["konseling"])
    add_agreement(
        clerk,
        partner,
        valid_from=today.replace(year=today.year - 1),
        valid_until=today.replace(year=today.year + 1, day=min(today.day, 28)),
    )
    contact = partners.contact_add(
        actor=clerk, partner=partner, name="dr. Ratna Sari", phone="0548 41234"
    )
    account = _staff_account(organisation)
    member = PartnerMember.objects.filter(user=account).first()
    if member is None:  # another area's records may have linked the account already
        member = partners.staff_link(actor=clerk, partner=partner, user=account, today=today)
    return {"partner": partner, "contact": contact, "staff": member}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "partner": lambda record: {"public_id": record.public_id},
    "contact": lambda record: {"public_id": record.partner.public_id, "contact_id": record.pk},
    "staff": lambda record: {
        "public_id": record.partner.public_id,
        "user_id": record.user.public_id,
    },
}
