"""A field report becomes a case, a referral to the UPTD PPA, and help given.

Serda Dedi, the Babinsa of Lok Tuan, reports Ibu Ratna on his phone;
Intan at the intake desk takes the report into a case for the registered
Ratna and hands it to Sari; Sari refers the family to the UPTD PPA with
Ratna's data-sharing consent; the UPTD PPA's staff account accepts the
referral and completes it with feedback; Serda Dedi's list then reads
the report as done. Neither the partner nor the Babinsa ever sees the
case number. In Indonesian (the default language).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import make_board_member, make_user
from lk3.accounts.models import Function, Institution
from lk3.accounts.roles import Role
from lk3.cases.models import Case
from lk3.cases.tests.builders import FAMILY_PMKS
from lk3.core.models import IntakeChannel, PmksCategory
from lk3.people.tests.builders import make_person
from lk3.referrals.field_selectors import my_field_reports
from lk3.referrals.models import (
    FieldReport,
    FieldReportStatus,
    Referral,
    ReferralStatus,
)
from lk3.referrals.referrals import MINIMUM_ITEMS
from lk3.referrals.tests.partner_builders import add_agreement, link_staff, make_partner
from lk3.referrals.tests.referral_builders import data_sharing_consent
from tests.browser.conftest import DESKTOP, PHONE, NewPage, open_menu
from tests.browser.test_people_registry import log_in, log_out

LOK_TUAN = "64.74.01.1003"
MOTHER = "Ratna Sari Dewi"
PARTNER = "UPTD PPA Kota Bontang"
SERVICE = "pendampingan"
WHAT_HAPPENED = "Ibu Ratna sering dipukul suaminya; anak-anaknya takut pulang ke rumah."
REASON = "Ibu Ratna butuh pendampingan hukum dan perlindungan atas KDRT."
FEEDBACK = "Ibu Ratna didampingi sampai putusan perlindungan; konseling keluarga selesai."
REPORT_PAGE = re.compile(r"/referrals/field/[0-9a-f-]{36}/$")


@pytest.fixture
def serda_dedi(lk3_bontang):
    user = make_user("serda_dedi", Role.FIELD_OFFICER, lk3_bontang, kelurahan=[LOK_TUAN])
    make_board_member(
        lk3_bontang,
        "Serda Dedi Kurniawan",
        user=user,
        institution=Institution.ARMY,
        function=Function.BABINSA,
        kelurahan=[LOK_TUAN],
    )
    return user


@pytest.fixture
def uptd_ppa(budi, mitra_ppa):
    """The UPTD PPA in the LK3's directory, with a valid MoU and mitra_ppa as its staff."""
    partner = make_partner(budi, PARTNER, services=[SERVICE, "perlindungan"])
    today = timezone.localdate()
    add_agreement(
        budi,
        partner,
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=365),
    )
    link_staff(budi, partner, mitra_ppa)
    return partner


# -- the steps ---------------------------------------------------------------------------


def babinsa_files_the_report(phone: Page) -> None:
    log_in(phone, "serda_dedi")
    open_menu(phone, "Laporan lapangan")
    expect(phone.get_by_role("heading", name="Laporan lapangan")).to_be_visible()
    form = phone.locator("form[data-field-draft]")
    form.get_by_label("Siapa (nama orang atau keluarga)").fill(MOTHER)
    kelurahan = form.get_by_label("Kelurahan")
    expect(kelurahan).to_have_value(LOK_TUAN)  # his own kelurahan comes first
    kelurahan.select_option(LOK_TUAN)
    form.get_by_label("RT").fill("007")
    form.get_by_label("RW").fill("002")
    form.get_by_label("Apa yang terjadi").fill(WHAT_HAPPENED)
    form.get_by_label("Seberapa mendesak").select_option(label="Dalam beberapa hari")
    form.get_by_role("button", name="Kirim laporan").click()

    expect(phone).to_have_url(REPORT_PAGE)
    status = phone.get_by_test_id("field-status")
    expect(status).to_have_attribute("data-status", FieldReportStatus.RECEIVED)
    expect(status).to_have_text("Diterima")
    expect(phone.locator("main")).to_contain_text(MOTHER)


