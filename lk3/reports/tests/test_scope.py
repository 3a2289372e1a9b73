"""The report scope: organisations a reader reaches, the period, and the case filters."""

from __future__ import annotations

import datetime

import pytest

from lk3.cases.tests.builders import intake_channel, pmks
from lk3.core.errors import DomainError
from lk3.regions.models import Region
from lk3.reports.scope import (
    DATES_OUT_OF_ORDER,
    ReportScope,
    cases_in,
    month_period,
    scope_for,
    year_period,
)
from lk3.reports.tests.builders import OCTOBER, opened_on

OTHER_PMKS = "anak-jalanan"
OUTREACH = "jemput-bola"
SARI_KELURAHAN = "64.74.01.1002"


def test_month_and_year_periods_include_their_last_day():
    assert month_period(2026, 2) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert month_period(2028, 2) == (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))
    assert month_period(2026, 12) == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert year_period(2026) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def test_coordinator_scope_is_their_organisation_only(budi, rudi):
    scope = scope_for(budi, date_from=OCTOBER[0], date_to=OCTOBER[1])
    assert scope.organisation_ids == frozenset({budi.organisation_id})
    # Asking for another organisation's figures gives nothing of it.
    asked = scope_for(
        budi, date_from=OCTOBER[0], date_to=OCTOBER[1], organisation_ids=[rudi.organisation_id]
    )
    assert asked.organisation_ids == frozenset()


def test_supervisor_scope_covers_the_supervised_lk3(pak_hendra, lk3_bontang, lk3_samarinda):
    scope = scope_for(pak_hendra, date_from=OCTOBER[0], date_to=OCTOBER[1])
    assert lk3_bontang.pk in scope.organisation_ids
    assert pak_hendra.organisation_id in scope.organisation_ids
    assert lk3_samarinda.pk not in scope.organisation_ids
    only_lk3 = scope_for(
        pak_hendra, date_from=OCTOBER[0], date_to=OCTOBER[1], organisation_ids=[lk3_bontang.pk]
    )
    assert only_lk3.organisation_ids == frozenset({lk3_bontang.pk})


def test_a_role_without_reports_has_an_empty_scope(sari):
    assert scope_for(sari, date_from=OCTOBER[0], date_to=OCTOBER[1]).organisation_ids == frozenset()


def test_end_before_start_is_refused_on_the_end_date(budi):
    with pytest.raises(DomainError) as error:
        scope_for(budi, date_from=OCTOBER[1], date_to=OCTOBER[0])
    assert error.value.field == "date_to"
    assert error.value.message == DATES_OUT_OF_ORDER


def test_filters_select_cases_by_pmks_kelurahan_and_channel(budi, sari):
    family = opened_on(budi, OCTOBER[0])
    street = opened_on(
        budi, OCTOBER[0], pmks_categories=pmks(OTHER_PMKS, "keluarga-bermasalah-sosial-psikologis")
    )
    outreach = opened_on(
        budi,
        OCTOBER[0],
        intake_channel=intake_channel(OUTREACH),
        kelurahan=Region.objects.get(code=SARI_KELURAHAN),
    )
    base = ReportScope(frozenset({budi.organisation_id}), *OCTOBER)

    def found(**filters):
        scope = ReportScope(base.organisation_ids, *OCTOBER, **filters)
        return set(cases_in(scope).values_list("pk", flat=True))

    assert found() == {family.pk, street.pk, outreach.pk}
    # A case of two chosen PMKS is counted once.
    assert (
        list(
            cases_in(
                ReportScope(
                    base.organisation_ids,
                    *OCTOBER,
                    pmks=(OTHER_PMKS, "keluarga-bermasalah-sosial-psikologis"),
                )
            ).values_list("pk", flat=True)
        ).count(street.pk)
        == 1
    )
    assert found(pmks=(OTHER_PMKS,)) == {street.pk}
    assert found(channels=(OUTREACH,)) == {outreach.pk}
    assert found(kelurahan=(SARI_KELURAHAN,)) == {outreach.pk}
    assert found(kelurahan=(SARI_KELURAHAN,), channels=("datang-sendiri",)) == set()


def test_scope_keeps_the_filters_for_a_report_run(budi):
    scope = scope_for(
        budi, date_from=OCTOBER[0], date_to=OCTOBER[1], pmks=["b", "a", "a", ""], channels=[]
    )
    assert scope.pmks == ("a", "b")
    assert scope.filters == {"pmks": ["a", "b"]}
