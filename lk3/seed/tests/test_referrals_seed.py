"""The seeded referral network: partners and MoUs, referrals in every state, field reports.

The checks share one ``seed --scale demo`` (``seeded``, rolled back at the
module's end); the run that adds the network to older demo data is in
``test_referrals_seed_runs.py``.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from lk3.accounts.models import BoardMember, Organisation, OrganisationKind, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases.models import Case, CaseStatus
from lk3.people.models import CHILD_AGE_LIMIT, Consent, ConsentGiver, ConsentPurpose
from lk3.referrals import transitions
from lk3.referrals.models import (
    Agreement,
    Direction,
    FieldReport,
    FieldReportStatus,
    LegalBasis,
    Partner,
    PartnerContact,
    PartnerMember,
    Referral,
    ReferralEvent,
    ReferralNumberCounter,
    ReferralStatus,
    SharedItem,
)
from lk3.referrals.partners import AgreementState, partner_agreement_state
from lk3.referrals.permissions import referrals_for_user
from lk3.seed import referrals as seed_referrals
from lk3.seed.catalogue import catalogue_load
from lk3.seed.run import seed_run
from lk3.seed.scales import DEMO
from lk3.seed.streams import DEFAULT_RANDOM_SEED, stream

PERSONS = 400
CASES = 120
NUMBER = re.compile(r"^RJ-(?P<year>\d{4})-(?P<sequence>\d{4,})$")
SNAPSHOT_LABELS = {
    SharedItem.NAME: "Nama:",
    SharedItem.BIRTH_DATE: "Tanggal lahir:",
    SharedItem.SEX: "Jenis kelamin:",
    SharedItem.CONTACT: "Nomor HP:",
    SharedItem.ADDRESS: "Alamat:",
    SharedItem.NIK: "NIK:",
    SharedItem.PROBLEM: "Masalah:",
    SharedItem.RISK: "Tingkat risiko:",
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One ``seed --scale demo`` for the module (the checks only read), rolled back at its end."""
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed",
            "--scale",
            "demo",
            "--persons",
            str(PERSONS),
            "--cases",
            str(CASES),
            stdout=output,
        )
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_database(seeded, db):
    """Each check in a savepoint inside the module's seed."""


def _today() -> datetime.date:
    return timezone.localdate()