def intake_takes_it_into_a_case(desk: Page) -> str:
    log_in(desk, "intan")
    open_menu(desk, "Rujukan")
    desk.locator("nav.caseload-links").get_by_role("link", name="Laporan lapangan").click()
    expect(desk.get_by_role("heading", name="Antrean laporan lapangan")).to_be_visible()
    row = desk.get_by_test_id("field-queue").locator("tbody tr", has_text=MOTHER)
    expect(row).to_contain_text("Serda Dedi")
    row.get_by_role("link", name=MOTHER).click()

    candidates = desk.get_by_test_id("person-candidates")
    hit = candidates.get_by_role("listitem").filter(has_text=MOTHER)
    expect(hit).to_have_count(1)
    hit.get_by_role("link", name="Buka kasus").click()

    # A Babinsa's report comes in on the Babinsa channel.
    expect(desk.get_by_label("Jalur masuk")).to_have_value(str(_channel_pk("babinsa")))
    expect(desk.get_by_label("Masalah yang disampaikan")).to_have_value(WHAT_HAPPENED)
    desk.locator(f"input[name=pmks_categories][value='{_pmks_pk()}']").check()
    desk.get_by_label("Tingkat risiko").select_option("high")
    desk.get_by_label("Konselor utama").select_option(label="Sari")
    desk.get_by_role("button", name="Buka kasus").click()

    expect(desk.locator(".message-success")).to_contain_text("dibuka dari laporan ini")
    number = Case.objects.get().number
    expect(desk.locator(".message-success")).to_contain_text(number)
    log_out(desk)
    return number


def counsellor_refers_to_the_uptd_ppa(desk: Page, number: str, consent_id: str) -> str:
    log_in(desk, "sari")
    open_menu(desk, "Kasus")
    desk.get_by_role("link", name=number).click()
    card = desk.get_by_test_id("case-referrals")
    expect(card).to_contain_text("Belum ada rujukan")
    card.get_by_test_id("refer-button").click()

    expect(desk.get_by_role("heading", name="Rujuk ke mitra")).to_be_visible()
    desk.get_by_label("Mitra").select_option(label=PARTNER)
    desk.get_by_label("Layanan yang dibutuhkan").select_option(SERVICE)
    desk.get_by_label("Alasan rujukan").fill(REASON)
    for item in MINIMUM_ITEMS:  # the minimum stays ticked
        expect(desk.locator(f"input[name=shared_items][value='{item}']")).to_be_checked()
    desk.get_by_label("Persetujuan klien (atau orang tua/wali)").check()
    consent = desk.get_by_label("Persetujuan berbagi data")
    consent.select_option(consent_id)
    expect(consent).to_have_value(consent_id)
    desk.get_by_role("button", name="Kirim rujukan").click()

    referral = desk.get_by_test_id("referral")
    status = referral.get_by_test_id("referral-status")
    expect(status).to_have_attribute("data-status", ReferralStatus.SENT)
    expect(status).to_have_text("Dikirim")
    referral_number = Referral.objects.get().number
    expect(referral.get_by_role("heading", level=1)).to_contain_text(referral_number)
    expect(referral.get_by_test_id("referral-case")).to_have_text(number)
    log_out(desk)
    return referral_number


