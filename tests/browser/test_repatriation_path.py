"""A stranded family goes home: from the bus terminal in Bontang to Dinsos Garut's desk.

Intan at the intake desk takes in the Garut family (Asep, Eneng and their
child Dede, registered beforehand) found at Terminal Bus Bontang; Sari
identifies and screens each of them (the region of origin through the
typo-tolerant picker), records a family-tracing contact and the decision to
return home, writes the return plan and submits it; Budi, the coordinator,
approves it; Sari issues the covering letter and sends the handover; Dadang,
the coordinator of Dinsos Garut in the same system, finds the handover in his
organisation's queue and confirms the arrival, which closes the case in
Bontang. Dadang never sees the case number. In Indonesian (the default).
"""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from lk3.cases.models import Case, CaseStatus
from lk3.people.models import Person
from lk3.repatriation.models import (
    Decision,
    GroupStatus,
    Handover,
    HandoverStatus,
    HealthStatus,
    PlanStatus,
    RepatriationDocument,
    ReturnPlan,
    StrandedGroup,
    TracingResult,
    TravelMode,
)
from lk3.repatriation.tests.builders import GARUT, KOTA_KULON, stranded_family
from tests.browser.conftest import DESKTOP, PHONE, NewPage, open_menu
from tests.browser.test_people_registry import log_in, log_out

ASEP, ENENG, DEDE = "Asep Saepudin", "Eneng Nurhayati", "Dede Saepudin"
FAMILY = [ASEP, ENENG, DEDE]
TERMINAL = "Terminal Bus Bontang"
POLICE = "Polsek Bontang Utara"
POLICE_LETTER = "B/123/XI/2026/Sek-BTU"
ROUTE = "Bontang - Balikpapan (bus), Balikpapan - Surabaya (kapal), Surabaya - Garut (bus)"
GARUT_DINSOS = "Dinas Sosial Kabupaten Garut"
RECEIVED_BY = "Ujang Supriatna"
GROUP_PAGE = re.compile(r"/repatriation/[0-9a-f-]{36}/(#.*)?$")


def today() -> str:
    return timezone.localdate().isoformat()


def intake_number() -> str:
    return f"OT-{timezone.localdate().year}-0001"


# -- the steps ---------------------------------------------------------------------------------


def intake_takes_the_family_in(page: Page) -> None:
    log_in(page, "intan")
    open_menu(page, "Orang terlantar")
    expect(page.get_by_role("heading", name="Orang terlantar", exact=True)).to_be_visible()
    page.get_by_test_id("take-in-link").click()

    expect(page.get_by_role("heading", name="Terima orang terlantar")).to_be_visible()
    _choose(page, "Saepudin", ASEP)
    _choose(page, "Saepudin", DEDE)
    _choose(page, "Eneng", ENENG)
    chosen = page.get_by_test_id("chosen").get_by_role("listitem")
    expect(chosen).to_have_count(3)
    page.get_by_test_id("continue").click()

    expect(page.get_by_test_id("intake-persons").get_by_role("listitem")).to_have_count(3)
    form = page.locator("form", has=page.get_by_label("Tempat ditemukan"))
    form.get_by_label("Tempat ditemukan").select_option(label="Terminal bus")
    form.get_by_label("Lokasi").fill(TERMINAL)
    expect(form.get_by_label("Tanggal ditemukan")).to_have_value(today())
    form.get_by_label("Ditemukan atau diantar oleh").fill(POLICE)
    form.get_by_label("Nomor surat kepolisian").fill(POLICE_LETTER)
    form.get_by_label("Konselor utama").select_option(label="Sari")
    form.get_by_role("button", name="Terima").click()

    expect(page).to_have_url(GROUP_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Penerimaan orang terlantar {intake_number()}"
    )
    rows = page.get_by_test_id("member-row")
    expect(rows).to_have_count(3)
    for name in FAMILY:
        expect(page.get_by_test_id("members")).to_contain_text(name)
    expect(page.get_by_test_id("group-facts")).to_contain_text(TERMINAL)
    expect(page.get_by_test_id("group-status")).to_have_text("Diterima")


