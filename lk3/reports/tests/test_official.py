"""The official report's sections on hand-built data with known answers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lk3.cases.tests.builders import open_case
from lk3.core.errors import DomainError
from lk3.reports import official
from lk3.reports.models import ReportKind, ReportSettings
from lk3.reports.official import SECTIONS, build_sections, scope_for
from lk3.reports.suppression import Suppressed
from lk3.reports.tests.official_builders import (
    BONTANG_KUALA,
    HOTLINE,
    MIGRANT_PMKS,
    NOVEMBER,
    day,
    november,
)


def _scope(organisation, **kw):
    return scope_for(
        organisation_ids=[organisation.pk], date_from=NOVEMBER[0], date_to=NOVEMBER[1], **kw
    )


def _rows(table):
    """{row label: [cells...]} of a shown table."""
    return dict(zip(table.rows, [list(cells) for cells in table.cells], strict=True))


def _section(code, scope):
    return build_sections([code], scope, language="en")[0]


@pytest.fixture
def data(budi, sari):
    return november(budi)


def test_summary_counts_new_open_closed_sessions(data, lk3_bontang):
    # when
    table = _section("summary", _scope(lk3_bontang)).tables[0].table
    # then
    rows = _rows(table)
    assert rows["New cases"] == [2]
    assert rows["Cases open at the end of the period"] == [3]
    assert rows["Cases closed in the period"] == [1]
    assert rows["Sessions held"] == [2]
    assert rows["Cases with a session"] == [2]


def test_pmks_counts_a_case_under_each_of_its_categories(data, lk3_bontang):
    # when
    table = _section("pmks", _scope(lk3_bontang)).tables[0].table
    # then: columns new, open at the end, closed
    assert table.columns == ["New", "Open at the end", "Closed"]
    rows = _rows(table)
    family = next(name for name in rows if name.lower().startswith("keluarga"))
    assert rows[family] == [2, 3, 1]
    migrant = next(name for name in rows if "migran" in name.lower())
    assert rows[migrant] == [1, 1, 0]
    assert table.column_totals == [3, 4, 1]


def test_services_sessions_by_kind_in_the_period(data, lk3_bontang):
    # when
    sessions, referrals = _section("services", _scope(lk3_bontang)).tables
    # then: the October session is outside the period
    rows = _rows(sessions.table)
    assert rows["Counselling"] == [1, 1]
    assert rows["Home visit"] == [1, 1]
    assert rows["Case conference"] == [0, 0]
    assert referrals.table.total == 0


def test_channel_and_kelurahan_count_new_cases(data, lk3_bontang):
    # when
    channel = _section("channel", _scope(lk3_bontang)).tables[0].table
    kelurahan = _section("kelurahan", _scope(lk3_bontang)).tables[0].table
    # then
    assert channel.total == 2
    assert sorted(count for cells in channel.cells for count in cells if count) == [1, 1]
    rows = _rows(kelurahan)
    # new, open at the end: the boy (new, open) in Bontang Kuala; the closed case is not open
    assert rows["Bontang Kuala"] == [1, 1]
    assert rows["Tanjung Laut"] == [1, 1]
    assert rows["Not recorded"] == [0, 1]


def test_sex_and_age_group_at_the_end_of_the_period(data, lk3_bontang):
    # when
    table = _section("sex_age", _scope(lk3_bontang)).tables[0].table
    # then: the boy (10) and the woman (41) of the new cases
    rows = _rows(table)
    assert table.columns == ["Male", "Female", "Family"]
    assert rows["6-17 years"] == [1, 0, 0]
    assert rows["18-59 years"] == [0, 1, 0]
    assert rows["60 years and over"] == [0, 0, 0]
    assert table.total == 2


def test_age_groups_turn_on_the_birthday(budi, lk3_bontang):
    # given: born 30 Nov 2020: 6 on the last day of November, 5 the day before
    from lk3.people.tests.builders import guardian_consent, make_person

    child = make_person(
        budi,
        "Anak",
        sex="P",
        birth_date=datetime.date(2020, 11, 30),
        consents=[guardian_consent()],
    )
    open_case(budi, client=child, today=day(11, 2))
    # when
    whole = _rows(_section("sex_age", _scope(lk3_bontang)).tables[0].table)
    early = scope_for(organisation_ids=[lk3_bontang.pk], date_from=day(11, 1), date_to=day(11, 29))
    before = _rows(_section("sex_age", early).tables[0].table)
    # then
    assert whole["6-17 years"] == [0, 1, 0]
    assert before["0-5 years"] == [0, 1, 0]


def test_outcome_counts_closures_in_the_period(data, lk3_bontang):
    # when
    outcomes, reasons = _section("outcome", _scope(lk3_bontang)).tables
    # then
    assert _rows(outcomes.table)["Improved"] == [1]
    assert outcomes.table.total == 1
    assert _rows(reasons.table)["Client withdrew"] == [1]


def test_filters_narrow_every_case_section(data, lk3_bontang):
    # given
    scope = _scope(lk3_bontang, filters={"channels": [HOTLINE]})
    # when
    summary = _rows(_section("summary", scope).tables[0].table)
    # then: only the woman's case came through the hotline
    assert summary["New cases"] == [1]
    assert summary["Cases open at the end of the period"] == [1]
    assert summary["Sessions held"] == [1]
    by_pmks = _section("pmks", _scope(lk3_bontang, filters={"pmks": [MIGRANT_PMKS]}))
    assert len(by_pmks.tables[0].table.rows) == 1
    assert by_pmks.tables[0].table.total == 2  # new and open at the end
    by_place = _section("summary", _scope(lk3_bontang, filters={"kelurahan": [BONTANG_KUALA]}))
    assert _rows(by_place.tables[0].table)["New cases"] == [1]


def test_unknown_filter_codes_are_refused_naming_the_field(lk3_bontang, budi):
    with pytest.raises(DomainError) as refused:
        _scope(lk3_bontang, filters={"pmks": ["bukan-pmks"]})
    assert refused.value.field == "pmks"
    with pytest.raises(DomainError):
        _scope(lk3_bontang, filters={"names": ["x"]})


def test_counts_only_suppresses_small_cells(data, lk3_bontang):
    # given
    scope = _scope(lk3_bontang, suppress=True)
    # when
    table = _section("pmks", scope).tables[0].table
    # then: nothing between 1 and 4 is shown
    shown = [cell for line in table.cells for cell in line] + list(table.column_totals)
    assert any(isinstance(cell, Suppressed) for cell in shown)
    assert all(isinstance(cell, Suppressed) or cell == 0 or cell >= 5 for cell in shown)
    assert str(Suppressed(5)) == "<5"


def test_the_organisations_threshold_is_used(data, lk3_bontang):
    # given: a stricter threshold of 10
    ReportSettings.objects.create(organisation=lk3_bontang, suppression_threshold=10)
    # when
    scope = _scope(lk3_bontang, suppress=True)
    table = _section("summary", scope).tables[0].table
    # then
    rows = _rows(table)
    assert scope.threshold == 10
    assert rows["Cases open at the end of the period"] == [Suppressed(10)]
    assert str(rows["New cases"][0]) == "<10"
    assert rows["Referrals out"] == [0]


def test_repatriation_section_from_the_repatriation_report(budi, lk3_bontang):
    from lk3.repatriation.tests.builders import take_in

    # given: a family of three found on 28 November 2026
    take_in(budi)
    # when
    table = _section("repatriation", _scope(lk3_bontang)).tables[0].table
    # then
    assert table.column_totals[0] == 3


def test_other_organisations_are_not_counted(data, lk3_samarinda, rudi):
    open_case(rudi, today=day(11, 4))
    table = _section("summary", _scope(lk3_samarinda)).tables[0].table
    assert _rows(table)["New cases"] == [1]


def test_annual_month_section(data, lk3_bontang):
    scope = scope_for(
        organisation_ids=[lk3_bontang.pk],
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 12, 31),
    )
    table = _section("months", scope).tables[0]
    assert len(table.table.rows) == 12
    assert len(table.months) == 12
    rows = dict(zip(table.months, table.table.cells, strict=True))
    assert rows[datetime.date(2026, 11, 1)] == [2, 1]
    assert rows[datetime.date(2026, 10, 1)] == [1, 0]
    assert rows[datetime.date(2026, 9, 1)] == [1, 0]


def test_period_text_in_indonesian():
    assert official.period_text(*NOVEMBER) == "November 2026"
    assert official.period_text(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)) == (
        "Februari 2026"
    )
    custom = official.period_text(datetime.date(2026, 7, 1), datetime.date(2026, 9, 15))
    assert "1 Juli 2026" in custom
    assert "15 September 2026" in custom


def test_default_templates_name_known_sections_and_signatories(lk3_bontang):
    for kind in ReportKind.values:
        template = official.default_template(lk3_bontang, kind)
        assert set(template["sections"]) <= set(SECTIONS)
        assert template["signatories"][0]["title"] == "Ketua LK3"
        assert template["signatories"][1]["title"].startswith("Mengetahui, Kepala Dinas Sosial")
    monthly = official.default_template(lk3_bontang, ReportKind.MONTHLY)
    assert monthly["title"].startswith(
        "Laporan Bulanan Lembaga Konsultasi Kesejahteraan Keluarga (LK3)"
    )
    assert "Bontang" in monthly["title"]


def _queries_for_all_sections(organisation) -> int:
    scope = _scope(organisation)
    with CaptureQueriesContext(connection) as queries:
        build_sections(list(SECTIONS), scope)
    return len(queries)


def test_query_count_is_the_same_for_2_and_20_cases(budi, lk3_bontang):
    # given
    for number in range(2):
        open_case(budi, today=day(11, 2 + number))
    few = _queries_for_all_sections(lk3_bontang)
    for number in range(18):
        open_case(budi, today=day(11, 5 + number))
    # when
    many = _queries_for_all_sections(lk3_bontang)
    # then
    assert many == few
