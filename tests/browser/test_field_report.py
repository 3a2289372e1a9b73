"""A field officer's report survives a lost connection and is sent when the signal returns.

Pak Agus fills the short form on his phone; the connection drops as he
sends it: the page says it is not sent yet and nothing reaches the
server. When the phone is back online the report goes by itself, exactly
once, and the page shows its status. Phone size only: the offline part is
a phone's problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, ViewportSize, expect

from lk3.referrals.models import FieldReport
from tests.browser.conftest import PHONE
from tests.browser.test_people_registry import log_in

WHAT_HAPPENED = "Anak usia 9 tahun sering sendirian malam hari; ibunya bekerja di luar kota."
DRAFTS = "Object.keys(localStorage).filter((key) => key.startsWith('lk3.fieldDraft'))"


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        viewport=ViewportSize(width=PHONE["width"], height=PHONE["height"]),
        base_url=live_server.url,
        locale="en-US",
        is_mobile=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.is_phone = True  # type: ignore[attr-defined]
    yield page
    context.close()


def _fill(page: Page) -> None:
    form = page.locator("form[data-field-draft]")
    form.locator("[name=person_name]").fill("Ibu Wati")
    form.locator("[name=rt]").fill("004")
    form.locator("[name=rw]").fill("002")
    form.locator("[name=address]").fill("Belakang masjid, pagar hijau")
    form.locator("[name=what_happened]").fill(WHAT_HAPPENED)
    form.locator("[name=urgency]").select_option("soon")


def test_a_report_sent_offline_goes_when_the_signal_returns(phone: Page, pak_agus):
    log_in(phone, "pak_agus")
    phone.goto(reverse("referrals:field_report_create"))
    form = phone.locator("form[data-field-draft]")
    expect(form.locator("[name=kelurahan]")).to_have_value("64.74.01.1003")
    _fill(phone)
    not_sent = form.get_attribute("data-text-offline")

    phone.context.set_offline(True)
    form.locator("button[type=submit]").click()

    status = phone.get_by_test_id("draft-status")
    expect(status).to_be_visible()
    expect(status).to_have_text(not_sent or "")
    assert FieldReport.objects.count() == 0
    assert phone.evaluate(DRAFTS) == [f"lk3.fieldDraft.{pak_agus.public_id}"]

    phone.context.set_offline(False)

    expect(phone).to_have_url(re.compile(r"/referrals/field/[0-9a-f-]{36}/$"))
    report = FieldReport.objects.get()
    assert (report.person_name, report.rt, report.urgency) == ("Ibu Wati", "004", "soon")
    assert report.what_happened == WHAT_HAPPENED
    expect(phone.get_by_test_id("field-status")).to_have_attribute("data-status", "received")
    assert phone.evaluate(DRAFTS) == []

    phone.goto(reverse("referrals:field_report_create"))
    expect(phone.locator("[name=person_name]")).to_have_value("")
    expect(phone.get_by_test_id("draft-status")).to_be_hidden()
    assert phone.locator("[name=draft_key]").input_value() != str(report.draft_key)
    assert FieldReport.objects.count() == 1


def test_an_unsent_draft_is_restored_after_a_reload(phone: Page, pak_agus):
    log_in(phone, "pak_agus")
    phone.goto(reverse("referrals:field_report_create"))
    _fill(phone)
    key = phone.locator("[name=draft_key]").input_value()

    phone.reload()

    expect(phone.locator("[name=person_name]")).to_have_value("Ibu Wati")
    expect(phone.locator("[name=what_happened]")).to_have_value(WHAT_HAPPENED)
    assert phone.locator("[name=draft_key]").input_value() == key
    phone.locator("form[data-field-draft] button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/referrals/field/[0-9a-f-]{36}/$"))
    assert str(FieldReport.objects.get().draft_key) == key


def test_the_script_shows_a_refusal_on_its_field(phone: Page, pak_agus):
    log_in(phone, "pak_agus")
    phone.goto(reverse("referrals:field_report_create"))
    _fill(phone)
    phone.locator("[name=rt]").fill("12a")

    phone.locator("form[data-field-draft] button[type=submit]").click()

    rt_row = phone.locator(".form-row", has=phone.locator("[name=rt]"))
    expect(rt_row.locator(".errorlist")).to_be_visible()
    assert FieldReport.objects.count() == 0
    phone.locator("[name=rt]").fill("12")
    phone.locator("form[data-field-draft] button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/referrals/field/[0-9a-f-]{36}/$"))
    assert FieldReport.objects.get().rt == "12"
