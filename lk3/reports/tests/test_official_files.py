"""The official report's XLSX and PDF, generated and read back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from lk3.referrals.tests.letter_builders import pdf_text
from lk3.reports import runs
from lk3.reports.models import ReportKind
from lk3.reports.official_pdf import report_pdf
from lk3.reports.official_xlsx import workbook_bytes
from lk3.reports.tests.official_builders import NOVEMBER, november

SIGNATORY = "Dra. Hj. Rahmawati"


@pytest.fixture
def document(budi, sari, lk3_bontang):
    november(budi)
    runs.template_save(
        actor=budi,
        organisation=lk3_bontang,
        kind=ReportKind.MONTHLY,
        title="Laporan Bulanan LK3 Kota Bontang",
        introduction="Pengantar laporan.",
        sections=["summary", "pmks", "sex_age"],
        closing="Demikian laporan ini dibuat.",
        signatories=[
            {"title": "Ketua LK3", "name": SIGNATORY},
            {"title": "Mengetahui, Kepala Dinas Sosial Kota Bontang", "name": "Ir. Bambang"},
        ],
    )
    run = runs.run_request(
        actor=budi, kind=ReportKind.MONTHLY, date_from=NOVEMBER[0], date_to=NOVEMBER[1]
    )
    return runs.build_document(run)


def _cells(sheet):
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_xlsx_reads_back_with_cover_sections_and_signatory(document):
    # when
    book = load_workbook(io.BytesIO(workbook_bytes(document)))
    # then
    assert len(book.sheetnames) == 4  # the cover and three sections
    cover = book.worksheets[0]
    assert cover["A1"].value == "Laporan Bulanan LK3 Kota Bontang"
    assert "November 2026" in _cells(cover)
    summary = book.worksheets[1]
    values = _cells(summary)
    # "New cases" row: its label then 2
    rows = {row[0].value: row[1].value for row in summary.iter_rows(min_row=4) if row[0].value}
    assert 2 in rows.values()
    assert summary.page_setup.fitToWidth == 1
    last = book.worksheets[-1]
    assert SIGNATORY in _cells(last)
    assert "Ketua LK3" in _cells(last)
    assert values


def test_xlsx_header_bold_and_totals_row(document):
    book = load_workbook(io.BytesIO(workbook_bytes(document)))
    pmks = book.worksheets[2]
    header = next(row for row in pmks.iter_rows() if row[0].font.bold and row[1].value)
    assert header[1].font.bold
    totals = [row for row in pmks.iter_rows() if row[0].value in ("Total", "Jumlah")]
    assert totals
    assert pmks.print_title_rows


def test_xlsx_counts_only_shows_the_mark_and_its_meaning(budi, sari, pak_hendra, lk3_bontang):
    november(budi)
    run = runs.run_request(
        actor=pak_hendra, kind=ReportKind.MONTHLY, date_from=NOVEMBER[0], date_to=NOVEMBER[1]
    )
    book = load_workbook(io.BytesIO(workbook_bytes(runs.build_document(run))))
    everything = [value for sheet in book.worksheets for value in _cells(sheet)]
    assert "<5" in everything
    assert all(
        not isinstance(value, int) or value == 0 or value >= 5
        for value in everything[1:]
        if not isinstance(value, bool)
    )


def test_pdf_reads_back_with_title_period_number_and_signatories(document):
    # when
    text = pdf_text(report_pdf(document))
    # then
    assert "Laporan Bulanan LK3 Kota Bontang".upper() in text.upper()
    assert "November 2026" in text
    assert SIGNATORY in text
    assert "Ir. Bambang" in text
    assert "Pengantar laporan." in text
    assert " 3 " in text  # the cases open at the end
