"""Reads behind the caseload pages: my cases, the organisation's caseload, my tasks, what is overdue.

Rules:
- Every list starts from ``permissions.cases_for_user``: a list never shows
  a case the user could not open.
- "My cases" are the ones the user leads or is on the team of; for an intake
  officer, the ones they opened (and still reach).
- Unless a status is chosen, lists show the cases still going on: open or
  waiting for closure approval.
- A client's name is shown as initials when the case is confidential or the
  client is a child, unless the viewer is the coordinator, the lead
  counsellor or on the team (DESIGN.md section 3: children and victims are
  masked in lists).
- "Overdue" is a due date before today: ``Case.next_due_on`` (the earliest
  open task or check-in, kept by the services) for cases, ``due_on`` for
  tasks and check-ins.
- Counting stops at ``COUNT_CAP`` rows. A full COUNT of a large
  organisation's cases costs more than the page itself at province scale;
  past the cap the page says "more than" and the filters narrow the list.
- Each list costs a fixed number of queries, whatever the number of rows
  (the tests pin them): rows come with their client and lead, and what the
  rows need besides (team membership, family heads) is read for the whole
  page at once.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lk3.accounts.models import Organisation
from lk3.accounts.roles import CASE_SCOPE, Role, Scope
from lk3.cases.models import (
    Case,
    CaseMember,
    CaseNumberCounter,
    CaseStatus,
    CheckIn,
    RiskLevel,
    Task,
)
from lk3.cases.permissions import can_use_cases, cases_for_user, is_coordinator
from lk3.people.models import CHILD_AGE_LIMIT, FamilyMembership, Relationship
from lk3.regions.models import Region

COUNT_CAP = 500
# A case number as people type it: KS-2026-0012, 2026-0012, 2026-12.
NUMBER_TYPED = re.compile(r"^(?:KS-?)?(?P<year>[0-9]{4})-(?P<sequence>[0-9]{1,7})$")
SEQUENCE_DIGITS = 7
ACTIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.CLOSURE_REQUESTED)
STATUS_ALL = "all"
SORT_DUE = "due"
SORT_OPENED = "opened"
# The columns a caseload row shows, read as plain values: building 75 model
# instances (case, client, lead) for a page of 25 costs more than the query.
# Encrypted text (the presenting problem, the client's NIK) is never read.
ROW_VALUES = (
    "pk",
    "public_id",
    "number",
    "stage",
    "status",
    "risk_level",
    "is_confidential",
    "next_due_on",
    "family_id",
    "client_id",
    "client__full_name",
    "client__birth_date",
    "lead_counsellor_id",
    "lead_counsellor__full_name",
)
# Encrypted text a task or check-in list does not show (so does not decrypt).
SECRET_CASE_FIELDS = ("case__presenting_problem", "case__client__nik")


@dataclass(frozen=True)
class CaseloadFilters:
    number: str = ""
    stage: str = ""
    status: str = ""
    risk: str = ""
    pmks: str = ""
    kelurahan: str = ""
    lead: UUID | None = None
    overdue: bool = False
    sort: str = SORT_DUE


@dataclass(frozen=True)
class CaseloadRow:
    """One case of a list, ready to print (a template loop over 25 rows costs more than this)."""

    public_id: UUID
    number: str
    url: str
    subject: str
    is_masked: bool
    is_confidential: bool
    stage_label: str
    risk: str
    risk_label: str
    status_label: str  # empty while the case is open
    lead_name: str
    next_due: str
    is_overdue: bool


@dataclass(frozen=True)
class DueRow:
    """A task or a follow-up check-in, with the case it belongs to as the viewer may see it."""

    item: Task | CheckIn
    case_url: str
    subject: str
    is_masked: bool
    due: str
    is_overdue: bool

    @property
    def is_task(self) -> bool:
        return isinstance(self.item, Task)


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows (one cheap query however large the list).

    The count drops the list's order, so the database may count along the
    index of a filter; ``ordered_count`` keeps it, for lists whose order is
    the index that finds them (a search by case number).
    """

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        cap: int | None = None,
        ordered_count: bool = False,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.ordered_count = ordered_count

    @cached_property
    def found(self) -> int:
        items: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        if not self.ordered_count:
            items = items.order_by()
        return items.values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.cap)

    @property
    def is_capped(self) -> bool:
        return self.found > self.cap


