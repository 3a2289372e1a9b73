"""The return plan of a stranded intake: saving it, submitting it, and the coordinator's answer.

Rules:
- A group has at most one plan. Its travellers are the members whose
  decision is "return home", recounted whenever the plan is saved or
  submitted; a plan needs at least one of them, and nothing about the plan
  changes once the group is handed over or has arrived.
- Costs are whole rupiah, never negative. The receiving agency is always
  named: when a receiving organisation of this deployment is chosen (an
  active one, never the sender itself) its name is the default.
- Saving a plan that is awaiting approval or approved puts it back to
  draft: whatever changed needs the coordinator's approval again.
- Submitting needs a route and a mode and every traveller fit to travel
  (those who are not are named). A cost per person above the organisation's
  ceiling (``RepatriationSettings.cost_ceiling_per_person``, copied onto the
  plan at submission) needs a written reason, and the coordinator approves
  it only by ticking that they accept the cost above the ceiling.
- Only the coordinator approves or sends back (``can_approve_plans``); a
  plan sent back needs a note and returns to draft.
- Edits carry the version the user saw: a stale one is refused with what
  changed; the same form submitted twice changes nothing the second time.
- Every change is audited in its transaction and refreshes the group's
  derived status (``intake.group_status_refresh``). Notifications name the
  intake number only, never the people.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError
from lk3.referrals.notifications import notify
from lk3.repatriation.intake import group_status_refresh
from lk3.repatriation.models import (
    Decision,
    GroupStatus,
    HealthStatus,
    PlanStatus,
    ReturnPlan,
    StrandedGroup,
    StrandedPerson,
    TravelMode,
)
from lk3.repatriation.permissions import can_approve_plans
from lk3.repatriation.rules import settings_for

COST_FIELDS = ("ticket_cost", "pocket_money", "escort_cost", "other_cost")
PLAN_FIELDS = (
    "mode",
    "route",
    "departure_on",
    "tickets",
    "escort",
    *COST_FIELDS,
    "travellers",
    "receiving_organisation",
    "receiving_agency",
    "via_relay",
)
# Twelve digits, as the columns hold.
MAX_COST = Decimal(999_999_999_999)
CLOSED_STATUSES = (GroupStatus.HANDED_OVER, GroupStatus.ARRIVED)

NO_TRAVELLER = _(
    "Nobody in this group has the decision to return home: record the decisions first."
)
GROUP_GONE = _("This group has been handed over: its return plan can no longer change.")
MODE_UNKNOWN = _("Choose how the travellers go: bus, ship, air or several modes.")
ROUTE_REQUIRED = _("Write the route, for example Bontang - Balikpapan - Surabaya - Garut.")
COST_INVALID = _("Write the cost in whole rupiah, 0 or more.")
RECEIVER_INACTIVE = _("This organisation is not active: choose another receiving organisation.")
RECEIVER_IS_SENDER = _("The receiving organisation must be another organisation than yours.")
AGENCY_REQUIRED = _(
    "Name the receiving agency, for example the Dinas Sosial of the travellers' regency."
)
NOT_FIT = _("Not everyone who travels is fit to travel yet: %(names)s.")
OVER_CEILING_NEEDS_REASON = _(
    "The cost per person (Rp %(cost)s) is above the ceiling of Rp %(ceiling)s: "
    "write why it is needed."
)
ALREADY_APPROVED = _("This plan is already approved.")
NOT_SUBMITTED = _("This plan is not awaiting approval.")
COORDINATOR_ONLY = _("Only the coordinator approves or sends back a return plan.")
ACCEPT_OVER_CEILING = _(
    "The cost per person is above the ceiling: tick that you approve the cost above the "
    "ceiling, or send the plan back."
)
SEND_BACK_NEEDS_NOTE = _("Write what should change in the plan.")
SUBMITTED_TEXT = _("Return plan of stranded intake %(number)s is waiting for your approval.")
APPROVED_TEXT = _("Return plan of stranded intake %(number)s was approved.")
SENT_BACK_TEXT = _("Return plan of stranded intake %(number)s was sent back for changes.")


# -- reads ----------------------------------------------------------------------------------


def travellers_of(group: StrandedGroup) -> QuerySet[StrandedPerson]:
    """The members who go home with the plan, with their person."""
    return (
        StrandedPerson.objects.filter(group=group, decision=Decision.RETURN_HOME)
        .select_related("person", "origin_region")
        .order_by("pk")
    )


def plan_of(group: StrandedGroup) -> ReturnPlan | None:
    return (
        ReturnPlan.objects.select_related("receiving_organisation", "decided_by", "submitted_by")
        .filter(group=group)
        .first()
    )


def plan_is_approved(group: StrandedGroup) -> bool:
    """Whether the group's return plan is approved (the handover needs it)."""
    return ReturnPlan.objects.filter(group=group, status=PlanStatus.APPROVED).exists()


