"""The SVG charts: valid, described in words, escaped, no style attribute, small counts hidden."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from django.utils import translation

from lk3.reports.charts import bar_chart, month_chart
from lk3.reports.suppression import Cell, Suppressed

SVG = "{http://www.w3.org/2000/svg}"
HIDDEN = Suppressed(5)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output, parsed to check it


def _one(root: ET.Element, path: str) -> ET.Element:
    found = root.find("/".join(f"{SVG}{tag}" for tag in path.split("/")))
    assert found is not None, path
    return found


def _text(root: ET.Element, path: str) -> str:
    return _one(root, path).text or ""


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_bar_chart_is_valid_svg_with_title_and_description():
    with translation.override("en"):
        svg = bar_chart(title="New cases by PMKS", rows=[("Anak terlantar", 12), ("Lansia", 7)])
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox", "").startswith("0 0 640 ")
    assert root.get("width") == "100%"
    assert _text(root, "title") == "New cases by PMKS"
    assert _text(root, "desc") == "Anak terlantar: 12; Lansia: 7."
    assert root.get("aria-labelledby") == (
        f"{_one(root, 'title').get('id')} {_one(root, 'desc').get('id')}"
    )


def test_bar_chart_writes_each_label_and_value():
    root = _parse(bar_chart(title="t", rows=[("Anak terlantar", 12), ("Lansia", 7)]))
    texts = _texts(root)
    assert "Anak terlantar" in texts
    assert "Lansia" in texts
    assert "12" in texts
    assert "7" in texts
    bars = list(root.iter(f"{SVG}rect"))
    # The longest count has the longest bar.
    assert float(bars[0].get("width", "0")) > float(bars[1].get("width", "0"))


def test_bar_chart_escapes_labels_and_title():
    label = '<script>x</script> & "A"'
    svg = bar_chart(title="<b>judul</b>", rows=[(label, 3)])
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = _parse(svg)
    assert label in _texts(root)
    assert _text(root, "title") == "<b>judul</b>"


def test_no_style_attribute_anywhere():
    bars = bar_chart(title="t", rows=[("a", 3), ("b", HIDDEN), ("c", 0)])
    months = month_chart(title="t", months=[(datetime.date(2026, 1, 1), HIDDEN)])
    for svg in (bars, months):
        assert "style=" not in svg
        for element in _parse(svg).iter():
            assert "style" not in element.attrib


def test_suppressed_bar_is_a_dashed_outline_with_its_range():
    with translation.override("en"):
        root = _parse(bar_chart(title="t", rows=[("Lansia", 40), ("Anak", HIDDEN)]))
    hidden = [group for group in root.iter(f"{SVG}g") if group.get("data-hidden") == "yes"]
    assert len(hidden) == 1
    outline = _one(hidden[0], "rect")
    assert outline.get("fill") == "#ffffff"
    assert outline.get("stroke-dasharray")
    assert "<5" in _texts(hidden[0])
    assert "Anak: <5" in _text(root, "desc")
    assert "Counts below 5 are not shown." in _text(root, "desc")


def test_zero_has_no_bar_but_its_value_written():
    root = _parse(bar_chart(title="t", rows=[("Lansia", 0)]))
    assert list(root.iter(f"{SVG}rect")) == []
    assert "0" in _texts(root)


def test_empty_chart_says_so():
    with translation.override("en"):
        root = _parse(bar_chart(title="t", rows=[]))
    assert "No figures for this period." in _texts(root)


def test_long_labels_are_cut_in_the_drawing_but_whole_in_words():
    label = "Keluarga bermasalah sosial psikologis dan rentan"
    root = _parse(bar_chart(title="t", rows=[(label, 9)]))
    drawn = _texts(root)
    assert label not in drawn
    assert any(text.endswith("…") for text in drawn)
    assert label in _text(root, "desc")
    assert _text(root, "g/title") == f"{label}: 9"


def test_month_chart_names_months_in_indonesian_with_values():
    months = [(datetime.date(2026, month, 1), month * 2) for month in range(1, 13)]
    with translation.override("en"):
        root = _parse(month_chart(title="New cases per month", months=months))
    texts = _texts(root)
    for name in ("Jan", "Mei", "Agu", "Okt", "Des"):
        assert name in texts
    assert "24" in texts
    assert "2" in texts
    assert "2026" in texts
    assert _text(root, "title") == "New cases per month"
    assert _text(root, "desc").startswith("Jan 2026: 2; Feb 2026: 4;")


def test_month_chart_draws_suppressed_months_as_outlines():
    months: list[tuple[datetime.date, Cell]] = [
        (datetime.date(2025, 12, 1), 9),
        (datetime.date(2026, 1, 1), HIDDEN),
    ]
    root = _parse(month_chart(title="t", months=months))
    hidden = [group for group in root.iter(f"{SVG}g") if group.get("data-hidden") == "yes"]
    assert len(hidden) == 1
    assert _one(hidden[0], "rect").get("stroke-dasharray")
    assert "<5" in _texts(hidden[0])
    # The year is written under the first month and under each January.
    assert _texts(root).count("2025") == 1
    assert _texts(root).count("2026") == 1


def test_two_different_charts_have_different_ids():
    first = _one(_parse(bar_chart(title="a", rows=[("x", 1)])), "title").get("id")
    second = _one(_parse(bar_chart(title="b", rows=[("x", 1)])), "title").get("id")
    assert first != second
