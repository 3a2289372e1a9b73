"""Reads of referrals out: the LK3's list, the partner's inbox, a referral's history,
and what the case page shows.

Every list starts from ``permissions.referrals_for_user``, so nothing is
listed that its reader could not open. A referral is overdue while it waits
for the partner (sent or received) past its answer date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from lk3.cases.models import Case
from lk3.core.models import ServiceType
from lk3.referrals.models import Direction, Partner, Referral, ReferralEvent, ReferralStatus
from lk3.referrals.permissions import partner_of, referrals_for_user

WAITING = (ReferralStatus.SENT, ReferralStatus.RECEIVED)
PAGE_SIZE = 25


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=WAITING, answer_due_on__lt=today)


def is_overdue(referral: Referral, today: datetime.date) -> bool:
    return referral.status in WAITING and referral.answer_due_on < today


@dataclass(frozen=True)
class ReferralFilters:
    status: str = ""
    partner: Partner | None = None
    overdue: bool = False


def referral_list(
    user: Any, filters: ReferralFilters, *, today: datetime.date
) -> QuerySet[Referral]:
    """The LK3's referrals out the user reaches, newest first, with what a row shows."""
    referrals = referrals_for_user(user).filter(direction=Direction.OUT)
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.partner is not None:
        referrals = referrals.filter(partner=filters.partner)
    if filters.overdue:
        referrals = referrals.filter(overdue_q(today))
    return referrals.select_related("case", "partner", "service").order_by("-sent_at", "-id")


def partner_inbox(user: Any, *, today: datetime.date, status: str = "") -> QuerySet[Referral]:
    """What was referred to the user's partner: waiting ones first, then newest first."""
    partner = partner_of(user)
    if partner is None:
        return Referral.objects.none()
    referrals = referrals_for_user(user).filter(partner=partner, direction=Direction.OUT)
    if status:
        referrals = referrals.filter(status=status)
    # Only what the partner may see: no case, no person.
    return referrals.select_related("organisation", "service").order_by("-sent_at", "-id")


def flag_overdue(referrals: Any, today: datetime.date) -> list[Referral]:
    """The page's rows, each with ``overdue`` set for the template."""
    rows = list(referrals)
    for referral in rows:
        referral.overdue = is_overdue(referral, today)
    return rows


def referral_history(referral: Referral) -> list[ReferralEvent]:
    return list(referral.events.select_related("by").order_by("at", "id"))


def services_offered(partner: Partner) -> QuerySet[ServiceType]:
    """The services a referral to the partner may ask for (all active ones when it lists none)."""
    offered = ServiceType.objects.filter(is_active=True, pk__in=partner.services.values("pk"))
    return offered if offered.exists() else ServiceType.objects.filter(is_active=True)


def directory_for_case(case: Case) -> QuerySet[Partner]:
    """The partners a case may be referred to: its organisation's active ones."""
    return Partner.objects.filter(organisation_id=case.organisation_id, is_active=True).order_by(
        "name"
    )


# -- the case page ---------------------------------------------------------------------------


def referrals_of_case(case: Case) -> list[Referral]:
    return list(
        Referral.objects.filter(case=case, direction=Direction.OUT)
        .select_related("partner", "service")
        .order_by("-sent_at", "-id")
    )


def case_referral_events(case: Case, cut: int) -> list[ReferralEvent]:
    """The newest ``cut`` status changes of the case's referrals (for its timeline)."""
    return list(
        ReferralEvent.objects.filter(referral__case=case, referral__direction=Direction.OUT)
        .select_related("referral__partner", "by")
        .order_by("-at", "-id")[:cut]
    )
