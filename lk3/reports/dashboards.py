"""Reads behind the dashboards, one per kind of role.

Rules:
- Counsellors and psychologists see their own work: the cases they lead or
  are on the team of, by stage; their overdue tasks and follow-up check-ins
  and what falls due in the next ``UPCOMING_DAYS`` days, each linked to its
  case. Names are masked as on the caseload (``caseload.due_rows``).
- The coordinator and intake officers see their organisation's work as far
  as they reach it (``cases_for_user``): open cases per lead counsellor and
  per stage, overdue tasks and check-ins, referrals out waiting for an
  answer. The coordinator also sees what waits for their approval (closure
  requests, submitted return plans).
- The social office's supervisor and aggregate viewers see the city
  picture of the organisations they reach (``report_organisation_ids``):
  new cases per month, and the year's new cases by PMKS, kelurahan and
  channel and closures by outcome. Counts only, small cells suppressed
  (``suppression.table_shown``), never a name or a link to a case. Rows
  keep the reference lists' order, never the order of the counts, so the
  order does not tell suppressed cells apart.
- Every dashboard costs a fixed number of queries whatever the number of
  cases (the tests pin them): counts are grouped in the database and lists
  are cut at ``LIST_LENGTH``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lk3.accounts.models import User
from lk3.accounts.roles import Role
from lk3.cases import caseload
from lk3.cases.models import Case, CheckIn, ClosureOutcome, ClosureRequest, ClosureStatus, Task
from lk3.cases.permissions import cases_for_user, is_coordinator
from lk3.cases.stages import ORDER, stage_labels
from lk3.referrals.models import Direction, Referral
from lk3.referrals.permissions import referrals_for_user
from lk3.referrals.referral_selectors import WAITING, flag_overdue
from lk3.repatriation.models import PlanStatus, ReturnPlan
from lk3.reports import charts
from lk3.reports.permissions import counts_only, report_organisation_ids
from lk3.reports.suppression import Cell, Suppressed, Table, table_shown, threshold_for

UPCOMING_DAYS = 7
LIST_LENGTH = 10
MONTHS_SHOWN = 12
COUNSELLOR_ROLES = frozenset({Role.COUNSELLOR, Role.PSYCHOLOGIST})
ORGANISATION_ROLES = frozenset({Role.COORDINATOR, Role.INTAKE})
CITY_ROLES = frozenset({Role.SUPERVISOR, Role.AGGREGATE_VIEWER})
# Encrypted text no dashboard shows, so never decrypts.
SECRET_REFERRAL_FIELDS = ("reason", "shared_summary", "feedback", "client_nik")

KIND_COUNSELLOR = "counsellor"
KIND_COORDINATOR = "coordinator"
KIND_CITY = "city"
KIND_OTHER = "other"


def dashboard_kind(user: Any) -> str:
    """Which dashboard the user's role has (``other``: none of its own, a page of links)."""
    if user.role in COUNSELLOR_ROLES:
        return KIND_COUNSELLOR
    if user.role in ORGANISATION_ROLES:
        return KIND_COORDINATOR
    if user.role in CITY_ROLES:
        return KIND_CITY
    return KIND_OTHER


@dataclass(frozen=True)
class CountRow:
    """A label, its count and, where the reader may follow it, the list behind the count."""

    label: str
    count: int
    url: str = ""


def _chart_rows(rows: Iterable[CountRow]) -> list[tuple[str, Cell]]:
    return [(row.label, row.count) for row in rows]


# -- counsellor and psychologist -------------------------------------------------------------------


@dataclass(frozen=True)
class CounsellorDashboard:
    stages: list[CountRow]
    open_total: int
    stage_chart: SafeString
    overdue: list[caseload.DueRow]
    upcoming: list[caseload.DueRow]
    more_overdue: bool
    more_upcoming: bool


def counsellor_dashboard(*, user: User, today: datetime.date) -> CounsellorDashboard:
    """My open cases by stage, my overdue tasks and check-ins and what is due within a week."""
    mine = caseload.my_cases_for_user(user=user, filters=caseload.CaseloadFilters(), today=today)
    found = dict(mine.order_by().values_list("stage").annotate(total=Count("pk")))
    labels = stage_labels(user.organisation_id)
    stages = [CountRow(labels[stage], found.get(stage, 0)) for stage in ORDER]
    soon = today + datetime.timedelta(days=UPCOMING_DAYS)
    tasks = caseload.my_tasks_for_user(user=user)
    check_ins = _my_check_ins(user, mine)
    overdue = _earliest(
        tasks.filter(due_on__lt=today), check_ins.filter(due_on__lt=today), LIST_LENGTH + 1
    )
    upcoming = _earliest(
        tasks.filter(due_on__gte=today, due_on__lte=soon),
        check_ins.filter(due_on__gte=today, due_on__lte=soon),
        LIST_LENGTH + 1,
    )
    rows = caseload.due_rows(
        user=user, items=overdue[:LIST_LENGTH] + upcoming[:LIST_LENGTH], today=today
    )
    shown_overdue = min(len(overdue), LIST_LENGTH)
    return CounsellorDashboard(
        stages=stages,
        open_total=sum(row.count for row in stages),
        stage_chart=charts.bar_chart(title=_("My open cases by stage"), rows=_chart_rows(stages)),
        overdue=rows[:shown_overdue],
        upcoming=rows[shown_overdue:],
        more_overdue=len(overdue) > LIST_LENGTH,
        more_upcoming=len(upcoming) > LIST_LENGTH,
    )


