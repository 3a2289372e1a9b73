"""The return plan: saving, the cost ceiling, submission and the coordinator's answer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.errors import DomainError, StaleEditError
from lk3.referrals.models import Notification
from lk3.repatriation import plans
from lk3.repatriation.models import (
    GroupStatus,
    HealthStatus,
    PlanStatus,
    RepatriationSettings,
    ReturnPlan,
    StrandedPerson,
)
from lk3.repatriation.tests.builders import take_in
from lk3.repatriation.tests.plan_builders import (
    DEPARTURE,
    approved_plan,
    ready_group,
    save_plan,
    submitted_plan,
)


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# -- saving --


def test_saving_counts_the_travellers_and_moves_the_group_to_planning(budi, sari):
    group = ready_group(budi)
    StrandedPerson.objects.filter(group=group, person__full_name="Dede Saepudin").update(
        decision="local_employment"
    )

    plan = save_plan(sari, group)

    assert plan.travellers == 2
    assert plan.status == PlanStatus.DRAFT
    assert plan.total_cost == Decimal(1_200_000)
    assert plan.cost_per_person == Decimal(600_000)
    group.refresh_from_db()
    assert group.status == GroupStatus.PLANNING
    event = AuditEvent.objects.get(action=actions.RETURN_PLAN_SAVED)
    assert event.changes["ticket_cost"] == [None, 900_000]
    assert event.changes["travellers"] == [None, 2]


def test_a_plan_needs_someone_who_returns_home(budi):
    group = take_in(budi)

    with pytest.raises(DomainError) as refused:
        save_plan(budi, group)

    assert refused.value.code == "no_traveller"
    assert not ReturnPlan.objects.exists()


@pytest.mark.parametrize("amount", [-1, "12.5", "sepuluh"])
def test_costs_are_whole_rupiah_not_below_zero(budi, amount):
    group = ready_group(budi)

    with pytest.raises(DomainError) as refused:
        save_plan(budi, group, pocket_money=amount)

    assert refused.value.field == "pocket_money"
    assert not ReturnPlan.objects.exists()


def test_the_receiving_agency_defaults_to_the_receiving_organisation(budi, dinsos_garut):
    plan = save_plan(
        budi, ready_group(budi), receiving_organisation=dinsos_garut, receiving_agency=""
    )

    assert plan.receiving_organisation == dinsos_garut
    assert plan.receiving_agency == "Dinas Sosial Kabupaten Garut"


def test_the_receiving_agency_is_required_without_an_organisation(budi):
    with pytest.raises(DomainError) as refused:
        save_plan(budi, ready_group(budi), receiving_agency="  ")

    assert refused.value.field == "receiving_agency"


def test_the_receiving_organisation_is_not_the_sender(budi, lk3_bontang):
    with pytest.raises(DomainError) as refused:
        save_plan(budi, ready_group(budi), receiving_organisation=lk3_bontang)

    assert refused.value.code == "receiver_is_sender"
    assert refused.value.field == "receiving_organisation"


def test_the_receiving_organisation_must_be_active(budi, dinsos_garut):
    type(dinsos_garut).objects.filter(pk=dinsos_garut.pk).update(is_active=False)
    dinsos_garut.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        save_plan(budi, ready_group(budi), receiving_organisation=dinsos_garut)

    assert refused.value.code == "receiver_inactive"
    assert not ReturnPlan.objects.exists()


def test_a_stale_plan_edit_is_refused_with_what_changed(budi, sari):
    group = ready_group(budi)
    plan = save_plan(sari, group)
    seen = plan.version
    save_plan(budi, group, expected_version=seen, escort="Pak Yusuf")

    with pytest.raises(StaleEditError) as refused:
        save_plan(sari, group, expected_version=seen, pocket_money=Decimal(300_000))

    assert "escort" in refused.value.changed_fields
    plan.refresh_from_db()
    assert plan.pocket_money == Decimal(150_000)
    assert plan.escort == "Pak Yusuf"


def test_the_same_form_saved_twice_changes_nothing_the_second_time(budi):
    group = ready_group(budi)
    plan = save_plan(budi, group)
    seen = plan.version
    save_plan(budi, group, expected_version=seen, escort="Pak Yusuf")

    again = save_plan(budi, group, expected_version=seen, escort="Pak Yusuf")

    assert again.version == seen + 1
    assert _events(actions.RETURN_PLAN_SAVED) == 2


def test_creating_the_plan_twice_at_once_is_harmless(budi):
    group = ready_group(budi)
    save_plan(budi, group)

    save_plan(budi, group)

    assert ReturnPlan.objects.count() == 1
    assert _events(actions.RETURN_PLAN_SAVED) == 1


def test_no_plan_change_once_the_group_is_handed_over(budi):
    plan = save_plan(budi, ready_group(budi))
    type(plan.group).objects.filter(pk=plan.group_id).update(status=GroupStatus.HANDED_OVER)

    with pytest.raises(DomainError) as refused:
        save_plan(budi, plan.group, expected_version=plan.version, escort="Pak Yusuf")

    assert refused.value.code == "group_handed_over"


# -- submitting and the ceiling --


def test_a_plan_exactly_at_the_ceiling_is_submitted_without_a_reason(budi, sari):
    group = ready_group(budi)
    plan = save_plan(sari, group, ticket_cost=Decimal(1_050_000))  # 1.350.000 / 3 = 450.000

    submitted = plans.plan_submit(actor=sari, plan=plan, expected_version=plan.version)

    assert submitted.status == PlanStatus.SUBMITTED
    assert submitted.cost_per_person == Decimal(450_000)
    assert submitted.ceiling_per_person == Decimal(450_000)
    assert submitted.over_ceiling_reason == ""
    group.refresh_from_db()
    assert group.status == GroupStatus.AWAITING_APPROVAL


def test_a_plan_above_the_ceiling_needs_a_reason(budi, sari):
    plan = save_plan(sari, ready_group(budi), ticket_cost=Decimal(1_050_003))

    with translation.override("en"), pytest.raises(DomainError) as refused:
        plans.plan_submit(actor=sari, plan=plan, expected_version=plan.version)

    assert refused.value.field == "over_ceiling_reason"
    assert "450.000" in str(refused.value.message)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_the_ceiling_is_the_organisations_setting_copied_at_submission(budi, sari, lk3_bontang):
    RepatriationSettings.objects.create(organisation=lk3_bontang, cost_ceiling_per_person=350_000)
    plan = save_plan(sari, ready_group(budi))  # 400.000 each

    submitted = plans.plan_submit(
        actor=sari, plan=plan, expected_version=plan.version, over_ceiling_reason="Kapal saja."
    )
    RepatriationSettings.objects.filter(organisation=lk3_bontang).update(
        cost_ceiling_per_person=500_000
    )

    submitted.refresh_from_db()
    assert submitted.ceiling_per_person == Decimal(350_000)
    assert submitted.over_ceiling_reason == "Kapal saja."
    assert plans.is_over_ceiling(submitted)


def test_submission_tells_the_coordinators_without_names(budi, sari):
    plan = submitted_plan(sari, ready_group(budi))

    note = Notification.objects.get(recipient=budi)
    assert plan.group.number in note.text
    assert "Asep" not in note.text
    assert note.url == f"/repatriation/{plan.group.public_id}/plan/review/"
    assert _events(actions.RETURN_PLAN_SUBMITTED) == 1


def test_a_traveller_not_fit_is_named(budi, sari):
    group = ready_group(budi)
    StrandedPerson.objects.filter(group=group, person__full_name="Eneng Nurhayati").update(
        health_status=HealthStatus.NEEDS_TREATMENT
    )
    plan = save_plan(sari, group)

    with pytest.raises(DomainError) as refused:
        plans.plan_submit(actor=sari, plan=plan, expected_version=plan.version)

    assert refused.value.code == "not_fit"
    assert "Eneng Nurhayati" in str(refused.value.message)
    assert "Asep" not in str(refused.value.message)


def test_no_submission_without_a_traveller(budi, sari):
    group = ready_group(budi)
    plan = save_plan(sari, group)
    StrandedPerson.objects.filter(group=group).update(decision="local_employment")

    with pytest.raises(DomainError) as refused:
        plans.plan_submit(actor=sari, plan=plan, expected_version=plan.version)

    assert refused.value.code == "no_traveller"


def test_submitting_twice_is_harmless(budi, sari):
    plan = save_plan(sari, ready_group(budi))
    seen = plan.version
    plans.plan_submit(actor=sari, plan=plan, expected_version=seen)

    again = plans.plan_submit(actor=sari, plan=plan, expected_version=seen)

    assert again.status == PlanStatus.SUBMITTED
    assert _events(actions.RETURN_PLAN_SUBMITTED) == 1
    assert Notification.objects.filter(recipient=budi).count() == 1


# -- approval --


def test_an_over_ceiling_plan_is_approved_only_with_the_tick(budi, sari):
    plan = submitted_plan(
        sari, ready_group(budi), other_cost=Decimal(600_000), over_ceiling_reason="Tiket naik."
    )

    with pytest.raises(DomainError) as refused:
        plans.plan_approve(actor=budi, plan=plan, expected_version=plan.version)
    assert refused.value.field == "accept_over_ceiling"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    approved = plans.plan_approve(
        actor=budi, plan=plan, expected_version=plan.version, accept_over_ceiling=True
    )
    assert approved.status == PlanStatus.APPROVED
    assert approved.decided_by == budi
    event = AuditEvent.objects.get(action=actions.RETURN_PLAN_APPROVED)
    assert event.changes["over_ceiling_accepted"] == [None, True]


def test_approval_sets_the_group_approved_and_tells_the_lead(budi, sari):
    plan = submitted_plan(sari, ready_group(budi))

    plans.plan_approve(actor=budi, plan=plan, expected_version=plan.version, note="Lanjut.")

    plan.group.refresh_from_db()
    assert plan.group.status == GroupStatus.APPROVED
    assert plans.plan_is_approved(plan.group)
    assert Notification.objects.filter(recipient=sari, kind="return_plan_approved").count() == 1


@pytest.mark.parametrize("who", ["sari", "intan"])
def test_only_the_coordinator_approves(budi, sari, intan, who):
    plan = submitted_plan(sari, ready_group(budi))
    actor = {"sari": sari, "intan": intan}[who]

    with pytest.raises(PermissionDenied):
        plans.plan_approve(actor=actor, plan=plan, expected_version=plan.version)
    with pytest.raises(PermissionDenied):
        plans.plan_send_back(actor=actor, plan=plan, expected_version=plan.version, note="x")

    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert _events(actions.RETURN_PLAN_APPROVED) == 0


def test_approving_twice_is_harmless(budi, sari):
    plan = submitted_plan(sari, ready_group(budi))
    seen = plan.version
    plans.plan_approve(actor=budi, plan=plan, expected_version=seen)

    again = plans.plan_approve(actor=budi, plan=plan, expected_version=seen)

    assert again.status == PlanStatus.APPROVED
    assert _events(actions.RETURN_PLAN_APPROVED) == 1


def test_a_draft_plan_is_not_approved(budi):
    plan = save_plan(budi, ready_group(budi))

    with pytest.raises(DomainError) as refused:
        plans.plan_approve(actor=budi, plan=plan, expected_version=plan.version)

    assert refused.value.code == "not_submitted"


def test_sending_back_needs_a_note(budi, sari):
    plan = submitted_plan(sari, ready_group(budi))

    with pytest.raises(DomainError) as refused:
        plans.plan_send_back(actor=budi, plan=plan, expected_version=plan.version, note=" ")
    assert refused.value.field == "note"

    back = plans.plan_send_back(
        actor=budi, plan=plan, expected_version=plan.version, note="Cek harga tiket kapal."
    )
    assert back.status == PlanStatus.DRAFT
    assert back.decision_note == "Cek harga tiket kapal."
    back.group.refresh_from_db()
    assert back.group.status == GroupStatus.PLANNING
    assert _events(actions.RETURN_PLAN_SENT_BACK) == 1


def test_editing_an_approved_plan_needs_approval_again(budi, sari):
    plan = approved_plan(budi, ready_group(budi))

    changed = save_plan(
        sari,
        plan.group,
        expected_version=plan.version,
        departure_on=DEPARTURE.replace(day=5),
    )

    assert changed.status == PlanStatus.DRAFT
    assert not plans.plan_is_approved(plan.group)
    changed.group.refresh_from_db()
    assert changed.group.status == GroupStatus.PLANNING
    event = AuditEvent.objects.filter(action=actions.RETURN_PLAN_SAVED).latest("id")
    assert event.changes["status"] == [PlanStatus.APPROVED, PlanStatus.DRAFT]


def test_saving_an_approved_plan_unchanged_keeps_the_approval(budi):
    plan = approved_plan(budi, ready_group(budi))

    same = save_plan(budi, plan.group, expected_version=plan.version)

    assert same.status == PlanStatus.APPROVED
