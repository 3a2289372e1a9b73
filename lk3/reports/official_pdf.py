"""The official report as a PDF (WeasyPrint), laid out for printing and signing.

The letterhead, the title and period, the introduction, each section's
tables with a chart of their first column (``lk3.reports.charts``, SVG drawn
on the server, black-and-white readable), the closing text, the signatories
side by side with room to sign, and page numbers. Rendered in Indonesian;
everything is inside the HTML (``letter_pdf.pdf_from_html`` fetches nothing).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from lk3.referrals.letter_pdf import city_of, letterhead_lines, logo_data_uri, pdf_from_html
from lk3.reports import charts
from lk3.reports.official import REPORT_LANGUAGE, ReportDocument, ReportTable

PDF_TEMPLATE = "reports/official_pdf.html"


def chart_for(item: ReportTable) -> SafeString:
    """The table's chart (its first column per row); empty when none fits or none is drawn."""
    table = item.table
    if not table.rows or not table.columns:
        return mark_safe("")
    values = [line[0] for line in table.cells]
    title = f"{item.title}: {table.columns[0]}"
    if item.chart == "month" and len(item.months) == len(values):
        return charts.month_chart(title=title, months=list(zip(item.months, values, strict=True)))
    if item.chart == "bar":
        return charts.bar_chart(title=title, rows=list(zip(table.rows, values, strict=True)))
    return mark_safe("")


def report_html(document: ReportDocument) -> str:
    sections: list[dict[str, Any]] = [
        {
            "section": section,
            "tables": [
                {
                    "item": item,
                    "chart": chart_for(item),
                    "lines": list(
                        zip(item.table.rows, item.table.cells, item.table.row_totals, strict=True)
                    ),
                }
                for item in section.tables
            ],
        }
        for section in document.sections
    ]
    context = {
        "document": document,
        "organisation": document.organisation,
        "letterhead_lines": letterhead_lines(document.organisation),
        "logo": logo_data_uri(document.organisation),
        "city": city_of(document.organisation),
        "sections": sections,
    }
    with translation.override(REPORT_LANGUAGE):
        return render_to_string(PDF_TEMPLATE, context)


def report_pdf(document: ReportDocument) -> bytes:
    return pdf_from_html(report_html(document))
