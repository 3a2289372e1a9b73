"""Identification, screening, shelter, family tracing and decisions: the rules of members.py."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from lk3.audit.models import AuditEvent
from lk3.core.errors import DomainError, StaleEditError
from lk3.people.tests.builders import TODAY, make_person
from lk3.repatriation import intake, members
from lk3.repatriation.models import (
    Decision,
    GroupStatus,
    HealthStatus,
    IdentityDocument,
    PlanStatus,
    RepatriationSettings,
    ReturnPlan,
    ShelterStay,
    TracingContact,
    TracingMethod,
    TracingResult,
    TravelMode,
)
from lk3.repatriation.tests.builders import KOTA_KULON, NIK_ASEP, take_in
from lk3.repatriation.tests.handover_builders import send
from lk3.repatriation.tests.member_builders import decide_return, returned_home, screened_fit


def _asep(group):
    return group.members.select_related("person").get(person__full_name="Asep Saepudin")


def _rule(organisation, *, allowed=1, days=365):
    RepatriationSettings.objects.update_or_create(
        organisation=organisation,
        defaults={"returns_allowed": allowed, "return_window_days": days},
    )


# -- identification --------------------------------------------------------------------------


def test_identification_is_saved_with_the_origin_codes_and_audited(budi):
    group = take_in(budi)
    member = _asep(group)
    updated = members.member_update(
        actor=budi,
        member=member,
        expected_version=member.version,
        documents=[IdentityDocument.POLICE_LOST, IdentityDocument.KK],
        health_status=HealthStatus.NEEDS_TREATMENT,
        health_note="Demam tinggi, tampak bingung.",
        screened_on=TODAY,
        stated_origin="Kampung Cimanuk, Garut",
        origin_code=KOTA_KULON,
        today=TODAY,
    )
    updated.refresh_from_db()
    assert updated.documents == ["kk", "police_lost"]
    assert updated.origin_region_id == KOTA_KULON
    assert (updated.origin_province_code, updated.origin_regency_code) == ("32", "32.05")
    assert updated.version == member.version + 1
    event = AuditEvent.objects.get(action="repatriation.member_updated")
    assert event.changes["health_note"] == ["***", "***"]
    assert event.changes["origin_region"] == [None, KOTA_KULON]
    assert "Demam" not in str(event.changes)


def test_an_undotted_origin_code_is_understood(budi):
    member = _asep(take_in(budi))
    updated = members.member_update(
        actor=budi,
        member=member,
        expected_version=member.version,
        documents=[],
        origin_code="3205011001",
        today=TODAY,
    )
    assert updated.origin_region_id == KOTA_KULON


def test_an_unknown_origin_code_is_refused_and_nothing_is_saved(budi):
    member = _asep(take_in(budi))
    with pytest.raises(DomainError) as refused:
        members.member_update(
            actor=budi,
            member=member,
            expected_version=member.version,
            documents=[IdentityDocument.KTP],
            health_status=HealthStatus.FIT,
            origin_code="99.99.99.9999",
            today=TODAY,
        )
    assert refused.value.field == "origin_region"
    assert "99.99.99.9999" in str(refused.value.message)
    member.refresh_from_db()
    assert (member.documents, member.health_status) == ([], HealthStatus.NOT_SCREENED)
    assert not AuditEvent.objects.filter(action="repatriation.member_updated").exists()


def test_a_stale_identification_edit_is_refused_with_what_changed(budi, sari):
    member = _asep(take_in(budi))
    loaded = member.version
    members.member_update(
        actor=sari,
        member=member,
        expected_version=loaded,
        documents=[IdentityDocument.KTP],
        today=TODAY,
    )
    with pytest.raises(StaleEditError) as stale:
        members.member_update(
            actor=budi,
            member=member,
            expected_version=loaded,
            documents=[IdentityDocument.KK],
            today=TODAY,
        )
    assert "documents" in stale.value.changed_fields
    member.refresh_from_db()
    assert member.documents == ["ktp"]


def test_saving_the_same_identification_twice_changes_nothing(budi):
    member = _asep(take_in(budi))
    first = screened_fit(budi, member)
    again = members.member_update(
        actor=budi,
        member=member,
        expected_version=member.version,  # the form loaded before the first save
        documents=[],
        health_status=HealthStatus.FIT,
        screened_on=TODAY,
        today=TODAY,
    )
    assert again.version == first.version
    assert AuditEvent.objects.filter(action="repatriation.member_updated").count() == 1


def test_a_screening_in_the_future_is_refused(budi):
    member = _asep(take_in(budi))
    with pytest.raises(DomainError) as refused:
        screened_fit(budi, member, screened_on=TODAY + datetime.timedelta(days=1))
    assert refused.value.field == "screened_on"


# -- shelter ---------------------------------------------------------------------------------


def test_check_in_then_out_is_audited(budi):
    member = _asep(take_in(budi))
    stay = members.shelter_check_in(actor=budi, member=member, shelter="Rumah Singgah Bontang")
    members.shelter_check_out(actor=budi, stay=stay)
    stay.refresh_from_db()
    assert stay.checked_out_at is not None
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["repatriation.shelter_checked_in", "repatriation.shelter_checked_out"]


def test_a_second_check_in_while_in_shelter_is_refused(budi):
    member = _asep(take_in(budi))
    members.shelter_check_in(actor=budi, member=member, shelter="Rumah Singgah Bontang")
    with pytest.raises(DomainError) as refused:
        members.shelter_check_in(actor=budi, member=member, shelter="Shelter Dinsos")
    assert refused.value.code == "already_in_shelter"
    assert "Rumah Singgah Bontang" in str(refused.value.message)
    assert ShelterStay.objects.filter(member=member).count() == 1


def test_check_out_before_check_in_or_twice_is_refused(budi):
    member = _asep(take_in(budi))
    now = timezone.now()
    stay = members.shelter_check_in(
        actor=budi, member=member, shelter="Rumah Singgah", checked_in_at=now
    )
    with pytest.raises(DomainError) as early:
        members.shelter_check_out(
            actor=budi, stay=stay, checked_out_at=now - datetime.timedelta(hours=1)
        )
    assert early.value.code == "before_check_in"
    members.shelter_check_out(actor=budi, stay=stay, checked_out_at=now)
    with pytest.raises(DomainError) as twice:
        members.shelter_check_out(actor=budi, stay=stay)
    assert twice.value.code == "not_in_shelter"
    assert AuditEvent.objects.filter(action="repatriation.shelter_checked_out").count() == 1


def test_after_check_out_a_new_stay_may_begin(budi):
    member = _asep(take_in(budi))
    stay = members.shelter_check_in(actor=budi, member=member, shelter="Rumah Singgah")
    members.shelter_check_out(actor=budi, stay=stay)
    members.shelter_check_in(actor=budi, member=member, shelter="Panti Sosial")
    assert member.stays.count() == 2


# -- family tracing --------------------------------------------------------------------------


def test_a_tracing_contact_is_recorded_without_its_note_in_the_trail(budi):
    group = take_in(budi)
    entry = members.tracing_record(
        actor=budi,
        group=group,
        member=_asep(group),
        contacted_on=TODAY,
        contact="Kakak Asep di Garut",
        method=TracingMethod.WHATSAPP,
        result=TracingResult.WILL_RECEIVE,
        note="Kakaknya bersedia menjemput di terminal Guntur.",
        today=TODAY,
    )
    assert TracingContact.objects.get().note.startswith("Kakaknya")
    event = AuditEvent.objects.get(action="repatriation.tracing_recorded")
    assert event.changes["contact"] == [None, entry.contact]
    assert "menjemput" not in str(event.changes)


def test_a_tracing_contact_in_the_future_is_refused(budi):
    group = take_in(budi)
    with pytest.raises(DomainError) as refused:
        members.tracing_record(
            actor=budi,
            group=group,
            contacted_on=TODAY + datetime.timedelta(days=1),
            contact="Dinsos Garut",
            method=TracingMethod.PHONE,
            result=TracingResult.NO_ANSWER,
            today=TODAY,
        )
    assert refused.value.field == "contacted_on"
    assert not TracingContact.objects.exists()


# -- decision --------------------------------------------------------------------------------


def test_return_home_needs_the_person_fit_to_travel(budi):
    group = take_in(budi)
    member = _asep(group)
    with pytest.raises(DomainError) as refused:
        members.member_decide(
            actor=budi,
            member=member,
            decision=Decision.RETURN_HOME,
            reason="Ingin pulang",
            expected_version=member.version,
            today=TODAY,
        )
    assert refused.value.code == "not_fit"
    member.refresh_from_db()
    assert member.decision == ""


def test_a_decision_is_recorded_audited_and_moves_the_group(budi, sari):
    group = take_in(budi)
    member = decide_return(sari, _asep(group))
    assert (member.decision, member.decided_on, member.decided_by) == (
        Decision.RETURN_HOME,
        TODAY,
        sari,
    )
    group.refresh_from_db()
    assert group.status == GroupStatus.PLANNING
    assert AuditEvent.objects.filter(action="repatriation.decided").count() == 1


def test_a_decision_needs_a_reason(budi):
    member = _asep(take_in(budi))
    with pytest.raises(DomainError) as refused:
        members.member_decide(
            actor=budi,
            member=member,
            decision=Decision.LOCAL_EMPLOYMENT,
            reason="  ",
            expected_version=member.version,
            today=TODAY,
        )
    assert refused.value.field == "reason"


def test_a_stale_decision_is_refused(budi, sari):
    member = _asep(take_in(budi))
    loaded = member.version
    members.member_decide(
        actor=sari,
        member=member,
        decision=Decision.LOCAL_EMPLOYMENT,
        reason="Diterima bekerja di toko",
        expected_version=loaded,
        today=TODAY,
    )
    with pytest.raises(StaleEditError):
        members.member_decide(
            actor=budi,
            member=member,
            decision=Decision.OTHER,
            reason="Dirujuk ke panti",
            expected_version=loaded,
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("plan_status", "code"),
    [(PlanStatus.SUBMITTED, "plan_pending"), (PlanStatus.APPROVED, "plan_pending")],
)
def test_decisions_are_frozen_while_the_plan_is_submitted_or_approved(budi, plan_status, code):
    group = take_in(budi)
    asep = decide_return(budi, _asep(group))
    ReturnPlan.objects.create(
        group=group,
        mode=TravelMode.BUS,
        route="Bontang - Balikpapan - Surabaya - Garut",
        receiving_agency="Dinas Sosial Kabupaten Garut",
        travellers=3,
        status=plan_status,
    )
    intake.group_status_refresh(group)
    with pytest.raises(DomainError) as refused:
        members.member_decide(
            actor=budi,
            member=asep,
            decision=Decision.LOCAL_EMPLOYMENT,
            reason="Berubah pikiran",
            expected_version=asep.version,
            today=TODAY,
        )
    assert refused.value.code == code
    asep.refresh_from_db()
    assert asep.decision == Decision.RETURN_HOME


def test_decisions_are_frozen_once_the_return_is_done(budi):
    asep = make_person(budi, "Asep Saepudin", sex="L", nik=NIK_ASEP)
    earlier = returned_home(budi, asep, TODAY - datetime.timedelta(days=30))
    member = earlier.members.get()
    with pytest.raises(DomainError) as refused:
        members.member_decide(
            actor=budi,
            member=member,
            decision=Decision.OTHER,
            reason="Koreksi",
            expected_version=member.version,
            today=TODAY,
        )
    assert refused.value.code == "under_way"


# -- returned before -------------------------------------------------------------------------


def _again(actor, days_ago):
    """Asep returned home ``days_ago`` days ago, and now stranded again (fit to travel)."""
    asep = make_person(actor, "Asep Saepudin", sex="L", nik=NIK_ASEP)
    earlier = returned_home(actor, asep, TODAY - datetime.timedelta(days=days_ago))
    now = take_in(actor, [asep])
    return earlier, screened_fit(actor, now.members.get())


def _return(actor, member, note=""):
    return members.member_decide(
        actor=actor,
        member=member,
        decision=Decision.RETURN_HOME,
        reason="Ingin pulang lagi",
        exception_note=note,
        expected_version=member.version,
        today=TODAY,
    )


def test_returned_before_lists_the_earlier_return(budi):
    earlier, member = _again(budi, days_ago=100)
    found = members.returned_before(member, TODAY)
    assert [item.group for item in found] == [earlier]


def test_a_second_return_within_the_window_is_refused_naming_the_earlier_intake(budi, sari):
    _rule(budi.organisation, allowed=1, days=365)
    earlier, member = _again(budi, days_ago=100)
    with pytest.raises(DomainError) as refused:
        _return(sari, member)
    assert refused.value.code == "returned_before"
    assert earlier.number in str(refused.value.message)
    member.refresh_from_db()
    assert member.decision == ""


def test_a_counsellor_cannot_record_the_exception(budi, sari):
    _earlier, member = _again(budi, days_ago=100)
    with pytest.raises(DomainError) as refused:
        _return(sari, member, note="Anaknya sakit keras di Garut")
    assert refused.value.code == "returned_before"
    member.refresh_from_db()
    assert member.decision == ""


def test_the_coordinator_needs_a_note_for_the_exception(budi):
    _earlier, member = _again(budi, days_ago=100)
    with pytest.raises(DomainError) as refused:
        _return(budi, member)
    assert refused.value.field == "exception_note"


def test_the_coordinator_records_an_exception_with_a_note(budi):
    _earlier, member = _again(budi, days_ago=100)
    decided = _return(budi, member, note="Anaknya sakit keras di Garut")
    assert decided.decision == Decision.RETURN_HOME
    assert decided.returned_before_note == "Anaknya sakit keras di Garut"


def test_a_return_outside_the_window_does_not_count(budi, sari):
    _rule(budi.organisation, allowed=1, days=365)
    _earlier, member = _again(budi, days_ago=400)
    assert members.returned_before(member, TODAY) == []
    assert _return(sari, member).decision == Decision.RETURN_HOME


def test_no_limit_when_returns_allowed_is_zero(budi, sari):
    _rule(budi.organisation, allowed=0)
    _earlier, member = _again(budi, days_ago=100)
    assert len(members.returned_before(member, TODAY)) == 1
    decided = _return(sari, member)
    assert (decided.decision, decided.returned_before_note) == (Decision.RETURN_HOME, "")


def test_two_returns_allowed_lets_a_second_one_through(budi, sari):
    _rule(budi.organisation, allowed=2)
    _earlier, member = _again(budi, days_ago=100)
    assert _return(sari, member).decision == Decision.RETURN_HOME


def test_an_intake_still_being_planned_is_not_a_return(budi, sari):
    asep = make_person(budi, "Asep Saepudin", sex="L", nik=NIK_ASEP)
    earlier = take_in(budi, [asep], found_on=TODAY - datetime.timedelta(days=20))
    decide_return(budi, earlier.members.get())
    member = screened_fit(budi, take_in(budi, [asep]).members.get())
    assert members.returned_before(member, TODAY) == []


def test_returns_of_another_organisation_do_not_count(budi, rudi, sari):
    stranger = make_person(rudi, "Asep Saepudin", sex="L", nik=NIK_ASEP)
    returned_home(rudi, stranger, TODAY - datetime.timedelta(days=50))
    asep = make_person(budi, "Asep Saepudin", sex="L", nik=NIK_ASEP)
    member = screened_fit(budi, take_in(budi, [asep]).members.get())
    assert members.returned_before(member, TODAY) == []


def test_no_shelter_or_tracing_once_the_group_has_left(budi):
    handover = send(budi)
    assert handover.group is not None
    member = handover.group.members.order_by("pk").first()
    assert member is not None
    with pytest.raises(DomainError) as refused:
        members.shelter_check_in(actor=budi, member=member, shelter="Rumah Singgah")
    assert refused.value.code == "group_gone"
    with pytest.raises(DomainError) as refused:
        members.tracing_record(
            actor=budi,
            group=handover.group,
            contacted_on=TODAY,
            contact="Pak RT",
            method="phone",
            result="no_answer",
            today=TODAY,
        )
    assert refused.value.code == "group_gone"
    assert not member.stays.filter(checked_out_at__isnull=True).exists()


def test_the_origin_is_shared_with_the_group_members_who_have_none(budi):
    group = take_in(budi)
    asep, eneng, dede = group.members.order_by("pk")
    members.member_update(
        actor=budi,
        member=eneng,
        expected_version=eneng.version,
        documents=[],
        origin_code="35.07",  # Eneng says Malang: her own origin stays
    )
    members.member_update(
        actor=budi,
        member=asep,
        expected_version=asep.version,
        documents=["ktp"],
        origin_code=KOTA_KULON,
        share_origin=True,
    )
    origins = dict(group.members.values_list("pk", "origin_region_id"))
    assert origins == {asep.pk: KOTA_KULON, eneng.pk: "35.07", dede.pk: KOTA_KULON}
    dede.refresh_from_db()
    assert (dede.origin_province_code, dede.origin_regency_code) == ("32", "32.05")
    assert dede.version == 2
    assert AuditEvent.objects.filter(
        action="repatriation.member_updated", target_id=str(dede.public_id)
    ).exists()