def _my_check_ins(user: User, mine: QuerySet[Case]) -> QuerySet[CheckIn]:
    """Follow-up check-ins not yet recorded on the cases the user leads or works on."""
    return (
        CheckIn.objects.filter(case__in=mine.order_by().values("pk"), done_on__isnull=True)
        .select_related("case", "case__client")
        .defer("note", *caseload.SECRET_CASE_FIELDS)
        .order_by("due_on", "pk")
    )


def _earliest(
    tasks: QuerySet[Task], check_ins: QuerySet[CheckIn], length: int
) -> list[Task | CheckIn]:
    """The ``length`` earliest of both lists together (two queries)."""
    items: list[Task | CheckIn] = [*tasks[:length], *check_ins[:length]]
    items.sort(key=lambda item: item.due_on)
    return items[:length]


# -- coordinator and intake officer ----------------------------------------------------------------


@dataclass(frozen=True)
class Approval:
    """Something waiting for the coordinator's decision, with where to decide it."""

    label: str
    since: datetime.datetime | None
    by: str
    url: str


@dataclass(frozen=True)
class Overdue:
    cases: int
    tasks: int
    check_ins: int


@dataclass(frozen=True)
class CoordinatorDashboard:
    per_lead: list[CountRow]
    lead_chart: SafeString
    stages: list[CountRow]
    stage_chart: SafeString
    open_total: int
    overdue: Overdue
    referrals: list[Referral]
    referrals_waiting: int
    referrals_overdue: int
    can_approve: bool
    closures: list[Approval]
    closures_total: int
    plans: list[Approval]
    plans_total: int

    @property
    def approvals_total(self) -> int:
        return self.closures_total + self.plans_total


def coordinator_dashboard(*, user: User, today: datetime.date) -> CoordinatorDashboard:
    """The organisation's work as far as the user reaches it (the coordinator: all of it)."""
    organisation_id = user.organisation_id
    assert organisation_id is not None  # a casework role: an active member
    active = cases_for_user(user).filter(status__in=caseload.ACTIVE_STATUSES).order_by()
    per_lead = _per_lead(organisation_id, active)
    found = dict(active.values_list("stage").annotate(total=Count("pk")))
    labels = stage_labels(user.organisation_id)
    caseload_url = _caseload_url()
    stages = [
        CountRow(labels[stage], found.get(stage, 0), f"{caseload_url}?stage={stage}")
        for stage in ORDER
    ]
    waiting, referrals_waiting, referrals_overdue = _referrals_waiting(user, today)
    approver = is_coordinator(user)
    closures, closures_total = _closures_waiting(organisation_id) if approver else ([], 0)
    plans, plans_total = _plans_waiting(organisation_id) if approver else ([], 0)
    return CoordinatorDashboard(
        per_lead=per_lead,
        lead_chart=charts.bar_chart(
            title=_("Open cases per counsellor"), rows=_chart_rows(per_lead)
        ),
        stages=stages,
        stage_chart=charts.bar_chart(title=_("Open cases by stage"), rows=_chart_rows(stages)),
        open_total=sum(row.count for row in stages),
        overdue=_overdue(active, today),
        referrals=waiting,
        referrals_waiting=referrals_waiting,
        referrals_overdue=referrals_overdue,
        can_approve=approver,
        closures=closures,
        closures_total=closures_total,
        plans=plans,
        plans_total=plans_total,
    )


def _caseload_url() -> str:
    return reverse("cases:caseload")