def ceiling_of(organisation: Organisation) -> Decimal:
    return settings_for(organisation).cost_ceiling_per_person


def is_over_ceiling(plan: ReturnPlan, ceiling: Decimal | None = None) -> bool:
    """Above the ceiling copied at submission, else the organisation's ceiling now."""
    if ceiling is None:
        ceiling = plan.ceiling_per_person
    if ceiling is None:
        ceiling = ceiling_of(plan.group.organisation)
    return plan.cost_per_person > ceiling


def _rupiah(amount: Decimal) -> str:
    """``1.250.000``: rupiah as Indonesian offices write them."""
    return f"{int(amount):,}".replace(",", ".")


# -- saving ---------------------------------------------------------------------------------


def _cost(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(value if value not in (None, "") else 0)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(COST_INVALID, code="cost_invalid", field=field) from None
    if not amount.is_finite() or amount < 0 or amount != amount.to_integral_value():
        raise DomainError(COST_INVALID, code="cost_invalid", field=field)
    if amount > MAX_COST:
        raise DomainError(COST_INVALID, code="cost_invalid", field=field)
    return amount.quantize(Decimal(1))


def _check_receiver(group: StrandedGroup, receiver: Organisation | None) -> None:
    if receiver is None:
        return
    if receiver.pk == group.organisation_id:
        raise DomainError(
            RECEIVER_IS_SENDER, code="receiver_is_sender", field="receiving_organisation"
        )
    if not receiver.is_active:
        raise DomainError(
            RECEIVER_INACTIVE, code="receiver_inactive", field="receiving_organisation"
        )


def _open_group(group: StrandedGroup) -> StrandedGroup:
    """The group, locked; refused once it is handed over or home."""
    current = lock_for_edit(group)
    if current.status in CLOSED_STATUSES:
        raise DomainError(GROUP_GONE, code="group_handed_over")
    return current


def _state(plan: ReturnPlan) -> dict[str, Any]:
    state = {name: getattr(plan, name) for name in PLAN_FIELDS if name != "receiving_organisation"}
    state["receiving_organisation"] = plan.receiving_organisation_id
    return state


def _audit_state(state: dict[str, Any]) -> dict[str, Any]:
    values = dict(state)
    for name in COST_FIELDS:
        values[name] = int(values[name])
    if values.get("departure_on"):
        values["departure_on"] = values["departure_on"].isoformat()
    return values


@transaction.atomic
def plan_save(
    *,
    actor: User,
    group: StrandedGroup,
    expected_version: int | None = None,
    mode: str,
    route: str,
    departure_on: datetime.date | None,
    tickets: str,
    escort: str,
    ticket_cost: Any,
    pocket_money: Any,
    escort_cost: Any,
    other_cost: Any,
    receiving_organisation: Organisation | None,
    receiving_agency: str,
    via_relay: str,
    today: datetime.date | None = None,
) -> ReturnPlan:
    """Create the group's plan, or change it (``expected_version`` is the version the user saw)."""
    current_group = _open_group(group)
    travellers = travellers_of(current_group).count()
    if not travellers:
        raise DomainError(NO_TRAVELLER, code="no_traveller")
    if mode not in TravelMode.values:
        raise DomainError(MODE_UNKNOWN, code="mode_unknown", field="mode")
    route = (route or "").strip()
    if not route:
        raise DomainError(ROUTE_REQUIRED, code="route_required", field="route")
    costs = {
        name: _cost(value, name)
        for name, value in zip(
            COST_FIELDS, (ticket_cost, pocket_money, escort_cost, other_cost), strict=True
        )
    }
    _check_receiver(current_group, receiving_organisation)
    agency = " ".join((receiving_agency or "").split())
    if not agency and receiving_organisation is not None:
        agency = receiving_organisation.name
    if not agency:
        raise DomainError(AGENCY_REQUIRED, code="agency_required", field="receiving_agency")
    wanted: dict[str, Any] = {
        "mode": mode,
        "route": route,
        "departure_on": departure_on,
        "tickets": (tickets or "").strip(),
        "escort": " ".join((escort or "").split()),
        **costs,
        "travellers": travellers,
        "receiving_organisation": receiving_organisation.pk if receiving_organisation else None,
        "receiving_agency": agency,
        "via_relay": " ".join((via_relay or "").split()),
    }
    plan = ReturnPlan.objects.select_for_update().filter(group=current_group).first()
    if plan is None:
        return _plan_create(actor, current_group, wanted)
    plan.group = current_group
    before = _state(plan)
    if wanted == before and plan.version != expected_version:
        return plan  # A double-submitted form: the first submit already saved this.
    refuse_if_stale(plan, expected_version if expected_version is not None else 0)
    if wanted == before:
        return plan
    status_before = plan.status
    for name, value in wanted.items():
        setattr(
            plan, "receiving_organisation_id" if name == "receiving_organisation" else name, value
        )
    plan.status = PlanStatus.DRAFT
    plan.version += 1
    plan.full_clean()
    plan.save()
    changes = field_diff(_audit_state(before), _audit_state(_state(plan)))
    if status_before != plan.status:
        changes["status"] = [status_before, plan.status]
    changes["version"] = [expected_version, plan.version]
    audit_record(
        actor=actor,
        action=actions.RETURN_PLAN_SAVED,
        target=plan,
        organisation=current_group.organisation,
        changes=changes,
    )
    group_status_refresh(current_group)
    return plan


def _plan_create(actor: User, group: StrandedGroup, wanted: dict[str, Any]) -> ReturnPlan:
    values = dict(wanted)
    plan = ReturnPlan(
        group=group, receiving_organisation_id=values.pop("receiving_organisation"), **values
    )
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action=actions.RETURN_PLAN_SAVED,
        target=plan,
        organisation=group.organisation,
        changes={name: [None, value] for name, value in _audit_state(_state(plan)).items()}
        | {"status": [None, plan.status]},
    )
    group_status_refresh(group)
    return plan