def _choose(page: Page, query: str, name: str) -> None:
    """Search the registry and tick one person (the page reloads with them chosen)."""
    page.get_by_label("Nama, NIK, nomor KK atau nomor telepon").fill(query)
    page.get_by_role("button", name="Cari", exact=True).click()
    hit = page.get_by_test_id("person-candidates").get_by_role("listitem").filter(has_text=name)
    expect(hit).to_have_count(1)
    hit.get_by_role("link", name="Pilih").click()
    expect(page.get_by_test_id("chosen")).to_contain_text(name)


def open_the_group(page: Page) -> None:
    open_menu(page, "Orang terlantar")
    row = page.get_by_test_id("group-row").filter(has_text=intake_number())
    row.get_by_role("link", name=intake_number()).click()
    expect(page).to_have_url(GROUP_PAGE)


def counsellor_identifies_and_decides(page: Page) -> None:
    log_in(page, "sari")
    open_the_group(page)
    for name in FAMILY:
        _identify(page, name)
    _trace_the_family(page)
    for name in FAMILY:
        _decide_return_home(page, name)


def _member_row(page: Page, name: str) -> Locator:
    return page.get_by_test_id("member-row").filter(has_text=name)


def _identify(page: Page, name: str) -> None:
    _member_row(page, name).get_by_role("link", name="Identifikasi dan pemeriksaan").click()
    expect(page.get_by_role("heading", name="Identifikasi dan pemeriksaan")).to_be_visible()
    # "Kesehatan" alone, not "Kesehatan dan kondisi mental" (the health note).
    page.get_by_label(re.compile(r"^Kesehatan\b(?! dan)")).select_option(HealthStatus.FIT)
    page.get_by_label("Tanggal pemeriksaan").fill(today())
    page.get_by_label("Asal menurut pengakuan yang bersangkutan").fill("Kota Kulon, Garut")
    # A typo: the picker still finds the kelurahan, as the user types (htmx).
    page.get_by_label("Cari wilayah asal").fill("kota kulom")
    results = page.get_by_test_id("origin-results")
    pick = results.locator("label", has_text="Kota Kulon").filter(has_text=KOTA_KULON)
    expect(pick).to_have_count(1)
    pick.click()
    expect(pick.get_by_role("radio")).to_be_checked()
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(GROUP_PAGE)
    row = _member_row(page, name)
    expect(row).to_contain_text("Layak melakukan perjalanan")
    expect(row.get_by_test_id("origin")).to_contain_text("Kota Kulon")


def _trace_the_family(page: Page) -> None:
    page.get_by_test_id("tracing").get_by_role("link", name="Catat kontak").click()
    expect(page.get_by_role("heading", name="Catat kontak penelusuran keluarga")).to_be_visible()
    page.get_by_label("Pihak yang dihubungi").fill("Kakak Asep di Garut, 0812-2233-4455")
    page.get_by_label("Cara").select_option(label="Telepon")
    page.get_by_label("Hasil").select_option(TracingResult.WILL_RECEIVE)
    # The button's label ("Record") currently reads "Data" in Indonesian: find it by place.
    page.locator("main form .actions button[type=submit]").click()

    expect(page).to_have_url(GROUP_PAGE)
    entry = page.get_by_test_id("tracing-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Terhubung: keluarga bersedia menerima")


def _decide_return_home(page: Page, name: str) -> None:
    _member_row(page, name).get_by_role("link", name="Putuskan").click()
    expect(page.get_by_role("heading", name="Keputusan setelah asesmen")).to_be_visible()
    page.get_by_label("Pulang ke daerah asal").check()
    page.get_by_label("Alasan").fill(f"{name} sehat dan keluarga di Garut siap menerima.")
    page.get_by_role("button", name="Catat keputusan").click()

    expect(page).to_have_url(GROUP_PAGE)
    expect(_member_row(page, name).get_by_test_id("decision")).to_have_text("Pulang ke daerah asal")


