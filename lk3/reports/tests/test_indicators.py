"""Every indicator on hand-built data with known answers (October 2026 unless said).

Dates are set through the services' ``today=`` parameters; a referral's
``sent_at`` through an ``update()`` (see ``lk3.reports.tests.builders``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lk3.cases.models import ClosureOutcome
from lk3.cases.tests.builders import pmks
from lk3.referrals.models import Referral
from lk3.referrals.tests.referral_builders import link_staff, partner_for, revoke
from lk3.repatriation.models import Decision
from lk3.repatriation.tests.report_builders import intake_in_state
from lk3.reports import indicators
from lk3.reports.indicators import INDICATORS, indicator, indicator_values
from lk3.reports.scope import ReportScope, scope_for
from lk3.reports.suppression import Suppressed
from lk3.reports.tests.builders import (
    NOVEMBER_1,
    OCTOBER,
    SEPTEMBER_30,
    check_ins,
    close,
    closed_case,
    day,
    family_scores,
    opened_on,
    referral_sent_on,
    reopen,
    session_on,
)

OTHER_PMKS = "anak-jalanan"


def october(user) -> ReportScope:
    return scope_for(user, date_from=OCTOBER[0], date_to=OCTOBER[1])


def value(code: str, scope: ReportScope) -> indicators.IndicatorValue:
    return indicator(code).compute(scope)


def test_every_indicator_is_defined_once_with_a_definition_and_a_unit():
    codes = [item.code for item in INDICATORS]
    assert len(codes) == len(set(codes)) == 11
    for item in INDICATORS:
        assert str(item.definition).endswith(".")
        assert item.unit in (
            indicators.COUNT,
            indicators.DAYS,
            indicators.PERCENT,
            indicators.POINTS,
        )


def test_new_cases_counts_both_edges_of_the_period_and_nothing_outside(budi, rudi):
    opened_on(budi, SEPTEMBER_30)
    opened_on(budi, OCTOBER[0])
    opened_on(budi, OCTOBER[1])
    opened_on(budi, NOVEMBER_1)
    opened_on(rudi, day(10, 15))  # LK3 Samarinda: never Bontang's

    assert value("new_cases", october(budi)).value == 2
    assert value("new_cases", october(rudi)).value == 1


def test_open_caseload_is_what_is_open_at_the_end_of_the_period(budi):
    opened_on(budi, day(9, 1))  # still open
    closed_case(budi, day(9, 1), OCTOBER[1])  # closed on the last day: not open at the end
    closed_case(budi, day(9, 1), NOVEMBER_1)  # closed after the period: open at its end
    opened_on(budi, OCTOBER[1])  # opened on the last day
    opened_on(budi, NOVEMBER_1)  # not yet opened

    assert value("open_caseload", october(budi)).value == 3


def test_days_to_first_contact_is_the_median_over_cases_opened_with_a_session(budi, sari):
    first = opened_on(budi, OCTOBER[0])
    session_on(first, day(10, 4))
    session_on(first, day(10, 2))  # the earliest counts: 1 day
    session_on(opened_on(budi, day(10, 10)), day(10, 13))  # 3 days
    session_on(opened_on(budi, day(10, 5)), day(10, 12))  # 7 days
    session_on(opened_on(budi, day(10, 20)), day(10, 30))  # 10 days
    opened_on(budi, day(10, 21))  # no session yet: not in the base
    session_on(opened_on(budi, SEPTEMBER_30), OCTOBER[0])  # opened before the period

    result = value("days_to_first_contact", october(budi))

    assert (result.value, result.base) == (Decimal("5.0"), 4)


def test_days_to_close_is_the_median_over_cases_closed_in_the_period(budi):
    closed_case(budi, day(9, 1), OCTOBER[0])  # 30 days
    closed_case(budi, day(10, 10), OCTOBER[1])  # 21 days
    closed_case(budi, day(10, 10), day(10, 20))  # 10 days
    closed_case(budi, day(9, 25), NOVEMBER_1)  # closed after the period
    closed_case(budi, day(9, 1), SEPTEMBER_30)  # closed before it
    opened_on(budi, day(10, 2))  # still open

    result = value("days_to_close", october(budi))

    assert (result.value, result.base) == (Decimal("21.0"), 3)


def test_days_to_close_of_an_even_number_of_cases_is_the_mean_of_the_middle_two(budi):
    closed_case(budi, day(9, 1), OCTOBER[0])  # 30 days
    closed_case(budi, day(10, 10), OCTOBER[1])  # 21 days

    assert value("days_to_close", october(budi)).value == Decimal("25.5")


def test_medians_of_nothing_are_empty(budi):
    result = value("days_to_close", october(budi))
    assert (result.value, result.base) == (None, 0)


def test_closure_outcomes_break_down_the_cases_closed_in_the_period(budi):
    closed_case(budi, day(9, 1), OCTOBER[0], ClosureOutcome.IMPROVED)
    closed_case(budi, day(9, 1), day(10, 15), ClosureOutcome.IMPROVED)
    closed_case(budi, day(9, 1), OCTOBER[1], ClosureOutcome.WORSENED)
    closed_case(budi, day(9, 1), NOVEMBER_1, ClosureOutcome.IMPROVED)

    with translation.override("en"):
        result = value("closure_outcomes", october(budi))

    assert result.value == 3
    assert dict(result.breakdown) == {
        "Improved": 2,
        "Partly improved": 0,
        "Unchanged": 0,
        "Worsened": 1,
        "Not known": 0,
    }


def test_reopen_rate_is_the_share_of_closures_after_a_reopening(budi):
    again = closed_case(budi, day(9, 1), day(9, 5))
    reopen(budi, again)
    close(budi, again, day(10, 10))  # closed in October after one reopening
    closed_case(budi, day(9, 1), day(10, 12))
    closed_case(budi, day(9, 1), day(10, 14))
    reopen(budi, closed_case(budi, day(9, 1), day(10, 5)))  # open again: not closed in October

    result = value("reopen_rate", october(budi))

    assert (result.value, result.numerator, result.denominator) == (Decimal("33.3"), 1, 3)


@pytest.fixture
def ppa(budi, mitra_ppa):
    partner = partner_for(budi)
    link_staff(mitra_ppa, partner)
    return partner


def test_referral_acceptance_and_completion(budi, mitra_ppa, ppa):
    referral_sent_on(budi, mitra_ppa, day(10, 2), ["accepted"])
    referral_sent_on(budi, mitra_ppa, day(10, 3), ["accepted", "in_service", "completed"])
    referral_sent_on(budi, mitra_ppa, day(10, 4), ["received", "declined"])
    referral_sent_on(budi, mitra_ppa, day(10, 5), ["received"])  # not decided yet
    revoke(budi, referral_sent_on(budi, mitra_ppa, OCTOBER[1], ["accepted"]))
    revoke(budi, referral_sent_on(budi, mitra_ppa, day(10, 6)))  # revoked before any answer
    referral_sent_on(budi, mitra_ppa, SEPTEMBER_30, ["declined"])
    referral_sent_on(budi, mitra_ppa, NOVEMBER_1, ["accepted", "completed"])

    acceptance = value("referral_acceptance", october(budi))
    completion = value("referral_completion", october(budi))

    assert (acceptance.value, acceptance.numerator, acceptance.denominator) == (
        Decimal("75.0"),
        3,
        4,
    )
    assert (completion.value, completion.numerator, completion.denominator) == (
        Decimal("33.3"),
        1,
        3,
    )


def test_referrals_are_counted_by_the_day_sent_in_the_organisations_time(budi, mitra_ppa, ppa):
    late = referral_sent_on(budi, mitra_ppa, OCTOBER[1], ["accepted"])
    # 23:30 and 00:30 in Bontang (WITA, UTC+8) are 15:30 and 16:30 UTC on 31 October.
    Referral.objects.filter(pk=late.pk).update(
        sent_at=datetime.datetime(2026, 10, 31, 15, 30, tzinfo=datetime.UTC)
    )
    early = referral_sent_on(budi, mitra_ppa, NOVEMBER_1, ["accepted"])
    Referral.objects.filter(pk=early.pk).update(
        sent_at=datetime.datetime(2026, 10, 31, 16, 30, tzinfo=datetime.UTC)
    )

    assert value("referral_acceptance", october(budi)).denominator == 1


def test_follow_ups_done_counts_check_ins_due_in_the_period(budi):
    check_ins(
        budi,
        [
            (SEPTEMBER_30, None),  # due before
            (day(10, 5), day(10, 6)),
            (day(10, 20), None),
            (OCTOBER[1], day(11, 2)),  # done after the period: still done
            (NOVEMBER_1, NOVEMBER_1),  # due after
        ],
    )

    result = value("follow_ups_done", october(budi))

    assert (result.value, result.numerator, result.denominator) == (Decimal("66.7"), 2, 3)


def test_family_functioning_change_is_the_mean_of_last_minus_first(budi):
    family_scores(budi, opened_on(budi, day(9, 1)), [(day(9, 1), 2), (day(10, 10), 3)])  # +1
    family_scores(
        budi, opened_on(budi, day(9, 1)), [(OCTOBER[0], 2), (day(10, 15), 1), (OCTOBER[1], 4)]
    )  # +2: the first and the last, not the lowest
    family_scores(budi, opened_on(budi, day(9, 1)), [(day(10, 5), 1)])  # one assessment only
    family_scores(budi, opened_on(budi, day(9, 1)), [(day(9, 1), 1), (NOVEMBER_1, 4)])  # last after
    family_scores(budi, opened_on(budi, day(9, 1)), [(day(9, 1), 1), (SEPTEMBER_30, 4)])  # before

    result = value("family_functioning_change", october(budi))

    assert (result.value, result.base) == (Decimal("1.50"), 2)


def test_repatriations_count_people_home_whose_group_arrived_in_the_period(budi):
    garut = ["32.05.01"]
    intake_in_state(
        budi,
        found_on=day(9, 1),
        origins=garut * 3,
        decision=Decision.RETURN_HOME,
        plan_cost=900_000,
        arrived_on=OCTOBER[1],
    )
    intake_in_state(
        budi,
        found_on=day(9, 1),
        origins=garut * 2,
        decision=Decision.RETURN_HOME,
        plan_cost=600_000,
        arrived_on=NOVEMBER_1,
    )
    intake_in_state(budi, found_on=day(10, 2), origins=garut, decision=Decision.LOCAL_EMPLOYMENT)

    assert value("repatriations", october(budi)).value == 3


def test_filters_narrow_every_case_indicator(budi):
    closed_case(budi, day(9, 1), day(10, 3), pmks_categories=pmks(OTHER_PMKS))
    closed_case(budi, day(9, 1), day(10, 4))
    opened_on(budi, day(10, 5), pmks_categories=pmks(OTHER_PMKS))
    street = scope_for(budi, date_from=OCTOBER[0], date_to=OCTOBER[1], pmks=[OTHER_PMKS])

    assert value("new_cases", street).value == 1
    assert value("closure_outcomes", street).value == 1
    assert value("days_to_close", street).base == 1
    assert value("new_cases", october(budi)).value == 1
    assert value("closure_outcomes", october(budi)).value == 2


def test_the_supervisor_counts_the_supervised_lk3_but_no_other(budi, rudi, pak_hendra):
    for on in (day(10, 1), day(10, 2), day(10, 3)):
        opened_on(budi, on)
    opened_on(rudi, day(10, 4))

    shown = dict(indicator_values(october(pak_hendra), suppress=False, threshold=5))

    assert shown[indicator("new_cases")].value == 3


def test_counts_only_readers_see_small_values_suppressed(budi, pak_hendra):
    closed_case(budi, day(9, 1), day(10, 3), ClosureOutcome.IMPROVED)
    closed_case(budi, day(9, 1), day(10, 4), ClosureOutcome.WORSENED)
    for on in range(1, 7):
        opened_on(budi, day(10, on))  # six new cases, above the threshold
    mark = Suppressed(5)

    with translation.override("en"):
        shown = {
            item.code: figure
            for item, figure in indicator_values(october(pak_hendra), suppress=True, threshold=5)
        }

    assert shown["new_cases"].value == 6
    assert shown["closure_outcomes"].value == mark
    assert dict(shown["closure_outcomes"].breakdown)["Improved"] == mark
    assert dict(shown["closure_outcomes"].breakdown)["Unchanged"] == 0  # zero identifies nobody
    assert shown["days_to_close"].value == mark  # a median over 2 cases
    assert shown["days_to_close"].base == mark
    assert shown["reopen_rate"].numerator is None
    assert shown["referral_acceptance"].value is None  # nothing to compute over: no figure
    assert str(mark) == "<5"


def test_the_coordinator_sees_the_same_small_values_exactly(budi):
    closed_case(budi, day(9, 1), day(10, 3), ClosureOutcome.IMPROVED)
    closed_case(budi, day(9, 1), day(10, 4), ClosureOutcome.WORSENED)

    with translation.override("en"):
        shown = {
            item.code: figure
            for item, figure in indicator_values(october(budi), suppress=False, threshold=5)
        }

    assert shown["closure_outcomes"].value == 2
    assert dict(shown["closure_outcomes"].breakdown)["Improved"] == 1
    assert shown["days_to_close"].value == Decimal("32.5")
    assert shown["days_to_close"].base == 2


def _queries(scope: ReportScope) -> int:
    with CaptureQueriesContext(connection) as queries:
        indicator_values(scope, suppress=True, threshold=5)
    return len(queries)


def _casework(budi, on: int) -> None:
    case = opened_on(budi, day(10, on))
    session_on(case, day(10, on + 1))
    family_scores(budi, case, [(day(10, on), 2), (day(10, on + 2), 3)])
    close(budi, case, day(10, on + 3))


def test_the_number_of_queries_does_not_grow_with_the_data(budi, sari):
    _casework(budi, 1)
    few = _queries(october(budi))
    for on in (2, 3, 4, 5, 6):
        _casework(budi, on)

    # One query per indicator, and one more for each of the two medians.
    assert _queries(october(budi)) == few == len(INDICATORS) + 2
