"""One case from intake to approved closure, as the three people who handle it meet it.

Intan at the intake desk opens a case for a registered mother and hands it
to Sari; Sari finds it in her cases, moves it through every stage on the
case page (htmx, no reload), and asks to close it; Budi, the coordinator,
approves, and the case shows closed. At desktop and phone size, in
Indonesian (the default language).
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from lk3.cases import stages
from lk3.cases.models import Case, CaseStatus, ClosureRequest, Stage
from lk3.cases.tests.builders import FAMILY_PMKS, WALK_IN
from lk3.people.tests.builders import make_person
from tests.browser.conftest import open_menu_item
from tests.browser.test_people_registry import log_in, log_out

PROBLEM = "Ibu Ratna datang sendiri: suami sering marah, anak sulung berhenti sekolah."


def _open_case_at_intake(page: Page, person_id: str) -> str:
    page.goto(reverse("people:person_detail", args=[person_id]))
    page.get_by_role("link", name="Buka kasus").click()
    page.get_by_label("Jalur masuk").select_option(label=_channel_name())
    page.get_by_label("Tingkat risiko").select_option("high")
    page.get_by_label("Masalah yang disampaikan").fill(PROBLEM)
    page.locator(f"input[name=pmks_categories][value='{_pmks_pk()}']").check()
    page.get_by_label("Konselor utama").select_option(label="Sari")
    page.get_by_role("button", name="Buka kasus").click()
    expect(page.locator(".message-success")).to_contain_text("dibuka")
    return Case.objects.get().number


def _channel_name() -> str:
    from lk3.core.models import IntakeChannel

    return IntakeChannel.objects.get(code=WALK_IN).name


def _pmks_pk() -> int:
    from lk3.core.models import PmksCategory

    return PmksCategory.objects.get(code=FAMILY_PMKS).pk


def _move_through_every_stage(page: Page) -> None:
    steps = page.locator(".stage-steps li")
    for index in range(1, stages.position(Stage.TERMINATION) + 1):
        page.locator(".quick-actions details.quick-action summary").first.click()
        page.locator(".quick-actions details.quick-action[open] button[type=submit]").click()
        expect(steps.nth(index)).to_have_class("current")


def _request_closure(page: Page) -> None:
    closure = page.locator(".quick-actions details.quick-action", has_text="Ajukan penutupan")
    closure.locator("summary").click()
    closure.get_by_label("Alasan penutupan").select_option("goals_achieved")
    closure.get_by_label("Hasil").select_option("improved")
    closure.get_by_label("Ringkasan penutupan").fill("Suami ikut konseling; anak kembali sekolah.")
    closure.get_by_role("button", name="Ajukan penutupan").click()
    expect(page.get_by_test_id("pending-closure")).to_contain_text("Penutupan diajukan")


def test_a_case_goes_from_intake_to_approved_closure(page, intan, sari, budi):
    ratna = make_person(intan, "Ratna Sari Dewi")

    log_in(page, "intan")
    number = _open_case_at_intake(page, str(ratna.public_id))
    log_out(page)

    log_in(page, "sari")
    open_menu_item(page, "Kasus")
    page.get_by_role("link", name=number).click()
    page.evaluate("window.notReloaded = true")
    _move_through_every_stage(page)
    _request_closure(page)
    assert page.evaluate("window.notReloaded") is True
    log_out(page)

    log_in(page, "budi")
    case = Case.objects.get()
    page.goto(reverse("cases:case_detail", args=[case.public_id]))
    page.get_by_role("button", name="Setujui dan tutup kasus").click()
    expect(page.locator(".case-head .badge").first).to_have_text("Ditutup")

    case.refresh_from_db()
    assert (case.status, case.stage, case.closure_reason) == (
        CaseStatus.CLOSED,
        Stage.TERMINATION,
        "goals_achieved",
    )
    assert case.lead_counsellor == sari
    assert case.opened_by == intan
    request = ClosureRequest.objects.get(case=case)
    assert (request.requested_by, request.decided_by) == (sari, budi)
