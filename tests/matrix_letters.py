"""Permission-matrix rows for letters (area D): referral letters, downloads, register, verification.

Records (``build_records``): a referral out of a case led by the counsellor
(in LK3 Bontang; unassigned in LK3 Samarinda) to a partner that the
partner-role account works for, its referral letter, and a letter about no
referral (an invitation).

- Issuing a referral letter: whoever works on the case (coordinator, lead
  counsellor). The intake officer and the partner reach the referral but may
  not issue (403); everyone else does not reach it (404).
- A referral letter's PDF: whoever reaches the referral, the partner it is
  addressed to included; a letter about no referral: coordinator and user
  administrator. Anything else is a 404.
- The register: coordinator and user administrator; other roles 403.
- Verification: public, for every role and anonymous visitors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lk3.accounts.models import Organisation, User
from lk3.accounts.roles import Role
from lk3.referrals.models import Partner, PartnerMember
from lk3.referrals.tests.letter_builders import plain_letter, referral_letter
from lk3.referrals.tests.partner_builders import link_staff, make_partner
from lk3.referrals.tests.referral_builders import send_referral
from tests.matrix import FORBIDDEN, NOT_FOUND, OK, Row, only, roles

WORKERS = [Role.COORDINATOR, Role.COUNSELLOR]
REACH_REFERRAL = [Role.COORDINATOR, Role.COUNSELLOR, Role.INTAKE, Role.PARTNER]
REGISTER = [Role.ADMIN, Role.COORDINATOR]
# Reach the referral but may not issue its letter.
READERS = {Role.INTAKE: FORBIDDEN, Role.PARTNER: FORBIDDEN}


def _issue(status: int) -> dict[str, int]:
    return only(WORKERS, status, NOT_FOUND, **READERS)


ROWS: list[Row] = [
    # -- issuing a referral letter --
    Row("referrals:referral_letter", _issue(OK), ownership="same_org", target="letter_referral"),
    Row(
        "referrals:referral_letter",
        _issue(OK),  # an empty form is shown again with its errors
        method="POST",
        ownership="same_org",
        target="letter_referral",
    ),
    Row(
        "referrals:referral_letter",
        roles(NOT_FOUND),
        ownership="other_org",
        target="letter_referral",
    ),
    Row(
        "referrals:referral_letter",
        roles(NOT_FOUND),
        method="POST",
        ownership="other_org",
        target="letter_referral",
    ),
    # -- downloads --
    Row(
        "referrals:letter_download",
        only(REACH_REFERRAL, OK, NOT_FOUND),
        ownership="same_org",
        target="letter",
    ),
    Row(
        "referrals:letter_download",
        only([Role.COORDINATOR], OK, NOT_FOUND),
        ownership="same_org",
        target="plain_letter",
    ),
    Row("referrals:letter_download", roles(NOT_FOUND), ownership="other_org", target="letter"),
    Row(
        "referrals:letter_download",
        roles(NOT_FOUND),
        ownership="other_org",
        target="plain_letter",
    ),
    # -- the register --
    Row("referrals:letter_register", only(REGISTER, OK, FORBIDDEN)),
    # -- verification: public --
    Row(
        "referrals:letter_verify",
        roles(OK, anonymous=OK),
        ownership="same_org",
        target="letter_code",
    ),
    Row(
        "referrals:letter_verify",
        roles(OK, anonymous=OK),
        ownership="other_org",
        target="letter_code",
    ),
]


def _partner_for_letters(clerk: User, organisation: Organisation) -> Partner:
    """The partner the partner-role account works for (linking it when nobody has yet)."""
    staff = User.objects.filter(role=Role.PARTNER, organisation=organisation).first()
    membership = PartnerMember.objects.filter(user=staff).select_related("partner").first()
    if membership is not None:
        return membership.partner
    partner = make_partner(clerk, "Puskesmas Bontang Utara I (surat)", kind="government")
    if staff is not None:
        link_staff(clerk, partner, staff)
    return partner


def build_records(clerk: User, organisation: Organisation) -> dict[str, Any]:
    """``clerk`` is the organisation's coordinator (budi or rudi)."""
    referral = send_referral(clerk, partner=_partner_for_letters(clerk, organisation))
    letter = referral_letter(clerk, referral)
    return {
        "letter_referral": referral,
        "letter": letter,
        "letter_code": letter,
        "plain_letter": plain_letter(clerk),
    }


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "letter_referral": lambda record: {"public_id": record.public_id},
    "letter": lambda record: {"public_id": record.public_id},
    "plain_letter": lambda record: {"public_id": record.public_id},
    "letter_code": lambda record: {"code": record.verification_code},
}