def _per_lead(organisation_id: int, active: QuerySet[Case]) -> list[CountRow]:
    """Open cases per lead: every active counsellor and psychologist (with none too), then
    whoever else leads cases, then the cases without a lead."""
    counts = {
        lead_id: (public_id, name, total)
        for lead_id, public_id, name, total in active.values_list(
            "lead_counsellor_id", "lead_counsellor__public_id", "lead_counsellor__full_name"
        ).annotate(total=Count("pk"))
    }
    workers = User.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=COUNSELLOR_ROLES
    ).order_by("full_name")
    caseload_url = _caseload_url()
    rows = []
    for pk, public_id, name in workers.values_list("pk", "public_id", "full_name"):
        total = counts.pop(pk, (None, "", 0))[2]
        rows.append(CountRow(name, total, f"{caseload_url}?lead={public_id}"))
    unassigned = counts.pop(None, None)
    for public_id, name, total in sorted(counts.values(), key=lambda found: found[1] or ""):
        rows.append(CountRow(name or "", total, f"{caseload_url}?lead={public_id}"))
    if unassigned is not None:
        rows.append(CountRow(_("No lead counsellor"), unassigned[2]))
    return rows


def _overdue(active: QuerySet[Case], today: datetime.date) -> Overdue:
    """What is overdue on the cases the user reaches: a case is late when its earliest open
    task or check-in is (``Case.next_due_on``, indexed), so only those cases are searched."""
    late = active.filter(next_due_on__lt=today)
    late_ids = late.values("pk")
    return Overdue(
        cases=late.count(),
        tasks=Task.objects.filter(
            case__in=late_ids, completed_at__isnull=True, due_on__lt=today
        ).count(),
        check_ins=CheckIn.objects.filter(
            case__in=late_ids, done_on__isnull=True, due_on__lt=today
        ).count(),
    )


def _referrals_waiting(user: User, today: datetime.date) -> tuple[list[Referral], int, int]:
    """Referrals out waiting for the partner's answer, the answer due soonest first (the
    overdue ones flagged), with how many wait and how many are overdue."""
    waiting = referrals_for_user(user).filter(direction=Direction.OUT, status__in=WAITING)
    totals = waiting.order_by().aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(answer_due_on__lt=today))
    )
    shown = (
        waiting.select_related("case", "partner")
        .defer(*SECRET_REFERRAL_FIELDS, "case__presenting_problem")
        .order_by("answer_due_on", "pk")[:LIST_LENGTH]
    )
    return flag_overdue(shown, today), totals["total"], totals["overdue"]


def _closures_waiting(organisation_id: int) -> tuple[list[Approval], int]:
    """Closure requests waiting for the coordinator, the oldest first, and how many wait."""
    pending = ClosureRequest.objects.filter(
        status=ClosureStatus.PENDING, case__organisation_id=organisation_id
    )
    requests = (
        pending.select_related("case", "requested_by")
        .only("requested_at", "case__number", "case__public_id", "requested_by__full_name")
        .order_by("requested_at", "pk")[:LIST_LENGTH]
    )
    shown = [
        Approval(
            label=request.case.number,
            since=request.requested_at,
            by=request.requested_by.full_name,
            url=reverse("cases:case_detail", kwargs={"public_id": request.case.public_id}),
        )
        for request in requests
    ]
    return shown, pending.count()


def _plans_waiting(organisation_id: int) -> tuple[list[Approval], int]:
    """Return plans submitted for approval, the oldest first, and how many wait."""
    submitted = ReturnPlan.objects.filter(
        status=PlanStatus.SUBMITTED, group__organisation_id=organisation_id
    )
    plans = (
        submitted.select_related("group", "submitted_by")
        .only("submitted_at", "group__number", "group__public_id", "submitted_by__full_name")
        .order_by("submitted_at", "pk")[:LIST_LENGTH]
    )
    shown = [
        Approval(
            label=plan.group.number,
            since=plan.submitted_at,
            by=plan.submitted_by.full_name if plan.submitted_by else "",
            url=reverse("repatriation:plan_review", kwargs={"public_id": plan.group.public_id}),
        )
        for plan in plans
    ]
    return shown, submitted.count()


# -- the city office: supervisor and aggregate viewer ---------------------------------------------


@dataclass(frozen=True)
class Line:
    """A label and its count as shown (a ``Suppressed`` count prints as "<5")."""

    label: str
    cell: Cell

    @property
    def is_hidden(self) -> bool:
        return isinstance(self.cell, Suppressed)


@dataclass(frozen=True)
class Breakdown:
    """One table of the city dashboard (one count column) with its chart."""

    key: str
    title: str
    heading: str
    table: Table
    lines: list[Line]
    total: Line
    chart: SafeString


@dataclass(frozen=True)
class CityDashboard:
    year: int
    organisation_ids: set[int]
    threshold: int
    suppressed: bool
    months: list[tuple[datetime.date, Line]]
    months_total: Line
    month_chart: SafeString
    breakdowns: list[Breakdown]