# -- cases ------------------------------------------------------------------------------------


def caseload_for_user(
    *, user: Any, filters: CaseloadFilters, today: datetime.date
) -> QuerySet[Case]:
    """The organisation's cases as far as the user reaches them, filtered and sorted
    (``caseload_rows`` reads a page of them)."""
    return _filtered(cases_for_user(user), filters, today)


def my_cases_for_user(
    *, user: Any, filters: CaseloadFilters, today: datetime.date
) -> QuerySet[Case]:
    """The cases the user leads or works on; an intake officer's are the ones they opened."""
    if not can_use_cases(user):
        return Case.objects.none()
    if user.role == Role.INTAKE:
        return _filtered(cases_for_user(user).filter(opened_by=user), filters, today)
    # Leading a case or being on its team reaches it for every other casework
    # role (permissions.cases_for_user), so the organisation is scope enough.
    # Team membership is checked row by row (the unique (case, user) index):
    # listing every case of a busy counsellor first would cost more.
    team = CaseMember.objects.filter(case=OuterRef("pk"), user=user, removed_on__isnull=True)
    cases = Case.objects.filter(organisation_id=user.organisation_id).filter(
        Q(lead_counsellor=user) | Q(Exists(team))
    )
    return _filtered(cases, filters, today)


def _filtered(
    cases: QuerySet[Case], filters: CaseloadFilters, today: datetime.date
) -> QuerySet[Case]:
    if filters.status == STATUS_ALL:
        pass
    elif filters.status:
        cases = cases.filter(status=filters.status)
    else:
        cases = cases.filter(status__in=ACTIVE_STATUSES)
    if filters.number:
        cases = cases.filter(_number_matches(filters.number))
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.risk:
        cases = cases.filter(risk_level=filters.risk)
    if filters.kelurahan:
        cases = cases.filter(kelurahan__code=filters.kelurahan)
    if filters.lead is not None:
        cases = cases.filter(lead_counsellor__public_id=filters.lead)
    if filters.pmks:
        categories = Case.pmks_categories.through.objects.filter(pmkscategory__code=filters.pmks)
        cases = cases.filter(pk__in=categories.values("case_id"))
    if filters.overdue:
        cases = cases.filter(next_due_on__lt=today)
    # A number search finds a handful of cases, and closed cases have nothing
    # due: both are listed by number, newest first, which also lets the planner
    # use the number's index rather than walk the due dates.
    by_number = filters.number or filters.status == CaseStatus.CLOSED
    sort = SORT_OPENED if by_number else filters.sort
    return _sorted(cases, sort)


def _number_matches(text: str) -> Q:
    """A whole number (``KS-2026-0012``, ``2026-12``) or a sequence (``12``) is found
    through the indexes; anything else by a part of the number."""
    text = text.strip().upper()
    whole = NUMBER_TYPED.match(text)
    if whole:
        return Q(year=int(whole["year"]), sequence=int(whole["sequence"]))
    if text.isdigit() and len(text) <= SEQUENCE_DIGITS:
        # The years that have numbers let (organisation, year, sequence) find it.
        years = CaseNumberCounter.objects.values("year")
        return Q(year__in=years, sequence=int(text))
    return Q(number__icontains=text)