def _local(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


# -- the directory -----------------------------------------------------------------------------


def test_bontang_has_its_real_partners_of_every_kind(seeded):
    partners = Partner.objects.filter(organisation__short_name="LK3 Bontang")

    names = set(partners.values_list("name", flat=True))
    assert {
        "UPTD PPA Kota Bontang",
        "Puskesmas Bontang Utara I",
        "RSUD Taman Husada Bontang",
        "Pengadilan Agama Bontang",
        "PT Badak NGL (CSR)",
        "BAZNAS Kota Bontang",
    } <= names
    assert set(partners.values_list("kind", flat=True)) == {
        "government",
        "community",
        "business",
        "psks",
    }
    assert not partners.filter(kind="psks", psks_category__isnull=True).exists()
    assert not partners.filter(services__isnull=True).exists()
    assert not Partner.objects.exclude(pk__in=PartnerContact.objects.values("partner")).exists()


def test_agreements_are_valid_expiring_expired_or_absent(seeded):
    today = _today()
    states = Counter(
        partner_agreement_state(partner, today)
        for partner in Partner.objects.prefetch_related("agreements")
    )

    assert states[AgreementState.VALID] >= 3
    assert states[AgreementState.EXPIRING] >= 1
    assert states[AgreementState.EXPIRED] >= 1
    assert states[AgreementState.NONE] >= 3
    soon = today + datetime.timedelta(days=60)
    assert Agreement.objects.filter(valid_until__gte=today, valid_until__lte=soon).exists()
    assert Agreement.objects.filter(valid_until__lt=today).exists()


def test_the_demo_partner_account_is_staff_of_uptd_ppa_and_sees_every_status(seeded):
    mitra = User.objects.get(username="mitra_ppa")

    membership = PartnerMember.objects.get(user=mitra)

    assert membership.partner.name == "UPTD PPA Kota Bontang"
    inbox = referrals_for_user(mitra)
    assert set(inbox.values_list("status", flat=True)) == set(ReferralStatus.values)
    answers = ReferralEvent.objects.filter(referral__in=inbox).exclude(
        to_status__in=[ReferralStatus.SENT, ReferralStatus.REVOKED]
    )
    assert set(answers.values_list("by", flat=True)) == {mitra.pk}


# -- referrals ---------------------------------------------------------------------------------


def test_every_status_of_a_referral_out_is_seeded(seeded):
    out = Referral.objects.filter(direction=Direction.OUT)

    assert set(out.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert not out.filter(case__isnull=True).exists()
    assert not out.filter(partner__isnull=True).exists()
    assert out.filter(status=ReferralStatus.DECLINED).exclude(decline_reason="").exists()
    assert not out.filter(status=ReferralStatus.DECLINED, decline_reason="").exists()
    assert not out.filter(status=ReferralStatus.COMPLETED, feedback="").exists()


def test_about_one_referral_per_six_cases_and_one_field_report_per_ten(seeded):
    cases = Case.objects.filter(stranded_group__isnull=True).count()

    assert Referral.objects.count() == round(cases / 6)
    assert FieldReport.objects.count() == round(cases / 10)


def test_referrals_in_wait_are_accepted_into_their_case_or_declined(seeded):
    incoming = Referral.objects.filter(direction=Direction.IN).select_related("case")

    statuses = set(incoming.values_list("status", flat=True))
    assert statuses == {ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}
    for referral in incoming:
        assert referral.client_name
        assert referral.client_birth_date is not None
        assert referral.client_sex
        assert referral.partner_id or referral.referrer_name
        if referral.status == ReferralStatus.ACCEPTED:
            assert referral.case is not None
            assert referral.person_id == referral.case.client_id
            assert referral.case.client is not None
            assert referral.client_name == referral.case.client.full_name
            assert _local(referral.sent_at) <= referral.case.opened_on
        else:
            assert referral.case_id is None


def test_numbers_are_unique_in_sending_order_and_the_counter_is_at_the_last(seeded):
    referrals = list(Referral.objects.order_by("sent_at", "id"))
    numbers = [referral.number for referral in referrals]

    assert len(set(numbers)) == len(numbers)
    last: dict[int, int] = {}
    for referral in referrals:
        match = NUMBER.match(referral.number)
        assert match, referral.number
        year, sequence = int(match["year"]), int(match["sequence"])
        assert year == _local(referral.sent_at).year
        assert sequence == last.get(year, 0) + 1
        last[year] = sequence
    counters = dict(ReferralNumberCounter.objects.values_list("year", "last"))
    assert counters == last


def test_each_history_follows_the_allowed_moves_and_ends_in_the_status(seeded):
    for referral in Referral.objects.prefetch_related("events"):
        events = list(referral.events.all())
        assert events, referral.number
        assert events[0].from_status == ""
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert after.at > before.at
            move = (after.from_status, after.to_status)
            assert transitions.may_answer(*move) or (
                after.to_status == ReferralStatus.REVOKED and transitions.may_revoke(move[0])
            ), move
        assert events[-1].to_status == referral.status
        answers = [e for e in events[1:] if e.to_status != ReferralStatus.REVOKED]
        if referral.direction == Direction.OUT:
            assert events[0].to_status == ReferralStatus.SENT
            assert referral.first_answer_at == (answers[0].at if answers else None)
        if referral.status in transitions.FINAL:
            assert referral.closed_at == events[-1].at
        else:
            assert referral.closed_at is None


def test_referrals_fall_inside_the_case_and_a_partners_agreement(seeded):
    out = Referral.objects.filter(direction=Direction.OUT).select_related("case", "partner")
    for referral in out:
        sent_on = _local(referral.sent_at)
        assert referral.case is not None
        assert referral.partner is not None
        assert referral.case.opened_on <= sent_on < _today()
        assert referral.answer_due_on == sent_on + datetime.timedelta(days=3)
        if referral.case.status == CaseStatus.CLOSED:
            assert referral.status in transitions.FINAL
            assert referral.closed_at is not None
            assert referral.case.closed_on is not None
            assert _local(referral.closed_at) <= referral.case.closed_on
        agreements = list(referral.partner.agreements.values_list("valid_from", "valid_until"))
        assert not agreements or any(start <= sent_on <= end for start, end in agreements)


def test_some_referrals_wait_for_an_answer_past_the_due_date(seeded):
    overdue = Referral.objects.filter(
        status__in=[ReferralStatus.SENT, ReferralStatus.RECEIVED], answer_due_on__lt=_today()
    )

    assert overdue.exists()
    assert Referral.objects.filter(
        status__in=[ReferralStatus.SENT, ReferralStatus.RECEIVED], answer_due_on__gte=_today()
    ).exists()


def test_consented_referrals_have_a_data_sharing_consent_of_their_client(seeded):
    out = Referral.objects.filter(direction=Direction.OUT).select_related(
        "consent", "person", "case"
    )
    on_consent = [r for r in out if r.legal_basis == LegalBasis.CONSENT]
    other = [r for r in out if r.legal_basis != LegalBasis.CONSENT]

    assert on_consent
    assert other
    for referral in on_consent:
        consent = referral.consent
        assert consent is not None
        assert referral.case is not None
        assert referral.person is not None
        assert consent.person_id == referral.person_id == referral.case.client_id
        assert consent.purpose == ConsentPurpose.DATA_SHARING
        assert consent.withdrawn_on is None
        assert consent.given_on <= _local(referral.sent_at)
        age = referral.person.age_on(consent.given_on)
        if age is not None and age < CHILD_AGE_LIMIT:
            assert consent.given_by != ConsentGiver.SELF
            assert consent.giver_name
    for referral in other:
        assert referral.consent_id is None
        assert referral.legal_basis in LegalBasis.values
        assert referral.legal_basis_note


def test_the_snapshot_holds_exactly_the_shared_items(seeded):
    for referral in Referral.objects.filter(direction=Direction.OUT).select_related("person"):
        items = referral.shared_items
        assert {SharedItem.NAME, SharedItem.BIRTH_DATE, SharedItem.SEX} <= set(items)
        lines = referral.shared_summary.splitlines()
        assert referral.person is not None
        assert [line.split(":")[0] + ":" for line in lines] == [
            SNAPSHOT_LABELS[SharedItem(item)] for item in items
        ]
        assert lines[0] == f"Nama: {referral.person.full_name}"


def test_sensitive_texts_are_stored_encrypted(seeded):
    from django.db import connection

    referral = Referral.objects.filter(direction=Direction.OUT).first()
    assert referral is not None
    assert referral.person is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reason, shared_summary FROM referrals_referral WHERE id = %s", [referral.pk]
        )
        reason, summary = cursor.fetchone()

    assert referral.reason not in str(reason)
    assert referral.person.full_name not in str(summary)


# -- field reports -----------------------------------------------------------------------------


def test_every_field_report_status_exists_and_handled_ones_have_a_case(seeded):
    reports = FieldReport.objects.select_related("case", "reported_by")

    assert set(reports.values_list("status", flat=True)) == set(FieldReportStatus.values)
    for report in reports:
        assert report.reported_by.role == Role.FIELD_OFFICER
        assert report.kelurahan_id.startswith("64.74.")
        if report.status == FieldReportStatus.RECEIVED:
            assert report.case is None
            assert report.status_changed_at is None
        if report.status == FieldReportStatus.HANDLED:
            assert report.case is not None
            assert report.case.status != CaseStatus.CLOSED
            assert report.handled_by_id is not None
        if report.status == FieldReportStatus.DONE and report.case is not None:
            assert report.case.status == CaseStatus.CLOSED
        if report.status == FieldReportStatus.DONE and report.case is None:
            assert report.done_note
        if report.case is not None:
            assert report.case.client is not None
            assert report.person_name == report.case.client.full_name
            assert _local(report.created_at) <= report.case.opened_on


def test_the_demo_field_officer_has_a_report_in_every_status(seeded):
    mine = FieldReport.objects.filter(reported_by__username="pak_agus")

    assert set(mine.values_list("status", flat=True)) == set(FieldReportStatus.values)


def test_field_officer_accounts_belong_to_board_members_of_the_kelurahan_network(seeded):
    officers = User.objects.filter(role=Role.FIELD_OFFICER).exclude(username="pak_agus")

    assert officers.exists()
    for officer in officers:
        member = BoardMember.objects.get(user=officer)
        assert member.full_name == officer.full_name
        assert set(officer.kelurahan.values_list("code", flat=True)) == set(
            member.kelurahan.values_list("code", flat=True)
        )
        assert not officer.has_usable_password()


# -- every record is valid ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [Partner, PartnerContact, Agreement, PartnerMember, Referral, ReferralEvent, FieldReport],
)
def test_seeded_records_pass_full_clean(seeded, model):
    sample = list(model._default_manager.order_by("?")[:25])

    assert sample
    for record in sample:
        record.full_clean()