def city_dashboard(*, user: User, year: int, today: datetime.date) -> CityDashboard:
    """The city picture of the organisations the user reaches, in counts only."""
    ids = report_organisation_ids(user)
    threshold = threshold_for(ids)
    suppress = counts_only(user)
    cases = Case.objects.filter(organisation_id__in=ids).order_by()
    first = datetime.date(year, 1, 1)
    last = datetime.date(year, 12, 31)
    opened = cases.filter(opened_on__gte=first, opened_on__lte=last)

    def shown(key: str, title: str, heading: str, lines: list[tuple[str, int]]) -> Breakdown:
        table = table_shown(
            [label for label, _count in lines],
            [heading],
            [[count] for _label, count in lines],
            threshold=threshold,
            suppress=suppress,
        )
        rows = [(label, table.cells[index][0]) for index, label in enumerate(table.rows)]
        return Breakdown(
            key=key,
            title=title,
            heading=heading,
            table=table,
            lines=[Line(label, cell) for label, cell in rows],
            total=Line(_("Total"), table.total),
            chart=charts.bar_chart(title=title, rows=rows),
        )

    new_cases = _("New cases")
    months = _months(cases, year, today, threshold=threshold, suppress=suppress)
    title = _("New cases per month")
    return CityDashboard(
        year=year,
        organisation_ids=ids,
        threshold=threshold,
        suppressed=suppress,
        months=[(start, Line(charts.month_label(start), cell)) for start, cell in months[0]],
        months_total=Line(_("Total"), months[1]),
        month_chart=charts.month_chart(title=title, months=months[0]),
        breakdowns=[
            shown("pmks", _("New cases by PMKS category"), new_cases, _by_pmks(opened)),
            shown("kelurahan", _("New cases by kelurahan"), new_cases, _by_kelurahan(opened)),
            shown("channel", _("New cases by intake channel"), new_cases, _by_channel(opened)),
            shown(
                "outcome",
                _("Closures by outcome"),
                _("Closed cases"),
                _by_outcome(cases.filter(closed_on__gte=first, closed_on__lte=last)),
            ),
        ],
    )


def month_starts(year: int, today: datetime.date) -> list[datetime.date]:
    """The twelve months ending with this month (this year) or with December (a past year)."""
    end = today.month if year == today.year else 12
    starts = []
    for back in range(MONTHS_SHOWN - 1, -1, -1):
        index = year * 12 + end - 1 - back
        starts.append(datetime.date(index // 12, index % 12 + 1, 1))
    return starts


def _months(
    cases: QuerySet[Case], year: int, today: datetime.date, *, threshold: int, suppress: bool
) -> tuple[list[tuple[datetime.date, Cell]], Cell]:
    starts = month_starts(year, today)
    following = (starts[-1] + datetime.timedelta(days=32)).replace(day=1)
    found = {
        _as_date(month): total
        for month, total in cases.filter(opened_on__gte=starts[0], opened_on__lt=following)
        .annotate(month=TruncMonth("opened_on"))
        .values_list("month")
        .annotate(total=Count("pk"))
    }
    table = table_shown(
        [_("New cases")],
        [start.isoformat() for start in starts],
        [[found.get(start, 0) for start in starts]],
        threshold=threshold,
        suppress=suppress,
    )
    return list(zip(starts, table.cells[0], strict=True)), table.total


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _by_pmks(opened: QuerySet[Case]) -> list[tuple[str, int]]:
    """A case with two PMKS categories counts under each."""
    through = Case.pmks_categories.through.objects.filter(case__in=opened.values("pk"))
    found = (
        through.values_list("pmkscategory__sort_order", "pmkscategory__name")
        .annotate(total=Count("case_id", distinct=True))
        .order_by("pmkscategory__sort_order", "pmkscategory__name")
    )
    return [(name, total) for _order, name, total in found]


def _by_kelurahan(opened: QuerySet[Case]) -> list[tuple[str, int]]:
    found = opened.values_list("kelurahan__name").annotate(total=Count("pk"))
    named = sorted((name, total) for name, total in found if name)
    unknown = sum(total for name, total in found if not name)
    return named + ([(_("Not recorded"), unknown)] if unknown else [])


def _by_channel(opened: QuerySet[Case]) -> list[tuple[str, int]]:
    found = (
        opened.values_list("intake_channel__sort_order", "intake_channel__name")
        .annotate(total=Count("pk"))
        .order_by("intake_channel__sort_order", "intake_channel__name")
    )
    return [(name, total) for _order, name, total in found]


def _by_outcome(closed: QuerySet[Case]) -> list[tuple[str, int]]:
    found = dict(closed.values_list("closure_outcome").annotate(total=Count("pk")))
    rows = [(str(label), found.pop(value, 0)) for value, label in ClosureOutcome.choices]
    unknown = sum(found.values())
    rows = [(label, total) for label, total in rows if total]
    return rows + ([(_("Not recorded"), unknown)] if unknown else [])
