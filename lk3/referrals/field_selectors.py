"""Reads of field-officer reports: the officer's own list, the intake queue, the desk's choices.

Rules:
- Every list starts from ``permissions.field_reports_for_user``: the
  officer's own reports, or the intake desk's organisation's.
- ``shown_status`` is annotated in SQL: done when the linked case has
  closed or a referral out of it was completed (the family got the help it
  was sent for: what the officer wants to know), else the stored status. The officer's rows carry nothing of the
  case (its number, its team): only what they reported, the status and
  the date.
- The queue shows the most urgent first, then the newest; by default the
  reports still waiting or being handled. Each page costs a fixed number
  of queries (the tests pin them); what was reported (encrypted) is not
  read for a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, QuerySet, Value, When

from lk3.cases.models import Case, CaseStatus
from lk3.cases.permissions import cases_for_user
from lk3.people import search
from lk3.people.models import Person
from lk3.referrals.models import (
    Direction,
    FieldReport,
    FieldReportStatus,
    Referral,
    ReferralStatus,
    Urgency,
)
from lk3.referrals.permissions import field_reports_for_user

STATUS_WAITING = "waiting"  # received or being handled: the queue's default
STATUS_ALL = "all"
PER_PAGE = 25
SEARCH_RESULTS = 10
# A list never decrypts what happened: it is read on the report's page only.
LIST_FIELDS = (
    "pk",
    "public_id",
    "person_name",
    "kelurahan__name",
    "rt",
    "rw",
    "urgency",
    "created_at",
    "status_changed_at",
)


def _shown_status() -> SqlCase:
    helped = Referral.objects.filter(
        case=OuterRef("case"), direction=Direction.OUT, status=ReferralStatus.COMPLETED
    )
    return SqlCase(
        When(case__status=CaseStatus.CLOSED, then=Value(FieldReportStatus.DONE.value)),
        When(Exists(helped), then=Value(FieldReportStatus.DONE.value)),
        default=F("status"),
        output_field=CharField(),
    )


def _urgency_rank() -> SqlCase:
    return SqlCase(
        When(urgency=Urgency.URGENT, then=Value(0)),
        When(urgency=Urgency.SOON, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def with_shown_status(reports: QuerySet[FieldReport]) -> Any:
    # Typed loosely: the stubs do not follow an annotation through a helper.
    return reports.annotate(shown_status=_shown_status())


def my_field_reports(*, user: Any) -> QuerySet[Any, dict[str, Any]]:
    """The officer's reports, newest first, as plain rows (no case in them)."""
    return (
        with_shown_status(field_reports_for_user(user).filter(reported_by=user))
        .order_by("-created_at", "-pk")
        .values(*LIST_FIELDS, "shown_status")
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = STATUS_WAITING
    kelurahan: str = ""


def field_report_queue(*, user: Any, filters: QueueFilters) -> QuerySet[Any, dict[str, Any]]:
    """The organisation's reports for the intake desk: most urgent, then newest, first."""
    reports = with_shown_status(field_reports_for_user(user)).annotate(urgency_rank=_urgency_rank())
    if filters.status == STATUS_WAITING:
        reports = reports.exclude(shown_status=FieldReportStatus.DONE)
    elif filters.status in FieldReportStatus.values:
        reports = reports.filter(shown_status=filters.status)
    if filters.kelurahan:
        reports = reports.filter(kelurahan_id=filters.kelurahan)  # a region code (to_field)
    return reports.order_by("urgency_rank", "-created_at", "-pk").values(
        *LIST_FIELDS, "shown_status", "reported_by__full_name"
    )


def field_report_for_page(report: FieldReport) -> dict[str, Any]:
    """What the report's page shows about it besides its own columns."""
    shown = (
        with_shown_status(FieldReport.objects.filter(pk=report.pk))
        .values_list("shown_status", flat=True)
        .get()
    )
    return {"shown_status": shown, "status_label": FieldReportStatus(shown).label}


# -- the intake desk's choices ---------------------------------------------------------------


def person_candidates(*, user: Any, query: str) -> list[search.SearchHit]:
    """Registered persons matching the reported name (the desk's registry search)."""
    return search.person_search_for_user(user=user, query=query, per_page=SEARCH_RESULTS).hits


def open_cases_of(*, user: Any, person: Person) -> QuerySet[Case]:
    """The person's open cases that the desk reaches (to link the report to one)."""
    return (
        cases_for_user(user)
        .filter(client=person, status=CaseStatus.OPEN)
        .defer("presenting_problem")
        .order_by("-opened_on", "-pk")
    )


def open_cases_for_persons(*, user: Any, persons: list[Person]) -> dict[int, list[Case]]:
    """Open cases per person, for a page of search results in one query."""
    found: dict[int, list[Case]] = {person.pk: [] for person in persons}
    if not persons:
        return found
    cases = (
        cases_for_user(user)
        .filter(client__in=persons, status=CaseStatus.OPEN)
        .only("pk", "public_id", "number", "client_id", "opened_on")
        .order_by("-opened_on", "-pk")
    )
    for case in cases:
        if case.client_id is not None:
            found.setdefault(case.client_id, []).append(case)
    return found