def _sorted(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    if sort == SORT_OPENED:
        # The number follows the opening order, and (organisation, year,
        # sequence) is indexed: newest first without sorting the whole list.
        return cases.order_by("-year", "-sequence")
    # Overdue first (the earliest due dates), then what comes next; cases
    # with nothing due last.
    return cases.order_by(F("next_due_on").asc(nulls_last=True), "pk")


def caseload_rows(
    *, user: Any, cases: QuerySet[Case], stage_labels: dict[str, str], today: datetime.date
) -> list[CaseloadRow]:
    """What a page of cases shows, for this viewer: the page's query and at most two more
    (team membership, family heads), whatever the page size."""
    found = [_Case(**values) for values in cases.values(*ROW_VALUES)]
    subjects = _Subjects(user, found, today)
    urls = CaseUrls()
    days = _Days()
    # get_FOO_display() translates every choice of the field on each call.
    risks = {str(value): str(label) for value, label in RiskLevel.choices}
    statuses = {str(value): str(label) for value, label in CaseStatus.choices}
    rows = []
    for case in found:
        subject, masked = subjects.of(case)
        rows.append(
            CaseloadRow(
                public_id=case.public_id,
                number=case.number,
                url=urls.of(case.public_id),
                subject=subject,
                is_masked=masked,
                is_confidential=case.is_confidential,
                stage_label=stage_labels[case.stage],
                risk=case.risk_level,
                risk_label=risks[case.risk_level],
                status_label="" if case.status == CaseStatus.OPEN else statuses[case.status],
                lead_name=case.lead_counsellor__full_name or "",
                next_due=days.of(case.next_due_on),
                is_overdue=case.next_due_on is not None and case.next_due_on < today,
            )
        )
    return rows


@dataclass(frozen=True)
class _Case:
    """The values of a case a row needs (``ROW_VALUES``)."""

    pk: int
    public_id: UUID
    number: str
    stage: str
    status: str
    risk_level: str
    is_confidential: bool
    next_due_on: datetime.date | None
    family_id: int | None
    client_id: int | None
    client__full_name: str | None
    client__birth_date: datetime.date | None
    lead_counsellor_id: int | None
    lead_counsellor__full_name: str | None


class _Days:
    """Dates as ``30 Nov 2026``, each month's name translated once per page."""

    def __init__(self) -> None:
        self.months: dict[int, str] = {}

    def of(self, day: datetime.date | None) -> str:
        if day is None:
            return ""
        if day.month not in self.months:
            self.months[day.month] = date_format(day, "M")
        return f"{day.day} {self.months[day.month]} {day.year}"


class CaseUrls:
    """The case page's address of many cases from one ``reverse()``."""

    PLACEHOLDER = str(UUID(int=0))

    def __init__(self) -> None:
        self.pattern = reverse("cases:case_detail", kwargs={"public_id": self.PLACEHOLDER})

    def of(self, public_id: UUID) -> str:
        return self.pattern.replace(self.PLACEHOLDER, str(public_id))


def kelurahan_choices(organisation: Organisation) -> list[tuple[str, str]]:
    """The kelurahan/desa of the organisation's region, by name, as (code, name)."""
    # The regency's grandchildren, found through the parent index. Naming the
    # level (or ``code LIKE '64.74.%'``) makes SQLite read every village of the
    # country instead.
    villages = Region.objects.filter(parent__parent__code=organisation.region_id, is_active=True)
    return list(villages.order_by("name").values_list("code", "name"))


# -- tasks and check-ins ------------------------------------------------------------------------


def _reachable(user: Any) -> Exists:
    return Exists(cases_for_user(user).filter(pk=OuterRef("case_id")))


def my_tasks_for_user(*, user: Any) -> QuerySet[Task]:
    """Open tasks assigned to the user on cases they reach, the most overdue first."""
    return (
        Task.objects.filter(assignee=user, completed_at__isnull=True)
        .filter(_reachable(user))
        .select_related("case", "case__client")
        .defer(*SECRET_CASE_FIELDS)
        .order_by("due_on", "pk")
    )


def overdue_tasks_for_user(
    *, user: Any, today: datetime.date, assignee_id: int | None = None
) -> QuerySet[Task]:
    """Open tasks past their due date in the organisation, the oldest first (coordinator)."""
    tasks = Task.objects.filter(
        _overdue_cases(user, today), completed_at__isnull=True, due_on__lt=today
    )
    if assignee_id is not None:
        tasks = tasks.filter(assignee_id=assignee_id)
    return (
        tasks.select_related("case", "case__client", "assignee")
        .defer(*SECRET_CASE_FIELDS)
        .order_by("due_on", "pk")
    )


def overdue_check_ins_for_user(
    *, user: Any, today: datetime.date, lead_id: int | None = None
) -> QuerySet[CheckIn]:
    """Follow-up check-ins past their date and not recorded, the oldest first (coordinator)."""
    check_ins = CheckIn.objects.filter(
        _overdue_cases(user, today), done_on__isnull=True, due_on__lt=today
    )
    if lead_id is not None:
        check_ins = check_ins.filter(case__lead_counsellor_id=lead_id)
    return (
        check_ins.select_related("case", "case__client", "case__lead_counsellor")
        .defer("note", *SECRET_CASE_FIELDS)
        .order_by("due_on", "pk")
    )


def _overdue_cases(user: Any, today: datetime.date) -> Q:
    """A task or check-in overdue is on a case whose next due date is past: the indexed
    ``(organisation, next_due_on)`` narrows the search to those cases."""
    if not is_coordinator(user):
        return Q(pk__in=[])
    return Q(
        case__organisation_id=user.organisation_id,
        case__next_due_on__lt=today,
        case__status__in=ACTIVE_STATUSES,
    )


def due_rows(*, user: Any, items: Sequence[Task | CheckIn], today: datetime.date) -> list[DueRow]:
    """What a page of tasks or check-ins shows, for this viewer."""
    found = {item.case.pk: _case_of(item.case) for item in items}
    subjects = _Subjects(user, list(found.values()), today)
    urls = CaseUrls()
    days = _Days()
    rows = []
    for item in items:
        subject, masked = subjects.of(found[item.case.pk])
        rows.append(
            DueRow(
                item=item,
                case_url=urls.of(item.case.public_id),
                subject=subject,
                is_masked=masked,
                due=days.of(item.due_on),
                is_overdue=item.due_on < today,
            )
        )
    return rows


def can_view_caseload(user: Any) -> bool:
    """The whole caseload is for the roles whose scope is the organisation (coordinator, intake)."""
    return can_use_cases(user) and CASE_SCOPE[user.role] == Scope.ORGANISATION


# -- who the case is about, as this viewer may see it ----------------------------------------------


def initials(name: str) -> str:
    """``Siti Aminah`` -> ``S. A.``: enough to tell rows apart, not to identify someone."""
    letters = [word[0].upper() for word in name.split() if word[0].isalnum()]
    return " ".join(f"{letter}." for letter in letters) or "—"


def _case_of(case: Case) -> _Case:
    """What masking needs of a case loaded with its client (the lead's name is not needed)."""
    client = case.client
    return _Case(
        pk=case.pk,
        public_id=case.public_id,
        number=case.number,
        stage=case.stage,
        status=case.status,
        risk_level=case.risk_level,
        is_confidential=case.is_confidential,
        next_due_on=case.next_due_on,
        family_id=case.family_id,
        client_id=case.client_id,
        client__full_name=client.full_name if client is not None else None,
        client__birth_date=client.birth_date if client is not None else None,
        lead_counsellor_id=case.lead_counsellor_id,
        lead_counsellor__full_name=None,
    )


class _Subjects:
    """Names of the clients (or families) of a page of cases, masked where the viewer must not see them."""

    def __init__(self, user: Any, cases: Sequence[_Case], today: datetime.date) -> None:
        self.user = user
        self.today = today
        self.sees_all = is_coordinator(user)
        self.on_team: set[int] = set()
        self.family_heads: dict[int, str] = {}
        if not cases:
            return
        if not self.sees_all:
            self.on_team = set(
                CaseMember.objects.filter(
                    case_id__in=[case.pk for case in cases], user=user, removed_on__isnull=True
                ).values_list("case_id", flat=True)
            )
        family_ids = {case.family_id for case in cases if case.client_id is None}
        heads = FamilyMembership.objects.filter(
            family_id__in=family_ids, relationship=Relationship.HEAD, ended_on__isnull=True
        ).values_list("family_id", "person__full_name")
        self.family_heads = dict(heads)

    def _sees_identity(self, case: _Case) -> bool:
        return self.sees_all or case.lead_counsellor_id == self.user.pk or case.pk in self.on_team

    def of(self, case: _Case) -> tuple[str, bool]:
        is_child = _is_child(case.client__birth_date, self.today)
        masked = (case.is_confidential or is_child) and not self._sees_identity(case)
        if case.client_id is not None:
            name = case.client__full_name or ""
            return (initials(name), True) if masked else (name, False)
        head = self.family_heads.get(case.family_id or 0)
        if head is None:
            return _("Family without a head"), False
        shown = initials(head) if masked else head
        return _("Family of %(name)s") % {"name": shown}, masked


def _is_child(birth_date: datetime.date | None, today: datetime.date) -> bool:
    """As ``Person.is_child_on``, from the birth date alone (no model for a list row)."""
    if birth_date is None:
        return False
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday) < CHILD_AGE_LIMIT
