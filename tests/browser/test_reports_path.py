"""Budi reads his organisation's dashboard and downloads the monthly report.

LK3 Bontang's November 2026 (``official_builders.november``: three cases
opened, sessions held, one case closed on 20 November) and one more case that
Dewi leads. Budi, the coordinator, logs in, opens the dashboard from the menu
and finds the open cases per counsellor as a chart (an inline SVG with a
title) and as figures; then goes to the reports from the menu, asks for the
monthly report of November 2026 and lands on its page, where it waits for
the background worker. The test does the worker's job (``runs.run_execute``,
as the task would); the page's own polling (htmx) then shows the download
links without a reload. Both files are downloaded through the page and read
back (the XLSX with openpyxl, the PDF with poppler's pdftotext); each
download is in the access log. The dashboard also fits a phone (390 px).
In Indonesian (the default).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from lk3.accounts.models import Organisation, User
from lk3.audit.models import AccessEvent
from lk3.audit.services import record_reference
from lk3.referrals.tests.letter_builders import pdf_text
from lk3.reports import official, runs
from lk3.reports.models import ReportKind, ReportRun, RunStatus
from lk3.reports.official_views import DOWNLOAD_PURPOSE
from lk3.reports.tests.official_builders import NOVEMBER, case_on, day, november
from tests.browser.conftest import DESKTOP, PHONE, NewPage, open_menu
from tests.browser.test_people_registry import log_in

MONTH = "2026-11"
SIGNATORY = "Dra. Hj. Rahmawati"
HEAD_OF_OFFICE = "Ir. Bambang Sutrisno"
# November 2026: "boy" (3 Nov), "woman" (10 Nov) and Dewi's case (12 Nov) are new;
# the case opened on 5 October is closed on 20 November.
NEW_IN_NOVEMBER = 3
CLOSED_IN_NOVEMBER = 1
# Open now: "boy", "woman" and "old" led by Sari, one led by Dewi.
OPEN_FOR_SARI, OPEN_FOR_DEWI = 3, 1


@pytest.fixture
def casework(budi: User, sari: User, dewi: User, lk3_bontang: Organisation) -> str:
    """November 2026 in LK3 Bontang, and the monthly template with named signatories.

    Gives the report's title (the default one, which Budi has kept).
    """
    november(budi)
    case_on(budi, day(11, 12), lead_counsellor=dewi)
    default = official.default_template(lk3_bontang, ReportKind.MONTHLY)
    runs.template_save(
        actor=budi,
        organisation=lk3_bontang,
        kind=ReportKind.MONTHLY,
        title=default["title"],
        introduction=default["introduction"],
        sections=default["sections"],
        closing=default["closing"],
        signatories=[
            {"title": "Ketua LK3", "name": SIGNATORY},
            {"title": "Mengetahui, Kepala Dinas Sosial Kota Bontang", "name": HEAD_OF_OFFICE},
        ],
    )
    return str(default["title"])


def fits_the_screen(page: Page) -> bool:
    return bool(
        page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"),
    )


# -- the steps ---------------------------------------------------------------------------------


def coordinator_reads_the_dashboard(page: Page) -> None:
    log_in(page, "budi")
    open_menu(page, "Beranda")
    expect(page.get_by_role("heading", name="Dasbor lembaga", level=1)).to_be_visible()

    per_lead = page.get_by_test_id("per-lead")
    chart = per_lead.get_by_test_id("chart-per-lead").locator("svg")
    expect(chart).to_have_count(1)
    expect(chart).to_be_visible()
    expect(chart.locator("> title")).to_have_text("Kasus aktif per konselor")
    # Each bar is named too (read aloud, and shown on hover).
    expect(chart.locator("title", has_text="Sari")).to_have_text(f"Sari: {OPEN_FOR_SARI}")
    expect(chart.locator("title", has_text="Dewi")).to_have_text(f"Dewi: {OPEN_FOR_DEWI}")
    figures = per_lead.get_by_test_id("counts-per-lead").get_by_test_id("count-row")
    expect(figures.filter(has_text="Sari")).to_contain_text(str(OPEN_FOR_SARI))
    expect(figures.filter(has_text="Dewi")).to_contain_text(str(OPEN_FOR_DEWI))
    expect(page.get_by_test_id("open-total")).to_contain_text(str(OPEN_FOR_SARI + OPEN_FOR_DEWI))


def coordinator_asks_for_the_monthly_report(page: Page) -> ReportRun:
    open_menu(page, "Laporan")
    expect(page.get_by_role("heading", name="Laporan resmi", level=1)).to_be_visible()
    form = page.get_by_test_id("run-form")
    form.get_by_label("Laporan bulanan").check()
    form.get_by_label("Bulan", exact=True).fill(MONTH)
    form.get_by_role("button", name="Siapkan laporan").click()

    status = page.get_by_test_id("run-status")
    expect(status).to_have_attribute("data-status", RunStatus.QUEUED)
    expect(status.locator("progress")).to_be_visible()
    expect(page.get_by_test_id("period")).to_contain_text("November 2026")
    expect(page.get_by_test_id("download-xlsx")).to_have_count(0)
    run = ReportRun.objects.get()
    assert page.url.endswith(f"/reports/official/{run.public_id}/")
    return run


def download(page: Page, test_id: str, folder: Path) -> tuple[str, bytes]:
    with page.expect_download() as waiting:
        page.get_by_test_id(test_id).click()
    file = waiting.value
    target = folder / file.suggested_filename
    file.save_as(target)
    return file.suggested_filename, target.read_bytes()


def cells(sheet) -> list[object]:
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


# -- the acceptance tests ----------------------------------------------------------------------


def test_the_coordinator_reads_the_dashboard_and_downloads_the_monthly_report(
    new_page: NewPage, casework: str, budi: User, tmp_path: Path
):
    title = casework
    page = new_page(DESKTOP, False)
    coordinator_reads_the_dashboard(page)
    run = coordinator_asks_for_the_monthly_report(page)
    assert (run.kind, run.date_from, run.date_to) == (ReportKind.MONTHLY, *NOVEMBER)

    # The background worker's job; the page, polling, shows the files without a reload
    # (a mark left on the page's window survives only if the page is not loaded again).
    page.evaluate("window.lk3StillThisPage = true")
    assert runs.run_execute(run.pk).status == RunStatus.DONE
    status = page.get_by_test_id("run-status")
    expect(status).to_have_attribute("data-status", RunStatus.DONE, timeout=15_000)
    assert page.evaluate("window.lk3StillThisPage === true")
    expect(page.get_by_test_id("download-xlsx")).to_be_visible()
    expect(page.get_by_test_id("download-pdf")).to_be_visible()

    xlsx_name, xlsx = download(page, "download-xlsx", tmp_path)
    assert xlsx_name == "laporan-bulanan-lk3-bontang-2026-11.xlsx"
    book = load_workbook(io.BytesIO(xlsx))
    cover = book.worksheets[0]
    assert cover["A1"].value == title
    assert "November 2026" in cells(cover)
    summary = book.worksheets[1]
    figures = {row[0].value: row[1].value for row in summary.iter_rows() if row[0].value}
    assert figures["Kasus baru"] == NEW_IN_NOVEMBER
    assert figures["Kasus ditutup dalam periode"] == CLOSED_IN_NOVEMBER
    assert SIGNATORY in cells(book.worksheets[-1])

    pdf_name, pdf = download(page, "download-pdf", tmp_path)
    assert pdf_name == "laporan-bulanan-lk3-bontang-2026-11.pdf"
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert title.upper() in text.upper()
    assert "November 2026" in text
    assert SIGNATORY in text
    assert HEAD_OF_OFFICE in text

    recorded = AccessEvent.objects.filter(purpose=DOWNLOAD_PURPOSE).order_by("occurred_at")
    assert [(event.actor, event.target_type, event.path) for event in recorded] == [
        (budi, "reports.reportrun", f"/reports/official/{run.public_id}/{file_type}/")
        for file_type in ("xlsx", "pdf")
    ]
    assert {event.target_id for event in recorded} == {record_reference(run)}


def test_the_dashboard_fits_a_phone(new_page: NewPage, casework: str):
    page = new_page(PHONE, True)
    coordinator_reads_the_dashboard(page)
    # The chart's frame fits the screen (the chart scrolls inside it, not the page)...
    frame = page.get_by_test_id("chart-per-lead").locator(".chart-frame")
    box = frame.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert fits_the_screen(page)
    # ...and its words stay readable: at least 10 px high, not shrunk with the drawing.
    label = page.get_by_test_id("chart-per-lead").locator("svg text").first
    text_box = label.bounding_box()
    assert text_box is not None
    assert text_box["height"] >= 10
