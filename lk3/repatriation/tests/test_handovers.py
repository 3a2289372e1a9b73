"""Sending a handover, confirming the arrival, declining: the rules of handovers.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases.models import CaseStatus, ClosureReason
from lk3.core.errors import DomainError
from lk3.people.tests.builders import TODAY
from lk3.referrals.models import Notification
from lk3.repatriation import handovers
from lk3.repatriation.models import (
    GroupStatus,
    Handover,
    HandoverSource,
    HandoverStatus,
    PlanStatus,
    ShelterStay,
    StrandedGroup,
)
from lk3.repatriation.tests.builders import take_in
from lk3.repatriation.tests.handover_builders import (
    GARUT_AGENCY,
    approved_group,
    decide_return,
    lone_traveller,
    make_plan,
    send,
)

LATER = TODAY + datetime.timedelta(days=2)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _refused(code: str, **kwargs):
    with pytest.raises(DomainError) as caught:
        kwargs.pop("call")(**kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


# -- sending -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.SUBMITTED])
def test_a_plan_not_approved_cannot_be_sent(budi, dinsos_garut, status):
    group = take_in(budi)
    decide_return(group)
    make_plan(group, budi, receiving_organisation=dinsos_garut, status=status)

    error = _refused(
        "plan_not_approved", call=handovers.handover_send, actor=budi, group=group, today=TODAY
    )

    assert "approves it" in str(error.message)
    assert not Handover.objects.exists()


def test_a_plan_over_the_ceiling_without_approval_cannot_be_sent(budi, dinsos_garut):
    group = take_in(budi)
    decide_return(group)
    # 3 travellers at Rp 900,000 each: twice the ceiling of Rp 450,000.
    make_plan(
        group,
        budi,
        receiving_organisation=dinsos_garut,
        status=PlanStatus.SUBMITTED,
        ticket_cost=Decimal(2_700_000),
        over_ceiling_reason="Tiket kapal naik menjelang Natal.",
    )

    error = _refused(
        "over_ceiling_not_approved",
        call=handovers.handover_send,
        actor=budi,
        group=group,
        today=TODAY,
    )

    assert "over the ceiling" in str(error.message)
    assert not Handover.objects.exists()
    group.refresh_from_db()
    assert group.status == GroupStatus.AWAITING_APPROVAL


def test_a_group_without_a_plan_cannot_be_sent(budi):
    group = take_in(budi)
    decide_return(group)

    _refused("no_plan", call=handovers.handover_send, actor=budi, group=group, today=TODAY)


def test_an_over_ceiling_plan_the_coordinator_approved_is_sent(budi, dinsos_garut):
    group = approved_group(
        budi, receiving_organisation=dinsos_garut, ticket_cost=Decimal(2_700_000)
    )

    handover = handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)

    assert handover.status == HandoverStatus.SENT


def test_sending_creates_the_handover_checks_out_and_tells_the_receiver(
    budi, sari, dinsos_garut, dadang
):
    group = approved_group(budi, receiving_organisation=dinsos_garut)
    for member in group.members.all():
        ShelterStay.objects.create(
            member=member,
            shelter="Rumah Singgah Dinsos Bontang",
            checked_in_at=timezone.now() - datetime.timedelta(days=1),
            recorded_by=budi,
        )

    handover = handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)

    assert handover.source == HandoverSource.LOCAL
    assert handover.group == group
    assert handover.sending_organisation == budi.organisation
    assert handover.sender_name == budi.organisation.name
    assert handover.receiving_organisation == dinsos_garut
    assert handover.receiver_name == GARUT_AGENCY
    assert handover.sent_on == TODAY
    assert handover.created_by == budi
    assert not ShelterStay.objects.filter(checked_out_at__isnull=True).exists()
    group.refresh_from_db()
    assert group.status == GroupStatus.HANDED_OVER
    note = Notification.objects.get(recipient=dadang)
    assert note.kind == "handover_sent"
    assert note.url == f"/repatriation/handovers/{handover.public_id}/"
    assert "Asep" not in note.text
    assert "3" in note.text
    assert set(
        AuditEvent.objects.filter(action=actions.HANDOVER_SENT).values_list(
            "organisation", flat=True
        )
    ) == {budi.organisation_id, dinsos_garut.pk}


def test_sending_twice_returns_the_handover_on_its_way(budi, dinsos_garut, dadang):
    group = approved_group(budi, receiving_organisation=dinsos_garut)

    first = handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)
    second = handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)

    assert first.pk == second.pk
    assert Handover.objects.count() == 1
    assert Notification.objects.filter(recipient=dadang).count() == 1


def test_a_send_date_in_the_future_is_refused(budi):
    group = approved_group(budi)

    error = _refused(
        "future",
        call=handovers.handover_send,
        actor=budi,
        group=group,
        sent_on=TODAY + datetime.timedelta(days=1),
        today=TODAY,
    )

    assert error.field == "sent_on"


# -- arrival in this deployment ------------------------------------------------------------------


def test_the_receiver_confirms_the_arrival_and_the_senders_case_closes(
    budi, sari, dinsos_garut, dadang
):
    handover = send(budi, receiving_organisation=dinsos_garut)

    handovers.handover_confirm_arrival(
        actor=dadang,
        handover=handover,
        arrived_on=LATER,
        received_by_name="  Hj. Euis   Komariah ",
        today=LATER,
    )

    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ARRIVED
    assert handover.arrived_on == LATER
    assert handover.received_by_name == "Hj. Euis Komariah"
    assert handover.answered_by == dadang
    group = StrandedGroup.objects.get(handovers=handover)
    assert group.status == GroupStatus.ARRIVED
    assert group.returned_on == LATER
    case = group.case
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.REPATRIATED
    closure = case.closure_requests.get()
    assert closure.summary.startswith(f"Tiba di {GARUT_AGENCY} pada 30 November 2026")
    assert "Hj. Euis Komariah" in closure.summary
    told = set(
        Notification.objects.filter(kind="handover_arrived").values_list("recipient", flat=True)
    )
    assert told == {budi.pk, sari.pk}
    assert set(
        AuditEvent.objects.filter(action=actions.HANDOVER_ARRIVED).values_list(
            "organisation", flat=True
        )
    ) == {budi.organisation_id, dinsos_garut.pk}


def test_a_second_confirmation_changes_nothing(budi, dinsos_garut, dadang):
    handover = send(budi, receiving_organisation=dinsos_garut)
    handovers.handover_confirm_arrival(
        actor=dadang, handover=handover, arrived_on=LATER, received_by_name="Euis", today=LATER
    )

    again = handovers.handover_confirm_arrival(
        actor=dadang,
        handover=handover,
        arrived_on=LATER + datetime.timedelta(days=1),
        received_by_name="Somebody else",
        today=LATER + datetime.timedelta(days=1),
    )

    assert again.arrived_on == LATER
    assert again.received_by_name == "Euis"
    assert AuditEvent.objects.filter(action=actions.HANDOVER_ARRIVED).count() == 2  # one per org


def test_the_sender_cannot_confirm_a_handover_to_an_organisation_in_this_system(budi, dinsos_garut):
    handover = send(budi, receiving_organisation=dinsos_garut)

    error = _refused(
        "receiver_confirms",
        call=handovers.handover_confirm_arrival,
        actor=budi,
        handover=handover,
        arrived_on=LATER,
        received_by_name="Euis",
        today=LATER,
    )

    assert "its desk confirms" in str(error.message)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SENT


def test_another_organisation_cannot_confirm(budi, rudi, dinsos_garut):
    handover = send(budi, receiving_organisation=dinsos_garut)

    _refused(
        "not_receiver",
        call=handovers.handover_confirm_arrival,
        actor=rudi,
        handover=handover,
        arrived_on=LATER,
        received_by_name="Euis",
        today=LATER,
    )


@pytest.mark.parametrize(
    ("arrived_on", "name", "field", "code"),
    [
        (None, "Euis", "arrived_on", "arrived_on_required"),
        (LATER + datetime.timedelta(days=1), "Euis", "arrived_on", "future"),
        (TODAY - datetime.timedelta(days=1), "Euis", "arrived_on", "before_sent"),
        (LATER, "   ", "received_by_name", "received_by_required"),
    ],
)
def test_bad_arrival_details_are_refused(budi, dinsos_garut, dadang, arrived_on, name, field, code):
    handover = send(budi, receiving_organisation=dinsos_garut)

    error = _refused(
        code,
        call=handovers.handover_confirm_arrival,
        actor=dadang,
        handover=handover,
        arrived_on=arrived_on,
        received_by_name=name,
        today=LATER,
    )

    assert error.field == field
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SENT
    assert StrandedGroup.objects.get(handovers=handover).case.status == CaseStatus.OPEN


# -- a receiver outside this system ----------------------------------------------------------------


def test_the_sender_records_the_arrival_at_a_receiver_outside_this_system(budi):
    handover = send(budi, receiving_organisation=None)

    handovers.handover_confirm_arrival(
        actor=budi, handover=handover, arrived_on=LATER, received_by_name="Euis", today=LATER
    )

    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ARRIVED
    group = StrandedGroup.objects.get(handovers=handover)
    assert group.status == GroupStatus.ARRIVED
    assert group.case.status == CaseStatus.CLOSED
    assert list(
        AuditEvent.objects.filter(action=actions.HANDOVER_ARRIVED).values_list(
            "organisation", flat=True
        )
    ) == [budi.organisation_id]


def test_nobody_else_records_the_arrival_of_an_external_handover(budi, rudi):
    handover = send(budi, receiving_organisation=None)

    _refused(
        "not_sender",
        call=handovers.handover_confirm_arrival,
        actor=rudi,
        handover=handover,
        arrived_on=LATER,
        received_by_name="Euis",
        today=LATER,
    )


# -- declining -----------------------------------------------------------------------------------


def test_declining_needs_a_reason(budi, dinsos_garut, dadang):
    handover = send(budi, receiving_organisation=dinsos_garut)

    error = _refused(
        "reason_required",
        call=handovers.handover_decline,
        actor=dadang,
        handover=handover,
        reason="  ",
    )

    assert error.field == "reason"
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SENT


def test_a_decline_returns_the_plan_to_draft(budi, sari, dinsos_garut, dadang):
    handover = send(budi, receiving_organisation=dinsos_garut)
    plan = StrandedGroup.objects.get(handovers=handover).plan
    version = plan.version

    handovers.handover_decline(
        actor=dadang,
        handover=handover,
        reason="Keluarga sudah pindah ke Tasikmalaya: hubungi Dinsos Tasikmalaya.",
    )

    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DECLINED
    assert handover.answered_by == dadang
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.version == version + 1
    assert plan.decision_note == (
        f"Ditolak oleh {GARUT_AGENCY}: Keluarga sudah pindah ke Tasikmalaya: "
        "hubungi Dinsos Tasikmalaya."
    )
    group = StrandedGroup.objects.get(handovers=handover)
    assert group.status == GroupStatus.PLANNING
    assert group.case.status == CaseStatus.OPEN
    told = set(
        Notification.objects.filter(kind="handover_declined").values_list("recipient", flat=True)
    )
    assert told == {budi.pk, sari.pk}
    assert all(
        "Tasikmalaya" not in note.text
        for note in Notification.objects.filter(kind="handover_declined")
    )
    # Approved again, it can be sent again: a new handover.
    plan.status = PlanStatus.APPROVED
    plan.save()
    again = handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)
    assert again.pk != handover.pk


def test_the_sender_cannot_decline(budi, dinsos_garut):
    handover = send(budi, receiving_organisation=dinsos_garut)

    _refused(
        "not_receiver",
        call=handovers.handover_decline,
        actor=budi,
        handover=handover,
        reason="Salah alamat",
    )


def test_an_answered_handover_cannot_be_answered_the_other_way(budi, dinsos_garut, dadang):
    arrived = send(budi, receiving_organisation=dinsos_garut)
    handovers.handover_confirm_arrival(
        actor=dadang, handover=arrived, arrived_on=LATER, received_by_name="Euis", today=LATER
    )
    declined = send(budi, receiving_organisation=dinsos_garut, persons=lone_traveller(budi))
    handovers.handover_decline(actor=dadang, handover=declined, reason="Bukan warga Garut")

    _refused("arrived", call=handovers.handover_decline, actor=dadang, handover=arrived, reason="x")
    _refused(
        "declined",
        call=handovers.handover_confirm_arrival,
        actor=dadang,
        handover=declined,
        arrived_on=LATER,
        received_by_name="Euis",
        today=LATER,
    )
    # Declining again is a double submit: nothing changes.
    again = handovers.handover_decline(actor=dadang, handover=declined, reason="other")
    assert again.declined_reason == "Bukan warga Garut"
    assert AuditEvent.objects.filter(action=actions.HANDOVER_DECLINED).count() == 2


def test_an_arrived_group_cannot_be_sent_again(budi):
    handover = send(budi)
    handovers.handover_confirm_arrival(
        actor=budi, handover=handover, arrived_on=LATER, received_by_name="Euis", today=LATER
    )

    _refused(
        "already_arrived",
        call=handovers.handover_send,
        actor=budi,
        group=handover.group,
        today=LATER,
    )