def counsellor_plans_the_return(page: Page) -> None:
    page.get_by_test_id("plan-card").get_by_test_id("plan-edit").click()
    expect(page.get_by_role("heading", name="Rencana pemulangan", level=1)).to_be_visible()
    expect(page.get_by_test_id("travellers").get_by_role("listitem")).to_have_count(3)
    form = page.get_by_test_id("plan-form")
    form.get_by_label("Moda perjalanan").select_option(TravelMode.MIXED)
    form.get_by_label("Tanggal berangkat").fill(today())
    form.get_by_label("Rute").fill(ROUTE)
    form.get_by_label("Tiket (Rp)").fill("Rp 900.000")
    form.get_by_label("Lembaga penerima di sistem ini").select_option(label=GARUT_DINSOS)
    form.get_by_test_id("plan-save").click()

    expect(page.locator(".message-success")).to_be_visible()
    expect(page.get_by_test_id("plan-status")).to_have_text("Draf")
    expect(page.get_by_test_id("plan-total")).to_have_text("Rp 900.000")
    expect(page.get_by_test_id("over-ceiling")).to_have_count(0)
    page.get_by_test_id("plan-submit").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Menunggu persetujuan")
    log_out(page)


def coordinator_approves(page: Page) -> None:
    log_in(page, "budi")
    open_the_group(page)
    expect(page.get_by_test_id("group-status")).to_have_text("Rencana menunggu persetujuan")
    page.get_by_test_id("plan-card").get_by_test_id("plan-review").click()
    expect(page.get_by_role("heading", name="Periksa rencana pemulangan")).to_be_visible()
    expect(page.get_by_test_id("plan-per-person")).to_contain_text("Rp 300.000")
    page.get_by_test_id("plan-approve").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Disetujui")
    log_out(page)


def counsellor_issues_the_letter_and_sends(page: Page) -> str:
    log_in(page, "sari")
    open_the_group(page)
    expect(page.get_by_test_id("group-status")).to_have_text("Pemulangan disetujui")
    documents = page.get_by_test_id("documents-card")
    documents.get_by_test_id("issue-covering").click()
    expect(page.get_by_test_id("document")).to_have_count(1)
    number = RepatriationDocument.objects.get().letter.number
    expect(page.get_by_test_id("document")).to_contain_text(number)
    expect(page.locator(".message-success")).to_contain_text(number)

    card = page.get_by_test_id("handover-card")
    expect(card.get_by_label("Dikirim pada")).to_have_value(today())
    card.get_by_test_id("handover-send").click()
    row = page.get_by_test_id("handover-row")
    expect(row).to_have_attribute("data-status", HandoverStatus.SENT)
    expect(row.get_by_test_id("handover-status")).to_have_text("Dalam perjalanan")
    expect(page.get_by_test_id("group-status")).to_have_text("Dalam perjalanan / diserahterimakan")
    log_out(page)
    return number


