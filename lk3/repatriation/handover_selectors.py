"""What the handover pages show: the group page's card, the receiver's queue and a handover.

A handover reads the same for the receiver whether it was sent in this
system or imported from a package: ``handover_view`` gives its travellers
(name, sex, age, NIK, origin region names, documents, health status; never
the health note or the case), its plan and its letters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from lk3.cases.permissions import can_work_on
from lk3.people.models import Sex
from lk3.regions import codes
from lk3.regions.models import Region
from lk3.repatriation import plans
from lk3.repatriation.handover_forms import ArrivalForm, SendForm
from lk3.repatriation.models import (
    Decision,
    Handover,
    HandoverSource,
    HandoverStatus,
    HealthStatus,
    IdentityDocument,
    PlanStatus,
    RepatriationDocument,
    ReturnPlan,
    StrandedGroup,
    StrandedPerson,
    TravelMode,
)
from lk3.repatriation.permissions import handovers_in_for_user


@dataclass(frozen=True)
class Traveller:
    full_name: str
    sex: str
    age: int | None
    birth_date: datetime.date | None
    nik: str
    origin: list[str]
    stated_origin: str
    documents: list[str]
    health_status: str
    health_label: str


@dataclass(frozen=True)
class PlanFacts:
    mode: str
    route: str
    departure_on: datetime.date | None
    escort: str
    travellers: int
    total: int
    via_relay: str


@dataclass(frozen=True)
class LetterRow:
    position: int
    number: str
    kind: str
    dated: datetime.date


# -- the group page's card ---------------------------------------------------------------------


def handover_card(group: StrandedGroup, user: Any) -> dict[str, Any]:
    """What the group page's handover card needs."""
    rows = list(group.handovers.select_related("receiving_organisation").order_by("-pk"))
    plan = ReturnPlan.objects.filter(group=group).first()
    approved = plan is not None and plan.status == PlanStatus.APPROVED
    may_work = can_work_on(user, group.case)
    waiting = any(row.status == HandoverStatus.SENT for row in rows)
    arrived = any(row.status == HandoverStatus.ARRIVED for row in rows)
    recordable = {
        row.pk
        for row in rows
        if may_work
        and row.status == HandoverStatus.SENT
        and row.receiving_organisation_id is None
        and row.source == HandoverSource.LOCAL
    }
    return {
        "handovers": rows,
        "handover_plan": plan,
        "handover_can_send": may_work and approved and not waiting and not arrived,
        "handover_can_export": may_work and approved,
        "handover_recordable": recordable,
        "handover_send_form": SendForm(initial={"sent_on": timezone.localdate()}),
        "handover_arrival_form": ArrivalForm(
            prefix="arrival", initial={"arrived_on": timezone.localdate()}
        ),
    }


# -- the receiver's queue ----------------------------------------------------------------------


