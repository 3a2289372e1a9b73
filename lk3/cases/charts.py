"""Progress charts of assessment scores, as SVG drawn on the server.

The same chart goes into the page, a PDF and a printout, so it reads in
black and white: a line with a marker and the value at each assessment, the
date under it, the bands as dashed lines named at the left, and a note
saying which way is better. ``<title>`` and ``<desc>`` carry the whole
series in words for screen readers. Presentation attributes only (no style
attribute), so the page's Content-Security-Policy stays strict.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lk3.cases.assessments import Series

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 28, 34, 58
INK = "#1c2421"
MUTED = "#5b6762"
LINE = "#aab7b1"
WASH = "#f3f6f4"
# A white outline behind text keeps it readable where the line crosses it.
HALO = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"'


def number_text(value: Decimal, places: int | None = None) -> str:
    """A score as people write it here (comma decimals in Indonesian); without needless
    zeros unless ``places`` asks for them."""
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, use_l10n=True)


def _places(series: Series) -> int:
    """Two decimals for every point when any has them, so 3 and 3,50 are not mixed."""
    whole = all(value == value.to_integral_value() for _day, value in series.points)
    return 0 if whole else 2


def _y(value: Decimal, series: Series) -> float:
    span = series.high - series.low or Decimal(1)
    share = float((value - series.low) / span)
    return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    if count == 1:
        return LEFT + inner / 2
    return LEFT + 16 + index * (inner - 32) / (count - 1)


def _bands(series: Series) -> tuple[list[str], list[str]]:
    """The bands' shading and dashed lines (under the line), and their names (over it)."""
    shapes, names = [], []
    for index, (start, label) in enumerate(series.bands):
        end = series.bands[index + 1][0] if index + 1 < len(series.bands) else series.high
        low, high = max(start, series.low), min(end, series.high)
        if low >= high:
            continue
        top, bottom = _y(high, series), _y(low, series)
        if index % 2 == 1:
            shapes.append(
                f'<rect x="{LEFT}" y="{top:.1f}" width="{WIDTH - LEFT - RIGHT}" '
                f'height="{bottom - top:.1f}" fill="{WASH}"/>'
            )
        shapes.append(
            f'<line x1="{LEFT}" y1="{bottom:.1f}" x2="{WIDTH - RIGHT}" y2="{bottom:.1f}" '
            f'stroke="{LINE}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
        names.append(
            f'<text x="{LEFT + 4}" y="{bottom - 4:.1f}" font-size="11" fill="{MUTED}" {HALO}>'
            f"{escape(label)}</text>"
        )
    return shapes, names


def _axes(series: Series) -> list[str]:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    ticks = sorted(
        {series.low, series.high, *(s for s, _l in series.bands if series.low < s < series.high)}
    )
    parts = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>',
    ]
    for tick in ticks:
        y = _y(tick, series)
        parts.append(
            f'<line x1="{LEFT - 4}" y1="{y:.1f}" x2="{LEFT}" y2="{y:.1f}" stroke="{INK}"/>'
            f'<text x="{LEFT - 7}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="{INK}">'
            f"{escape(number_text(tick))}</text>"
        )
    direction = _("Higher is better") if series.higher_is_better else _("Higher is worse")
    parts.append(
        f'<text x="{LEFT}" y="{TOP - 14}" font-size="12" fill="{INK}">↑ {escape(direction)}</text>'
    )
    return parts


def _line(series: Series) -> tuple[list[str], list[str]]:
    """The line with its markers and dates, and the values (drawn last, over everything)."""
    count = len(series.points)
    coordinates = [
        (_x(index, count), _y(value, series)) for index, (_day, value) in enumerate(series.points)
    ]
    shapes, values = [], []
    if count > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        shapes.append(f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="2.5"/>')
    places = _places(series)
    for (x, y), (day, value) in zip(coordinates, series.points, strict=True):
        shapes.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#ffffff" stroke="{INK}" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">{escape(date_format(day, "j M"))}</text>'
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 32}" font-size="10" text-anchor="middle" '
            f'fill="{MUTED}">{day.year}</text>'
        )
        values.append(
            f'<text x="{x:.1f}" y="{y - 10:.1f}" font-size="12" font-weight="bold" '
            f'text-anchor="middle" fill="{INK}" {HALO}>{escape(number_text(value, places))}</text>'
        )
    return shapes, values


def description(series: Series) -> str:
    """The chart in words: direction, then every score with its date and band."""
    direction = _("Higher is better.") if series.higher_is_better else _("Higher is worse.")
    readings = []
    places = _places(series)
    for day, value in series.points:
        band = _band_label(series, value)
        reading = _("%(score)s on %(date)s") % {
            "score": number_text(value, places),
            "date": date_format(day, "j F Y"),
        }
        readings.append(f"{reading} ({band})" if band else reading)
    return f"{direction} {'; '.join(readings)}."


def _band_label(series: Series, value: Decimal) -> str:
    found = ""
    for start, label in series.bands:
        if value >= start:
            found = label
    return found


def progress_chart_svg(series: Series, *, element_id: str) -> SafeString:
    """One instrument's scores over time; ``element_id`` keeps title ids unique on the page."""
    title = _("%(instrument)s over time") % {"instrument": series.name}
    bands, names = _bands(series)
    line, values = _line(series)
    parts = [*bands, *_axes(series), *line, *names, *values]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" class="progress-chart" '
        f'font-family="DejaVu Sans, sans-serif" data-instrument="{escape(series.code)}">'
        f'<title id="{element_id}-title">{escape(title)}</title>'
        f'<desc id="{element_id}-desc">{escape(description(series))}</desc>'
        f"{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 -- every text is escaped above
