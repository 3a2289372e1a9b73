"""The official report as a workbook (openpyxl), laid out for printing.

A cover sheet (title, organisation, period, filters, when it was made and
what "<5" means), then one sheet per section: each table with a bold header
row, its rows and a totals row; A4, fit to one page wide, the header rows
repeated on every printed page. The signatories close the last sheet.
Text that a spreadsheet would read as a formula is written as text.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from lk3.reports.official import REPORT_LANGUAGE, ReportDocument, ReportTable
from lk3.reports.suppression import Suppressed

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
# Sheet names: at most 31 characters, none of []:*?/\
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def text(value: Any) -> Any:
    """A cell's value: numbers as numbers, "<5" and formula-looking text as text."""
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _sheet_name(number: int, title: str, used: set[str]) -> str:
    name = SHEET_NAME_BAD.sub(" ", f"{number}. {title}")[:31].strip()
    while name in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name)
    return name


def _cover(sheet: Worksheet, document: ReportDocument) -> None:
    sheet.title = _("Cover")[:31]
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
    sheet["A1"] = text(document.title)
    sheet["A1"].font = TITLE
    sheet.merge_cells("A1:B1")
    sheet["A1"].alignment = WRAP
    sheet.row_dimensions[1].height = 40
    lines = [
        (_("Organisation"), document.organisation.name),
        (_("Period"), document.period),
        *document.filters,
        (_("Made on"), document.generated_text),
    ]
    if document.counts_only:
        lines.append((f"<{document.threshold}", document.suppressed_meaning))
    row = 3
    for label, value in lines:
        sheet.cell(row=row, column=1, value=text(label)).font = BOLD
        cell = sheet.cell(row=row, column=2, value=text(value))
        cell.alignment = WRAP
        row += 1
    if document.introduction:
        row += 1
        cell = sheet.cell(row=row, column=1, value=text(document.introduction))
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell.alignment = WRAP
        sheet.row_dimensions[row].height = 15 * (1 + len(document.introduction) // 90)
    _page_setup(sheet, landscape=False)


def _page_setup(sheet: Worksheet, *, landscape: bool, repeat_rows: str | None = None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    if repeat_rows:
        sheet.print_title_rows = repeat_rows


def _table(sheet: Worksheet, start: int, item: ReportTable) -> int:
    """Writes one table from row ``start``; returns the next free row."""
    table = item.table
    sheet.cell(row=start, column=1, value=text(item.title)).font = BOLD
    header = start + 1
    with_total = item.totals and len(table.columns) > 1
    labels = [item.row_heading, *table.columns, *([_("Total")] if with_total else [])]
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=header, column=column, value=text(label))
        cell.font = BOLD
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    row = header + 1
    for label, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
        values = [label, *cells, *([total] if with_total else [])]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=text(value))
            cell.border = BOX
            if column > 1:
                cell.alignment = Alignment(horizontal="right")
        row += 1
    if not item.totals:
        return row + 1
    totals = [_("Total"), *table.column_totals, *([table.total] if with_total else [])]
    for column, value in enumerate(totals, start=1):
        cell = sheet.cell(row=row, column=column, value=text(value))
        cell.font = BOLD
        cell.border = BOX
        if column > 1:
            cell.alignment = Alignment(horizontal="right")
    return row + 2


def _section_sheet(workbook: Workbook, number: int, section: Any, used: set[str]) -> Worksheet:
    sheet = workbook.create_sheet(_sheet_name(number, section.title, used))
    sheet["A1"] = text(section.title)
    sheet["A1"].font = TITLE
    row = 3
    widest = max((len(item.table.columns) for item in section.tables), default=1)
    first_header = None
    for item in section.tables:
        if first_header is None:
            first_header = row + 1
        row = _table(sheet, row, item)
    if section.note:
        sheet.cell(row=row, column=1, value=text(section.note)).font = Font(italic=True)
        row += 1
    sheet.column_dimensions["A"].width = 42
    for column in range(2, widest + 3):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    repeat = f"{first_header}:{first_header}" if first_header and len(section.tables) == 1 else None
    _page_setup(sheet, landscape=widest > 4, repeat_rows=repeat)
    return sheet


def _signatories(sheet: Worksheet, document: ReportDocument) -> None:
    row = sheet.max_row + 2
    if document.closing:
        cell = sheet.cell(row=row, column=1, value=text(document.closing))
        cell.alignment = WRAP
        row += 2
    column = 1
    for signatory in document.signatories:
        sheet.cell(row=row, column=column, value=text(signatory.get("title", ""))).alignment = WRAP
        name = sheet.cell(row=row + 4, column=column, value=text(signatory.get("name", "")))
        name.font = Font(bold=True, underline="single")
        column += 2


def workbook_bytes(document: ReportDocument) -> bytes:
    """The report as an .xlsx file, in the report's language (Indonesian)."""
    with translation.override(REPORT_LANGUAGE):
        workbook = Workbook()
        workbook.properties.title = document.title[:200]
        workbook.properties.creator = "lk3"
        workbook.properties.created = timezone.make_naive(document.generated_at)
        _cover(workbook.active, document)
        used = {workbook.active.title}
        last = workbook.active
        for number, section in enumerate(document.sections, start=1):
            last = _section_sheet(workbook, number, section, used)
        _signatories(last, document)
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