def handover_queue(user: Any) -> QuerySet[Handover]:
    """Handovers addressed to the user's organisation: those waiting first, newest first."""
    waiting_first = Case(
        When(status=HandoverStatus.SENT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    returning = Count("group__members", filter=Q(group__members__decision=Decision.RETURN_HOME))
    return (
        handovers_in_for_user(user)
        .select_related("sending_organisation")
        .annotate(returning=returning)
        .order_by(waiting_first, "-sent_on", "-pk")
    )


def traveller_count(handover: Handover) -> int:
    """How many people the handover brings (counted in the queue's query for local ones)."""
    if handover.source == HandoverSource.IMPORTED:
        return len((handover.payload or {}).get("travellers", []))
    counted = getattr(handover, "returning", None)
    if counted is not None:
        return int(counted)
    if handover.group_id is None:
        return 0
    return StrandedPerson.objects.filter(
        group_id=handover.group_id, decision=Decision.RETURN_HOME
    ).count()


# -- one handover ------------------------------------------------------------------------------


def _age(born: datetime.date | None, today: datetime.date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _region_names(region_codes: list[str | None]) -> dict[str, list[str]]:
    """For each code, the names of its regions, province first (one query)."""
    wanted = {ancestor for code in region_codes if code for ancestor in codes.lineage(code)}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    return {
        code: [names[part] for part in codes.lineage(code) if part in names]
        for code in region_codes
        if code
    }


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _labels(choices: Any, values: list[str]) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(value, value)) for value in values]


def _traveller(
    item: dict[str, Any], origins: dict[str, list[str]], today: datetime.date
) -> Traveller:
    born = _date(item.get("birth_date"))
    health = item.get("health_status") or ""
    return Traveller(
        full_name=item["full_name"],
        sex=str(dict(Sex.choices).get(item.get("sex") or "", "")),
        age=_age(born, today),
        birth_date=born,
        nik=item.get("nik") or "",
        origin=origins.get(item.get("origin_region_code") or "", []),
        stated_origin=item.get("stated_origin") or "",
        documents=_labels(IdentityDocument, list(item.get("documents") or [])),
        health_status=health,
        health_label=str(dict(HealthStatus.choices).get(health, health)),
    )


def _local_items(group: StrandedGroup) -> list[dict[str, Any]]:
    return [
        {
            "full_name": member.person.full_name,
            "nik": member.person.nik or None,
            "sex": member.person.sex,
            "birth_date": member.person.birth_date.isoformat()
            if member.person.birth_date
            else None,
            "origin_region_code": member.origin_region_id or None,
            "stated_origin": member.stated_origin,
            "documents": list(member.documents or []),
            "health_status": member.health_status,
        }
        for member in plans.travellers_of(group)
    ]


def _plan_facts(handover: Handover) -> PlanFacts | None:
    if handover.source == HandoverSource.IMPORTED:
        plan = (handover.payload or {}).get("plan")
        if not plan:
            return None
        return PlanFacts(
            mode=str(dict(TravelMode.choices).get(plan["mode"], plan["mode"])),
            route=plan["route"],
            departure_on=_date(plan.get("departure_on")),
            escort=plan.get("escort") or "",
            travellers=int(plan.get("travellers") or 0),
            total=int(plan.get("total") or 0),
            via_relay=(handover.payload or {}).get("receiver", {}).get("via_relay", ""),
        )
    found = ReturnPlan.objects.filter(group=handover.group).first()
    if found is None:
        return None
    return PlanFacts(
        mode=found.get_mode_display(),
        route=found.route,
        departure_on=found.departure_on,
        escort=found.escort,
        travellers=found.travellers,
        total=int(found.total_cost),
        via_relay=found.via_relay,
    )


def handover_letters(handover: Handover) -> list[dict[str, Any]]:
    """The handover's letters in order: number, kind, date and where the PDF is.

    Local: ``letter`` (a ``referrals.Letter``); imported: ``file`` in the package.
    """
    kinds = dict(RepatriationDocument._meta.get_field("kind").choices or [])
    if handover.source == HandoverSource.IMPORTED:
        return [
            {
                "position": position,
                "number": item["number"],
                "kind": str(kinds.get(item["kind"], item["kind"])),
                "dated": _date(item["dated"]),
                "file": item["file"],
                "letter": None,
            }
            for position, item in enumerate((handover.payload or {}).get("letters", []), start=1)
        ]
    if handover.group is None:
        return []
    documents = RepatriationDocument.objects.filter(group=handover.group).select_related("letter")
    return [
        {
            "position": position,
            "number": document.letter.number,
            "kind": document.get_kind_display(),
            "dated": document.letter.dated,
            "file": "",
            "letter": document.letter,
        }
        for position, document in enumerate(documents.order_by("pk"), start=1)
    ]


def handover_view(handover: Handover, today: datetime.date | None = None) -> dict[str, Any]:
    """What the receiver's page shows of a handover, local or imported."""
    today = today or timezone.localdate()
    if handover.source == HandoverSource.IMPORTED:
        payload = handover.payload or {}
        items = list(payload.get("travellers", []))
        group_number = payload.get("group", {}).get("number", "")
    else:
        assert handover.group is not None
        items = _local_items(handover.group)
        group_number = handover.group.number
    origins = _region_names([item.get("origin_region_code") for item in items])
    return {
        "travellers": [_traveller(item, origins, today) for item in items],
        "plan": _plan_facts(handover),
        "letters": handover_letters(handover),
        "group_number": group_number,
        "waiting": handover.status == HandoverStatus.SENT,
        "may_decline": handover.status == HandoverStatus.SENT
        and handover.receiving_organisation_id is not None,
    }