# -- submitting and answering -----------------------------------------------------------------


def _not_fit(travellers: list[StrandedPerson]) -> list[str]:
    return [
        member.person.full_name for member in travellers if member.health_status != HealthStatus.FIT
    ]


@transaction.atomic
def plan_submit(
    *, actor: User, plan: ReturnPlan, expected_version: int, over_ceiling_reason: str = ""
) -> ReturnPlan:
    """Ask the coordinator to approve the plan."""
    current = lock_for_edit(plan)
    if current.status == PlanStatus.SUBMITTED and current.version != expected_version:
        return current  # Submitted twice: the first one counted.
    if current.status == PlanStatus.APPROVED:
        raise DomainError(ALREADY_APPROVED, code="already_approved")
    refuse_if_stale(current, expected_version)
    group = _open_group(current.group)
    current.group = group
    if current.status == PlanStatus.SUBMITTED:
        return current
    travellers = list(travellers_of(group))
    if not travellers:
        raise DomainError(NO_TRAVELLER, code="no_traveller")
    unfit = _not_fit(travellers)
    if unfit:
        raise DomainError(NOT_FIT, code="not_fit", params={"names": ", ".join(unfit)})
    if current.mode not in TravelMode.values:
        raise DomainError(MODE_UNKNOWN, code="mode_unknown", field="mode")
    if not current.route.strip():
        raise DomainError(ROUTE_REQUIRED, code="route_required", field="route")
    current.travellers = len(travellers)
    ceiling = ceiling_of(group.organisation)
    reason = (over_ceiling_reason or "").strip()
    over = is_over_ceiling(current, ceiling)
    if over and not reason:
        raise DomainError(
            OVER_CEILING_NEEDS_REASON,
            code="over_ceiling",
            field="over_ceiling_reason",
            params={"cost": _rupiah(current.cost_per_person), "ceiling": _rupiah(ceiling)},
        )
    now = timezone.now()
    current.status = PlanStatus.SUBMITTED
    current.ceiling_per_person = ceiling
    current.over_ceiling_reason = reason if over else ""
    current.submitted_at, current.submitted_by = now, actor
    current.decided_at, current.decided_by, current.decision_note = None, None, ""
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=actions.RETURN_PLAN_SUBMITTED,
        target=current,
        organisation=group.organisation,
        changes={
            "status": [PlanStatus.DRAFT, PlanStatus.SUBMITTED],
            "travellers": [None, current.travellers],
            "total_cost": [None, int(current.total_cost)],
            "cost_per_person": [None, int(current.cost_per_person)],
            "ceiling_per_person": [None, int(ceiling)],
            "over_ceiling_reason": [None, current.over_ceiling_reason],
            "version": [expected_version, current.version],
        },
    )
    notify(
        recipients=User.objects.filter(
            organisation=group.organisation, role=Role.COORDINATOR, is_active=True
        ),
        kind="return_plan_submitted",
        text=SUBMITTED_TEXT,
        params={"number": group.number},
        url=reverse("repatriation:plan_review", kwargs={"public_id": group.public_id}),
    )
    group_status_refresh(group)
    return current


