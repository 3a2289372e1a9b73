"""Test data for referrals in, made through the services.

``actor`` is at the intake desk (``intan`` the intake officer or ``budi``
the coordinator) of the organisation the referral comes to.
"""

from __future__ import annotations

from typing import Any

from lk3.accounts.models import User
from lk3.referrals import referrals_in
from lk3.referrals.models import Referral

REASON = "Ibu R. datang ke Puskesos, sering bertengkar dengan suami; anak berhenti sekolah."


def record_referral_in(actor: User, **overrides: Any) -> Referral:
    """A referral in from the Puskesos of Bontang Utara, waiting at the desk."""
    values: dict[str, Any] = {
        "organisation": actor.organisation,
        "referrer_name": "Puskesos Kelurahan Bontang Baru",
        "referrer_contact": "Bu Lina 0812-5555-1234",
        "external_reference": "SLRT/6474/2026/0117",
        "client_name": "Siti Aminah",
        "reason": REASON,
    }
    values.update(overrides)
    return referrals_in.referral_in_record(actor=actor, **values)
