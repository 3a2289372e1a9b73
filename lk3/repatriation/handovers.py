"""Handing the travellers of a group over to the receiving agency (DOMAIN.md section 5).

Rules:
- A handover is sent only for an APPROVED return plan: a draft, a plan
  awaiting approval, or one over the ceiling that the coordinator did not
  approve cannot be sent. Sending again while a handover is on its way
  returns that one (a double submit). Travellers still in shelter are
  checked out when they leave.
- A handover addressed to an organisation of this deployment lands in its
  queue: only that organisation's desk (coordinator, intake officers)
  confirms the arrival or declines it. When the receiver does not use this
  system (``receiving_organisation`` empty) the sender records the arrival.
- A confirmed arrival sets the group's ``returned_on``, makes the group
  ARRIVED and closes the sender's case (reason "repatriated", no second
  approval: the coordinator approved the plan). Confirming again changes
  nothing; a declined handover cannot be confirmed.
- A decline needs a reason; the sender's plan goes back to DRAFT with the
  reason in the coordinator's note, so the sender chooses another receiver
  (or the provincial relay) and asks for approval again. An arrived
  handover cannot be declined; declining again changes nothing.
- An event about a handover between two organisations of this deployment is
  audited once in each organisation's log (each reads only its own log);
  an imported handover only in the receiver's.
- Notifications say what happened and link to it: no names, no case content.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.cases.services import case_close_on_arrival
from lk3.core.errors import DomainError
from lk3.referrals.letter_pdf import indonesian_date
from lk3.referrals.notifications import notify
from lk3.repatriation import intake, plans
from lk3.repatriation.models import (
    Handover,
    HandoverSource,
    HandoverStatus,
    PlanStatus,
    ReturnPlan,
    ShelterStay,
    StrandedGroup,
)
from lk3.repatriation.permissions import RECEIVING_DESK

NO_PLAN = _("Make a return plan and have it approved before sending the handover.")
PLAN_NOT_APPROVED = _(
    "The return plan is not approved yet: the coordinator approves it before the handover is sent."
)
OVER_CEILING_NOT_APPROVED = _(
    "The cost per person is over the ceiling and the plan is not approved: "
    "the handover cannot be sent until the coordinator approves it."
)
ALREADY_ARRIVED = _("These travellers have already arrived: there is nothing to send.")
SENT_IN_FUTURE = _("The date sent cannot be in the future.")
RECEIVER_CONFIRMS = _(
    "This handover is addressed to an organisation that uses this system: "
    "its desk confirms the arrival."
)
NOT_THE_RECEIVER = _("Only the receiving organisation's desk answers this handover.")
NOT_THE_SENDER = _("Only the sending organisation records the arrival of this handover.")
ARRIVED_ON_REQUIRED = _("Give the date of arrival.")
ARRIVED_IN_FUTURE = _("The date of arrival cannot be in the future.")
ARRIVED_BEFORE_SENT = _("The date of arrival cannot be before the date the handover was sent.")
RECEIVED_BY_REQUIRED = _("Write the name of the person who received the travellers.")
ALREADY_DECLINED = _("This handover was declined: its arrival cannot be confirmed.")
DECLINE_REASON_REQUIRED = _("Say why the handover is declined.")
ALREADY_ARRIVED_NO_DECLINE = _("The arrival of this handover is confirmed: it cannot be declined.")

SENT_TEXT = _(
    "A handover of %(count)s people from %(sender)s is on its way: confirm their arrival."
)
ARRIVED_TEXT = _("%(receiver)s confirmed the arrival of a handover: the case is closed.")
DECLINED_TEXT = _(
    "%(receiver)s declined a handover: the return plan is back in draft for another receiver."
)
ARRIVAL_SUMMARY = "Tiba di {receiver} pada {date}; diterima oleh {name}."
DECLINE_NOTE = "Ditolak oleh {receiver}: {reason}"


# -- helpers -----------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def desk_of(organisation: Organisation | None) -> list[User]:
    """The receiving desk: the organisation's active coordinators and intake officers."""
    if organisation is None:
        return []
    return list(
        User.objects.filter(organisation=organisation, role__in=RECEIVING_DESK, is_active=True)
    )


def sender_side_of(group: StrandedGroup) -> list[User]:
    """Who hears what happened to a group's handover: its coordinators and the case's lead."""
    found = {
        user.pk: user
        for user in User.objects.filter(
            organisation=group.organisation, role=Role.COORDINATOR, is_active=True
        )
    }
    lead = group.case.lead_counsellor
    if lead is not None:
        found[lead.pk] = lead
    return list(found.values())