def test_seeded_consents_pass_full_clean(seeded):
    consents = Consent.objects.filter(purpose=ConsentPurpose.DATA_SHARING)

    assert consents.exists()
    for consent in consents[:25]:
        consent.full_clean()


# -- runs --------------------------------------------------------------------------------------


def test_the_command_reports_the_network(seeded):
    assert f"{Partner.objects.count()} " in seeded
    assert f"{Agreement.objects.count()} MoU/PKS" in seeded
    assert f"{Referral.objects.count()} " in seeded
    assert f"{FieldReport.objects.count()} " in seeded


def test_the_closing_event_counts_the_network(seeded):
    event = AuditEvent.objects.get(action=actions.SEED_REFERRALS_GENERATED)

    assert event.changes["referrals"] == [0, Referral.objects.count()]
    assert event.changes["field_reports"] == [0, FieldReport.objects.count()]
    assert event.changes["partners"] == [0, Partner.objects.count()]


def _counts() -> dict[str, int]:
    return {
        "partners": Partner.objects.count(),
        "agreements": Agreement.objects.count(),
        "members": PartnerMember.objects.count(),
        "referrals": Referral.objects.count(),
        "events": ReferralEvent.objects.count(),
        "consents": Consent.objects.count(),
        "reports": FieldReport.objects.count(),
        "users": User.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_a_second_run_adds_nothing(seeded):
    before = _counts()

    result = seed_run(scale=DEMO, persons=PERSONS, cases=CASES)

    assert not result.created
    assert result.referrals is None
    assert _counts() == before


def test_the_same_seed_draws_the_same_referrals(seeded):
    lk3 = Organisation.objects.get(kind=OrganisationKind.LK3, region_id="64.74")
    regency = catalogue_load().regency("64.74")

    def draw() -> list[tuple]:
        network = seed_referrals._network_load(
            organisation=lk3, regency=regency, catalogue=catalogue_load(), today=_today()
        )
        cases, problems = seed_referrals._cases_load(lk3)
        drawn = seed_referrals._referrals_draw(
            stream(DEFAULT_RANDOM_SEED, "referrals:64.74"), network, cases, problems
        )
        return [
            (d.referral["public_id"], d.referral["number"], d.referral["status"], d.sent_at)
            for d in drawn
        ]

    first = draw()

    assert first == draw()
    stored = set(Referral.objects.values_list("public_id", "number", "status"))
    assert {row[:3] for row in first} == stored
