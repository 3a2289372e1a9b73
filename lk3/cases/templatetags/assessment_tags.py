"""Template helpers for assessments: the band of a score and the progress charts."""

from __future__ import annotations

from typing import Any, cast

from django import template
from django.utils.safestring import SafeString

from lk3.cases import instruments
from lk3.cases.assessments import Series, progress_series
from lk3.cases.charts import number_text, progress_chart_svg
from lk3.cases.instruments import Interpretation, Schema
from lk3.cases.models import Assessment, InstrumentKind

register = template.Library()
# The panel on the case page charts whether the family is getting better.
PANEL_KINDS = (InstrumentKind.FAMILY_FUNCTIONING, InstrumentKind.RISK)


@register.simple_tag
def assessment_band(assessment: Assessment) -> Interpretation | None:
    return instruments.band_for(cast(Schema, assessment.instrument.schema), assessment.score)


@register.filter
def score_text(value: Any) -> str:
    return "" if value is None else number_text(value)


@register.simple_tag
def progress_charts(
    assessments: Any, panel: bool = False, minimum: int = 1
) -> list[tuple[Series, SafeString]]:
    """(series, svg) per scored instrument; on the panel only the family-functioning and risk ones."""
    kinds = tuple(str(kind) for kind in PANEL_KINDS) if panel else ()
    return [
        (series, progress_chart_svg(series, element_id=f"chart-{series.code}"))
        for series in progress_series(list(assessments), kinds=kinds)
        if len(series.points) >= minimum
    ]
