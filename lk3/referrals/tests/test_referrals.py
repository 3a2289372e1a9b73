"""Referrals out: sending (consent, MoU, numbering, double submit), answers, revoking."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from conftest import make_user
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases.tests.builders import open_case
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.models import ServiceType
from lk3.people import services as people_services
from lk3.people.models import ConsentGiver, ConsentPurpose
from lk3.people.tests.builders import make_person
from lk3.referrals import referral_selectors, referrals
from lk3.referrals.models import (
    Agreement,
    LegalBasis,
    Notification,
    Referral,
    ReferralEvent,
    ReferralSettings,
    ReferralStatus,
    SharedItem,
)
from lk3.referrals.tests.referral_builders import (
    SERVICE,
    answer,
    case_of,
    data_sharing_consent,
    link_staff,
    partner_for,
    revoke,
    send_referral,
)

S = ReferralStatus


@pytest.fixture
def ppa(budi, mitra_ppa):
    partner = partner_for(budi)
    link_staff(mitra_ppa, partner)
    return partner


def refused(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    return error.value.code, error.value.field


# -- sending ----------------------------------------------------------------------------------


def test_sending_numbers_dates_and_records_the_referral(sari, ppa):
    today = timezone.localdate()
    referral = send_referral(sari, partner=ppa)

    assert referral.number == f"RJ-{today.year}-0001"
    assert referral.status == S.SENT
    assert referral.answer_due_on == today + datetime.timedelta(days=3)
    assert referral.created_by == sari
    assert referral.person == case_of(referral).client
    assert referral.consent is not None
    event = ReferralEvent.objects.get(referral=referral)
    assert (event.from_status, event.to_status, event.by) == ("", S.SENT, sari)
    audit = AuditEvent.objects.get(action=actions.REFERRAL_SENT)
    assert audit.target_id == str(referral.public_id)
    assert audit.changes["reason"] == ["***", "***"]


def test_numbers_follow_on_per_organisation_and_year(sari, budi, rudi, ppa):
    first = send_referral(sari, partner=ppa)
    second = send_referral(budi, partner=ppa)
    elsewhere = send_referral(rudi)

    year = timezone.localdate().year
    assert [first.number, second.number] == [f"RJ-{year}-0001", f"RJ-{year}-0002"]
    assert elsewhere.number == f"RJ-{year}-0001"


def test_the_answer_period_comes_from_the_organisation_settings(sari, ppa, lk3_bontang):
    ReferralSettings.objects.create(organisation=lk3_bontang, answer_days=7)
    today = datetime.date(2026, 11, 20)

    referral = send_referral(sari, partner=ppa, today=today)

    assert referral.answer_due_on == datetime.date(2026, 11, 27)


def test_the_partner_sees_a_snapshot_of_only_the_chosen_items(sari, ppa):
    client = make_person(sari, "Siti Aminah", address="Jl. Cendana 4", nik_absence="unknown")
    case = open_case(sari, client)
    with translation.override("en"):
        referral = send_referral(sari, case=case, partner=ppa)
    people_services.person_update(
        actor=sari, person=client, expected_version=client.version, full_name="Siti Berubah"
    )

    referral.refresh_from_db()
    assert referral.shared_items == ["name", "birth_date", "sex"]
    assert "Name: Siti Aminah" in referral.shared_summary
    assert "Sex: Female" in referral.shared_summary
    assert "5 August 1985" in referral.shared_summary
    assert "Cendana" not in referral.shared_summary
    assert case_of(referral).presenting_problem not in referral.shared_summary


def test_more_items_are_shared_only_when_ticked(sari, ppa):
    client = make_person(sari, "Siti Aminah", address="Jl. Cendana 4")
    case = open_case(sari, client)
    with translation.override("en"):
        referral = send_referral(
            sari,
            case=case,
            partner=ppa,
            shared_items=[SharedItem.ADDRESS, SharedItem.PROBLEM, SharedItem.NAME],
        )

    assert referral.shared_items == ["name", "address", "problem"]
    assert "Address: Jl. Cendana 4" in referral.shared_summary
    assert case.presenting_problem in referral.shared_summary
    assert "Sex:" not in referral.shared_summary


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"reason": "  "}, "needs_reason", "reason"),
        ({"shared_items": []}, "needs_items", "shared_items"),
        ({"shared_items": ["name", "salary"]}, "unknown_item", "shared_items"),
        ({"service": None}, "needs_service", "service"),
        ({"legal_basis": "whim"}, "unknown_basis", "legal_basis"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(sari, ppa, change, code, field):
    case = open_case(sari)
    consent = data_sharing_consent(sari, case.client)

    with pytest.raises(DomainError) as error:
        send_referral(sari, case=case, partner=ppa, consent=consent, **change)

    assert refused(error) == (code, field)
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action=actions.REFERRAL_SENT).exists()
    assert not Notification.objects.exists()


# -- consent and legal basis ------------------------------------------------------------------


def test_consent_basis_without_a_consent_is_refused(sari, ppa):
    case = open_case(sari)

    with pytest.raises(DomainError) as error:
        referrals.referral_send(
            actor=sari,
            case=case,
            partner=ppa,
            service=referral_selectors.services_offered(ppa).first(),
            reason="Butuh pendampingan.",
            shared_items=["name"],
            legal_basis=LegalBasis.CONSENT,
            consent=None,
        )

    assert refused(error) == ("needs_consent", "consent")
    assert not Referral.objects.exists()


def test_a_withdrawn_consent_is_refused(sari, ppa):
    case = open_case(sari)
    consent = data_sharing_consent(sari, case.client)
    consent = people_services.consent_withdraw(actor=sari, consent=consent)

    with pytest.raises(DomainError) as error:
        send_referral(sari, case=case, partner=ppa, consent=consent)

    assert refused(error) == ("consent_withdrawn", "consent")
    assert not Referral.objects.exists()


def test_a_consent_for_another_purpose_is_refused(sari, ppa):
    case = open_case(sari)
    consent = data_sharing_consent(sari, case.client, purpose=ConsentPurpose.SERVICES)

    with pytest.raises(DomainError) as error:
        send_referral(sari, case=case, partner=ppa, consent=consent)

    assert refused(error) == ("consent_wrong_purpose", "consent")


def test_another_persons_consent_is_refused(sari, ppa):
    case = open_case(sari)
    other = data_sharing_consent(sari, make_person(sari, "Rina Wati"))

    with pytest.raises(DomainError) as error:
        send_referral(sari, case=case, partner=ppa, consent=other)

    assert refused(error) == ("consent_not_of_client", "consent")


def test_a_consent_dated_after_today_is_refused(sari, ppa):
    case = open_case(sari)
    today = datetime.date(2026, 11, 1)
    consent = data_sharing_consent(sari, case.client, given_on=datetime.date(2026, 11, 10))

    with pytest.raises(DomainError) as error:
        send_referral(sari, case=case, partner=ppa, consent=consent, today=today)

    assert refused(error) == ("consent_not_yet", "consent")


def test_a_child_needs_a_parent_or_guardians_consent(sari, ppa):
    client = make_person(sari, "Putri Kecil")
    own = data_sharing_consent(sari, client)
    # Her birth date is corrected afterwards: she is a child, her own consent does not count.
    child = people_services.person_update(
        actor=sari,
        person=client,
        expected_version=client.version,
        birth_date=datetime.date(2015, 6, 15),
    )
    case = open_case(sari, child)
    assert own.given_by == ConsentGiver.SELF

    with pytest.raises(DomainError) as error:
        send_referral(sari, case=case, partner=ppa, consent=own)
    assert refused(error) == ("consent_child_self", "consent")
    assert referrals.valid_consents(child, timezone.localdate()) == []

    parents = data_sharing_consent(sari, child)
    referral = send_referral(sari, case=case, partner=ppa, consent=parents)
    assert referral.consent == parents


def test_another_basis_needs_a_note(sari, ppa):
    case = open_case(sari)

    with pytest.raises(DomainError) as error:
        send_referral(sari, case=case, partner=ppa, legal_basis=LegalBasis.VITAL_INTEREST)
    assert refused(error) == ("needs_basis_note", "legal_basis_note")

    referral = send_referral(
        sari,
        case=case,
        partner=ppa,
        legal_basis=LegalBasis.VITAL_INTEREST,
        legal_basis_note="Anak dalam bahaya, orang tua adalah terduga pelaku.",
    )
    assert referral.consent is None
    assert referral.legal_basis == LegalBasis.VITAL_INTEREST


def test_a_family_case_shares_the_family_heads_information_on_their_consent(sari, ppa):
    head = make_person(sari, "Rizki Pratama", sex="L")
    family = people_services.family_create(
        actor=sari,
        organisation=sari.organisation,
        head=head,
        started_on=datetime.date(2026, 1, 1),
        today=datetime.date(2026, 11, 28),
    )
    case = open_case(sari, family=family)
    assert case.client is None
    assert referrals.subject_of(case) == head

    with pytest.raises(DomainError):
        send_referral(
            sari, case=case, partner=ppa, consent=data_sharing_consent(sari, make_person(sari, "X"))
        )
    referral = send_referral(sari, case=case, partner=ppa)

    assert referral.person == head
    assert referral.consent is not None
    assert referral.consent.person == head


# -- who and where ----------------------------------------------------------------------------


def test_an_expired_mou_is_refused(sari, budi, ppa):
    today = timezone.localdate()
    Agreement.objects.create(
        partner=ppa,
        kind="mou",
        number="01/MoU/2024",
        valid_from=today - datetime.timedelta(days=700),
        valid_until=today - datetime.timedelta(days=1),
    )

    with pytest.raises(DomainError) as error:
        send_referral(sari, partner=ppa)

    assert refused(error) == ("partner_refused", "partner")
    assert not Referral.objects.exists()


def test_an_inactive_partner_or_one_of_another_directory_is_refused(sari, rudi, ppa):
    elsewhere = partner_for(rudi, name="UPTD PPA Samarinda")
    with pytest.raises(DomainError) as error:
        send_referral(sari, partner=elsewhere)
    assert refused(error) == ("other_directory", "partner")

    ppa.is_active = False
    ppa.save()
    with pytest.raises(DomainError) as error:
        send_referral(sari, partner=ppa)
    assert refused(error) == ("partner_refused", "partner")


def test_only_who_may_work_on_the_case_sends(sari, dewi, intan, ppa):
    case = open_case(sari)
    for outsider in (dewi, intan):
        with pytest.raises(PermissionDenied):
            send_referral(outsider, case=case, partner=ppa)
    assert not Referral.objects.exists()


def test_a_closed_case_is_not_referred(sari, budi, ppa):
    from lk3.cases.tests.test_services import closed_case

    case = closed_case(budi, sari)
    with pytest.raises(DomainError) as error:
        send_referral(sari, case=case, partner=ppa)
    assert error.value.code == "not_open"


def test_a_double_submitted_send_creates_one_referral(sari, ppa):
    case = open_case(sari)
    token = "5b0f2c1e-8f7a-4c0e-9c1d-2a3b4c5d6e7f"

    first = send_referral(sari, case=case, partner=ppa, token=token)
    second = send_referral(sari, case=case, partner=ppa, token=token)
    other = send_referral(
        sari, case=case, partner=ppa, token="6b0f2c1e-8f7a-4c0e-9c1d-2a3b4c5d6e7f"
    )

    assert second.pk == first.pk
    assert other.pk != first.pk
    assert Referral.objects.count() == 2
    assert other.number.endswith("-0002")


def test_sending_notifies_the_partner_staff_without_case_content(sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)

    note = Notification.objects.get(recipient=mitra_ppa)
    assert note.kind == "referral_sent"
    assert referral.number in note.text
    assert "Siti" not in note.text
    assert referral.reason not in note.text
    assert note.url.endswith(f"/referrals/{referral.public_id}/")


# -- answers ----------------------------------------------------------------------------------

PATHS = [
    [S.RECEIVED, S.ACCEPTED, S.IN_SERVICE, S.COMPLETED],
    [S.ACCEPTED, S.COMPLETED],
    [S.RECEIVED, S.DECLINED],
    [S.DECLINED],
]


@pytest.mark.parametrize("path", PATHS)
def test_every_allowed_answer_moves_the_referral(sari, ppa, mitra_ppa, path):
    referral = send_referral(sari, partner=ppa)

    for status in path:
        referral = answer(mitra_ppa, referral, status, text="Catatan dari mitra.")

    assert referral.status == path[-1]
    assert referral.first_answer_at is not None
    assert list(referral.events.values_list("to_status", flat=True)) == [S.SENT, *path]
    if path[-1] in (S.DECLINED, S.COMPLETED):
        assert referral.closed_at is not None
    assert AuditEvent.objects.filter(action=actions.REFERRAL_ANSWERED).count() == len(path)


REFUSED_MOVES = [
    ([], S.IN_SERVICE),
    ([], S.COMPLETED),
    ([], S.REVOKED),
    ([S.RECEIVED], S.SENT),
    ([S.RECEIVED], S.IN_SERVICE),
    ([S.ACCEPTED], S.DECLINED),
    ([S.ACCEPTED, S.IN_SERVICE], S.ACCEPTED),
    ([S.ACCEPTED, S.IN_SERVICE], S.DECLINED),
]


@pytest.mark.parametrize(("before", "target"), REFUSED_MOVES)
def test_answers_out_of_order_are_refused(sari, ppa, mitra_ppa, before, target):
    referral = send_referral(sari, partner=ppa)
    for status in before:
        referral = answer(mitra_ppa, referral, status)

    with pytest.raises(DomainError) as error:
        answer(mitra_ppa, referral, target, text="x")

    assert refused(error) == ("not_allowed", "to_status")
    referral.refresh_from_db()
    assert referral.status == (before[-1] if before else S.SENT)


@pytest.mark.parametrize("final", [S.DECLINED, S.COMPLETED])
def test_a_final_referral_takes_no_more_answers(sari, ppa, mitra_ppa, final):
    referral = send_referral(sari, partner=ppa)
    if final == S.COMPLETED:
        referral = answer(mitra_ppa, referral, S.ACCEPTED)
    referral = answer(mitra_ppa, referral, final, text="Selesai / ditolak.")

    with pytest.raises(DomainError) as error:
        answer(mitra_ppa, referral, S.IN_SERVICE)
    assert error.value.code == "final"


def test_declining_needs_a_reason_and_completing_needs_feedback(sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    with pytest.raises(DomainError) as error:
        answer(mitra_ppa, referral, S.DECLINED, text=" ")
    assert refused(error) == ("needs_reason", "text")

    referral = answer(mitra_ppa, referral, S.ACCEPTED)
    with pytest.raises(DomainError) as error:
        answer(mitra_ppa, referral, S.COMPLETED)
    assert refused(error) == ("needs_feedback", "text")

    referral = answer(mitra_ppa, referral, S.COMPLETED, text="Klien sudah didampingi ke PA.")
    assert referral.feedback == "Klien sudah didampingi ke PA."


def test_a_decline_keeps_its_reason(sari, ppa, mitra_ppa):
    referral = answer(mitra_ppa, send_referral(sari, partner=ppa), S.DECLINED, "Di luar wilayah.")
    assert referral.decline_reason == "Di luar wilayah."


def test_only_the_partners_own_staff_answer(sari, budi, ppa, lk3_bontang):
    referral = send_referral(sari, partner=ppa)
    other_partner = partner_for(budi, name="Puskesmas Bontang Utara", short_name="Puskesmas")
    other_staff = make_user("staf_puskesmas", Role.PARTNER, lk3_bontang)
    link_staff(other_staff, other_partner)

    for outsider in (other_staff, sari, budi):
        with pytest.raises(PermissionDenied):
            answer(outsider, referral, S.RECEIVED)
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_a_stale_answer_is_refused_with_what_changed(sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    seen = referral.version
    answer(mitra_ppa, referral, S.RECEIVED)

    with pytest.raises(StaleEditError) as error:
        referrals.referral_answer(
            actor=mitra_ppa, referral=referral, to_status=S.ACCEPTED, expected_version=seen
        )

    assert error.value.changed_fields["status"] == [S.SENT, S.RECEIVED]
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED


def test_a_double_submitted_answer_is_harmless(sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    seen = referral.version
    for _ in range(2):
        referrals.referral_answer(
            actor=mitra_ppa, referral=referral, to_status=S.ACCEPTED, expected_version=seen
        )

    assert referral.events.count() == 2
    assert Notification.objects.filter(kind="referral_answered").count() == 1


def test_an_answer_notifies_the_lead_counsellor_without_case_content(sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    answer(mitra_ppa, referral, S.DECLINED, text="Klien Siti Aminah di luar wilayah.")

    note = Notification.objects.get(recipient=sari, kind="referral_answered")
    assert referral.number in note.text
    assert "Siti" not in note.text


# -- revoking ---------------------------------------------------------------------------------


def test_revoking_tells_the_partner_and_then_answers_are_refused(sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    answer(mitra_ppa, referral, S.RECEIVED)
    seen_by_partner = Referral.objects.get(pk=referral.pk)

    revoked = revoke(sari, referral, "Klien memilih layanan lain.")

    assert revoked.status == S.REVOKED
    assert revoked.closed_at is not None
    assert Notification.objects.filter(recipient=mitra_ppa, kind="referral_revoked").exists()
    with pytest.raises(DomainError) as error:
        referrals.referral_answer(
            actor=mitra_ppa,
            referral=seen_by_partner,
            to_status=S.ACCEPTED,
            expected_version=seen_by_partner.version,
        )
    assert error.value.code == "revoked"
    assert AuditEvent.objects.filter(action=actions.REFERRAL_REVOKED).count() == 1


def test_revoking_needs_a_reason_and_a_worker_on_the_case(sari, dewi, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    with pytest.raises(DomainError) as error:
        revoke(sari, referral, " ")
    assert refused(error) == ("needs_reason", "reason")
    for outsider in (dewi, mitra_ppa):
        with pytest.raises(PermissionDenied):
            revoke(outsider, referral)
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_a_final_referral_cannot_be_revoked_and_a_double_revoke_is_harmless(sari, ppa, mitra_ppa):
    declined = answer(mitra_ppa, send_referral(sari, partner=ppa), S.DECLINED, "Penuh.")
    with pytest.raises(DomainError) as error:
        revoke(sari, declined)
    assert error.value.code == "not_revocable"

    referral = send_referral(sari, partner=ppa)
    seen = referral.version
    for _ in range(2):
        referrals.referral_revoke(
            actor=sari, referral=referral, reason="Salah kirim.", expected_version=seen
        )
    assert referral.events.filter(to_status=S.REVOKED).count() == 1


# -- lists ------------------------------------------------------------------------------------


def test_overdue_is_sent_or_received_past_the_answer_date(sari, ppa, mitra_ppa):
    past = timezone.localdate() - datetime.timedelta(days=10)
    waiting = send_referral(sari, partner=ppa, today=past)
    received = answer(mitra_ppa, send_referral(sari, partner=ppa, today=past), S.RECEIVED)
    accepted = answer(mitra_ppa, send_referral(sari, partner=ppa, today=past), S.ACCEPTED)
    fresh = send_referral(sari, partner=ppa)

    overdue = referral_selectors.referral_list(
        sari, referral_selectors.ReferralFilters(overdue=True), today=timezone.localdate()
    )

    assert {referral.pk for referral in overdue} == {waiting.pk, received.pk}
    assert accepted.pk not in {r.pk for r in overdue}
    assert fresh.pk not in {r.pk for r in overdue}


def test_the_list_is_filtered_by_status_and_partner(sari, budi, ppa, mitra_ppa):
    puskesmas = partner_for(budi, name="Puskesmas Bontang Utara", short_name="Puskesmas")
    to_ppa = answer(mitra_ppa, send_referral(sari, partner=ppa), S.ACCEPTED)
    to_puskesmas = send_referral(sari, partner=puskesmas)
    today = timezone.localdate()
    Filters = referral_selectors.ReferralFilters

    by_status = referral_selectors.referral_list(sari, Filters(status=S.ACCEPTED), today=today)
    by_partner = referral_selectors.referral_list(sari, Filters(partner=puskesmas), today=today)

    assert [r.pk for r in by_status] == [to_ppa.pk]
    assert [r.pk for r in by_partner] == [to_puskesmas.pk]


def test_the_partner_inbox_holds_only_its_own_referrals(sari, budi, ppa, mitra_ppa):
    puskesmas = partner_for(budi, name="Puskesmas Bontang Utara", short_name="Puskesmas")
    mine = send_referral(sari, partner=ppa)
    send_referral(sari, partner=puskesmas)

    inbox = referral_selectors.partner_inbox(mitra_ppa, today=timezone.localdate())

    assert [referral.pk for referral in inbox] == [mine.pk]


def test_a_service_the_partner_does_not_offer_is_refused(sari, budi):
    puskesmas = partner_for(budi, name="Puskesmas Bontang Utara", services=["konseling"])
    with pytest.raises(DomainError) as error:
        send_referral(sari, partner=puskesmas, service=ServiceType.objects.get(code=SERVICE))
    assert refused(error) == ("not_offered", "service")

    referral = send_referral(
        sari, partner=puskesmas, service=ServiceType.objects.get(code="konseling")
    )
    assert referral.service is not None
    assert referral.service.code == "konseling"
