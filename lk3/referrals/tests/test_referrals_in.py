"""Referrals in: recording at the intake desk, the registry's duplicate check, and the decision."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases.models import Case
from lk3.cases.tests.builders import intake_channel, open_case, pending_closure, pmks
from lk3.core.errors import DomainError, StaleEditError
from lk3.people.models import Person
from lk3.people.tests.builders import NIK_SITI, make_person
from lk3.referrals import referrals_in
from lk3.referrals.models import Notification, Referral, ReferralEvent, ReferralSettings
from lk3.referrals.tests.intake_builders import REASON, record_referral_in
from lk3.referrals.tests.partner_builders import make_partner

NEW_CLIENT = {
    "full_name": "Rahmawati",
    "sex": "P",
    "birth_date": datetime.date(1990, 2, 14),
    "nik_absence": "unknown",
}


def accept_new(actor, referral, **overrides):
    values = {
        "actor": actor,
        "referral": referral,
        "expected_version": referral.version,
        "intake_channel": intake_channel("slrt-puskesos"),
        "presenting_problem": REASON,
        "pmks_categories": pmks(),
    }
    values.update(overrides)
    return referrals_in.referral_in_accept_new_case(**values)


# -- recording ----------------------------------------------------------------------------


def test_a_referral_in_is_recorded_as_received_with_a_number_and_a_due_date(intan):
    # given
    today = timezone.localdate()
    # when
    referral = record_referral_in(intan, client_nik=NIK_SITI)
    # then
    assert referral.direction == "in"
    assert referral.status == "received"
    assert referral.number == f"RJ-{today.year}-0001"
    assert referral.answer_due_on == today + datetime.timedelta(days=3)
    assert referral.client_nik == NIK_SITI
    assert referral.case is None
    assert referral.person is None
    event = ReferralEvent.objects.get(referral=referral)
    assert (event.from_status, event.to_status, event.by) == ("", "received", intan)


def test_the_answer_days_come_from_the_organisations_settings(intan):
    ReferralSettings.objects.create(organisation=intan.organisation, answer_days=7)
    referral = record_referral_in(intan)
    assert referral.answer_due_on == timezone.localdate() + datetime.timedelta(days=7)


def test_the_nik_and_the_reason_are_encrypted_at_rest(intan):
    referral = record_referral_in(intan, client_nik=NIK_SITI)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_nik, reason FROM referrals_referral WHERE id = %s", [referral.pk]
        )
        stored_nik, stored_reason = cursor.fetchone()
    assert NIK_SITI not in stored_nik
    assert "Puskesos" not in stored_reason


def test_recording_writes_an_audit_row_without_the_clients_details(intan):
    referral = record_referral_in(intan, client_nik=NIK_SITI)
    event = AuditEvent.objects.get(action=actions.REFERRAL_IN_RECORDED)
    assert event.target_id == str(referral.public_id)
    assert event.actor == intan
    assert event.changes["client_nik"] == ["***", "***"]
    assert event.changes["client_name"] == ["***", "***"]
    assert event.changes["reason"] == ["***", "***"]
    assert "Siti" not in event.target_label


def test_a_malformed_nik_is_refused_on_its_field_and_nothing_is_saved(intan):
    with pytest.raises(DomainError) as refused:
        record_referral_in(intan, client_nik="64740145")
    assert refused.value.field == "client_nik"
    assert Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(action=actions.REFERRAL_IN_RECORDED).exists()


def test_a_referral_needs_the_referring_agency(intan):
    with pytest.raises(DomainError) as refused:
        record_referral_in(intan, referrer_name="  ")
    assert refused.value.field == "referrer_name"
    assert refused.value.message == referrals_in.NEEDS_REFERRER


def test_a_partner_of_the_directory_may_be_the_referrer(budi, intan):
    partner = make_partner(budi, "UPTD PPA Kota Bontang")
    referral = record_referral_in(intan, partner=partner, referrer_name="")
    assert referral.partner == partner
    assert referrals_in.referrer_label(referral) == "UPTD PPA Kota Bontang"


def test_a_partner_of_another_network_is_refused(intan, rudi):
    elsewhere = make_partner(rudi, "UPTD PPA Kota Samarinda")
    with pytest.raises(DomainError) as refused:
        record_referral_in(intan, partner=elsewhere)
    assert refused.value.field == "partner"


def test_the_reason_is_required(intan):
    with pytest.raises(DomainError) as refused:
        record_referral_in(intan, reason="")
    assert refused.value.field == "reason"


def test_the_rest_of_the_desk_is_told_without_the_clients_name(intan, budi, sari):
    record_referral_in(intan)
    notified = Notification.objects.filter(kind="referral_in_waiting")
    assert {n.recipient for n in notified} == {budi}
    assert all("Siti" not in n.text for n in notified)


# -- the registry's duplicate check -----------------------------------------------------


def test_the_registry_offers_the_person_with_the_same_nik(intan):
    siti = make_person(intan, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    referral = record_referral_in(intan, client_name="Siti Aminah", client_nik=NIK_SITI)
    found = referrals_in.likely_clients(referral, user=intan)
    assert [client.person for client in found] == [siti]


def test_without_a_birth_date_the_registry_offers_persons_of_the_same_name(intan):
    siti = make_person(intan, "Siti Aminah")
    make_person(intan, "Rahmawati")
    referral = record_referral_in(intan, client_name="Siti Aminah")
    found = referrals_in.likely_clients(referral, user=intan)
    assert [client.person for client in found] == [siti]


def test_the_birth_date_the_agency_gave_tells_two_namesakes_apart(intan):
    make_person(intan, "Siti Aminah", birth_date=datetime.date(1990, 3, 14))
    siti = make_person(intan, "Siti Aminah", birth_date=datetime.date(1985, 8, 5))
    referral = record_referral_in(
        intan,
        client_name="Sitti Aminah",
        client_birth_date=datetime.date(1985, 8, 5),
        client_sex="P",
    )

    found = referrals_in.likely_clients(referral, user=intan)

    assert found[0].person == siti
    assert (referral.client_birth_date, referral.client_sex) == (datetime.date(1985, 8, 5), "P")


def test_a_birth_date_in_the_future_is_refused_on_its_field(intan):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        record_referral_in(intan, client_birth_date=tomorrow)

    assert refused.value.field == "client_birth_date"
    assert not Referral.objects.exists()


# -- accepting into a new case ------------------------------------------------------------


def test_accepting_with_the_existing_person_opens_a_case_without_a_second_person(intan):
    # given: the registry already knows the client
    siti = make_person(intan, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    referral = record_referral_in(intan, client_nik=NIK_SITI)
    offered = referrals_in.likely_clients(referral, user=intan)[0].person
    # when
    accepted = accept_new(intan, referral, client=offered)
    # then
    assert Person.objects.count() == 1
    case = Case.objects.get()
    assert case.client == siti
    assert case.intake_channel.code == "slrt-puskesos"
    assert case.referrer_name == "Puskesos Kelurahan Bontang Baru"
    assert case.referrer_contact == "Bu Lina 0812-5555-1234"
    assert (accepted.status, accepted.case, accepted.person) == ("accepted", case, siti)
    assert accepted.first_answer_at is not None
    assert accepted.version == referral.version + 1


def test_accepting_with_a_new_person_registers_them(intan):
    referral = record_referral_in(intan, client_name="Rahmawati")
    accepted = accept_new(intan, referral, new_client=NEW_CLIENT)
    person = Person.objects.get()
    assert person.full_name == "Rahmawati"
    assert accepted.person == person
    assert accepted.case.client == person


def test_accepting_writes_events_and_audit_rows(intan):
    referral = record_referral_in(intan)
    accept_new(intan, referral, new_client=NEW_CLIENT)
    assert list(referral.events.values_list("to_status", flat=True)) == ["received", "accepted"]
    accepted = AuditEvent.objects.get(action=actions.REFERRAL_IN_ACCEPTED)
    assert accepted.changes["status"] == ["received", "accepted"]
    assert accepted.changes["version"] == [1, 2]
    assert AuditEvent.objects.filter(action="cases.case_opened").count() == 1
    assert AuditEvent.objects.filter(action="people.person_created").count() == 1


def test_a_refused_new_person_leaves_nothing_half_saved(intan):
    # given: the NIK is already registered for someone else
    make_person(intan, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    referral = record_referral_in(intan)
    # when
    with pytest.raises(ValidationError) as refused:
        accept_new(intan, referral, new_client={**NEW_CLIENT, "nik": NIK_SITI, "nik_absence": ""})
    # then
    assert "nik" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "received"
    assert Case.objects.count() == 0
    assert Person.objects.count() == 1


def test_a_case_without_pmks_is_refused_and_no_person_is_registered(intan):
    referral = record_referral_in(intan)
    with pytest.raises(DomainError) as refused:
        accept_new(intan, referral, new_client=NEW_CLIENT, pmks_categories=[])
    assert refused.value.field == "pmks_categories"
    assert Person.objects.count() == 0


def test_accepting_needs_a_client(intan):
    referral = record_referral_in(intan)
    with pytest.raises(DomainError) as refused:
        accept_new(intan, referral)
    assert refused.value.field == "client"


def test_the_lead_counsellor_is_told_the_case_number(intan, sari):
    referral = record_referral_in(intan)
    accepted = accept_new(intan, referral, new_client=NEW_CLIENT, lead_counsellor=sari)
    note = Notification.objects.get(recipient=sari, kind="referral_in_accepted")
    assert accepted.case.number in note.text
    assert "Rahmawati" not in note.text


# -- accepting into an existing case ------------------------------------------------------


def test_accepting_into_an_existing_open_case(intan, budi):
    siti = make_person(budi, "Siti Aminah")
    case = open_case(budi, siti)
    referral = record_referral_in(intan)
    accepted = referrals_in.referral_in_accept_existing_case(
        actor=intan, referral=referral, expected_version=referral.version, case=case
    )
    assert (accepted.status, accepted.case, accepted.person) == ("accepted", case, siti)
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(action=actions.REFERRAL_IN_ACCEPTED).count() == 1


def test_a_case_waiting_for_closure_cannot_take_the_referral(intan, budi):
    closing = pending_closure(budi).case
    referral = record_referral_in(intan)
    with pytest.raises(DomainError) as refused:
        referrals_in.referral_in_accept_existing_case(
            actor=intan, referral=referral, expected_version=referral.version, case=closing
        )
    assert refused.value.field == "case"
    referral.refresh_from_db()
    assert referral.status == "received"


def test_a_case_of_another_organisation_is_refused(intan, rudi):
    elsewhere = open_case(rudi)
    referral = record_referral_in(intan)
    with pytest.raises(DomainError) as refused:
        referrals_in.referral_in_accept_existing_case(
            actor=intan, referral=referral, expected_version=referral.version, case=elsewhere
        )
    assert refused.value.code == "other_organisation"


# -- declining, double submits and stale decisions ----------------------------------------


def test_declining_needs_a_reason(intan):
    referral = record_referral_in(intan)
    with pytest.raises(DomainError) as refused:
        referrals_in.referral_in_decline(
            actor=intan, referral=referral, expected_version=referral.version, reason=" "
        )
    assert refused.value.field == "decline_reason"
    referral.refresh_from_db()
    assert referral.status == "received"
    assert not AuditEvent.objects.filter(action=actions.REFERRAL_IN_DECLINED).exists()


def test_declining_closes_the_referral_with_the_reason(intan):
    referral = record_referral_in(intan)
    declined = referrals_in.referral_in_decline(
        actor=intan,
        referral=referral,
        expected_version=referral.version,
        reason="Di luar wilayah layanan LK3 Bontang.",
    )
    assert declined.status == "declined"
    assert declined.decline_reason == "Di luar wilayah layanan LK3 Bontang."
    assert declined.closed_at is not None
    audit = AuditEvent.objects.get(action=actions.REFERRAL_IN_DECLINED)
    assert audit.changes["status"] == ["received", "declined"]


def test_a_second_decision_on_the_same_referral_is_refused_and_opens_nothing(intan):
    referral = record_referral_in(intan)
    version = referral.version
    accept_new(intan, referral, new_client=NEW_CLIENT)
    with pytest.raises(DomainError) as refused:
        accept_new(intan, referral, new_client=NEW_CLIENT, expected_version=version)
    assert refused.value.code == "already_decided"
    assert Case.objects.count() == 1
    assert Person.objects.count() == 1


def test_a_stale_decision_is_refused(intan):
    referral = record_referral_in(intan)
    Referral.objects.filter(pk=referral.pk).update(version=referral.version + 1)
    with pytest.raises(StaleEditError):
        referrals_in.referral_in_decline(
            actor=intan, referral=referral, expected_version=referral.version, reason="Dobel."
        )


def test_the_queue_shows_waiting_referrals_first_soonest_due_first(intan):
    declined = record_referral_in(intan, client_name="Ani")
    referrals_in.referral_in_decline(
        actor=intan, referral=declined, expected_version=declined.version, reason="Dobel."
    )
    later = record_referral_in(intan, client_name="Budi")
    sooner = record_referral_in(intan, client_name="Citra")
    Referral.objects.filter(pk=sooner.pk).update(answer_due_on=timezone.localdate())
    queue = list(referrals_in.intake_queue(Referral.objects.all()))
    assert queue == [sooner, later, declined]