def _answerable(
    actor: User, plan: ReturnPlan, expected_version: int, wanted: str
) -> ReturnPlan | None:
    """The locked plan when it can be answered; None when this answer was already given."""
    if not can_approve_plans(actor):
        raise PermissionDenied(str(COORDINATOR_ONLY))
    current = lock_for_edit(plan)
    if current.status != PlanStatus.SUBMITTED:
        if current.status == wanted and current.version != expected_version:
            return None  # The same answer sent twice.
        if current.status == PlanStatus.APPROVED:
            raise DomainError(ALREADY_APPROVED, code="already_approved")
        raise DomainError(NOT_SUBMITTED, code="not_submitted")
    refuse_if_stale(current, expected_version)
    return current


def _lead_of(group: StrandedGroup) -> list[User]:
    lead = group.case.lead_counsellor
    return [lead] if lead is not None else []


@transaction.atomic
def plan_approve(
    *,
    actor: User,
    plan: ReturnPlan,
    expected_version: int,
    note: str = "",
    accept_over_ceiling: bool = False,
) -> ReturnPlan:
    """The coordinator approves a submitted plan (ticking the over-ceiling box when it is above)."""
    current = _answerable(actor, plan, expected_version, PlanStatus.APPROVED)
    if current is None:
        return lock_for_edit(plan)
    group = _open_group(current.group)
    current.group = group
    over = is_over_ceiling(current)
    if over and not accept_over_ceiling:
        raise DomainError(
            ACCEPT_OVER_CEILING, code="accept_over_ceiling", field="accept_over_ceiling"
        )
    current.status = PlanStatus.APPROVED
    current.decided_at, current.decided_by = timezone.now(), actor
    current.decision_note = (note or "").strip()
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=actions.RETURN_PLAN_APPROVED,
        target=current,
        organisation=group.organisation,
        changes={
            "status": [PlanStatus.SUBMITTED, PlanStatus.APPROVED],
            "decision_note": [None, current.decision_note],
            "over_ceiling_accepted": [None, over],
            "cost_per_person": [None, int(current.cost_per_person)],
            "version": [expected_version, current.version],
        },
    )
    notify(
        recipients=_lead_of(group),
        kind="return_plan_approved",
        text=APPROVED_TEXT,
        params={"number": group.number},
        url=reverse("repatriation:plan_edit", kwargs={"public_id": group.public_id}),
    )
    group_status_refresh(group)
    return current


@transaction.atomic
def plan_send_back(
    *, actor: User, plan: ReturnPlan, expected_version: int, note: str
) -> ReturnPlan:
    """The coordinator returns a submitted plan to draft, saying what should change."""
    text = (note or "").strip()
    if can_approve_plans(actor) and not text:
        raise DomainError(SEND_BACK_NEEDS_NOTE, code="note_required", field="note")
    current = _answerable(actor, plan, expected_version, PlanStatus.DRAFT)
    if current is None:
        return lock_for_edit(plan)
    group = _open_group(current.group)
    current.group = group
    current.status = PlanStatus.DRAFT
    current.decided_at, current.decided_by = timezone.now(), actor
    current.decision_note = text
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=actions.RETURN_PLAN_SENT_BACK,
        target=current,
        organisation=group.organisation,
        changes={
            "status": [PlanStatus.SUBMITTED, PlanStatus.DRAFT],
            "decision_note": [None, text],
            "version": [expected_version, current.version],
        },
    )
    notify(
        recipients=_lead_of(group),
        kind="return_plan_sent_back",
        text=SENT_BACK_TEXT,
        params={"number": group.number},
        url=reverse("repatriation:plan_edit", kwargs={"public_id": group.public_id}),
    )
    group_status_refresh(group)
    return current
