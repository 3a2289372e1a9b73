"""No aggregate view shows a count below the threshold to a counts-only reader (property test).

For random spreads of cases over PMKS categories, the city dashboard, the
indicators and every section of the official report, as the Dinsos
supervisor (counts only) reads them, hold no number from 1 to threshold - 1:
every table, line and figure is walked. The coordinator, who signs the
report, sees the exact small counts (the test also proves there were some).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lk3.cases.tests.builders import open_case, pmks
from lk3.people.tests.builders import make_person
from lk3.reports import dashboards, indicators, official
from lk3.reports.permissions import report_organisation_ids
from lk3.reports.scope import scope_for
from lk3.reports.suppression import Suppressed, Table, threshold_for

CODES = ["fakir-miskin", "anak-telantar", "korban-tindak-kekerasan"]
SPREADS = st.lists(st.integers(min_value=0, max_value=7), min_size=3, max_size=3)


def _numbers(value: Any) -> Iterator[int]:
    """Every count a view would print, found by walking its figures."""
    if isinstance(value, bool) or value is None or isinstance(value, Suppressed):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, Table):
        for line in value.cells:
            yield from _numbers(list(line))
        yield from _numbers([*value.row_totals, *value.column_totals, value.total])
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name not in {"organisation_ids", "threshold", "year", "code", "unit"}:
                yield from _numbers(getattr(value, item.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _numbers(item)


def _small(numbers: Iterator[int], threshold: int) -> list[int]:
    return [number for number in numbers if 0 < number < threshold]


def _views(user: Any, today: datetime.date) -> list[Any]:
    """The city dashboard, the year's indicators and every official section, as ``user`` reads them."""
    year_start = datetime.date(today.year, 1, 1)
    ids = report_organisation_ids(user)
    suppress = user.role != "coordinator"
    scope = scope_for(user, date_from=year_start, date_to=today)
    threshold = threshold_for(ids)
    figures: list[Any] = [
        [
            shown
            for _item, shown in indicators.indicator_values(
                scope, suppress=suppress, threshold=threshold
            )
        ]
    ]
    if suppress:
        figures.append(dashboards.city_dashboard(user=user, year=today.year, today=today))
    report = official.scope_for(
        organisation_ids=ids, date_from=year_start, date_to=today, suppress=suppress
    )
    figures += [spec.build(report) for spec in official.SECTIONS.values()]
    return figures


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spread=SPREADS)
def test_no_aggregate_view_shows_a_small_count(db, budi, pak_hendra, spread):
    today = timezone.localdate()
    with transaction.atomic():
        for code, count in zip(CODES, spread, strict=True):
            for number in range(count):
                client = make_person(budi, f"Klien {code} {number}")
                open_case(budi, client, pmks_categories=pmks(code))
        threshold = threshold_for(report_organisation_ids(pak_hendra))

        assert _small(_numbers(_views(pak_hendra, today)), threshold) == []
        if any(0 < count < threshold for count in spread):
            assert _small(_numbers(_views(budi, today)), threshold) != []
        transaction.set_rollback(True)
