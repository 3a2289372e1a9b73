"""The dashboards' figures on hand-built data: each role's, its reach, its query count."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lk3.cases import services, tasks
from lk3.cases.models import Stage
from lk3.cases.tests.builders import FAMILY_PMKS, move_to, open_case, pending_closure, pmks
from lk3.referrals.models import Referral
from lk3.referrals.tests.referral_builders import revoke, send_referral
from lk3.repatriation.tests.plan_builders import submitted_plan
from lk3.reports import dashboards
from lk3.reports.models import ReportSettings
from lk3.reports.suppression import Suppressed

DAY = datetime.timedelta(days=1)
NEGLECTED_CHILD = "anak-telantar"
ELDERLY = "lanjut-usia-telantar"


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


def overdue_task(actor: Any, case: Any, title: str, *, days_late: int, assignee: Any = None):
    """A task that fell due ``days_late`` days ago (created while it was still ahead)."""
    due = timezone.localdate() - days_late * DAY
    return tasks.task_create(
        actor=actor,
        case=case,
        title=title,
        assignee=assignee or case.lead_counsellor,
        due_on=due,
        today=due - 7 * DAY,
    )


def task_due_in(actor: Any, case: Any, title: str, *, days: int, assignee: Any = None):
    return tasks.task_create(
        actor=actor,
        case=case,
        title=title,
        assignee=assignee or case.lead_counsellor,
        due_on=timezone.localdate() + days * DAY,
    )


def late_check_in(actor: Any, case: Any, *, days_late: int):
    case = move_to(actor, case, Stage.FOLLOW_UP)
    return services.check_in_schedule(
        actor=actor, case=case, due_on=timezone.localdate() - days_late * DAY
    )


def cases_with(actor: Any, code: str, count: int) -> None:
    for _index in range(count):
        open_case(actor, pmks_categories=pmks(code))


def queries(run: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


# -- which dashboard ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "kind"),
    [
        ("sari", dashboards.KIND_COUNSELLOR),
        ("putri", dashboards.KIND_COUNSELLOR),
        ("budi", dashboards.KIND_COORDINATOR),
        ("intan", dashboards.KIND_COORDINATOR),
        ("pak_hendra", dashboards.KIND_CITY),
        ("viewer", dashboards.KIND_CITY),
        ("rina", dashboards.KIND_OTHER),
        ("pak_agus", dashboards.KIND_OTHER),
        ("mitra_ppa", dashboards.KIND_OTHER),
    ],
)
def test_each_role_has_its_dashboard(request, username, kind):
    assert dashboards.dashboard_kind(request.getfixturevalue(username)) == kind


# -- counsellor ------------------------------------------------------------------------------------


def test_a_counsellor_counts_only_her_open_cases_by_stage(budi, sari, dewi, today):
    # given
    open_case(budi)
    open_case(budi)
    move_to(budi, open_case(budi), Stage.INITIAL_ASSESSMENT)
    open_case(budi, lead_counsellor=dewi)
    # when
    with translation.override("en"):
        board = dashboards.counsellor_dashboard(user=sari, today=today)
    # then
    counts = {row.label: row.count for row in board.stages}
    assert board.open_total == 3
    assert counts["Initial approach and registration"] == 2
    assert counts["Initial assessment"] == 1
    assert len(board.stages) == len(Stage.values)


def test_a_counsellor_sees_her_overdue_and_coming_work_linked_to_the_case(budi, sari, dewi, today):
    # given
    case = open_case(budi)
    late_task = overdue_task(budi, case, "Kunjungan rumah", days_late=2)
    soon = task_due_in(budi, case, "Telepon sekolah", days=3)
    task_due_in(budi, case, "Evaluasi bulanan", days=20)
    check_in = late_check_in(budi, open_case(budi), days_late=5)
    overdue_task(budi, open_case(budi, lead_counsellor=dewi), "Bukan tugas Sari", days_late=1)
    # when
    board = dashboards.counsellor_dashboard(user=sari, today=today)
    # then
    assert [row.item for row in board.overdue] == [check_in, late_task]
    assert [row.item for row in board.upcoming] == [soon]
    assert board.overdue[1].case_url == reverse(
        "cases:case_detail", kwargs={"public_id": case.public_id}
    )
    assert all(row.is_overdue for row in board.overdue)
    assert not board.more_overdue
    assert not board.more_upcoming


def test_a_counsellor_dashboard_costs_the_same_whatever_her_caseload(budi, sari, today):
    # given
    def build(count: int) -> None:
        for index in range(count):
            case = open_case(budi)
            overdue_task(budi, case, f"Tugas lama {index}", days_late=1 + index)
            task_due_in(budi, case, f"Tugas baru {index}", days=1 + index % 6)

    build(2)
    small = queries(lambda: dashboards.counsellor_dashboard(user=sari, today=today))
    build(4)
    # when
    large = queries(lambda: dashboards.counsellor_dashboard(user=sari, today=today))
    # then: stages, stage names, 2 task lists, 2 check-in lists, team membership
    assert small == large == 7


# -- coordinator and intake officer -----------------------------------------------------------


def test_the_coordinator_sees_open_cases_per_counsellor(budi, sari, dewi, putri, today):
    # given
    open_case(budi)
    open_case(budi)
    open_case(budi, lead_counsellor=dewi)
    open_case(budi, lead_counsellor=None)
    request = pending_closure(budi)
    services.case_closure_approve(actor=budi, request=request)
    # when
    with translation.override("en"):
        board = dashboards.coordinator_dashboard(user=budi, today=today)
    # then: the closed case is not counted; Putri leads none and is listed
    rows = [(row.label, row.count) for row in board.per_lead]
    assert rows == [("Dewi", 1), ("Putri", 0), ("Sari", 2), ("No lead counsellor", 1)]
    assert board.per_lead[0].url == f"{reverse('cases:caseload')}?lead={dewi.public_id}"
    assert board.open_total == 4


def test_the_stage_funnel_counts_open_cases_per_stage(budi, sari, today):
    # given
    open_case(budi)
    move_to(budi, open_case(budi), Stage.PLANNING)
    move_to(budi, open_case(budi), Stage.PLANNING)
    # when
    board = dashboards.coordinator_dashboard(user=budi, today=today)
    # then
    counts = [row.count for row in board.stages]
    assert counts == [1, 0, 0, 2, 0, 0, 0, 0, 0]
    assert board.stages[3].url == f"{reverse('cases:caseload')}?stage=planning"


def test_the_coordinator_sees_what_waits_for_approval(budi, sari, today):
    # given
    request = pending_closure(budi)
    plan = submitted_plan(budi)
    # when
    board = dashboards.coordinator_dashboard(user=budi, today=today)
    # then
    assert [item.label for item in board.closures] == [request.case.number]
    assert board.closures[0].url == reverse(
        "cases:case_detail", kwargs={"public_id": request.case.public_id}
    )
    assert [item.label for item in board.plans] == [plan.group.number]
    assert board.plans[0].url == reverse(
        "repatriation:plan_review", kwargs={"public_id": plan.group.public_id}
    )
    assert board.approvals_total == 2


def test_the_intake_officer_reads_the_organisation_but_approves_nothing(budi, sari, intan, today):
    # given
    pending_closure(budi)
    open_case(budi)
    # when
    board = dashboards.coordinator_dashboard(user=intan, today=today)
    # then
    assert not board.can_approve
    assert board.closures == []
    assert board.approvals_total == 0
    assert [row.count for row in board.per_lead if row.label == "Sari"] == [2]


def test_the_coordinator_counts_overdue_tasks_and_check_ins(budi, sari, dewi, today):
    # given
    case = open_case(budi)
    overdue_task(budi, case, "Kunjungan rumah", days_late=2)
    overdue_task(budi, case, "Laporan sekolah", days_late=4)
    task_due_in(budi, case, "Evaluasi", days=2)
    late_check_in(budi, open_case(budi, lead_counsellor=dewi), days_late=3)
    request = pending_closure(budi)
    overdue_task(budi, request.case, "Tugas kasus ditutup", days_late=3)
    services.case_closure_approve(actor=budi, request=request)
    # when
    board = dashboards.coordinator_dashboard(user=budi, today=today)
    # then
    assert (board.overdue.cases, board.overdue.tasks, board.overdue.check_ins) == (2, 2, 1)


def test_referrals_waiting_flag_the_overdue_ones(budi, sari, today):
    # given
    late = send_referral(budi)
    Referral.objects.filter(pk=late.pk).update(answer_due_on=today - 2 * DAY)
    fresh = send_referral(budi)
    revoke(budi, send_referral(budi))
    # when
    board = dashboards.coordinator_dashboard(user=budi, today=today)
    # then
    assert [referral.pk for referral in board.referrals] == [late.pk, fresh.pk]
    # ``overdue`` is set on each row by referral_selectors.flag_overdue.
    assert [vars(referral)["overdue"] for referral in board.referrals] == [True, False]
    assert (board.referrals_waiting, board.referrals_overdue) == (2, 1)


def test_another_organisations_work_is_not_counted(budi, sari, rudi, today):
    # given
    open_case(budi)
    open_case(rudi)
    send_referral(rudi)
    pending_closure(rudi)
    # when
    board = dashboards.coordinator_dashboard(user=budi, today=today)
    # then
    assert board.open_total == 1
    assert board.referrals_waiting == 0
    assert board.closures == []


def test_the_coordinator_dashboard_costs_the_same_whatever_the_data(budi, sari, dewi, today):
    # given
    def build() -> None:
        case = open_case(budi, lead_counsellor=dewi)
        overdue_task(budi, case, "Kunjungan", days_late=1)
        pending_closure(budi)
        send_referral(budi)

    build()
    small = queries(lambda: dashboards.coordinator_dashboard(user=budi, today=today))
    build()
    build()
    # when
    large = queries(lambda: dashboards.coordinator_dashboard(user=budi, today=today))
    # then: per lead 2, stages 2, overdue 3, referrals 2, closures 2, plans 2
    assert small == large == 13


# -- the city office -----------------------------------------------------------------------------


@pytest.fixture
def city_cases(budi, sari, rudi):
    """LK3 Bontang: 6 family cases, 2 neglected children, 5 elderly; LK3 Samarinda: 3 children."""
    cases_with(budi, FAMILY_PMKS, 6)
    cases_with(budi, NEGLECTED_CHILD, 2)
    cases_with(budi, ELDERLY, 5)
    cases_with(rudi, NEGLECTED_CHILD, 3)


def _lines(board: dashboards.CityDashboard, key: str) -> dict[str, Any]:
    breakdown = next(item for item in board.breakdowns if item.key == key)
    return {line.label: line.cell for line in breakdown.lines} | {"total": breakdown.total.cell}


def test_the_city_dashboard_hides_small_cells(city_cases, pak_hendra, today):
    # when
    board = dashboards.city_dashboard(user=pak_hendra, year=today.year, today=today)
    # then: 2 is hidden, and so is 5, else 2 could be worked back from the total
    by_pmks = _lines(board, "pmks")
    assert by_pmks["Anak Telantar"] == Suppressed(5)
    assert str(by_pmks["Anak Telantar"]) == "<5"
    assert by_pmks["Lanjut Usia Telantar"] == Suppressed(5)
    assert by_pmks["total"] == 13
    assert [value for label, value in by_pmks.items() if "Keluarga" in label] == [6]
    assert board.suppressed
    assert board.threshold == 5


def test_the_supervisor_sees_none_of_another_citys_cases(
    city_cases, pak_hendra, lk3_samarinda, today
):
    # when
    board = dashboards.city_dashboard(user=pak_hendra, year=today.year, today=today)
    # then: 13 of Bontang, not Samarinda's 3
    assert lk3_samarinda.pk not in board.organisation_ids
    assert _lines(board, "channel")["total"] == 13
    this_month = today.replace(day=1)
    assert dict(board.months)[this_month].cell == 13


def test_the_city_dashboard_counts_new_cases_per_month_for_twelve_months(city_cases, viewer, today):
    # when
    board = dashboards.city_dashboard(user=viewer, year=today.year, today=today)
    # then
    starts = [start for start, _line in board.months]
    assert len(starts) == 12
    assert starts[-1] == today.replace(day=1)
    assert [line.cell for _start, line in board.months] == [0] * 11 + [13]
    assert board.months_total.cell == 13


def test_a_past_year_shows_its_january_to_december(city_cases, pak_hendra, today):
    # when
    board = dashboards.city_dashboard(user=pak_hendra, year=today.year - 1, today=today)
    # then
    starts = [start for start, _line in board.months]
    assert starts[0] == datetime.date(today.year - 1, 1, 1)
    assert starts[-1] == datetime.date(today.year - 1, 12, 1)
    assert all(breakdown.lines == [] for breakdown in board.breakdowns)


def test_the_threshold_is_the_organisations_own(city_cases, pak_hendra, lk3_bontang, today):
    # given
    ReportSettings.objects.create(organisation=lk3_bontang, suppression_threshold=7)
    # when
    board = dashboards.city_dashboard(user=pak_hendra, year=today.year, today=today)
    # then
    assert board.threshold == 7
    assert [value for label, value in _lines(board, "pmks").items() if "Keluarga" in label] == [
        Suppressed(7)
    ]


def test_closures_by_outcome(budi, sari, pak_hendra, today):
    # given
    for _index in range(5):
        request = pending_closure(budi)
        services.case_closure_approve(actor=budi, request=request)
    # when
    with translation.override("en"):
        board = dashboards.city_dashboard(user=pak_hendra, year=today.year, today=today)
    # then
    assert _lines(board, "outcome") == {"Improved": 5, "total": 5}


def test_month_starts_end_with_this_month():
    assert dashboards.month_starts(2026, datetime.date(2026, 3, 15)) == [
        datetime.date(2025, month, 1) for month in range(4, 13)
    ] + [datetime.date(2026, month, 1) for month in range(1, 4)]


def test_the_city_dashboard_costs_the_same_whatever_the_data(budi, sari, pak_hendra, today):
    # given
    cases_with(budi, FAMILY_PMKS, 2)
    small = queries(
        lambda: dashboards.city_dashboard(user=pak_hendra, year=today.year, today=today)
    )
    cases_with(budi, ELDERLY, 3)
    # when
    large = queries(
        lambda: dashboards.city_dashboard(user=pak_hendra, year=today.year, today=today)
    )
    # then: organisations 2, threshold, months, PMKS, kelurahan, channel, outcomes
    assert small == large == 8
