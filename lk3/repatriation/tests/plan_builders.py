"""Test data for return plans and their documents, made through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from lk3.accounts.models import User
from lk3.people.tests.builders import TODAY
from lk3.repatriation import documents, intake, plans
from lk3.repatriation.models import (
    Decision,
    HealthStatus,
    RepatriationDocument,
    ReturnPlan,
    StrandedGroup,
    StrandedPerson,
    TravelMode,
)
from lk3.repatriation.tests.builders import take_in

SIGNATORY = ("Budi Santoso, S.Sos.", "Ketua LK3 Kota Bontang")
DEPARTURE = TODAY + datetime.timedelta(days=3)
GARUT_AGENCY = "Dinas Sosial Kabupaten Garut"


def ready(group: StrandedGroup, **values: Any) -> StrandedGroup:
    """Every member decided to return home and fit to travel (area A's services do this for real)."""
    fields = {
        "decision": Decision.RETURN_HOME,
        "health_status": HealthStatus.FIT,
        "decision_reason": "Keluarga di Garut siap menerima.",
        **values,
    }
    StrandedPerson.objects.filter(group=group).update(**fields)
    return intake.group_status_refresh(group)


def ready_group(actor: User, **overrides: Any) -> StrandedGroup:
    """The Garut family taken in and ready to go home."""
    return ready(take_in(actor, **overrides))


def plan_values(**overrides: Any) -> dict[str, Any]:
    """Bus and ship for three people: Rp 1.200.000, Rp 400.000 each (under the 450.000 ceiling)."""
    values: dict[str, Any] = {
        "mode": TravelMode.MIXED,
        "route": "Bontang - Balikpapan (bus), Balikpapan - Surabaya (kapal), Surabaya - Garut (bus)",
        "departure_on": DEPARTURE,
        "tickets": "KM Dharma Kencana, 3 tiket ekonomi",
        "escort": "",
        "ticket_cost": Decimal(900_000),
        "pocket_money": Decimal(150_000),
        "escort_cost": Decimal(0),
        "other_cost": Decimal(150_000),
        "receiving_organisation": None,
        "receiving_agency": GARUT_AGENCY,
        "via_relay": "",
    }
    values.update(overrides)
    return values


def save_plan(
    actor: User, group: StrandedGroup, expected_version: int | None = None, **overrides: Any
) -> ReturnPlan:
    return plans.plan_save(
        actor=actor, group=group, expected_version=expected_version, **plan_values(**overrides)
    )


def submitted_plan(actor: User, group: StrandedGroup | None = None, **overrides: Any) -> ReturnPlan:
    reason = overrides.pop("over_ceiling_reason", "")
    plan = save_plan(actor, group or ready_group(actor), **overrides)
    return plans.plan_submit(
        actor=actor, plan=plan, expected_version=plan.version, over_ceiling_reason=reason
    )


def approved_plan(
    coordinator: User, group: StrandedGroup | None = None, **overrides: Any
) -> ReturnPlan:
    accept = bool(overrides.get("over_ceiling_reason"))
    plan = submitted_plan(coordinator, group, **overrides)
    return plans.plan_approve(
        actor=coordinator,
        plan=plan,
        expected_version=plan.version,
        accept_over_ceiling=accept,
    )


def issue(
    actor: User, group: StrandedGroup, kind: str, member: StrandedPerson | None = None, **kw: Any
) -> RepatriationDocument:
    name, position = kw.pop("signatory", SIGNATORY)
    return documents.document_issue(
        actor=actor,
        group=group,
        kind=kind,
        member=member,
        signatory_name=name,
        signatory_position=position,
        dated=kw.pop("dated", datetime.date(2026, 11, 30)),
        **kw,
    )
