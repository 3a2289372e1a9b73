"""Stranded intakes in a chosen state, for the report's tests.

The intake goes through ``intake.stranded_take_in``; the decisions, the plan
and the handover are written as rows (their services belong to other parts
of the app), then the group's status is derived as the services do.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from lk3.accounts.models import Organisation, User
from lk3.people.tests.builders import make_person
from lk3.repatriation.intake import group_status_refresh, origin_codes
from lk3.repatriation.models import (
    Handover,
    HandoverSource,
    HandoverStatus,
    PlanStatus,
    ReturnPlan,
    StrandedGroup,
    TravelMode,
)
from lk3.repatriation.tests.builders import take_in

CEILING = Decimal(450_000)


def intake_in_state(
    actor: User,
    *,
    found_on: datetime.date,
    origins: Sequence[str],
    decision: str = "",
    plan_cost: int | None = None,
    plan_status: str = PlanStatus.APPROVED,
    arrived_on: datetime.date | None = None,
    receiving_organisation: Organisation | None = None,
) -> StrandedGroup:
    """One intake of ``len(origins)`` people (an origin code each, "" for unknown).

    Every member gets ``decision``; ``plan_cost`` adds a plan for all of them
    (ticket cost only, the ceiling 450,000 copied); ``arrived_on`` adds a
    handover whose arrival is confirmed that day.
    """
    persons = [
        make_person(actor, f"Orang Terlantar {found_on:%Y%m%d} {index}")
        for index in range(len(origins))
    ]
    group = take_in(actor, persons=persons, found_on=found_on)
    for member, origin in zip(group.members.order_by("pk"), origins, strict=True):
        member.origin_province_code, member.origin_regency_code = origin_codes(origin)
        member.decision = decision
        if decision:
            member.decided_on = found_on
            member.decided_by = actor
        member.save()
    if plan_cost is not None:
        ReturnPlan.objects.create(
            group=group,
            mode=TravelMode.SHIP,
            route="Bontang - Balikpapan - Surabaya",
            ticket_cost=Decimal(plan_cost),
            travellers=len(origins),
            receiving_agency="Dinas Sosial",
            status=plan_status,
            ceiling_per_person=CEILING if plan_status != PlanStatus.DRAFT else None,
        )
    if arrived_on is not None:
        Handover.objects.create(
            source=HandoverSource.LOCAL,
            group=group,
            sending_organisation=group.organisation,
            sender_name=group.organisation.name,
            receiving_organisation=receiving_organisation,
            receiver_name="Dinas Sosial",
            sent_on=arrived_on - datetime.timedelta(days=1),
            status=HandoverStatus.ARRIVED,
            arrived_on=arrived_on,
            received_by_name="Petugas",
            created_by=actor,
        )
        group.returned_on = arrived_on
        group.save(update_fields=["returned_on"])
    return group_status_refresh(group)