def group_path(group: StrandedGroup) -> str:
    return reverse("repatriation:group_detail", kwargs={"public_id": group.public_id})


def handover_path(handover: Handover) -> str:
    return reverse("repatriation:handover_detail", kwargs={"public_id": handover.public_id})


def _audit_everywhere(
    *, actor: Any, action: str, handover: Handover, changes: dict[str, Any]
) -> None:
    """One audit row per organisation of this deployment the handover involves."""
    organisation_ids: list[int] = []
    for organisation_id in (handover.sending_organisation_id, handover.receiving_organisation_id):
        if organisation_id is not None and organisation_id not in organisation_ids:
            organisation_ids.append(organisation_id)
    for organisation in Organisation.objects.filter(pk__in=organisation_ids).order_by("pk"):
        audit_record(
            actor=actor,
            action=action,
            target=handover,
            organisation=organisation,
            changes=changes,
        )


# -- sending -----------------------------------------------------------------------------------


@transaction.atomic
def handover_send(
    *,
    actor: User,
    group: StrandedGroup,
    sent_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Handover:
    """Send the travellers of a group with an approved plan to its receiving agency."""
    today = today or timezone.localdate()
    sent_on = sent_on or today
    current = StrandedGroup.objects.select_for_update().select_related("case").get(pk=group.pk)
    on_the_way = current.handovers.filter(status=HandoverStatus.SENT).order_by("-pk").first()
    if on_the_way is not None:
        return on_the_way
    if current.handovers.filter(status=HandoverStatus.ARRIVED).exists():
        raise DomainError(ALREADY_ARRIVED, code="already_arrived")
    plan = ReturnPlan.objects.select_for_update().filter(group=current).first()
    if plan is None:
        raise DomainError(NO_PLAN, code="no_plan")
    if plan.status != PlanStatus.APPROVED:
        if plans.is_over_ceiling(plan):
            raise DomainError(OVER_CEILING_NOT_APPROVED, code="over_ceiling_not_approved")
        raise DomainError(PLAN_NOT_APPROVED, code="plan_not_approved")
    if sent_on > today:
        raise DomainError(SENT_IN_FUTURE, code="future", field="sent_on")
    handover = Handover.objects.create(
        source=HandoverSource.LOCAL,
        group=current,
        sending_organisation=current.organisation,
        sender_name=current.organisation.name,
        receiving_organisation=plan.receiving_organisation,
        receiver_name=plan.receiving_agency,
        sent_on=sent_on,
        created_by=actor,
    )
    travellers = list(plans.travellers_of(current))
    checked_out = ShelterStay.objects.filter(
        member__in=travellers, checked_out_at__isnull=True
    ).update(checked_out_at=timezone.now())
    _audit_everywhere(
        actor=actor,
        action=actions.HANDOVER_SENT,
        handover=handover,
        changes={
            "group": [None, current.number],
            "receiver": [None, handover.receiver_name],
            "via_relay": [None, plan.via_relay],
            "sent_on": [None, sent_on.isoformat()],
            "travellers": [None, len(travellers)],
            "shelter_checked_out": [None, checked_out],
        },
    )
    desk = desk_of(plan.receiving_organisation)
    if desk:
        notify(
            recipients=desk,
            kind="handover_sent",
            text=SENT_TEXT,
            params={"count": len(travellers), "sender": current.organisation.short_name},
            url=handover_path(handover),
        )
    intake.group_status_refresh(current)
    return handover


# -- answering ---------------------------------------------------------------------------------


def _lock(handover: Handover) -> Handover:
    return Handover.objects.select_for_update().get(pk=handover.pk)


def _check_answerer(actor: User, handover: Handover) -> None:
    """The receiving desk answers an in-system handover; the sender records an external one."""
    if handover.receiving_organisation_id is not None:
        if actor.organisation_id == handover.receiving_organisation_id and (
            actor.role in RECEIVING_DESK
        ):
            return
        if actor.organisation_id == handover.sending_organisation_id:
            raise DomainError(RECEIVER_CONFIRMS, code="receiver_confirms")
        raise DomainError(NOT_THE_RECEIVER, code="not_receiver")
    if handover.source != HandoverSource.LOCAL or (
        actor.organisation_id != handover.sending_organisation_id
    ):
        raise DomainError(NOT_THE_SENDER, code="not_sender")


@transaction.atomic
def handover_confirm_arrival(
    *,
    actor: User,
    handover: Handover,
    arrived_on: datetime.date | None,
    received_by_name: str,
    today: datetime.date | None = None,
) -> Handover:
    """Confirm that the travellers arrived; for a local handover the sender's case closes."""
    today = today or timezone.localdate()
    current = _lock(handover)
    _check_answerer(actor, current)
    if current.status == HandoverStatus.ARRIVED:
        return current
    if current.status == HandoverStatus.DECLINED:
        raise DomainError(ALREADY_DECLINED, code="declined")
    if arrived_on is None:
        raise DomainError(ARRIVED_ON_REQUIRED, code="arrived_on_required", field="arrived_on")
    if arrived_on > today:
        raise DomainError(ARRIVED_IN_FUTURE, code="future", field="arrived_on")
    if arrived_on < current.sent_on:
        raise DomainError(ARRIVED_BEFORE_SENT, code="before_sent", field="arrived_on")
    name = _text(received_by_name)
    if not name:
        raise DomainError(
            RECEIVED_BY_REQUIRED, code="received_by_required", field="received_by_name"
        )
    current.status = HandoverStatus.ARRIVED
    current.arrived_on = arrived_on
    current.received_by_name = name
    current.answered_by = actor
    current.answered_at = timezone.now()
    current.version += 1
    current.save()
    _audit_everywhere(
        actor=actor,
        action=actions.HANDOVER_ARRIVED,
        handover=current,
        changes={
            "status": [HandoverStatus.SENT, HandoverStatus.ARRIVED],
            "arrived_on": [None, arrived_on.isoformat()],
            "received_by_name": [None, name],
        },
    )
    group = current.group
    if group is not None:
        group = StrandedGroup.objects.select_for_update().select_related("case").get(pk=group.pk)
        group.returned_on = arrived_on
        group.save(update_fields=["returned_on", "updated_at"])
        intake.group_status_refresh(group)
        case_close_on_arrival(
            actor=actor,
            case=group.case,
            summary=ARRIVAL_SUMMARY.format(
                receiver=current.receiver_name, date=indonesian_date(arrived_on), name=name
            ),
            today=today,
        )
        if current.receiving_organisation_id is not None:
            notify(
                recipients=sender_side_of(group),
                kind="handover_arrived",
                text=ARRIVED_TEXT,
                params={"receiver": current.receiver_name},
                url=group_path(group),
            )
    return current


@transaction.atomic
def handover_decline(*, actor: User, handover: Handover, reason: str) -> Handover:
    """The receiver declines; the sender's plan goes back to draft for another receiver."""
    current = _lock(handover)
    if current.receiving_organisation_id is None or not (
        actor.organisation_id == current.receiving_organisation_id and actor.role in RECEIVING_DESK
    ):
        raise DomainError(NOT_THE_RECEIVER, code="not_receiver")
    if current.status == HandoverStatus.DECLINED:
        return current
    if current.status == HandoverStatus.ARRIVED:
        raise DomainError(ALREADY_ARRIVED_NO_DECLINE, code="arrived")
    text = (reason or "").strip()
    if not text:
        raise DomainError(DECLINE_REASON_REQUIRED, code="reason_required", field="reason")
    current.status = HandoverStatus.DECLINED
    current.declined_reason = text
    current.answered_by = actor
    current.answered_at = timezone.now()
    current.version += 1
    current.save()
    _audit_everywhere(
        actor=actor,
        action=actions.HANDOVER_DECLINED,
        handover=current,
        changes={
            "status": [HandoverStatus.SENT, HandoverStatus.DECLINED],
            "declined_reason": [None, text],
        },
    )
    group = current.group
    if group is not None:
        group = StrandedGroup.objects.select_for_update().select_related("case").get(pk=group.pk)
        plan = ReturnPlan.objects.select_for_update().filter(group=group).first()
        if plan is not None:
            plan.status = PlanStatus.DRAFT
            plan.version += 1
            plan.decision_note = DECLINE_NOTE.format(receiver=current.receiver_name, reason=text)
            plan.save(update_fields=["status", "version", "decision_note", "updated_at"])
        intake.group_status_refresh(group)
        notify(
            recipients=sender_side_of(group),
            kind="handover_declined",
            text=DECLINED_TEXT,
            params={"receiver": current.receiver_name},
            url=group_path(group),
        )
    return current
