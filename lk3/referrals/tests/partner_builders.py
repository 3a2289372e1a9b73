"""Test data for the partner directory, made through the services.

``actor`` is a directory manager (``budi`` the coordinator or ``rina`` the
user administrator) of the organisation whose network the partner joins.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from lk3.accounts.models import User
from lk3.core.models import ServiceType
from lk3.referrals import partners
from lk3.referrals.models import Agreement, Partner, PartnerMember


def service_types(*codes: str) -> list[ServiceType]:
    return list(ServiceType.objects.filter(code__in=codes))


def make_partner(
    actor: User,
    name: str = "UPTD PPA Kota Bontang",
    *,
    kind: str = "government",
    short_name: str | None = None,
    services: Iterable[str | ServiceType] = (),
    **fields: Any,
) -> Partner:
    """A partner in the actor's organisation's directory.

    ``services`` takes service-type codes ("konseling", "perlindungan", ...)
    or ServiceType rows.
    """
    chosen = [
        item if isinstance(item, ServiceType) else ServiceType.objects.get(code=item)
        for item in services
    ]
    values: dict[str, Any] = {"organisation": actor.organisation} | fields
    return partners.partner_create(
        actor=actor,
        name=name,
        short_name=short_name if short_name is not None else name[:60],
        kind=kind,
        services=chosen,
        **values,
    )


def add_agreement(
    actor: User,
    partner: Partner,
    *,
    valid_from: datetime.date,
    valid_until: datetime.date,
    kind: str = "mou",
    number: str | None = None,
    title: str = "",
) -> Agreement:
    """An MoU (or PKS) with ``partner``; a number is made up when not given."""
    if number is None:
        number = f"400.9/{partner.agreements.count() + 1:03d}/LK3/{valid_from:%Y}"
    return partners.agreement_add(
        actor=actor,
        partner=partner,
        kind=kind,
        number=number,
        title=title,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def link_staff(
    actor: User, partner: Partner, user: User, today: datetime.date | None = None
) -> PartnerMember:
    """Link a partner-role account (e.g. ``mitra_ppa``) to ``partner``."""
    return partners.staff_link(
        actor=actor, partner=partner, user=user, today=today or timezone.localdate()
    )