def receiver_confirms_the_arrival(page: Page, case_number: str, letter_number: str) -> None:
    log_in(page, "dadang")
    # Dadang's way in: the stranded-people page links his organisation's queue.
    open_menu(page, "Orang terlantar")
    page.get_by_test_id("handover-queue-link").click()
    expect(page.get_by_role("heading", name="Serah terima masuk")).to_be_visible()
    row = page.get_by_test_id("handover-row")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", HandoverStatus.SENT)
    row.get_by_role("link").click()

    status = page.get_by_test_id("handover-status")
    expect(status).to_have_attribute("data-status", HandoverStatus.SENT)
    travellers = page.get_by_test_id("traveller")
    expect(travellers).to_have_count(3)
    for name in FAMILY:
        expect(page.get_by_test_id("travellers")).to_contain_text(name)
    expect(page.get_by_test_id("handover-letters")).to_contain_text(letter_number)
    expect(page.locator("body")).not_to_contain_text(case_number)

    form = page.get_by_test_id("arrival-form")
    form.get_by_label("Tiba pada").fill(today())
    form.get_by_label("Diterima oleh").fill(RECEIVED_BY)
    form.get_by_role("button", name="Konfirmasi kedatangan").click()

    expect(status).to_have_attribute("data-status", HandoverStatus.ARRIVED)
    expect(status).to_have_text("Kedatangan dikonfirmasi")
    expect(page.get_by_test_id("arrived-on")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(case_number)
    log_out(page)


def counsellor_sees_them_home(page: Page) -> None:
    log_in(page, "sari")
    open_the_group(page)
    expect(page.get_by_test_id("group-status")).to_have_text("Sudah tiba di daerah asal")
    row = page.get_by_test_id("handover-row")
    expect(row).to_have_attribute("data-status", HandoverStatus.ARRIVED)
    expect(row).to_contain_text(RECEIVED_BY)
    page.get_by_test_id("group-facts").get_by_role("link").first.click()
    expect(page.locator(".case-head .badge").first).to_have_text("Ditutup")


# -- the acceptance tests ----------------------------------------------------------------------


def test_a_stranded_family_goes_from_the_bus_terminal_to_confirmed_arrival_in_garut(
    new_page: NewPage, intan, sari, budi, dadang
):
    stranded_family(intan)
    desk = new_page(DESKTOP, False)

    intake_takes_the_family_in(desk)
    log_out(desk)
    counsellor_identifies_and_decides(desk)
    counsellor_plans_the_return(desk)
    coordinator_approves(desk)
    letter_number = counsellor_issues_the_letter_and_sends(desk)
    case_number = Case.objects.get().number

    garut = new_page(DESKTOP, False)
    receiver_confirms_the_arrival(garut, case_number, letter_number)

    counsellor_sees_them_home(desk)

    group = StrandedGroup.objects.get()
    assert group.number == intake_number()
    assert (group.found_place, group.brought_by, group.police_letter_ref) == (
        TERMINAL,
        POLICE,
        POLICE_LETTER,
    )
    assert group.status == GroupStatus.ARRIVED
    assert group.returned_on == timezone.localdate()
    members = list(group.members.select_related("person").order_by("person__full_name"))
    assert sorted(member.person.full_name for member in members) == sorted(FAMILY)
    for member in members:
        assert member.health_status == HealthStatus.FIT
        assert member.origin_region_id == KOTA_KULON
        assert (member.origin_province_code, member.origin_regency_code) == ("32", GARUT)
        assert member.decision == Decision.RETURN_HOME
        assert member.decided_by == sari
    assert group.tracing.get().result == TracingResult.WILL_RECEIVE
    plan = ReturnPlan.objects.get(group=group)
    assert (plan.status, plan.travellers, int(plan.total_cost)) == (
        PlanStatus.APPROVED,
        3,
        900_000,
    )
    assert plan.receiving_organisation == dadang.organisation
    assert plan.decided_by == budi
    case = Case.objects.get()
    assert case == group.case
    assert (case.status, case.closure_reason) == (CaseStatus.CLOSED, "repatriated")
    assert (case.opened_by, case.lead_counsellor) == (intan, sari)
    handover = Handover.objects.get()
    assert handover.status == HandoverStatus.ARRIVED
    assert handover.receiving_organisation == dadang.organisation
    assert handover.answered_by == dadang
    assert handover.received_by_name == RECEIVED_BY
    assert Person.objects.count() == 3  # nobody registered twice on the way


def test_the_intake_works_at_phone_size(new_page: NewPage, intan, sari):
    stranded_family(intan)
    phone = new_page(PHONE, True)

    intake_takes_the_family_in(phone)
    # The group page fits the phone: nothing to scroll sideways.
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    log_out(phone)

    group = StrandedGroup.objects.get()
    assert sorted(group.members.values_list("person__full_name", flat=True)) == sorted(FAMILY)
    assert (group.found_place, group.case.lead_counsellor) == (TERMINAL, sari)
