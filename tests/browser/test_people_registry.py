"""The people registry as its users meet it: search, registration, merge and undo.

Intan (intake officer) finds a person despite a typo, is stopped from
registering her twice, and merges two records of one person; Budi (the
coordinator) then undoes that merge. The UI speaks Indonesian by default.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from lk3.people import duplicates
from lk3.people.models import (
    CandidateStatus,
    DuplicateCandidate,
    Person,
    PersonMerge,
    PersonStatus,
)
from lk3.people.tests.builders import NIK_SITI, make_person
from tests.browser.conftest import open_menu_item


@pytest.fixture
def siti(intan):
    return make_person(intan, "Siti Aminah", nik=NIK_SITI, nik_absence="")


@pytest.fixture
def second_record(intan, siti, budi):
    """A second record of Siti, found by the background duplicate search."""
    other = make_person(intan, "St. Aminah", birth_place="Bontang")
    run = duplicates.dedup_run_request(actor=budi, organisation=budi.organisation)
    duplicates.dedup_run_execute(run_id=run.pk)  # what the background worker does
    return other


def log_in(page, username):
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def log_out(page):
    if page.is_phone:
        page.locator("details.nav-narrow summary").click()
        menu = page.locator("details.nav-narrow")
    else:
        menu = page.locator("nav.nav-wide")
    menu.get_by_role("button", name="Keluar").click()
    expect(page.get_by_label("Nama pengguna")).to_be_visible()


def search_for(page, text):
    page.get_by_label("Nama, NIK, nomor KK, atau nomor telepon").fill(text)
    expect(page).to_have_url(re.compile(r"\?q="))


def test_a_typo_finds_the_person_and_a_known_nik_is_not_registered_twice(
    transactional_db, page, intan, siti
):
    log_in(page, "intan")
    expect(page.get_by_role("heading", name="Selamat datang, Intan")).to_be_visible()

    open_menu_item(page, "Penduduk")
    expect(page.get_by_role("heading", name="Penduduk", exact=True)).to_be_visible()
    search_for(page, "Siti Aminh")
    expect(page.get_by_test_id("result-count")).to_have_text("1 orang ditemukan")
    hit = page.get_by_test_id("person-results").get_by_role("listitem")
    expect(hit.get_by_role("link", name="Siti Aminah")).to_be_visible()
    expect(hit).to_contain_text("Kecocokan:")
    expect(hit.locator(".badge", has_text="salah ketik")).to_be_visible()

    page.get_by_role("link", name="Daftarkan orang baru").click()
    expect(page.get_by_role("heading", name="Daftarkan orang")).to_be_visible()
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("Tanggal lahir", exact=True).fill("1985-08-05")
    page.get_by_label("NIK", exact=True).press_sequentially(NIK_SITI)
    expect(page.get_by_test_id("nik-registered")).to_contain_text(
        "NIK ini sudah terdaftar atas nama Siti Aminah."
    )
    expect(page.get_by_test_id("nik-registered").get_by_role("link")).to_have_text(
        "Buka data tersebut"
    )

    page.get_by_role("button", name="Simpan").click()
    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_contain_text("Orang ini mungkin sudah terdaftar.")
    expect(warning.get_by_role("link", name="Siti Aminah")).to_be_visible()
    assert Person.objects.count() == 1

    # Insisting it is someone else does not get past the NIK.
    page.get_by_role("button", name="Bukan orang yang sama: daftarkan sebagai orang baru").click()
    expect(page.get_by_text("NIK ini sudah terdaftar atas nama Siti Aminah.")).to_be_visible()
    expect(page.get_by_role("heading", name="Daftarkan orang")).to_be_visible()
    assert Person.objects.count() == 1


def test_two_records_are_merged_and_the_coordinator_undoes_it(
    transactional_db, page, intan, budi, siti, second_record
):
    log_in(page, "intan")
    open_menu_item(page, "Penduduk")
    search_for(page, "Aminah")
    expect(page.get_by_test_id("result-count")).to_have_text("2 orang ditemukan")
    page.get_by_role("link", name="Siti Aminah").click()

    expect(page.get_by_role("heading", name="Siti Aminah")).to_be_visible()
    duplicates_card = page.locator(".card").filter(
        has=page.get_by_role("heading", name="Kemungkinan data ganda")
    )
    expect(duplicates_card.get_by_role("link", name="St. Aminah")).to_be_visible()
    duplicates_card.get_by_role("link", name="Bandingkan dan gabungkan").click()

    expect(page.get_by_role("heading", name="Gabungkan dua data milik satu orang")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile(r"^Siti Aminah"))).to_be_checked()
    birth_place = page.get_by_role("row").filter(
        has=page.get_by_role("cell", name="Tempat lahir", exact=True)
    )
    expect(birth_place).to_contain_text("Bontang")
    birth_place.get_by_label("pakai nilai yang lain").check()
    page.get_by_role("button", name="Gabungkan", exact=True).click()

    expect(page.get_by_text("Data digabungkan. Koordinator dapat membatalkannya")).to_be_visible()
    expect(page.get_by_role("heading", name="Siti Aminah")).to_be_visible()
    expect(page.get_by_text("Bontang, 5 Agustus 1985")).to_be_visible()
    merged_card = page.locator(".card").filter(
        has=page.get_by_role("heading", name="Data yang digabungkan ke data ini")
    )
    expect(merged_card).to_contain_text("St. Aminah")
    siti.refresh_from_db()
    second_record.refresh_from_db()
    assert (second_record.status, second_record.merged_into) == (PersonStatus.MERGED, siti)
    assert (siti.status, siti.birth_place) == (PersonStatus.ACTIVE, "Bontang")
    merge = PersonMerge.objects.get()
    assert (merge.survivor, merge.merged, merge.undone_at) == (siti, second_record, None)
    assert DuplicateCandidate.objects.get().status == CandidateStatus.MERGED

    log_out(page)
    log_in(page, "budi")
    page.goto(reverse("people:merge_list"))
    expect(page.get_by_role("heading", name="Data yang digabungkan", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="St. Aminah")
    expect(row).to_contain_text("Siti Aminah")
    row.get_by_role("link", name="Batalkan").click()

    expect(
        page.get_by_text(re.compile(r"St\. Aminah digabungkan ke Siti Aminah pada"))
    ).to_be_visible()
    page.get_by_role("button", name="Batalkan penggabungan").click()

    expect(page.get_by_text("Penggabungan dibatalkan: kini ada dua data lagi.")).to_be_visible()
    expect(page.get_by_role("heading", name="Siti Aminah")).to_be_visible()
    expect(merged_card.locator(".badge", has_text="dibatalkan")).to_be_visible()
    assert set(Person.objects.values_list("full_name", "status", "merged_into")) == {
        ("Siti Aminah", PersonStatus.ACTIVE, None),
        ("St. Aminah", PersonStatus.ACTIVE, None),
    }
    assert PersonMerge.objects.get().undone_by == budi

    open_menu_item(page, "Penduduk")
    search_for(page, "Aminah")
    expect(page.get_by_test_id("result-count")).to_have_text("2 orang ditemukan")
    page.get_by_role("link", name="St. Aminah").click()
    expect(page.get_by_role("heading", name="St. Aminah")).to_be_visible()
    expect(page.get_by_text("Data ini sudah digabungkan ke data lain.")).to_have_count(0)
    expect(page.get_by_role("link", name="Ubah")).to_be_visible()
