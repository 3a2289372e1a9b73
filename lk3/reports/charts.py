"""Stub: area B draws these (SVG on the server, the same on the page and in the PDF)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from lk3.reports.suppression import Cell


def bar_chart(*, title: str, rows: Sequence[tuple[str, Cell]]) -> SafeString:
    """Horizontal bars, one per row label, with the value written at each bar."""
    return mark_safe("")


def month_chart(*, title: str, months: Sequence[tuple[datetime.date, Cell]]) -> SafeString:
    """Columns per month (the first day of each month), with the value written on each."""
    return mark_safe("")
