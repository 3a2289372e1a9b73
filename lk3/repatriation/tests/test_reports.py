"""The repatriation report on hand-built intakes with known answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import make_user
from lk3.accounts.models import Organisation
from lk3.accounts.roles import Role
from lk3.repatriation.models import Decision, GroupStatus, PlanStatus
from lk3.repatriation.reports import Counts, repatriation_report
from lk3.repatriation.tests.report_builders import intake_in_state

YEAR_FROM = datetime.date(2026, 1, 1)
YEAR_TO = datetime.date(2026, 12, 31)
RETURN = Decision.RETURN_HOME


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


@pytest.fixture
def known(budi, rudi):
    """Nine people of LK3 Bontang found in 2026, one intake of 2025, one of LK3 Samarinda.

    Arrived: 4, 10, 25 and 30 days after intake (median 17.5, mean 17.25).
    """
    groups = {
        "a": intake_in_state(
            budi,
            found_on=d(3, 10),
            origins=["32.05.01.1001", "32.05.01"],
            decision=RETURN,
            plan_cost=800_000,
            arrived_on=d(3, 14),
        ),
        "b": intake_in_state(
            budi,
            found_on=d(3, 20),
            origins=["32.73"],
            decision=RETURN,
            plan_cost=500_000,  # over the ceiling of 450,000
            arrived_on=d(3, 30),
        ),
        "c": intake_in_state(
            budi,
            found_on=d(4, 2),
            origins=["73.71"],
            decision=RETURN,
            plan_cost=300_000,
            arrived_on=d(4, 27),
        ),
        "d": intake_in_state(
            budi,
            found_on=d(5, 1),
            origins=["73.71"],
            decision=RETURN,
            plan_cost=350_000,
            arrived_on=d(5, 31),
        ),
        # Awaiting approval: one known origin, one not known yet (no decision).
        "e": intake_in_state(
            budi,
            found_on=d(5, 15),
            origins=["32.05", ""],
            plan_cost=900_000,
            plan_status=PlanStatus.SUBMITTED,
        ),
        "f": intake_in_state(
            budi, found_on=d(6, 1), origins=["73.71"], decision=Decision.LOCAL_EMPLOYMENT
        ),
        "i": intake_in_state(
            budi, found_on=d(6, 10), origins=["32.05"], decision=RETURN, plan_cost=420_000
        ),
        "old": intake_in_state(
            budi,
            found_on=d(12, 20, 2025),
            origins=["32.05"],
            decision=RETURN,
            plan_cost=400_000,
            arrived_on=d(12, 28, 2025),
        ),
        "samarinda": intake_in_state(
            rudi,
            found_on=d(3, 1),
            origins=["35.78"],
            decision=RETURN,
            plan_cost=400_000,
            arrived_on=d(3, 5),
        ),
    }
    return groups


def _report(*organisations: Organisation):
    return repatriation_report(organisations=organisations, date_from=YEAR_FROM, date_to=YEAR_TO)


def test_the_groups_are_in_the_states_the_report_counts(known):
    statuses = {key: group.status for key, group in known.items()}
    assert statuses["a"] == GroupStatus.ARRIVED
    assert statuses["e"] == GroupStatus.AWAITING_APPROVAL
    assert statuses["f"] == GroupStatus.SETTLED
    assert statuses["i"] == GroupStatus.APPROVED


def test_people_by_origin_province(known, lk3_bontang):
    with translation.override("en"):
        report = _report(lk3_bontang)

    assert report.groups == 7
    assert report.totals == Counts(taken_in=9, returned=5, stayed=1, still_open=3)
    rows = [(row.code, row.name, row.counts) for row in report.provinces]
    assert rows == [
        ("32", "Jawa Barat", Counts(taken_in=5, returned=3, stayed=0, still_open=2)),
        ("73", "Sulawesi Selatan", Counts(taken_in=3, returned=2, stayed=1, still_open=0)),
        ("", "Unknown", Counts(taken_in=1, returned=0, stayed=0, still_open=1)),
    ]


def test_people_by_origin_regency(known, lk3_bontang):
    with translation.override("en"):
        report = _report(lk3_bontang)

    rows = [(row.code, row.name, row.province_name, row.counts) for row in report.regencies]
    assert rows == [
        (
            "32.05",
            "Kabupaten Garut",
            "Jawa Barat",
            Counts(taken_in=4, returned=2, stayed=0, still_open=2),
        ),
        (
            "73.71",
            "Kota Makassar",
            "Sulawesi Selatan",
            Counts(taken_in=3, returned=2, stayed=1, still_open=0),
        ),
        ("32.73", "Kota Bandung", "Jawa Barat", Counts(taken_in=1, returned=1)),
        ("", "Unknown", "Unknown", Counts(taken_in=1, still_open=1)),
    ]


def test_people_by_month_taken_in_and_arrived(known, lk3_bontang):
    report = _report(lk3_bontang)

    rows = [(row.month, row.taken_in, row.arrived) for row in report.months]
    assert rows == [(d(3, 1), 3, 3), (d(4, 1), 1, 1), (d(5, 1), 3, 1), (d(6, 1), 2, 0)]


def test_cost_totals_of_approved_plans(known, lk3_bontang):
    costs = _report(lk3_bontang).costs

    assert costs.approved_plans == 5
    assert costs.approved_total == Decimal(2_370_000)
    assert costs.approved_travellers == 6
    assert costs.per_person == Decimal(395_000)
    assert costs.arrived_plans == 4
    assert costs.arrived_total == Decimal(1_950_000)
    assert costs.over_ceiling == 1


def test_days_from_intake_to_return(known, lk3_bontang):
    days = _report(lk3_bontang).days

    assert days.groups == 4
    assert days.median == Decimal("17.5")
    assert days.mean == Decimal("17.3")  # 17.25, rounded half up
    assert days.longest == 30


def test_the_period_limits_the_intakes(known, lk3_bontang):
    report = repatriation_report(
        organisations=[lk3_bontang], date_from=d(12, 1, 2025), date_to=d(3, 15)
    )

    assert report.groups == 2  # the 2025 intake and "a"
    assert report.totals == Counts(taken_in=3, returned=3)
    assert report.days.median == Decimal("6.0")


def test_several_organisations_add_up(known, lk3_bontang, lk3_samarinda):
    report = repatriation_report(
        organisations=Organisation.objects.filter(pk__in=[lk3_bontang.pk, lk3_samarinda.pk]),
        date_from=YEAR_FROM,
        date_to=YEAR_TO,
    )

    assert report.groups == 8
    assert report.totals.taken_in == 10
    assert [row.code for row in report.provinces] == ["32", "73", "35", ""]
    assert report.days.longest == 30
    assert report.days.groups == 5


def test_an_empty_report(lk3_bontang):
    report = _report(lk3_bontang)

    assert report.groups == 0
    assert report.totals == Counts()
    assert report.provinces == report.regencies == report.months == []
    assert report.costs.approved_total == 0
    assert report.costs.per_person is None
    assert report.days.median is None


def _queries(organisation: Organisation) -> int:
    with CaptureQueriesContext(connection) as captured:
        _report(organisation)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_data(lk3_bontang, budi):
    origins = ["32.05", "73.71", "35.78", "12.71", "53.71", "", "63.71", "71.71", "33.74", "32.73"]
    intake_in_state(
        budi, found_on=d(2, 1), origins=["32.05"], decision=RETURN, plan_cost=1, arrived_on=d(2, 9)
    )
    one = _queries(lk3_bontang)
    for index, origin in enumerate(origins[1:], start=1):
        intake_in_state(
            budi,
            found_on=d(2 + index % 9, 1 + index),
            origins=[origin, "64.74"],
            decision=RETURN,
            plan_cost=400_000,
            arrived_on=d(2 + index % 9, 10 + index) if index % 2 else None,
        )

    assert _queries(lk3_bontang) == one == 8
    assert _report(lk3_bontang).groups == 10


def test_another_coordinator_of_the_same_office_counts_there(dinsos_bontang, lk3_bontang, budi):
    head = make_user("kepala_bidang", Role.COORDINATOR, dinsos_bontang)
    intake_in_state(head, found_on=d(7, 1), origins=["32.05"])
    intake_in_state(budi, found_on=d(7, 2), origins=["32.05"])

    assert _report(dinsos_bontang).groups == 1
    assert _report(dinsos_bontang, lk3_bontang).groups == 2
