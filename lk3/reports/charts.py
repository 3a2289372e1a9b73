"""Bar and month charts of counts, as SVG drawn on the server.

The same chart goes into the dashboard, the official report's PDF and a
printout, so it reads in black and white: dark bars on white, the count
written at the end of each bar (or on each column), nothing told by colour
alone. A suppressed count (``Suppressed``, a small cell hidden from a
counts-only reader) is drawn as an empty dashed outline with "<5" written,
so it is never mistaken for a measured bar. ``<title>`` and ``<desc>`` carry
every figure in words for screen readers. Presentation attributes only (no
style attribute), so the page's Content-Security-Policy stays strict; a
``viewBox`` with width 100% lets the chart scale down to a phone.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lk3.reports.suppression import Cell, Suppressed

WIDTH = 640
INK = "#1c2421"
MUTED = "#5b6762"
PAPER = "#ffffff"
FONT = "DejaVu Sans, sans-serif"
# Bar chart: a row per label, the label at the left, the bar and its count at the right.
ROW_HEIGHT, BAR_HEIGHT, TOP = 26, 16, 8
LABEL_WIDTH, VALUE_ROOM = 210, 48
LABEL_CHARACTERS = 30
# Month chart: a column per month, the value over it, the month under it.
MONTH_HEIGHT, MONTH_TOP, MONTH_BOTTOM, MONTH_SIDE = 240, 28, 46, 16
# Month names under the columns are Indonesian whatever the reader's language
# (the official report is printed in Indonesian; see the issue 7 brief).
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _count_text(cell: Cell) -> str:
    if isinstance(cell, Suppressed):
        return str(cell)
    return number_format(cell, use_l10n=True, force_grouping=True)


def _size(cell: Cell) -> int:
    """How long a bar is drawn: a suppressed count as long as the threshold it stays below."""
    return cell.threshold if isinstance(cell, Suppressed) else cell


def _short(label: str) -> str:
    """Long labels (PMKS names) cut to fit the label column; the whole one is in the tooltip."""
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _element_id(kind: str, title: str, readings: Sequence[str]) -> str:
    """Ids stable for the same chart and distinct for different charts on one page."""
    digest = hashlib.sha256("\n".join([kind, title, *readings]).encode()).hexdigest()[:10]
    return f"{kind}-{digest}"


def _svg(
    *, kind: str, title: str, description: str, readings: Sequence[str], height: int, body: str
) -> SafeString:
    element_id = _element_id(kind, title, readings)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{element_id}-title {element_id}-desc" '
        f'class="report-chart progress-chart {kind}" font-family="{FONT}">'
        f'<title id="{element_id}-title">{escape(title)}</title>'
        f'<desc id="{element_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 -- every text is escaped above and in the bodies


def _nothing(height: int) -> str:
    return (
        f'<text x="{WIDTH / 2:.0f}" y="{height / 2 + 4:.0f}" font-size="13" '
        f'text-anchor="middle" fill="{MUTED}">{escape(_("No figures for this period."))}</text>'
    )


def _describe(readings: Sequence[str], has_hidden: bool, threshold: int | None) -> str:
    if not readings:
        return _("No figures for this period.")
    text = "; ".join(readings) + "."
    if has_hidden and threshold is not None:
        text += " " + _("Counts below %(threshold)s are not shown.") % {"threshold": threshold}
    return text


def _threshold(cells: Sequence[Cell]) -> int | None:
    return next((cell.threshold for cell in cells if isinstance(cell, Suppressed)), None)


def bar_chart(*, title: str, rows: Sequence[tuple[str, Cell]]) -> SafeString:
    """Horizontal bars, one per row label, with the value written at each bar."""
    height = TOP * 2 + max(len(rows), 1) * ROW_HEIGHT
    cells = [cell for _label, cell in rows]
    readings = [f"{label}: {_count_text(cell)}" for label, cell in rows]
    threshold = _threshold(cells)
    description = _describe(readings, threshold is not None, threshold)
    if not rows:
        body = _nothing(height)
    else:
        largest = max([_size(cell) for cell in cells] + [1])
        room = WIDTH - LABEL_WIDTH - VALUE_ROOM - 8
        parts = [
            f'<line x1="{LABEL_WIDTH}" y1="{TOP - 2}" x2="{LABEL_WIDTH}" '
            f'y2="{height - TOP + 2}" stroke="{INK}" stroke-width="1"/>'
        ]
        for index, (label, cell) in enumerate(rows):
            parts.append(_bar(index, label, cell, room * _size(cell) / largest))
        body = "".join(parts)
    return _svg(
        kind="bar-chart",
        title=title,
        description=description,
        readings=readings,
        height=height,
        body=body,
    )


def _bar(index: int, label: str, cell: Cell, length: float) -> str:
    top = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
    middle = top + BAR_HEIGHT / 2 + 4
    hidden = isinstance(cell, Suppressed)
    if hidden:
        length = max(length, 18)
        shape = (
            f'<rect x="{LABEL_WIDTH}" y="{top:.1f}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{PAPER}" stroke="{INK}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
    elif length > 0:
        shape = (
            f'<rect x="{LABEL_WIDTH}" y="{top:.1f}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{INK}"/>'
        )
    else:
        shape = ""
    return (
        f'<g data-hidden="{"yes" if hidden else "no"}">'
        f"<title>{escape(label)}: {escape(_count_text(cell))}</title>"
        f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" font-size="12" text-anchor="end" '
        f'fill="{INK}">{escape(_short(label))}</text>'
        f"{shape}"
        f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle:.1f}" font-size="12" '
        f'font-weight="bold" fill="{INK}">{escape(_count_text(cell))}</text>'
        f"</g>"
    )


def _month_name(day: datetime.date) -> str:
    return MONTH_NAMES[day.month - 1]


def month_label(day: datetime.date) -> str:
    """``Agu 2026``: a month as the charts name it."""
    return f"{_month_name(day)} {day.year}"


def month_chart(*, title: str, months: Sequence[tuple[datetime.date, Cell]]) -> SafeString:
    """Columns per month (the first day of each month), with the value written on each."""
    height = MONTH_HEIGHT
    cells = [cell for _day, cell in months]
    readings = [f"{month_label(day)}: {_count_text(cell)}" for day, cell in months]
    threshold = _threshold(cells)
    description = _describe(readings, threshold is not None, threshold)
    if not months:
        body = _nothing(height)
    else:
        baseline = height - MONTH_BOTTOM
        room = baseline - MONTH_TOP
        largest = max([_size(cell) for cell in cells] + [1])
        step = (WIDTH - 2 * MONTH_SIDE) / len(months)
        parts = [
            f'<line x1="{MONTH_SIDE}" y1="{baseline}" x2="{WIDTH - MONTH_SIDE}" y2="{baseline}" '
            f'stroke="{INK}" stroke-width="1"/>'
        ]
        for index, (day, cell) in enumerate(months):
            first = index == 0 or day.month == 1
            parts.append(
                _column(
                    MONTH_SIDE + index * step, step, day, cell, room * _size(cell) / largest, first
                )
            )
        body = "".join(parts)
    return _svg(
        kind="month-chart",
        title=title,
        description=description,
        readings=readings,
        height=height,
        body=body,
    )


def _column(
    left: float, step: float, day: datetime.date, cell: Cell, length: float, with_year: bool
) -> str:
    baseline = MONTH_HEIGHT - MONTH_BOTTOM
    width = step * 0.62
    x = left + (step - width) / 2
    centre = left + step / 2
    hidden = isinstance(cell, Suppressed)
    if hidden:
        length = max(length, 14)
        shape = (
            f'<rect x="{x:.1f}" y="{baseline - length:.1f}" width="{width:.1f}" '
            f'height="{length:.1f}" fill="{PAPER}" stroke="{INK}" stroke-width="1.2" '
            f'stroke-dasharray="4 3"/>'
        )
    elif length > 0:
        shape = (
            f'<rect x="{x:.1f}" y="{baseline - length:.1f}" width="{width:.1f}" '
            f'height="{length:.1f}" fill="{INK}"/>'
        )
    else:
        shape = ""
    year = (
        f'<text x="{centre:.1f}" y="{baseline + 32}" font-size="10" text-anchor="middle" '
        f'fill="{MUTED}">{day.year}</text>'
        if with_year
        else ""
    )
    return (
        f'<g data-hidden="{"yes" if hidden else "no"}">'
        f"{shape}"
        f'<text x="{centre:.1f}" y="{baseline - length - 5:.1f}" font-size="12" '
        f'font-weight="bold" text-anchor="middle" fill="{INK}">{escape(_count_text(cell))}</text>'
        f'<text x="{centre:.1f}" y="{baseline + 16}" font-size="11" text-anchor="middle" '
        f'fill="{INK}">{_month_name(day)}</text>'
        f"{year}"
        f"</g>"
    )