def partner_accepts_and_completes(desk: Page, number: str, referral_number: str) -> None:
    log_in(desk, "mitra_ppa")
    open_menu(desk, "Rujukan masuk")
    expect(desk.get_by_role("heading", name="Rujukan masuk")).to_be_visible()
    desk.get_by_test_id("referral-row").get_by_role("link", name=referral_number).click()

    status = desk.get_by_test_id("referral").get_by_test_id("referral-status")
    expect(status).to_have_attribute("data-status", ReferralStatus.SENT)
    expect(desk.get_by_test_id("referral-reason")).to_have_text(REASON)
    # "Received" and "Accepted" read alike in Indonesian: pick the answer by its form.
    _answer(desk, ReferralStatus.ACCEPTED)
    expect(status).to_have_attribute("data-status", ReferralStatus.ACCEPTED)

    _answer(desk, ReferralStatus.COMPLETED, text=FEEDBACK)
    expect(status).to_have_attribute("data-status", ReferralStatus.COMPLETED)
    expect(status).to_have_text("Selesai")
    expect(desk.get_by_test_id("feedback")).to_have_text(FEEDBACK)
    expect(desk.locator("body")).not_to_contain_text(number)
    log_out(desk)


def _answer(page: Page, to_status: str, text: str = "") -> None:
    form = page.get_by_test_id(f"answer-{to_status}")
    action = page.locator("details.quick-action", has=form)
    action.locator("summary").click()
    if text:
        form.get_by_label("Catatan").fill(text)
    form.get_by_role("button").click()


def babinsa_sees_it_done(phone: Page, number: str) -> None:
    open_menu(phone, "Laporan lapangan saya")
    expect(phone.get_by_role("heading", name="Laporan lapangan saya")).to_be_visible()
    row = phone.get_by_test_id("my-field-reports").get_by_role("listitem").filter(has_text=MOTHER)
    status = row.get_by_test_id("field-status")
    expect(status).to_have_attribute("data-status", FieldReportStatus.DONE)
    expect(status).to_have_text("Selesai")
    expect(phone.locator("body")).not_to_contain_text(number)

    row.get_by_role("link", name=MOTHER).click()
    expect(phone.get_by_test_id("field-status")).to_have_attribute(
        "data-status", FieldReportStatus.DONE
    )
    expect(phone.get_by_test_id("status-explained")).to_be_visible()
    expect(phone.locator("body")).not_to_contain_text(number)


def _channel_pk(code: str) -> int:
    return IntakeChannel.objects.get(code=code).pk


def _pmks_pk() -> int:
    return PmksCategory.objects.get(code=FAMILY_PMKS).pk


# -- the acceptance test -----------------------------------------------------------------------


def test_a_babinsa_report_ends_in_a_completed_referral_to_the_uptd_ppa(
    new_page: NewPage, serda_dedi, intan, sari, budi, mitra_ppa, uptd_ppa
):
    ratna = make_person(intan, MOTHER)
    consent = data_sharing_consent(intan, ratna)

    phone = new_page(PHONE, True)
    babinsa_files_the_report(phone)

    desk = new_page(DESKTOP, False)
    number = intake_takes_it_into_a_case(desk)
    referral_number = counsellor_refers_to_the_uptd_ppa(desk, number, str(consent.public_id))
    partner_accepts_and_completes(desk, number, referral_number)

    babinsa_sees_it_done(phone, number)

    report = FieldReport.objects.get()
    case = Case.objects.get()
    referral = Referral.objects.get()
    assert report.reported_by == serda_dedi
    assert (report.person_name, report.kelurahan_id, report.rt, report.rw) == (
        MOTHER,
        LOK_TUAN,
        "007",
        "002",
    )
    assert report.case == case
    assert [row["shown_status"] for row in my_field_reports(user=serda_dedi)] == [
        FieldReportStatus.DONE
    ]
    assert (case.client, case.lead_counsellor, case.opened_by) == (ratna, sari, intan)
    assert (referral.case, referral.partner, referral.status) == (
        case,
        uptd_ppa,
        ReferralStatus.COMPLETED,
    )
    assert referral.service is not None
    assert referral.service.code == SERVICE
    assert referral.consent == consent
    assert referral.feedback == FEEDBACK
    assert set(referral.shared_items) == set(MINIMUM_ITEMS)
    assert reverse("cases:case_detail", args=[case.public_id]) not in phone.content()
