import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_board_member
from lk3.accounts.models import Function, Institution
from tests.browser.conftest import open_menu_item


@pytest.fixture
def board(lk3_bontang, member_agus):
    make_board_member(
        lk3_bontang,
        "Serka Bambang Wijaya",
        institution=Institution.ARMY,
        function=Function.BABINSA,
        kelurahan=["64.74.02.1001"],
    )


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_staff_directory_from_login_to_a_member(transactional_db, page, sari, board):
    log_in(page, "sari")
    expect(page.get_by_role("heading", name="Selamat datang, Sari")).to_be_visible()

    open_menu_item(page, "Pengurus & staf")
    expect(page.get_by_test_id("result-count")).to_have_text("2 anggota")
    if page.is_phone:
        page.get_by_text("Saringan").click()
    page.get_by_label("Kelurahan", exact=True).select_option(label="Lok Tuan")
    expect(page.get_by_test_id("result-count")).to_have_text("1 anggota")
    expect(page).to_have_url(re.compile(r"kelurahan=64\.74\.01\.1003"))
    page.get_by_role("link", name="Aipda Agus Setiawan").click()

    expect(page.get_by_role("heading", name="Aipda Agus Setiawan")).to_be_visible()
    expect(page.get_by_text("Polsek Bontang Utara")).to_be_visible()
